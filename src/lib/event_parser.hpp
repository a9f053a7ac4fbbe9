// Reads one event's JSON text into a flat tree of nodes that remember where they are.
//
// Each node keeps its byte range in the event text, so every finding can name a JSON Pointer and
// a line and column, and redaction can replace a value in place. Parsing is iterative (RapidJSON's
// iterative mode driving our handler) with a depth limit, so no input can exhaust the stack.
// Strings are decoded in place into the parser's own copy of the text; numbers are kept as their
// raw text and converted only where a rule needs the value. Duplicate keys are recorded, not lost.
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
  std::string_view key;    // the member's decoded key (objects only)
  std::string_view value;  // decoded string, or the raw text of a number
};

// The kind as a message names it: "null", "a boolean", "a number", "a string", "an array", "an object".
std::string_view kind_name(NodeKind kind);

// The rules of the content hash, one definition for EventParser::content_hash and the fast path:
// one content must hash alike on either path, or a redelivery would read as an identity conflict.
// Every string, number and member name goes through the keyed hash; the tree above them is
// combined by unkeyed mixing, which cannot help anyone choose a collision of values they cannot
// compute. Strings and numbers hash apart: the kind is part of the combination.
struct ContentHash {
  static uint64_t mix(uint64_t h) {  // splitmix64 finaliser
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
  }
  static uint64_t start(NodeKind kind) { return static_cast<uint64_t>(kind) + 1; }
  // A scalar: strings and numbers by their text, the literals by their kind alone.
  static uint64_t scalar(const SipKey& key, NodeKind kind, std::string_view text) {
    return kind == NodeKind::String || kind == NodeKind::Number ? mix(siphash13(key, text) + start(kind)) : start(kind);
  }
  // An object is the sum of its members (the order of members does not change the content).
  static uint64_t member(uint64_t key_hash, uint64_t value_hash) { return mix(key_hash ^ mix(value_hash + 7)); }
  static uint64_t object(uint64_t member_sum) { return mix(start(NodeKind::Object) ^ member_sum); }
  // An array folds its items in order, from start(NodeKind::Array).
  static uint64_t array_item(uint64_t array_hash, uint64_t item_hash) { return mix(array_hash * 31 + item_hash); }
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
  std::string buffer_;  // the event text, NUL-terminated, decoded in place
  std::vector<Node> nodes_;
  std::vector<DuplicateKey> duplicates_;
  mutable std::vector<uint64_t> hashes_;  // content_hash()'s scratch space, kept between events
  SipKey member_key_;                     // keys the index of a large object's members,
  bool member_key_drawn_ = false;         // drawn when first needed
  struct ReaderState;                     // RapidJSON's reader, kept so its stack is allocated once
  std::shared_ptr<ReaderState> reader_;
};

}  // namespace msgevents::detail
