#include "siphash.hpp"

#include <random>

namespace msgevents::detail {

SipKey random_sip_key() {
  std::random_device device;
  const auto word = [&device] { return (static_cast<uint64_t>(device()) << 32) ^ device(); };
  SipKey key;
  key.k0 = word();
  key.k1 = word();
  return key;
}

}  // namespace msgevents::detail
