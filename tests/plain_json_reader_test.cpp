// The fast path's own JSON reader against RapidJSON's validating in-situ reader, which it stands in
// for: on every input of well-formed UTF-8 it either defers, or makes exactly RapidJSON's calls
// (kind, text, position) and agrees on whether the text is JSON; and RapidJSON rejects every
// input utf8_valid() rejects (the fast path asks it first). Over JSONTestSuite's parsing cases,
// every catalog example and random mutations of them (bytes of UTF-8 and broken UTF-8 among the
// edits), and cases picked for the edges of what the reader decides itself.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/reader.h>

#include "plain_json_reader.hpp"
#include "byte_scan.hpp"
#include "msgevents/catalog.hpp"
#include "test_support.hpp"

namespace msgevents {
namespace {

using detail::PlainJsonReader;
using detail::PlainRead;

// Writes down every call with what the fast path's handler reads from it: the text, where it is
// in the buffer, and for literals the stream's position.
struct Recorder : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Recorder> {
  std::vector<std::string> calls;
  const char* base = nullptr;
  rapidjson::InsituStringStream* stream = nullptr;

  bool text_call(const char* kind, const char* text, rapidjson::SizeType length) {
    calls.push_back(std::string(kind) + "@" + std::to_string(text - base) + ":" + std::string(text, length));
    return true;
  }
  bool Null() { return at("null"); }
  bool Bool(bool value) { return at(value ? "true" : "false"); }
  bool at(const char* what) {
    calls.push_back(std::string(what) + "@" + std::to_string(stream->Tell()));
    return true;
  }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool) { return text_call("number", text, length); }
  bool String(const char* text, rapidjson::SizeType length, bool) { return text_call("string", text, length); }
  bool Key(const char* text, rapidjson::SizeType length, bool) { return text_call("key", text, length); }
  bool StartObject() { return at("{"); }
  bool EndObject(rapidjson::SizeType n) { return at(("}" + std::to_string(n)).c_str()); }
  bool StartArray() { return at("["); }
  bool EndArray(rapidjson::SizeType n) { return at(("]" + std::to_string(n)).c_str()); }
};

struct Outcome {
  bool json = false;
  std::vector<std::string> calls;
};

constexpr unsigned kRapidJsonFlags =
    rapidjson::kParseInsituFlag | rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseValidateEncodingFlag;

// RapidJSON's verdict as the event parser corrects it: RapidJSON 1.1.0 lets the controls 0x1A to
// 0x1F through inside a string where its SIMD scan reads them (byte_scan.hpp), and the parser
// rejects any stray control itself.
Outcome with_rapidjson(const std::string& text) {
  std::string buffer = text + std::string(16, '\0');
  rapidjson::InsituStringStream stream(buffer.data());
  Recorder recorder;
  recorder.base = buffer.data();
  recorder.stream = &stream;
  rapidjson::Reader reader;
  const bool parsed = !reader.Parse<kRapidJsonFlags>(stream, recorder).IsError();
  const bool json = parsed && detail::first_stray_control(text.data(), text.size()) == text.size();
  return {json, recorder.calls};
}

// Deferred, or what the reader made of it. The text is in an allocation of its exact size, so
// the sanitizer build sees a read past its end.
std::optional<Outcome> with_plain_reader(const std::string& text) {
  const std::unique_ptr<char[]> exact(new char[text.size() + (text.empty() ? 1 : 0)]);
  std::memcpy(exact.get(), text.data(), text.size());
  rapidjson::InsituStringStream stream(exact.get());
  Recorder recorder;
  recorder.base = exact.get();
  recorder.stream = &stream;
  PlainJsonReader<Recorder> reader(exact.get(), exact.get() + text.size(), stream);
  const PlainRead read = reader.read(recorder);
  if (read == PlainRead::Deferred) return std::nullopt;
  return Outcome{read == PlainRead::Accepted, recorder.calls};
}

struct Tally {
  size_t accepted = 0, rejected = 0, deferred = 0, not_utf8 = 0, non_ascii_accepted = 0;
};

// The reader is given what the fast path gives it: text without NUL, of well-formed UTF-8.
void compare(const std::string& text, Tally& tally, const std::string& what) {
  const detail::ByteClasses bytes = detail::classify_bytes(text.data(), text.size());
  if (bytes.has_nul) return;
  if (!detail::utf8_valid(text.data(), text.size())) {
    ASSERT_FALSE(with_rapidjson(text).json) << what << ": RapidJSON accepts what utf8_valid rejects\n" << text;
    ++tally.not_utf8;
    return;
  }
  const std::optional<Outcome> mine = with_plain_reader(text);
  if (!mine) {
    ++tally.deferred;
    return;
  }
  const Outcome theirs = with_rapidjson(text);
  ASSERT_EQ(mine->json, theirs.json) << what << ": RapidJSON " << (theirs.json ? "accepts" : "rejects") << "\n" << text;
  if (mine->json) {
    EXPECT_EQ(mine->calls, theirs.calls) << what << "\n" << text;
    ++tally.accepted;
    if (!bytes.ascii) ++tally.non_ascii_accepted;
  } else {
    ++tally.rejected;
  }
}

TEST(PlainJsonReader, AgreesWithRapidJsonOnEveryJsonTestSuiteCase) {
  const std::filesystem::path dir = MSGEVENTS_JSON_TEST_SUITE_DIR;
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  Tally tally;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    compare(testing::read_bytes(entry.path()), tally, entry.path().filename().string());
  }
  // Both sides are exercised: ASCII cases it reads itself, accepted and rejected, and deferred ones.
  EXPECT_GT(tally.accepted, 40u);
  EXPECT_GT(tally.rejected, 100u);
  EXPECT_GT(tally.deferred, 10u);
}

TEST(PlainJsonReader, AgreesWithRapidJsonOnCatalogExamplesAndMutationsOfThem) {
  // Whole characters of UTF-8 among the edits (a BOM too), and bytes that break it.
  testing::Mutator mutator(7,
                           "{}[]\",:\\ \n\r\t0123456789-+eE.tfnrulsa\x01\x1f"
                           "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x8E\x89\xC0\xED\xA0\x80\xF4\x90\xFF",
                           {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x8E\x89", "\xEF\xBB\xBF"});
  Tally tally;
  for (const EventSpec& spec : builtin_catalog().events) {
    for (const std::string& example : spec.examples) {
      compare(example, tally, spec.name);
      for (int m = 0; m < 400; ++m) {
        const std::string mutated = mutator.mutate(example);
        compare(mutated, tally, spec.name + " mutated");
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
  EXPECT_GT(tally.accepted, 1000u);
  EXPECT_GT(tally.rejected, 1000u);
  EXPECT_GT(tally.non_ascii_accepted, 100u);
  EXPECT_GT(tally.not_utf8, 100u);
}

TEST(PlainJsonReader, DecidesPlainNumbersAndStringsAndDefersTheRest) {
  struct Case {
    std::string text;
    const char* expect;  // "accept", "reject" or "defer"
  };
  const std::vector<Case> cases = {
      {R"({"a":"plain","b":-0.25,"c":[1,true,null,false],"d":{}})", "accept"},
      {" \t\r\n[ ] \n", "accept"},
      {R"({"a":"a string longer than sixteen bytes, so the scan takes several blocks"})", "accept"},
      {"[12345678901234567]", "accept"},       // 17 integer digits: decided here
      {"[123456789012345678]", "defer"},       // 18: RapidJSON's "too big" depends on the digits
      {"[0e400]", "defer"},                    // RapidJSON rejects the exponent, whatever the digits
      {"[1E2]", "defer"},
      {R"(["a\"b"])", "defer"},                // an escape
      {R"({"k\n":1})", "defer"},
      {"[[[[[[[[[1]]]]]]]]]", "defer"},        // deeper than kMaxDepth
      {"", "reject"},
      {"   ", "reject"},
      {"[01]", "reject"},
      {"[-]", "reject"},
      {"[1.]", "reject"},
      {"[.5]", "reject"},
      {"[tru]", "reject"},
      {"[truex]", "reject"},
      {"[1,]", "reject"},
      {R"({"a":1,})", "reject"},
      {R"({"a" 1})", "reject"},
      {"[\"tab\tinside\"]", "reject"},          // a control character in a string
      {"[\"unterminated", "reject"},           // the scan meets the end of the text
      {"[\"a string that runs to the end, past one block", "reject"},
      {"[\"0123456789abcdef\x1f_within_an_aligned_block\"]", "reject"},  // what RapidJSON 1.1.0 lets through
      {"[\"\x1a\"]", "reject"},
      {"{\"name\":\"Zo\xC3\xAB \xF0\x9F\x8E\x89 caf\xC3\xA9 and a long tail past one block\"}", "accept"},
      {"[\xC3\xA9]", "reject"},  // UTF-8 outside a string
      {"{} {}", "reject"},
  };
  for (const Case& c : cases) {
    const std::optional<Outcome> mine = with_plain_reader(c.text);
    const std::string got = !mine ? "defer" : mine->json ? "accept" : "reject";
    EXPECT_EQ(got, c.expect) << c.text;
    const Outcome theirs = with_rapidjson(c.text);
    if (mine) {
      EXPECT_EQ(mine->json, theirs.json) << c.text;
      if (mine->json) EXPECT_EQ(mine->calls, theirs.calls) << c.text;
    }
  }
}

}  // namespace
}  // namespace msgevents
