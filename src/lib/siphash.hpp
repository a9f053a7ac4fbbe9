// SipHash-1-3 (Aumasson and Bernstein; the variant Rust's standard hasher uses): a keyed 64-bit
// hash. With a secret key, nobody who sees only the findings can choose two inputs that collide,
// which an unkeyed hash would allow (a forged "harmless redelivery" is exactly such a collision).
//
//   SipKey key = random_sip_key();
//   uint64_t h = siphash13(key, bytes);
//
// SipStream13 takes the same bytes in pieces (many small values hash as one message, one
// compression round per 8 bytes instead of a whole hash each): finish() == siphash13 of them all.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace msgevents::detail {

struct SipKey {
  uint64_t k0 = 0;
  uint64_t k1 = 0;
};

// A key drawn from the operating system's random source (std::random_device; in WebAssembly the
// host's crypto.getRandomValues). Each validator draws its own, so hashes differ from run to run.
SipKey random_sip_key();

namespace sip {
inline uint64_t rotl(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }
struct State {
  uint64_t v0, v1, v2, v3;
  void round() {
    v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);
    v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;
    v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;
    v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);
  }
};
}  // namespace sip

// SipHash-c-d: c compression rounds per 8-byte word, d finalisation rounds.
template <int C, int D>
uint64_t siphash(const SipKey& key, std::string_view data) {
  sip::State s{key.k0 ^ 0x736f6d6570736575ULL, key.k1 ^ 0x646f72616e646f6dULL, key.k0 ^ 0x6c7967656e657261ULL,
               key.k1 ^ 0x7465646279746573ULL};
  const size_t n = data.size();
  const char* p = data.data();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t m;
    std::memcpy(&m, p + i, 8);  // little-endian hosts (x86, WebAssembly): the reference byte order
    s.v3 ^= m;
    for (int r = 0; r < C; ++r) s.round();
    s.v0 ^= m;
  }
  // The last 0 to 7 bytes, as the reference implementation takes them, read by whole words where
  // the string allows it (bytes before them when it has 8 or more, overlapping halves when 4 to 7)
  // instead of byte by byte: the same value for a fraction of the instructions.
  uint64_t last = static_cast<uint64_t>(n) << 56;
  const size_t rest = n - i;
  if (rest > 0 && n >= 8) {
    uint64_t w;
    std::memcpy(&w, p + n - 8, 8);
    last |= w >> (8 * (8 - rest));
  } else if (rest >= 4) {
    uint32_t lo, hi;
    std::memcpy(&lo, p + i, 4);
    std::memcpy(&hi, p + n - 4, 4);
    last |= lo | static_cast<uint64_t>(hi) << (8 * (rest - 4));
  } else {
    for (size_t k = 0; k < rest; ++k) last |= static_cast<uint64_t>(static_cast<unsigned char>(p[i + k])) << (8 * k);
  }
  s.v3 ^= last;
  for (int r = 0; r < C; ++r) s.round();
  s.v0 ^= last;
  s.v2 ^= 0xff;
  for (int r = 0; r < D; ++r) s.round();
  return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

inline uint64_t siphash13(const SipKey& key, std::string_view data) { return siphash<1, 3>(key, data); }

// The splitmix64 finaliser, unkeyed: a bijection of 64 bits whose every output bit depends on
// every input bit (the content hash combines keyed hashes with it; the stream tables spread
// small numbers with it).
inline uint64_t mix64(uint64_t h) {
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

class SipStream13 {
 public:
  void reset(const SipKey& key) {
    s_ = {key.k0 ^ 0x736f6d6570736575ULL, key.k1 ^ 0x646f72616e646f6dULL, key.k0 ^ 0x6c7967656e657261ULL,
          key.k1 ^ 0x7465646279746573ULL};
    tail_ = 0;
    tail_bytes_ = 0;
    length_ = 0;
  }
  // Defined in siphash.cpp: one copy of the rounds, not one per call, in what a page downloads.
  // add_word takes the n (0 to 8) low-order bytes of word, low byte first (the others zero).
  void add_word(uint64_t word, unsigned n);
  void add(std::string_view bytes);
  uint64_t finish() const;

 private:
  void compress(uint64_t m) {
    s_.v3 ^= m;
    s_.round();
    s_.v0 ^= m;
  }
  sip::State s_{};
  uint64_t tail_ = 0;       // the bytes of the word being filled
  unsigned tail_bytes_ = 0;
  uint64_t length_ = 0;     // bytes added (only its low byte reaches the hash, as in SipHash)
};

}  // namespace msgevents::detail
