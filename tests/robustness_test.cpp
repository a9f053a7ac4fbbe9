// Bad input is the normal case: thousands of deterministic random mutations of the fixtures
// (flipped, inserted, deleted and duplicated bytes, structural characters, broken UTF-8, NULs)
// must never throw, and must give the same findings whole and in random chunks.
#include <gtest/gtest.h>

#include "msgevents/validator.hpp"
#include "test_support.hpp"

namespace msgevents {
namespace {

class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ULL + 1) {}
  uint64_t next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 2685821657736338717ULL;
  }
  size_t below(size_t n) { return n ? static_cast<size_t>(next() % n) : 0; }

 private:
  uint64_t state_;
};

std::string mutate(std::string text, Random& random) {
  static const std::string kInteresting = std::string("{}[]\",:\\ \n\r\t0-1e.tfn") + '\0' + "\xC3\xA9\xFF\xC0\xED\xA0\x80\xF0\x9F";
  const size_t edits = 1 + random.below(4);
  for (size_t e = 0; e < edits; ++e) {
    const size_t at = random.below(text.size() + 1);
    switch (random.below(6)) {
      case 0:
        if (at < text.size()) text[at] = kInteresting[random.below(kInteresting.size())];
        break;
      case 1: text.insert(at, 1, kInteresting[random.below(kInteresting.size())]); break;
      case 2: text.erase(at, random.below(16)); break;
      case 3: text.resize(at); break;
      case 4: text.insert(at, text.substr(random.below(text.size() + 1), random.below(64))); break;
      default:
        if (at < text.size()) text[at] = static_cast<char>(random.next());
        break;
    }
  }
  return text;
}

std::vector<std::string> signatures(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.code + "@" + std::to_string(f.line) + ":" + std::to_string(f.column) + f.pointer);
  return out;
}

TEST(Robustness, RandomMutationsNeverThrowAndDoNotDependOnChunking) {
  std::vector<std::string> seeds;
  for (const auto& name : testing::fixture_names()) seeds.push_back(testing::read_bytes(testing::load_fixture(name).input));
  Random random(2025);
  Options options;
  options.now_unix_ms = 1767225600000;
  options.max_depth = 16;
  for (int round = 0; round < 4000; ++round) {
    const std::string input = mutate(seeds[random.below(seeds.size())], random);
    std::vector<Finding> whole;
    ASSERT_NO_THROW(whole = validate(input, options).findings) << "round " << round;
    Validator validator(options);
    std::vector<Finding> chunked;
    size_t at = 0;
    while (at < input.size()) {
      const size_t size = 1 + random.below(97);
      ASSERT_NO_THROW(validator.push(std::string_view(input).substr(at, size)));
      at += size;
      for (auto& f : validator.drain()) chunked.push_back(std::move(f));
    }
    for (auto& f : validator.finish().findings) chunked.push_back(std::move(f));
    ASSERT_EQ(signatures(chunked), signatures(whole)) << "round " << round << " input:\n" << input;
    for (const auto& f : whole) {
      ASSERT_GE(f.line, 1u);
      ASSERT_GE(f.column, 1u);
      ASSERT_FALSE(f.message.empty()) << f.code;
    }
  }
}

TEST(Robustness, ReportJsonIsValidWhateverTheInput) {
  // Messages quote parts of the input; the JSON report must stay valid for any bytes.
  const std::string input = "{\"event_name\": \"\\u0000\\\"<script>\\ud83d\\ude00\", \"event_id\": \"\xC3\xA9\\n\"}\n";
  const std::string json = report_to_json(validate(input));
  rapidjson::Document doc;
  doc.Parse(json.c_str(), json.size());
  ASSERT_FALSE(doc.HasParseError()) << json;
  EXPECT_GT(doc["findings"].Size(), 0u);
}

}  // namespace
}  // namespace msgevents
