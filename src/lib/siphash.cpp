#include "siphash.hpp"

#include <cstring>
#include <random>

namespace msgevents::detail {

// In WebAssembly the streaming hash is compiled for size: it runs for arrays only, and what a page
// downloads is budgeted (tests/node/vite.test.mjs).
#ifdef __EMSCRIPTEN__
#define MSGEVENTS_FOR_SIZE __attribute__((minsize))
#else
#define MSGEVENTS_FOR_SIZE
#endif

SipKey random_sip_key() {
  std::random_device device;
  const auto word = [&device] { return (static_cast<uint64_t>(device()) << 32) ^ device(); };
  SipKey key;
  key.k0 = word();
  key.k1 = word();
  return key;
}

MSGEVENTS_FOR_SIZE void SipStream13::add_word(uint64_t word, unsigned n) {
  length_ += n;
  if (tail_bytes_ + n < 8) {
    tail_ |= word << (8 * tail_bytes_);
    tail_bytes_ += n;
    return;
  }
  const unsigned taken = 8 - tail_bytes_;  // 1 to 8 bytes complete the pending word
  compress(tail_ | (word << (8 * tail_bytes_)));
  tail_bytes_ = n - taken;
  tail_ = tail_bytes_ == 0 ? 0 : word >> (8 * taken);
}

MSGEVENTS_FOR_SIZE void SipStream13::add(std::string_view bytes) {
  const char* p = bytes.data();
  size_t n = bytes.size();
  while (n > 0 && (tail_bytes_ != 0 || n < 8)) {  // into the pending word, a byte at a time
    add_word(static_cast<unsigned char>(*p++), 1);
    --n;
  }
  length_ += n - n % 8;
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t m;
    std::memcpy(&m, p, 8);
    compress(m);
  }
  while (n > 0) {
    add_word(static_cast<unsigned char>(*p++), 1);
    --n;
  }
}

MSGEVENTS_FOR_SIZE uint64_t SipStream13::finish() const {
  sip::State s = s_;
  const uint64_t last = (static_cast<uint64_t>(length_) << 56) | tail_;
  s.v3 ^= last;
  s.round();
  s.v0 ^= last;
  s.v2 ^= 0xff;
  for (int r = 0; r < 3; ++r) s.round();
  return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

}  // namespace msgevents::detail
