// Byte scans on the per-event hot path, 16 bytes at a time where SSE2 is there (x86-64 always;
// Emscripten maps it onto WebAssembly SIMD, where the C library's memchr reads a byte at a time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

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

// How many bytes from p on are printable ASCII (0x20 to 0x7E), which text output copies as they are.
inline size_t printable_ascii_prefix(const char* p, size_t n) {
  size_t i = 0;
#if defined(__SSE2__)
  // As signed bytes, everything from 0x80 up is negative: one compare finds those and the C0 controls.
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i del = _mm_set1_epi8(0x7F);
  for (; i + 16 <= n; i += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const int mask = _mm_movemask_epi8(_mm_or_si128(_mm_cmplt_epi8(block, space), _mm_cmpeq_epi8(block, del)));
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || c >= 0x7F) break;
  }
  return i;
}

}  // namespace msgevents::detail
