// SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104), for redaction tokens.
//
// Small and dependency-free so that the native build and the WebAssembly build compute the same
// tokens. Not constant-time against an attacker timing this process; redaction does not need it.
//
//   detail::Sha256 h;  h.update("abc");  auto digest = h.finish();
//   auto mac = detail::hmac_sha256(key, message);
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace msgevents::detail {

using Sha256Digest = std::array<uint8_t, 32>;

class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  // Pads and returns the digest; the object is then spent.
  Sha256Digest finish();

 private:
  void compress(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

Sha256Digest sha256(std::string_view bytes);
Sha256Digest hmac_sha256(std::string_view key, std::string_view message);
// Lower-case hexadecimal of the first `bytes` bytes of a digest.
std::string to_hex(const Sha256Digest& digest, size_t bytes = 32);

}  // namespace msgevents::detail
