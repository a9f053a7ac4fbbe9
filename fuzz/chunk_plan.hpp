// How the fuzz harnesses that stream (validator, redaction) split their input into chunks: the
// input's first bytes are the plan, the rest is the text, so the fuzzer steers the splits as well
// as the bytes.
//
//   byte 0        bits 0-2: k, the number of chunk-size bytes that follow (0: one chunk, whole);
//                 bits 3-7: options for the harness (each harness reads the ones it has)
//   bytes 1..k    chunk sizes, each byte + 1 (1..256), used in turn until the text is consumed
//   the rest      the text
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace msgevents::fuzz {

struct ChunkPlan {
  uint8_t flags = 0;          // byte 0 >> 3
  std::vector<size_t> sizes;  // empty: the whole text in one push
  std::string_view text;

  static ChunkPlan read(const uint8_t* data, size_t size) {
    ChunkPlan plan;
    if (size == 0) return plan;
    const size_t k = data[0] & 7u;
    plan.flags = static_cast<uint8_t>(data[0] >> 3);
    size_t at = 1;
    for (; at < size && plan.sizes.size() < k; ++at) plan.sizes.push_back(static_cast<size_t>(data[at]) + 1);
    plan.text = std::string_view(reinterpret_cast<const char*>(data) + at, size - at);
    return plan;
  }

  bool flag(unsigned bit) const { return (flags >> bit) & 1u; }

  // Calls push(chunk) for each chunk of the text, in order.
  template <typename Push>
  void for_each_chunk(Push&& push) const {
    if (sizes.empty()) {
      push(text);
      return;
    }
    size_t at = 0;
    for (size_t i = 0; at < text.size(); ++i) {
      const size_t n = sizes[i % sizes.size()];
      push(text.substr(at, n));
      at += n;
    }
  }
};

}  // namespace msgevents::fuzz
