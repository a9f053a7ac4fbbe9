// The questions asked of an event's node tree once parse() has built it (event_parser.hpp): a
// node's kind in words, its JSON Pointer, an object's member by name, a string's end in the
// original text, and the content hash that tells a redelivery from an identity conflict (with
// ArrayHash, which the fast path shares, so one content hashes alike on either path).
#include <string>
#include <vector>

#include "event_parser.hpp"
#include "text_util.hpp"

namespace msgevents::detail {

std::string_view kind_name(NodeKind kind) {
  switch (kind) {
    case NodeKind::Null: return "null";
    case NodeKind::False:
    case NodeKind::True: return "a boolean";
    case NodeKind::Number: return "a number";
    case NodeKind::String: return "a string";
    case NodeKind::Array: return "an array";
    case NodeKind::Object: return "an object";
  }
  return "a value";
}

uint32_t EventParser::member(uint32_t object, std::string_view key) const {
  const Node& parent = nodes_[object];
  if (parent.kind != NodeKind::Object) return kNoNode;
  for (uint32_t child = parent.first_child; child != kNoNode; child = nodes_[child].next_sibling) {
    if (nodes_[child].key == key) return child;
  }
  return kNoNode;
}

uint32_t EventParser::string_end(uint32_t index, std::string_view original) const {
  size_t at = nodes_[index].begin + 1;
  while (at < original.size() && original[at] != '"') at += original[at] == '\\' ? 2 : 1;
  return static_cast<uint32_t>(at + 1);
}

std::string EventParser::item_pointer(uint32_t array, uint32_t position) const {
  return pointer(array) + "/" + std::to_string(position);
}

std::string EventParser::pointer(uint32_t index) const {
  std::vector<uint32_t> path;
  for (uint32_t at = index; at != kNoNode && nodes_[at].parent != kNoNode; at = nodes_[at].parent) path.push_back(at);
  std::string out;
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    const Node& node = nodes_[*it];
    out.push_back('/');
    if (nodes_[node.parent].kind == NodeKind::Object) {
      out += pointer_token(node.key);
    } else {
      out += std::to_string(node.position);
    }
  }
  return out;
}

void ArrayHash::item(NodeKind kind, std::string_view text) {
  switch (kind) {
    case NodeKind::Null: return stream_.add_word(0x2c6c6c756eULL, 5);     // "null,"
    case NodeKind::True: return stream_.add_word(0x2c65757274ULL, 5);     // "true,"
    case NodeKind::False: return stream_.add_word(0x2c65736c6166ULL, 6);  // "false,"
    case NodeKind::Number:
      if (text.size() <= 7) {  // the text and its comma in one word: the common case of short numbers
        uint64_t word = 0;
        for (size_t i = 0; i < text.size(); ++i) word |= static_cast<uint64_t>(static_cast<unsigned char>(text[i])) << (8 * i);
        return stream_.add_word(word | (uint64_t{','} << (8 * text.size())), static_cast<unsigned>(text.size()) + 1);
      }
      return plain_run(text);
    case NodeKind::String:
      stream_.add_word('"', 1);
      for (uint64_t n = text.size();; n >>= 7) {  // the length, LEB128
        if (n < 0x80) {
          stream_.add_word(n, 1);
          break;
        }
        stream_.add_word((n & 0x7f) | 0x80, 1);
      }
      return stream_.add(text);
    case NodeKind::Array:
    case NodeKind::Object: break;  // nested()
  }
}

uint64_t EventParser::content_hash(uint32_t index, const SipKey& key) const {
  // The rules are ContentHash's (event_parser.hpp). Nodes are stored in document order, so a subtree is a contiguous range after its root and
  // every child comes after its parent: hash from the last node back to the root.
  uint32_t last = index;
  for (uint32_t at = index; at != kNoNode;) {
    last = at;
    uint32_t child = nodes_[at].first_child;
    if (child == kNoNode) break;
    while (nodes_[child].next_sibling != kNoNode) child = nodes_[child].next_sibling;
    at = child;
  }
  std::vector<uint64_t>& hashes = hashes_;
  hashes.assign(last - index + 1, 0);
  ArrayHash items;
  for (uint32_t i = last + 1; i-- > index;) {
    const Node& node = nodes_[i];
    uint64_t h = 0;
    if (node.kind == NodeKind::Object) {
      uint64_t sum = 0;
      for (uint32_t c = node.first_child; c != kNoNode; c = nodes_[c].next_sibling) {
        sum += ContentHash::member(siphash13(key, nodes_[c].key), hashes[c - index]);
      }
      h = ContentHash::object(sum);
    } else if (node.kind == NodeKind::Array) {
      items.reset(key);
      if (node.first_child == kNoNode && node.packed != kNoNode) {  // only packed items: the common large array
        const PackedRange range = packed_ranges_[node.packed];
        const PackedItem* item = packed_.data() + range.first;
        const PackedItem* const end = item + range.count;
        while (item != end) {
          const PackedItem* last = item;  // items written one comma apart hash straight from the text
          while (last + 1 != end && last[1].begin == last->end + 1) ++last;
          if (last != item) {
            items.plain_run(std::string_view(buffer_.data() + item->begin, last->end - item->begin));
          } else {
            const NodeKind kind = packed_kind(*item);
            items.item(kind, kind == NodeKind::Number ? std::string_view(buffer_.data() + item->begin, item->end - item->begin) : std::string_view());
          }
          item = last + 1;
        }
      } else {
        for_each_item(i, [&](const Node& item, uint32_t c) {
          if (item.kind == NodeKind::Array || item.kind == NodeKind::Object) items.nested(item.kind, hashes[c - index]);
          else items.item(item.kind, item.value);
        });
      }
      h = items.finish();
    } else if (i == index || nodes_[node.parent].kind != NodeKind::Array) {  // an array's scalars are its message
      h = ContentHash::scalar(key, node.kind, node.value);
    }
    hashes[i - index] = h;
  }
  return hashes[0];
}

}  // namespace msgevents::detail
