// The JSON writer's string escaping and the finding objects written straight into a report:
// byte for byte what escaping one character at a time and the writer's own objects give, over
// random bytes (controls, quotes, valid and broken UTF-8) and every severity.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "json_writer.hpp"
#include "msgevents/validator.hpp"
#include "report_json.hpp"
#include "text_util.hpp"

namespace msgevents {
namespace {

// RFC 8259 escaping one character at a time, invalid UTF-8 as U+FFFD (the writer's contract).
std::string escaped_one_by_one(std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const size_t length = detail::utf8_sequence_length(text, i);
      out += length == 0 ? std::string("\xEF\xBF\xBD") : std::string(text.substr(i, length));
      i += length == 0 ? 1 : length;
      continue;
    }
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c == '\b') out += "\\b";
    else if (c == '\f') out += "\\f";
    else if (c < 0x20 || c == 0x7F) out += std::string("\\u00") + kHex[c >> 4] + kHex[c & 0xF];
    else out.push_back(static_cast<char>(c));
    ++i;
  }
  return out;
}

std::string random_bytes(std::mt19937& random) {
  // Plain text most of the time, with the bytes that need care mixed in.
  static const std::string kPieces[] = {"a", "Z", " ", "\"", "\\", "\n", "\t", std::string(1, '\0'), "\x01", "\x7F", "\x1F",
                                        "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xC3", "\xE2\x82", "\xFF", "\x80", "\xED\xA0\x80"};
  std::string out;
  const size_t pieces = std::uniform_int_distribution<size_t>(0, 40)(random);
  for (size_t i = 0; i < pieces; ++i) {
    const size_t pick = std::uniform_int_distribution<size_t>(0, 2 * std::size(kPieces))(random);
    out += pick < std::size(kPieces) ? kPieces[pick] : std::string("plain text ");
  }
  return out;
}

TEST(JsonWriter, EscapesLikeOneCharacterAtATime) {
  std::mt19937 random(21);
  for (int round = 0; round < 20000; ++round) {
    const std::string text = random_bytes(random);
    std::string out = "prefix";
    detail::JsonWriter::escape_into(out, text);
    EXPECT_EQ(out, "prefix" + escaped_one_by_one(text));
  }
}

// The runs are found 16 bytes at a time: each byte that ends one, at every place of the first
// three blocks and past them, in texts of every length up to 49.
TEST(JsonWriter, EscapesEveryByteAtEveryPlaceOfABlock) {
  const std::string kStops[] = {"\"", "\\", "\n", std::string(1, '\0'), "\x1F", "\x7F", "\xC3\xA9", "\xFF", "\xE2\x82"};
  for (const std::string& stop : kStops) {
    for (size_t length = 0; length < 50; ++length) {
      for (size_t at = 0; at <= length; ++at) {
        std::string text(length, 'a');
        text.insert(at, stop);
        std::string out;
        detail::JsonWriter::escape_into(out, text);
        ASSERT_EQ(out, escaped_one_by_one(text)) << "length " << length << ", at " << at;
      }
    }
  }
}

TEST(JsonWriter, FindingsWrittenIntoAReportAreTheWritersObjects) {
  std::mt19937 random(22);
  for (int round = 0; round < 2000; ++round) {
    Finding f;
    f.code = random_bytes(random);
    f.severity = static_cast<Severity>(round % 4);
    f.message = random_bytes(random);
    f.pointer = random_bytes(random);
    f.line = random();
    f.column = round % 7 == 0 ? 0 : random();
    f.event_index = round % 5 == 0 ? -1 : static_cast<int64_t>(random()) * 1000;
    detail::JsonWriter json;
    json.begin_object();
    json.key("code").string(f.code);
    json.key("severity").string(to_string(f.severity));
    json.key("message").string(f.message);
    json.key("pointer").string(f.pointer);
    json.key("line").number(f.line);
    json.key("column").number(f.column);
    json.key("event_index").number(f.event_index);
    json.end_object();
    EXPECT_EQ(finding_to_json(f), json.str());
    std::string appended = "[";
    detail::append_finding_json(appended, f);
    EXPECT_EQ(appended, "[" + json.str());
  }
}

TEST(JsonWriter, ReportIsTheWritersObject) {
  Report report;
  report.summary.events = 3;
  report.summary.error = 2;
  for (int i = 0; i < 3; ++i) {
    Finding f;
    f.code = "envelope.event_id.format";
    f.message = "event_id \"x\\y\" is neither\n";
    f.pointer = "/event_id";
    f.line = static_cast<uint64_t>(i + 1);
    f.column = 9;
    f.event_index = i;
    report.findings.push_back(f);
  }
  report.aggregates_omitted = 12;
  detail::JsonWriter json;
  json.begin_object();
  json.key("summary").raw(summary_to_json(report.summary));
  json.key("findings").begin_array();
  for (const auto& f : report.findings) json.raw(finding_to_json(f));
  json.end_array();
  json.key("aggregates").raw(aggregates_to_json(report.aggregates));
  json.key("aggregates_omitted").number(report.aggregates_omitted);
  json.end_object();
  EXPECT_EQ(report_to_json(report), json.str());
  EXPECT_EQ(report_to_json(Report{}), R"({"summary":{"events":0,"critical":0,"error":0,"warning":0,"info":0},"findings":[],"aggregates":[],"aggregates_omitted":0})");
}

}  // namespace
}  // namespace msgevents
