// Reads one event's JSON text into a flat tree of nodes that remember where they are.
//
// Each node keeps its byte range in the event text, so every finding can name a JSON Pointer and
// a line and column, and redaction can replace a value in place. Parsing is iterative (RapidJSON's
// iterative mode driving our handler) with a depth limit, so no input can exhaust the stack.
// Strings are decoded in place into the parser's own copy of the text; numbers are kept as their
// raw text and converted only where a rule needs the value. Duplicate keys are recorded, not lost.
//
// Numbers, true, false and null inside an array get no node of their own: they are "packed", 8
// bytes each, beside the nodes (an array of half a million numbers would otherwise take 36 MB
// of nodes per MiB of text, and every pass over them would miss the caches). An array's
// first_child / next_sibling chain therefore links only its strings, arrays and objects; its
// child_count and each node's position count every item. for_each_item() walks all of them.
//
// The parser is reused from event to event: its buffers keep their capacity, so the steady state
// allocates nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "siphash.hpp"

namespace msgevents::detail {

enum class NodeKind : uint8_t { Null, False, True, Number, String, Array, Object };

constexpr uint32_t kNoNode = 0xFFFFFFFFu;

struct Node {
  NodeKind kind = NodeKind::Null;
  uint32_t begin = 0;      // offset of the value's first byte in the event text
  uint32_t end = 0;        // offset one past the value's last byte
  uint32_t key_begin = 0;  // offset of the member's key (its opening quote); = begin outside objects
  uint32_t parent = kNoNode;
  uint32_t first_child = kNoNode;
  uint32_t next_sibling = kNoNode;
  uint32_t child_count = 0;
  uint32_t position = 0;   // index among its parent's children (array elements' pointer token)
  uint32_t packed = kNoNode;  // an array's packed items: an index into the parser's packed ranges
  std::string_view key;    // the member's decoded key (objects only)
  std::string_view value;  // decoded string, or the raw text of a number
};

// The kind as a message names it: "null", "a boolean", "a number", "a string", "an array", "an object".
std::string_view kind_name(NodeKind kind);

// The rules of the content hash, one definition for EventParser::content_hash and the fast path:
// one content must hash alike on either path, or a redelivery would read as an identity conflict.
// Every string, number and member name goes through the keyed hash (an array's items as one
// keyed message, ArrayHash); objects are combined by unkeyed mixing, which cannot help anyone
// choose a collision of values they cannot compute. Strings and numbers hash apart: the kind is
// part of the combination.
struct ContentHash {
  static uint64_t mix(uint64_t h) { return mix64(h); }
  static uint64_t start(NodeKind kind) { return static_cast<uint64_t>(kind) + 1; }
  // A scalar: strings and numbers by their text, the literals by their kind alone. Not mixed
  // again: SipHash's bits are uniform already, and the member it is the value of mixes it with
  // its key (member()).
  static uint64_t scalar(const SipKey& key, NodeKind kind, std::string_view text) { return scalar_of(kind, text_hash(key, kind, text)); }
  // The same in two steps: the fast path keeps the text's SipHash of an identity for the stream
  // checks (EventFacts::hashes).
  static bool keyed(NodeKind kind) { return kind == NodeKind::String || kind == NodeKind::Number; }
  static uint64_t text_hash(const SipKey& key, NodeKind kind, std::string_view text) { return keyed(kind) ? siphash13(key, text) : 0; }
  static uint64_t scalar_of(NodeKind kind, uint64_t text_hash) { return keyed(kind) ? text_hash + start(kind) : start(kind); }
  // An object is the sum of its members (the order of members does not change the content).
  static uint64_t member(uint64_t key_hash, uint64_t value_hash) { return mix(key_hash ^ mix(value_hash + 7)); }
  static uint64_t object(uint64_t member_sum) { return mix(start(NodeKind::Object) ^ member_sum); }
};

// An array is one keyed SipHash message of its items in order (a whole keyed hash per item would
// cost more than parsing it). A number is its text and a comma; true, false and null are their
// text and a comma too; a string is '"', its length (LEB128) and its decoded text; a nested array
// or object is '[' or '{' and its hash (8 bytes). The first byte tells how far an item goes, so
// two different lists of items never make the same message; and a run of numbers and literals
// written without spaces ("1,2,true,") is its own message, hashed straight from the text.
class ArrayHash {
 public:
  void reset(const SipKey& key) { stream_.reset(key); }
  void item(NodeKind kind, std::string_view text);  // a number, string or literal
  // Numbers and literals as the text has them, one comma apart ("1,2,true"): their messages.
  void plain_run(std::string_view text) {
    stream_.add(text);
    stream_.add_word(',', 1);
  }
  void nested(NodeKind kind, uint64_t hash) {
    stream_.add_word(kind == NodeKind::Array ? '[' : '{', 1);
    stream_.add_word(hash, 8);
  }
  uint64_t finish() const { return ContentHash::mix(stream_.finish() + ContentHash::start(NodeKind::Array)); }

 private:
  SipStream13 stream_;
};

// A number, true, false or null inside an array (see the top of this file): its byte range in the
// event text, which also tells its kind.
struct PackedItem {
  uint32_t begin;
  uint32_t end;
};

struct DuplicateKey {
  uint32_t node;       // the later member with the same key
  uint32_t first;      // the member that came first
};

enum class ParseFailure { None, Syntax, InvalidUtf8, NulByte, TooDeep };

struct ParseError {
  ParseFailure failure = ParseFailure::None;
  uint64_t offset = 0;  // in the event text
  std::string message;
};

class EventParser {
 public:
  // Parses text; on failure returns false and fills *error. The nodes stay valid until the next
  // parse() call; node 0 is the root.
  bool parse(std::string_view text, uint32_t max_depth, ParseError* error);

  const std::vector<Node>& nodes() const { return nodes_; }
  const Node& node(uint32_t index) const { return nodes_[index]; }
  const std::vector<DuplicateKey>& duplicate_keys() const { return duplicates_; }
  // Calls visit(const Node& item, uint32_t node) for every item of an array, in order. A packed
  // item comes as a temporary node (kind, begin, end, value, parent, position) with node ==
  // kNoNode; the others are the parser's own nodes.
  template <typename Visit>
  void for_each_item(uint32_t array, Visit&& visit) const;
  // Calls visit(NodeKind kind, std::string_view value, uint32_t begin, uint32_t position) for the
  // packed items of an array only (value: a number's text, else empty), in order.
  template <typename Visit>
  void for_each_packed(uint32_t array, Visit&& visit) const;
  // Whether an array has a packed number of more than 15 characters or with an exponent: the
  // others can be neither out of a double's range nor an integer beyond 2^53.
  bool has_long_numbers(uint32_t array) const {
    const uint32_t packed = nodes_[array].packed;
    return packed != kNoNode && packed_ranges_[packed].long_numbers > 0;
  }
  static bool is_long_number(std::string_view number) {
    if (number.size() > 15) return true;
    for (const char c : number) {
      if (c == 'e' || c == 'E') return true;
    }
    return false;
  }
  // The JSON Pointer of an array's item, packed or not.
  std::string item_pointer(uint32_t array, uint32_t position) const;
  // The first member of an object with this key, or kNoNode.
  uint32_t member(uint32_t object, std::string_view key) const;
  // The JSON Pointer (RFC 6901) of a node.
  std::string pointer(uint32_t index) const;
  // One past the closing quote of a string node, read from the event's original text (parsing in
  // place overwrites escapes, so the parser alone knows only where the string starts).
  uint32_t string_end(uint32_t index, std::string_view original) const;
  // A hash of the value's content, independent of formatting and of key order. Keyed: without
  // the key nobody can make two different events hash alike (a forged redelivery).
  uint64_t content_hash(uint32_t index, const SipKey& key) const;

 private:
  friend struct ParseHandler;
  void clear();  // of the last event's nodes and items
  void restore_blanked(std::string_view text);  // the bytes read_plain_run blanked, from the event's text
  std::string buffer_;  // the event text, NUL-terminated, decoded in place
  struct PackedRange {
    uint32_t first;  // in packed_
    uint32_t count;
    uint32_t long_numbers;  // has_long_numbers()
  };
  NodeKind packed_kind(const PackedItem& item) const {
    switch (buffer_[item.begin]) {
      case 'n': return NodeKind::Null;
      case 't': return NodeKind::True;
      case 'f': return NodeKind::False;
      default: return NodeKind::Number;
    }
  }
  std::vector<Node> nodes_;
  std::vector<PackedItem> packed_;          // each packed array's items, one contiguous range
  std::vector<PackedRange> packed_ranges_;  // per packed array (Node::packed)
  std::vector<PackedItem> open_items_;      // the items of the arrays still open, innermost last
  std::vector<PackedItem> blanked_;         // runs of array items read ahead of RapidJSON (parse())
  std::vector<DuplicateKey> duplicates_;
  mutable std::vector<uint64_t> hashes_;  // content_hash()'s scratch space, kept between events
  SipKey member_key_;                     // keys the index of a large object's members,
  bool member_key_drawn_ = false;         // drawn when first needed
  struct ReaderState;                     // RapidJSON's reader, kept so its stack is allocated once
  std::shared_ptr<ReaderState> reader_;
};

template <typename Visit>
void EventParser::for_each_packed(uint32_t array, Visit&& visit) const {
  const Node& list = nodes_[array];
  if (list.packed == kNoNode) return;
  const PackedRange range = packed_ranges_[list.packed];
  const PackedItem* item = packed_.data() + range.first;
  const PackedItem* const end = item + range.count;
  uint32_t child = list.first_child;
  for (uint32_t position = 0; item != end; ++item, ++position) {
    while (child != kNoNode && nodes_[child].position == position) {  // a node item comes first
      ++position;
      child = nodes_[child].next_sibling;
    }
    const NodeKind kind = packed_kind(*item);
    visit(kind, kind == NodeKind::Number ? std::string_view(buffer_.data() + item->begin, item->end - item->begin) : std::string_view(),
          item->begin, position);
  }
}

template <typename Visit>
void EventParser::for_each_item(uint32_t array, Visit&& visit) const {
  const Node& list = nodes_[array];
  const PackedItem* packed = list.packed == kNoNode ? nullptr : packed_.data() + packed_ranges_[list.packed].first;
  Node item;
  item.parent = array;
  uint32_t child = list.first_child;
  for (uint32_t position = 0; position < list.child_count; ++position) {
    if (child != kNoNode && nodes_[child].position == position) {
      visit(nodes_[child], child);
      child = nodes_[child].next_sibling;
      continue;
    }
    item.kind = packed_kind(*packed);
    item.begin = item.key_begin = packed->begin;
    item.end = packed->end;
    item.position = position;
    item.value = item.kind == NodeKind::Number ? std::string_view(buffer_.data() + item.begin, item.end - item.begin)
                                               : std::string_view();
    ++packed;
    visit(static_cast<const Node&>(item), kNoNode);
  }
}

}  // namespace msgevents::detail
