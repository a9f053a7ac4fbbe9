// Every file of JSONTestSuite's test_parsing: n_ files are rejected with a parse finding, y_ files
// are read as JSON (they may still be wrong events), i_ files either way; none crashes or hangs.
#include <gtest/gtest.h>

#include <filesystem>

#include "msgevents/validator.hpp"
#include "test_support.hpp"

namespace msgevents {
namespace {

bool is_parse_finding(const Finding& f) { return f.code.rfind("json.", 0) == 0 && f.code != "json.number_range" && f.code != "json.duplicate_key"; }
bool is_input_rejection(const Finding& f) {
  return is_parse_finding(f) || f.code == "input.empty" || f.code == "input.not_json" || f.code == "input.encoding";
}

TEST(JsonTestSuite, EveryParsingCaseIsHandled) {
  const std::filesystem::path dir = testing::source_path("../shared/testdata/JSONTestSuite/test_parsing");
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    const std::string input = testing::read_bytes(entry.path());
    const Report report = validate(input);
    bool rejected = false;
    for (const Finding& f : report.findings) {
      rejected = rejected || is_input_rejection(f);
      EXPECT_GE(f.line, 1u) << name;
      EXPECT_GE(f.column, 1u) << name;
    }
    if (name[0] == 'n') EXPECT_TRUE(rejected) << name << " should be rejected";
    if (name[0] == 'y') EXPECT_FALSE(rejected) << name << " is valid JSON";
    // The same in one-byte chunks.
    Validator validator;
    for (char c : input) validator.push(std::string_view(&c, 1));
    const Report chunked = validator.finish();
    EXPECT_EQ(chunked.findings.size(), report.findings.size()) << name;
    ++files;
  }
  EXPECT_GT(files, 300u);
}

}  // namespace
}  // namespace msgevents
