// Byte scans on the per-event hot path, 16 bytes at a time where SSE2 is there (x86-64 always;
// Emscripten maps it onto WebAssembly SIMD, where the C library's memchr reads a byte at a time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace msgevents::detail {

// The first `c` in [p, p + n), or nullptr.
inline const char* find_byte(const char* p, size_t n, char c) {
#if defined(__EMSCRIPTEN__) && defined(__SSE2__)
  size_t i = 0;
  const __m128i needle = _mm_set1_epi8(c);
  for (; i + 16 <= n; i += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(block, needle));
    if (mask != 0) return p + i + __builtin_ctz(static_cast<unsigned>(mask));
  }
  for (; i < n; ++i) {
    if (p[i] == c) return p + i;
  }
  return nullptr;
#else
  return static_cast<const char*>(std::memchr(p, c, n));
#endif
}

struct ByteClasses {
  bool has_nul = false;
  bool ascii = true;
};

// Whether the text holds a NUL byte, and whether it is all ASCII, in one pass.
inline ByteClasses classify_bytes(const char* p, size_t n) {
  ByteClasses out;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i zero = _mm_setzero_si128();
  int high = 0, nul = 0;
  for (; i + 16 <= n; i += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    high |= _mm_movemask_epi8(block);
    nul |= _mm_movemask_epi8(_mm_cmpeq_epi8(block, zero));
  }
  out.ascii = high == 0;
  out.has_nul = nul != 0;
#endif
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    out.ascii = out.ascii && c < 0x80;
    out.has_nul = out.has_nul || c == 0;
  }
  return out;
}

// Whether [p, p + n) is well-formed UTF-8 (Unicode's table 3-7: no overlong forms, no surrogates,
// nothing above U+10FFFF), what RapidJSON's validating reader accepts in a string. ASCII runs are
// passed over 16 bytes at a time.
inline bool utf8_valid(const char* p, size_t n) {
  size_t i = 0;
  while (i < n) {
#if defined(__SSE2__)
    if (n - i >= 16) {
      const int high = _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)));
      if (high == 0) {
        i += 16;
        continue;
      }
      i += static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(high)));
    }
#endif
    const auto c = static_cast<unsigned char>(p[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    unsigned char low = 0x80, high_limit = 0xBF;  // the second byte's range
    if (c >= 0xC2 && c <= 0xDF) length = 2;
    else if (c == 0xE0) length = 3, low = 0xA0;
    else if (c == 0xED) length = 3, high_limit = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF) length = 3;
    else if (c == 0xF0) length = 4, low = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) length = 4;
    else if (c == 0xF4) length = 4, high_limit = 0x8F;
    else return false;
    if (n - i < length) return false;
    const auto second = static_cast<unsigned char>(p[i + 1]);
    if (second < low || second > high_limit) return false;
    for (size_t k = 2; k < length; ++k) {
      const auto next = static_cast<unsigned char>(p[i + k]);
      if (next < 0x80 || next > 0xBF) return false;
    }
    i += length;
  }
  return true;
}

// A C0 control other than tab, line feed and carriage return: JSON has no place for one, in a
// string or out of it.
inline bool is_stray_control(unsigned char c) { return c < 0x20 && c != '\t' && c != '\n' && c != '\r'; }

// The offset of the first stray control, or n. RapidJSON 1.1.0's SIMD string scan compares with
// 0x19 where it means 0x1F, so inside a string it lets 0x1A to 0x1F through when they fall in an
// aligned block: where RapidJSON decides, this is asked too.
inline size_t first_stray_control(const char* p, size_t n) {
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i below_space = _mm_set1_epi8(0x1F);
  for (; i + 16 <= n; i += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(block, below_space), below_space)) != 0) break;  // a C0 byte: look closer
  }
#endif
  while (i < n && !is_stray_control(static_cast<unsigned char>(p[i]))) ++i;
  return i;
}

// Whether [p, p + n) holds a space, a C0 control or DEL: what an identifier must not (every id of
// an event is checked, several per event, so 16 bytes at a time).
inline bool has_space_or_control(const char* p, size_t n) {
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7F);
  auto any_in = [&](size_t at) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
    const __m128i low = _mm_cmpeq_epi8(_mm_max_epu8(block, space), space);  // unsigned <= 0x20
    return _mm_movemask_epi8(_mm_or_si128(low, _mm_cmpeq_epi8(block, del))) != 0;
  };
  for (; i + 16 <= n; i += 16) {
    if (any_in(i)) return true;
  }
  // The last bytes of a text of 16 or more as the last 16 (read again): no loop a byte at a time.
  if (i < n && n >= 16) return any_in(n - 16);
#endif
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c <= 0x20 || c == 0x7F) return true;
  }
  return false;
}

// The shape of a UUID's 36 characters, 8-4-4-4-12 hexadecimal digits: whether `p` has it, and
// whether a digit is upper-case (A to F). Every event's id comes here.
inline bool uuid_shape(const char* p, bool* any_upper) {
  constexpr uint64_t kDashes = uint64_t{1} << 8 | uint64_t{1} << 13 | uint64_t{1} << 18 | uint64_t{1} << 23;
  constexpr uint64_t kAll = (uint64_t{1} << 36) - 1;
  uint64_t hex = 0, dash = 0, upper = 0;
#if defined(__SSE2__)
  // Bytes 0 to 15, 16 to 31 and 20 to 35 (the last four of those are the ones it adds).
  for (const unsigned at : {0u, 16u, 20u}) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
    auto within = [&b](char lo, char hi) {  // signed compares: bytes from 0x80 are in no range
      return _mm_and_si128(_mm_cmpgt_epi8(b, _mm_set1_epi8(static_cast<char>(lo - 1))), _mm_cmplt_epi8(b, _mm_set1_epi8(static_cast<char>(hi + 1))));
    };
    const __m128i up = within('A', 'F');
    const uint64_t h = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(within('0', '9'), within('a', 'f')), up)));
    const uint64_t d = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(b, _mm_set1_epi8('-'))));
    const uint64_t u = static_cast<unsigned>(_mm_movemask_epi8(up));
    const unsigned shift = at == 20 ? 12 : 0;  // of the block at 20, only bytes 32 to 35
    hex |= (h >> shift) << (at + shift);
    dash |= (d >> shift) << (at + shift);
    upper |= (u >> shift) << (at + shift);
  }
#else
  for (unsigned i = 0; i < 36; ++i) {
    const char c = p[i];
    const bool up = c >= 'A' && c <= 'F';
    hex |= static_cast<uint64_t>((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || up) << i;
    dash |= static_cast<uint64_t>(c == '-') << i;
    upper |= static_cast<uint64_t>(up) << i;
  }
#endif
  *any_upper = upper != 0;
  return dash == kDashes && hex == (kAll & ~kDashes);
}

// Equal texts, compared 8 bytes a step after their lengths: most candidates differ in length, and
// in WebAssembly the C library's memcmp is a call that compares a byte at a time. (Two overlapping
// words for texts of 4 to 16 bytes take fewer instructions, natively 2% of a clean event, for
// 0.4 KB more of what a page downloads: not worth it.)
inline bool same_text(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  const size_t n = a.size();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y) return false;
  }
  for (; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// How many bytes from p on are printable ASCII (0x20 to 0x7E), and with kJsonString neither the
// quote nor the backslash: what output copies as it is (text reports; a JSON string, without an
// escape). One scan for both, so the two stay the same scan.
template <bool kJsonString>
inline size_t printable_prefix(const char* p, size_t n) {
  size_t i = 0;
#if defined(__SSE2__)
  // As signed bytes, everything from 0x80 up is negative: one compare finds those and the C0 controls.
  const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7F);
  for (; i + 16 <= n; i += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i stop = _mm_or_si128(_mm_cmplt_epi8(block, space), _mm_cmpeq_epi8(block, del));
    if constexpr (kJsonString) {
      stop = _mm_or_si128(stop, _mm_or_si128(_mm_cmpeq_epi8(block, _mm_set1_epi8('"')), _mm_cmpeq_epi8(block, _mm_set1_epi8('\\'))));
    }
    const int mask = _mm_movemask_epi8(stop);
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || c >= 0x7F || (kJsonString && (c == '"' || c == '\\'))) break;
  }
  return i;
}

inline size_t printable_ascii_prefix(const char* p, size_t n) { return printable_prefix<false>(p, n); }
// What the report writer copies into a JSON string without looking at each byte.
inline size_t json_plain_prefix(const char* p, size_t n) { return printable_prefix<true>(p, n); }

// How many code points n bytes of UTF-8 hold: the bytes that do not continue a sequence (the
// column of a finding counts them over its line, a length limit over a string).
inline uint64_t count_code_points(const char* p, size_t n) {
  uint64_t count = 0;
  size_t i = 0;
#if defined(__SSE2__)
  // A continuation byte (0x80 to 0xBF) is, as a signed byte, -128 to -65: below -64.
  const __m128i below = _mm_set1_epi8(-64);
  for (; i + 16 <= n; i += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    count += 16 - static_cast<unsigned>(__builtin_popcount(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmplt_epi8(block, below)))));
  }
#endif
  for (; i < n; ++i) count += (static_cast<unsigned char>(p[i]) & 0xC0) != 0x80;
  return count;
}

// How many bytes from p on the event framer can pass over without looking at each: bytes that
// neither open, close nor escape anything, nor start a line or a multi-byte character (each of
// those moves the position differently). Inside a string that leaves `"`, `\\`, a line break and
// bytes from 0x80 up; inside an array or object also `{`, `}`, `[` and `]`.
inline size_t plain_json_run(const char* p, size_t n, bool in_string) {
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), newline = _mm_set1_epi8('\n'), backslash = _mm_set1_epi8('\\');
  const __m128i open_brace = _mm_set1_epi8('{'), close_brace = _mm_set1_epi8('}');
  const __m128i open_bracket = _mm_set1_epi8('['), close_bracket = _mm_set1_epi8(']');
  for (; i + 16 <= n; i += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, quote), _mm_cmpeq_epi8(block, newline)),
                                _mm_cmpeq_epi8(block, backslash));
    if (!in_string) {
      stop = _mm_or_si128(stop, _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, open_brace), _mm_cmpeq_epi8(block, close_brace)),
                                             _mm_or_si128(_mm_cmpeq_epi8(block, open_bracket), _mm_cmpeq_epi8(block, close_bracket))));
    }
    const int mask = _mm_movemask_epi8(stop) | _mm_movemask_epi8(block);  // and every byte from 0x80 up
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c == '"' || c == '\n' || c == '\\' || c >= 0x80) break;
    if (!in_string && (c == '{' || c == '}' || c == '[' || c == ']')) break;
  }
  return i;
}

}  // namespace msgevents::detail
