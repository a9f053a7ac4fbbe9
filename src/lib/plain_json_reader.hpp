// A strict JSON reader for the fast path's common case: an event whose strings have no escapes
// and whose numbers are plain, its UTF-8 checked before (utf8_valid). It calls the same SAX
// handler RapidJSON's in-situ reader calls (kParseInsituFlag | kParseNumbersAsStringsFlag), in the
// same order, with the same pointers into the text, but finds a string's end 16 bytes at a time
// from the first byte on: RapidJSON's SIMD scan starts only at the next 16-byte boundary, so the
// short strings an event is made of were read a byte at a time (a third of the fast path's
// instructions).
//
// It accepts only what RapidJSON accepts, with the calls RapidJSON makes. What it does not decide
// itself it defers: a backslash in a string, a number with an exponent or more than 17 integer
// digits (where RapidJSON's "number too big" depends on the digits), and nesting deeper than
// kMaxDepth. It never writes the text and reads nothing past its end, so it reads the event where
// it is, with no copy.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <rapidjson/rapidjson.h>
#include <rapidjson/stream.h>

namespace msgevents::detail {

enum class PlainRead : uint8_t {
  Accepted,  // well-formed, and the handler took every call
  Rejected,  // not JSON, or the handler returned false: not a clean event
  Deferred,  // read it another way: RapidJSON (fast_path.cpp)
};

template <typename Handler>
class PlainJsonReader {
 public:
  static constexpr size_t kMaxDepth = 8;

  // [begin, end) is the event's text, well-formed UTF-8 without NUL. `position` is the stream the
  // handler reads its position from (Tell()), as it does under RapidJSON: its head_ must be
  // `begin`; the reader only moves its src_.
  PlainJsonReader(const char* begin, const char* end, rapidjson::InsituStringStream& position)
      : p_(begin), end_(end), position_(position) {}

  PlainRead read(Handler& handler) {
    skip_space();
    if (p_ == end_) return PlainRead::Rejected;  // empty
    const PlainRead value = read_value(handler, 0);
    if (value != PlainRead::Accepted) return value;
    skip_space();
    return p_ == end_ ? PlainRead::Accepted : PlainRead::Rejected;
  }

 private:
  // The handler's Tell() at each call is where RapidJSON's stream is then: past the token.
  void sync() { position_.src_ = const_cast<char*>(p_); }  // never written through

  // Called between every two tokens, and compact JSON has no space there: one compare says so.
  void skip_space() {
    while (p_ != end_ && static_cast<unsigned char>(*p_) <= ' ' && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  PlainRead read_value(Handler& handler, size_t depth) {
    switch (*p_) {
      case '{': return read_container<true>(handler, depth);
      case '[': return read_container<false>(handler, depth);
      case '"': {
        const char* text = nullptr;
        size_t length = 0;
        const PlainRead s = read_string(&text, &length);
        if (s != PlainRead::Accepted) return s;
        return handler.String(text, static_cast<rapidjson::SizeType>(length), false) ? PlainRead::Accepted : PlainRead::Rejected;
      }
      case 't': return literal("true", 4) && handler.Bool(true) ? PlainRead::Accepted : PlainRead::Rejected;
      case 'f': return literal("false", 5) && handler.Bool(false) ? PlainRead::Accepted : PlainRead::Rejected;
      case 'n': return literal("null", 4) && handler.Null() ? PlainRead::Accepted : PlainRead::Rejected;
      default: return read_number(handler);
    }
  }

  // An object or an array: '{' or '[', members or items one comma apart, the closer; the
  // handler hears of them in RapidJSON's order, with its counts.
  template <bool kObject>
  PlainRead read_container(Handler& handler, size_t depth) {
    if (depth == kMaxDepth) return PlainRead::Deferred;
    constexpr char kCloser = kObject ? '}' : ']';
    ++p_;  // { or [
    sync();
    if (!(kObject ? handler.StartObject() : handler.StartArray())) return PlainRead::Rejected;
    skip_space();
    rapidjson::SizeType count = 0;
    if (p_ == end_ || *p_ != kCloser) {
      for (;;) {
        if constexpr (kObject) {
          const PlainRead key = read_key(handler);
          if (key != PlainRead::Accepted) return key;
        }
        if (p_ == end_) return PlainRead::Rejected;
        const PlainRead value = read_value(handler, depth + 1);
        if (value != PlainRead::Accepted) return value;
        ++count;
        skip_space();
        if (p_ == end_ || *p_ != ',') break;
        ++p_;
        skip_space();
      }
      if (p_ == end_ || *p_ != kCloser) return PlainRead::Rejected;
    }
    ++p_;
    sync();
    return (kObject ? handler.EndObject(count) : handler.EndArray(count)) ? PlainRead::Accepted : PlainRead::Rejected;
  }

  // A member's name, its colon and the space after it.
  PlainRead read_key(Handler& handler) {
    if (p_ == end_ || *p_ != '"') return PlainRead::Rejected;
    const char* name = nullptr;
    size_t length = 0;
    const PlainRead key = read_string(&name, &length);
    if (key != PlainRead::Accepted) return key;
    if (!handler.Key(name, static_cast<rapidjson::SizeType>(length), false)) return PlainRead::Rejected;
    skip_space();
    if (p_ == end_ || *p_ != ':') return PlainRead::Rejected;
    ++p_;
    skip_space();
    return PlainRead::Accepted;
  }

  // At the opening quote. On success *text is the string's first byte in the buffer (as RapidJSON
  // in situ gives it: a string without escapes decodes to itself) and p_ is past the closing quote.
  PlainRead read_string(const char** text, size_t* length) {
    const char* const start = ++p_;
    const char* q = start;
    bool stopped = false;
#if defined(__SSE2__)
    // Stops at '"', '\\' and the C0 controls (an unsigned compare: bytes from 0x80 up are UTF-8).
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), below_space = _mm_set1_epi8(0x1F);
    for (; !stopped && end_ - q >= 16;) {
      const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
      const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(block, below_space), below_space);
      const __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, quote), _mm_cmpeq_epi8(block, backslash)), control);
      const int mask = _mm_movemask_epi8(stop);
      if (mask != 0) {
        q += __builtin_ctz(static_cast<unsigned>(mask));
        stopped = true;
      } else {
        q += 16;
      }
    }
#endif
    if (!stopped) {
      while (q != end_ && *q != '"' && *q != '\\' && static_cast<unsigned char>(*q) >= 0x20) ++q;
    }
    if (q == end_) return PlainRead::Rejected;  // unterminated
    if (*q == '\\') return PlainRead::Deferred;
    if (*q != '"') return PlainRead::Rejected;  // a control character: RapidJSON rejects it
    *text = start;
    *length = static_cast<size_t>(q - start);
    p_ = q + 1;
    sync();
    return PlainRead::Accepted;
  }

  bool literal(const char* word, size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) return false;
    for (size_t i = 0; i < n; ++i) {
      if (p_[i] != word[i]) return false;
    }
    p_ += n;
    sync();
    return true;
  }

  static bool digit(char c) { return c >= '0' && c <= '9'; }

  // JSON's number grammar, plain numbers only: -?(0|[1-9][0-9]*)(\.[0-9]+)?
  PlainRead read_number(Handler& handler) {
    const char* const start = p_;
    const char* q = p_;
    if (q != end_ && *q == '-') ++q;
    if (q == end_ || !digit(*q)) return PlainRead::Rejected;
    const char* const integer = q;
    if (*q == '0') {
      ++q;
    } else {
      while (q != end_ && digit(*q)) ++q;
    }
    if (q - integer > 17) return PlainRead::Deferred;
    if (q != end_ && *q == '.') {
      ++q;
      if (q == end_ || !digit(*q)) return PlainRead::Rejected;
      while (q != end_ && digit(*q)) ++q;
    }
    if (q != end_ && (*q == 'e' || *q == 'E')) return PlainRead::Deferred;
    p_ = q;
    sync();
    return handler.RawNumber(start, static_cast<rapidjson::SizeType>(q - start), false) ? PlainRead::Accepted
                                                                                        : PlainRead::Rejected;
  }

  const char* p_;
  const char* const end_;
  rapidjson::InsituStringStream& position_;
};

}  // namespace msgevents::detail
