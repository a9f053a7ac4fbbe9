// Reading an event's text into the node tree (event_parser.hpp): the handler that builds the nodes,
// driven by the plain reader and, for what that does not accept, by RapidJSON's reader; and the
// one place RapidJSON's errors become findings' words. The
// questions asked of the tree once built (pointers, members, the content hash) are event_tree.cpp's.
#include "event_parser.hpp"

#include <cstring>
#include <iterator>
#include <memory>

#include <rapidjson/error/error.h>
#include <rapidjson/reader.h>

#include "byte_scan.hpp"
#include "plain_json_reader.hpp"

namespace msgevents::detail {
namespace {

// Objects with more members than this index their keys for the duplicate check, so an object
// with a hundred thousand members is checked in linear time, not quadratic.

constexpr uint32_t kIndexKeysAbove = 32;

constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseInsituFlag |
                                 rapidjson::kParseNumbersAsStringsFlag;
// UTF-8 validation turns off RapidJSON's SIMD string scanning, so it is asked for only when the
// event holds a byte outside ASCII (pure ASCII text is valid UTF-8 by construction).
constexpr unsigned kParseFlagsValidatingUtf8 = kParseFlags | rapidjson::kParseValidateEncodingFlag;

// The one place RapidJSON's error codes become words a person can act on.
const char* describe(rapidjson::ParseErrorCode code) {
  using namespace rapidjson;
  switch (code) {
    case kParseErrorDocumentEmpty: return "the event is empty: expected a JSON object";
    case kParseErrorDocumentRootNotSingular: return "unexpected content after the end of the event: expected one JSON value";
    case kParseErrorValueInvalid: return "invalid value: expected an object, array, string, number, true, false or null";
    case kParseErrorObjectMissName: return "expected a member name in double quotes";
    case kParseErrorObjectMissColon: return "expected ':' after the member name";
    case kParseErrorObjectMissCommaOrCurlyBracket: return "expected ',' or '}' after an object member";
    case kParseErrorArrayMissCommaOrSquareBracket: return "expected ',' or ']' after an array element";
    case kParseErrorStringUnicodeEscapeInvalidHex: return "invalid \\u escape: expected four hexadecimal digits";
    case kParseErrorStringUnicodeSurrogateInvalid: return "invalid \\u escape: a UTF-16 surrogate must come in a high/low pair";
    case kParseErrorStringEscapeInvalid: return "invalid escape in a string: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX";
    case kParseErrorStringMissQuotationMark: return "unterminated string: expected a closing '\"' before the end of the line or event";
    case kParseErrorStringInvalidEncoding: return "invalid UTF-8 byte sequence in a string";
    case kParseErrorNumberTooBig: return "number too large to represent";
    case kParseErrorNumberMissFraction: return "invalid number: expected a digit after the decimal point";
    case kParseErrorNumberMissExponent: return "invalid number: expected a digit in the exponent";
    case kParseErrorTermination: return "parsing stopped";
    case kParseErrorUnspecificSyntaxError: return "syntax error";
    default: return "syntax error";
  }
}

// A control character where JSON allows none (byte_scan.hpp's stray controls).
std::string control_character_message(unsigned char c) {
  static const char kHex[] = "0123456789ABCDEF";
  const std::string code = std::string("00") + kHex[c >> 4] + kHex[c & 15];
  return "control character U+" + code + " in the text: inside a string it must be escaped (\\u" + code + ")";
}

// The members of one large object by name: open addressing over node indices, kept at most half
// full. Names hash with SipHash under a key drawn per parser, so no input can choose names that
// collide and make the lookups slow. Each slot keeps 32 bits of its name's hash: a probe compares
// names only when those match (no cache miss on an unrelated node), and growing rehashes nothing.
class MemberIndex {
 public:
  template <typename KeyOf>
  uint32_t find(std::string_view key, uint64_t hash, const KeyOf& key_of) const {
    const auto tag = static_cast<uint32_t>(hash);
    for (size_t i = tag & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.node == kNoNode) return kNoNode;
      if (slot.hash == tag && key_of(slot.node) == key) return slot.node;
    }
  }
  // The name must not be present yet.
  void insert(uint32_t node, uint64_t hash) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    place({node, static_cast<uint32_t>(hash)});
    ++size_;
  }

 private:
  struct Slot {
    uint32_t node;
    uint32_t hash;  // the low 32 bits of the name's: enough for any table an event can need
  };
  void place(Slot slot) {
    size_t i = slot.hash & mask_;
    while (slots_[i].node != kNoNode) i = (i + 1) & mask_;
    slots_[i] = slot;
  }
  void grow() {
    std::vector<Slot> old(slots_.empty() ? 128 : slots_.size() * 2, Slot{kNoNode, 0});
    old.swap(slots_);
    mask_ = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.node != kNoNode) place(slot);
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

struct Frame {
  uint32_t node;
  uint32_t last_child = kNoNode;
  std::unique_ptr<MemberIndex> keys;  // once the object is large
  bool array = false;
  uint32_t first_open_item = 0;  // an array's packed items so far start here in open_items_
  uint32_t long_numbers = 0;     // among them (EventParser::has_long_numbers)
};

}  // namespace

namespace {

// Appends items with push_back, whose code is there already: a range insert would be more code
// (what a page downloads).
void append(std::vector<PackedItem>& to, const PackedItem* from, const PackedItem* end) {
  for (; from != end; ++from) to.push_back(*from);
}

}  // namespace

struct EventParser::ReaderState {
  rapidjson::Reader reader;
};

// Driven by RapidJSON's iterative reader, or first by the plain reader (plain_json_reader.hpp),
// which makes the same calls with the same pointers; only its stream is past a bracket at the
// bracket's calls, where RapidJSON's iterative reader has not taken it yet (`past_brackets`).
struct ParseHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, ParseHandler> {
  ParseHandler(EventParser& parser, rapidjson::InsituStringStream& stream, uint32_t max_depth, bool past_brackets)
      : parser_(parser), stream_(stream), base_(parser.buffer_.data()), max_depth_(max_depth), bracket_back_(past_brackets ? 1 : 0) {}

  uint64_t hash_of_key(std::string_view key) {
    if (!parser_.member_key_drawn_) {
      parser_.member_key_ = random_sip_key();
      parser_.member_key_drawn_ = true;
    }
    return siphash13(parser_.member_key_, key);
  }

  uint32_t add(NodeKind kind, size_t begin, size_t end) {
    auto& nodes = parser_.nodes_;
    const auto index = static_cast<uint32_t>(nodes.size());
    Node node;
    node.kind = kind;
    node.begin = static_cast<uint32_t>(begin);
    node.end = static_cast<uint32_t>(end);
    node.key_begin = node.begin;
    if (!frames_.empty()) {
      Frame& frame = frames_.back();
      node.parent = frame.node;
      Node& parent = nodes[frame.node];
      if (parent.kind == NodeKind::Object) {
        node.key = key_;
        node.key_begin = key_begin_;
        if (duplicate_of_ != kNoNode) parser_.duplicates_.push_back({index, duplicate_of_});
        else if (frame.keys) frame.keys->insert(index, key_hash_);
        duplicate_of_ = kNoNode;
      }
      if (frame.last_child == kNoNode) parent.first_child = index;
      else nodes[frame.last_child].next_sibling = index;
      frame.last_child = index;
      node.position = parent.child_count++;
    }
    nodes.push_back(node);
    return index;
  }

  size_t here() const { return stream_.Tell(); }
  size_t bracket() const { return stream_.Tell() - bracket_back_; }  // at a bracket's call: where it is

  // A number or literal inside an array is packed (event_parser.hpp), not made a node.
  bool packs() const { return !frames_.empty() && frames_.back().array; }
  void pack(size_t begin, size_t end) {
    parser_.open_items_.push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end)});
    ++parser_.nodes_[frames_.back().node].child_count;
  }

  bool Null() {
    if (packs()) pack(here() - 4, here());
    else add(NodeKind::Null, here() - 4, here());
    return true;
  }
  bool Bool(bool value) {
    const size_t begin = here() - (value ? 4 : 5);
    if (packs()) pack(begin, here());
    else add(value ? NodeKind::True : NodeKind::False, begin, here());
    return true;
  }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool) {
    const size_t begin = static_cast<size_t>(text - base_);
    if (packs()) {
      pack(begin, begin + length);
      if (EventParser::is_long_number(std::string_view(text, length))) ++frames_.back().long_numbers;
      return true;
    }
    const uint32_t index = add(NodeKind::Number, begin, begin + length);
    parser_.nodes_[index].value = std::string_view(text, length);
    return true;
  }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    // In place, the decoded text starts right after the opening quote. The end is provisional
    // (exact when the string had no escapes); EventParser::string_end() finds it exactly.
    const size_t begin = static_cast<size_t>(text - base_) - 1;
    const uint32_t index = add(NodeKind::String, begin, begin + length + 2);
    parser_.nodes_[index].value = std::string_view(text, length);
    return true;
  }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    key_ = std::string_view(text, length);
    key_begin_ = static_cast<uint32_t>(text - base_) - 1;
    duplicate_of_ = find_sibling(key_);
    return true;
  }
  bool StartObject() { return open(NodeKind::Object); }
  bool StartArray() { return open(NodeKind::Array); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool EndArray(rapidjson::SizeType) { return close(); }

  bool open(NodeKind kind) {
    if (frames_.size() >= max_depth_) {
      too_deep_ = true;
      too_deep_at_ = bracket();
      return false;
    }
    const uint32_t index = add(kind, bracket(), bracket() + 1);
    frames_.push_back(Frame{index, kNoNode, nullptr, kind == NodeKind::Array, static_cast<uint32_t>(parser_.open_items_.size())});
    if (kind == NodeKind::Array) read_plain_run(bracket() + 1);
    return true;
  }

  // RapidJSON spends about 180 instructions on each array item (its state machine and number
  // scan), which makes an array of half a million small numbers cost several times its size in
  // ordinary events. So a run of plain items at the start of an array (integers of up to 20
  // digits, true, false, null, each followed by a comma) is read here, packed, and blanked to
  // spaces in the parser's copy, which RapidJSON then skips 16 bytes at a time; parse() puts the
  // bytes back. The run's last item and its comma are left to RapidJSON, so it reads what follows
  // (and reports any error there) exactly as it would have: only valid JSON is ever blanked.
  void read_plain_run(size_t from) {
    const char* const text = parser_.buffer_.data();
    const char* p = text + from;
    while (json_space(*p)) ++p;
    const char* last = nullptr;  // the latest plain item followed by a comma, not packed yet
    const char* last_end = nullptr;
    PackedItem chunk[128];  // packed a chunk at a time: no vector growth check per item
    PackedItem* out = chunk;
    uint32_t count = 0;
    uint32_t long_numbers = 0;
    auto& items = parser_.open_items_;
    for (;;) {
      const char* const end = plain_item_end(p);
      if (!end) break;
      const char* comma = end;
      while (json_space(*comma)) ++comma;
      if (*comma != ',') break;  // also a fraction or exponent, or a digit after a leading 0
      if (last) {
        *out++ = {static_cast<uint32_t>(last - text), static_cast<uint32_t>(last_end - text)};
        long_numbers += last_end - last > 15;  // never a literal: they are 4 or 5 bytes
        if (out == std::end(chunk)) {
          append(items, chunk, out);
          count += static_cast<uint32_t>(out - chunk);
          out = chunk;
        }
      }
      last = p;
      last_end = end;
      p = comma + 1;
      while (json_space(*p)) ++p;
    }
    append(items, chunk, out);
    count += static_cast<uint32_t>(out - chunk);
    if (count == 0) return;
    parser_.nodes_[frames_.back().node].child_count += count;
    frames_.back().long_numbers += long_numbers;
    const auto run_end = static_cast<size_t>(last - text);
    std::memset(parser_.buffer_.data() + from, ' ', run_end - from);
    parser_.blanked_.push_back({static_cast<uint32_t>(from), static_cast<uint32_t>(run_end)});
  }
  static bool json_space(char c) { return c <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r'); }
  // The end of a plain item (an integer of up to 20 digits, true, false, null) at p, or nullptr.
  // The text ends in NUL padding: no scan runs past it.
  static const char* plain_item_end(const char* p) {
    if (*p >= '1' && *p <= '9') {  // the common case first
      const char* const first = p;
      while (*p >= '0' && *p <= '9') ++p;
      return p - first <= 20 ? p : nullptr;  // RapidJSON reads longer ones as doubles: left to it
    }
    if (*p == '-') {
      if (p[1] == '0') return p + 2;
      return p[1] >= '1' && p[1] <= '9' ? plain_item_end(p + 1) : nullptr;
    }
    if (*p == '0') return p + 1;
    if (*p == 't') return std::memcmp(p, "true", 4) == 0 ? p + 4 : nullptr;
    if (*p == 'f') return std::memcmp(p, "false", 5) == 0 ? p + 5 : nullptr;
    if (*p == 'n') return std::memcmp(p, "null", 4) == 0 ? p + 4 : nullptr;
    return nullptr;
  }
  bool close() {
    const Frame& frame = frames_.back();
    Node& node = parser_.nodes_[frame.node];
    node.end = static_cast<uint32_t>(bracket() + 1);
    auto& open_items = parser_.open_items_;
    if (frame.array && open_items.size() > frame.first_open_item) {
      // Nested arrays interleave their items in open_items_: each gets its own contiguous range.
      auto& packed = parser_.packed_;
      node.packed = static_cast<uint32_t>(parser_.packed_ranges_.size());
      parser_.packed_ranges_.push_back(
          {static_cast<uint32_t>(packed.size()), static_cast<uint32_t>(open_items.size() - frame.first_open_item), frame.long_numbers});
      if (packed.empty() && frame.first_open_item == 0) {
        packed.swap(open_items);  // the first array: no copy (a huge one usually is)
        open_items.clear();
      } else {
        append(packed, open_items.data() + frame.first_open_item, open_items.data() + open_items.size());
        open_items.resize(frame.first_open_item);
      }
    }
    frames_.pop_back();
    return true;
  }

  uint32_t find_sibling(std::string_view key) {
    Frame& frame = frames_.back();
    const auto& nodes = parser_.nodes_;
    if (frame.keys) {
      key_hash_ = hash_of_key(key);
      return frame.keys->find(key, key_hash_, [&nodes](uint32_t node) { return nodes[node].key; });
    }
    const Node& object = nodes[frame.node];
    if (object.child_count >= kIndexKeysAbove) {
      frame.keys = std::make_unique<MemberIndex>();
      for (uint32_t child = object.first_child; child != kNoNode; child = nodes[child].next_sibling) {
        frame.keys->insert(child, hash_of_key(nodes[child].key));
      }
      return find_sibling(key);
    }
    // Most names differ in length, first or last character: rule those out before comparing.
    const size_t size = key.size();
    for (uint32_t child = object.first_child; child != kNoNode; child = nodes[child].next_sibling) {
      const std::string_view other = nodes[child].key;
      if (other.size() != size || (size > 0 && (other[0] != key[0] || other[size - 1] != key[size - 1]))) continue;
      if (other == key) return child;
    }
    return kNoNode;
  }

  // Reads the event with the plain reader into `parser`; false, with parser and stream as they
  // were, where it does not accept it (EventParser::parse reads it with RapidJSON then).
  static bool read_plain(EventParser& parser, std::string_view text, bool ascii, rapidjson::InsituStringStream& stream,
                         uint32_t max_depth) {
    if (!ascii && !utf8_valid(text.data(), text.size())) return false;  // the plain reader's precondition
    ParseHandler handler(parser, stream, max_depth, true);
    std::string& buffer = parser.buffer_;
    PlainJsonReader<ParseHandler> plain(buffer.data(), buffer.data() + text.size(), stream);
    if (plain.read(handler) == PlainRead::Accepted) return true;
    parser.restore_blanked(text);
    parser.clear();
    stream.src_ = stream.head_;
    return false;
  }

  EventParser& parser_;
  rapidjson::InsituStringStream& stream_;
  const char* base_;
  uint32_t max_depth_;
  size_t bracket_back_;
  std::vector<Frame> frames_;
  std::string_view key_;
  uint32_t key_begin_ = 0;
  uint32_t duplicate_of_ = kNoNode;
  uint64_t key_hash_ = 0;  // of key_, when the object it is in is indexed
  bool too_deep_ = false;
  size_t too_deep_at_ = 0;
};

void EventParser::restore_blanked(std::string_view text) {
  for (const PackedItem& run : blanked_) std::memcpy(&buffer_[run.begin], text.data() + run.begin, run.end - run.begin);
}

void EventParser::clear() {
  nodes_.clear();
  packed_.clear();
  packed_ranges_.clear();
  open_items_.clear();
  blanked_.clear();
  duplicates_.clear();
}

bool EventParser::parse(std::string_view text, uint32_t max_depth, ParseError* error) {
  clear();
  *error = ParseError{};
  bool too_deep = false;
  size_t too_deep_at = 0;
  const ByteClasses bytes = classify_bytes(text.data(), text.size());  // one pass for both questions
  if (const void* nul = bytes.has_nul ? std::memchr(text.data(), '\0', text.size()) : nullptr) {
    // RapidJSON reads a NUL as the end of the text; a NUL byte is never valid JSON anyway.
    error->failure = ParseFailure::NulByte;
    error->offset = static_cast<uint64_t>(static_cast<const char*>(nul) - text.data());
    error->message = "NUL byte (U+0000) in the input: JSON text cannot contain one outside a \\u0000 escape";
    return false;
  }
  // RapidJSON's SSE4.2/SSE2 scans load aligned 16-byte blocks and may read up to 15 bytes past the
  // NUL that ends the text: NUL padding keeps those loads inside the allocation (and ASan quiet).
  constexpr size_t kSimdPadding = 16;
  buffer_.assign(text.data(), text.size());
  buffer_.append(kSimdPadding, '\0');
  rapidjson::InsituStringStream stream(buffer_.data());
  // The plain reader first: it builds the same nodes at about 60% of RapidJSON's cost (these are the
  // events with findings, which the fast path handed over). What it does not accept, RapidJSON
  // reads again from the start, and says what is wrong and where.
  rapidjson::ParseResult result;
  if (!ParseHandler::read_plain(*this, text, bytes.ascii, stream, max_depth)) {
    ParseHandler handler(*this, stream, max_depth, false);
    if (!reader_) reader_ = std::make_shared<ReaderState>();
    result = bytes.ascii ? reader_->reader.Parse<kParseFlags>(stream, handler)
                         : reader_->reader.Parse<kParseFlagsValidatingUtf8>(stream, handler);
    too_deep = handler.too_deep_;
    too_deep_at = handler.too_deep_at_;
  }
  restore_blanked(text);
  const size_t control = first_stray_control(text.data(), text.size());
  if (control < text.size() && (!result.IsError() || result.Offset() > control)) {
    // Where RapidJSON let it through (byte_scan.hpp) or had not reached it yet.
    error->failure = ParseFailure::Syntax;
    error->offset = control;
    error->message = control_character_message(static_cast<unsigned char>(text[control]));
    return false;
  }
  if (!result.IsError()) return true;
  if (too_deep) {
    error->failure = ParseFailure::TooDeep;
    error->offset = too_deep_at;
    error->message = "nesting deeper than " + std::to_string(max_depth) + " levels";
    return false;
  }
  error->failure = result.Code() == rapidjson::kParseErrorStringInvalidEncoding ? ParseFailure::InvalidUtf8
                                                                                : ParseFailure::Syntax;
  error->offset = result.Offset();
  error->message = describe(result.Code());
  const auto at = error->offset < text.size() ? static_cast<unsigned char>(text[error->offset]) : 0x20;
  if (is_stray_control(at) || (at < 0x20 && result.Code() == rapidjson::kParseErrorStringEscapeInvalid)) {
    // RapidJSON calls a control inside a string (a tab too) an invalid escape, one outside an invalid value.
    error->message = control_character_message(static_cast<unsigned char>(text[error->offset]));
  }
  if (error->offset >= text.size() && result.Code() != rapidjson::kParseErrorDocumentRootNotSingular) {
    error->message = std::string("unexpected end of the event: ") + error->message;
  }
  return false;
}

}  // namespace msgevents::detail
