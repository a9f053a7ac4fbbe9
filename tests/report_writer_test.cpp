// The report writer: every format streams (chunks of any size give the same bytes), JUnit's held
// back parts put together give counts that add up, text from events cannot break out of any format,
// and the run metadata is there.
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "msgevents/catalog.hpp"
#include "msgevents/report.hpp"
#include "test_support.hpp"

namespace msgevents {
namespace {

constexpr int64_t kStart = 1893456000000;  // 2030-01-01T00:00:00Z

// The catalog's first example of an event type (pretty-printed JSON), with `from` replaced by `to`.
std::string example(const std::string& event_name, const std::string& from = "", const std::string& to = "") {
  for (const auto& event : builtin_catalog().events) {
    if (event.name != event_name) continue;
    std::string text = event.examples.at(0);
    if (!from.empty()) text.replace(text.find(from), from.size(), to);
    return text;
  }
  return {};
}

RunInfo run_info(std::vector<std::string> inputs) {
  RunInfo run;
  run.options.now_unix_ms = kStart;
  run.clock = "--now";
  run.inputs = std::move(inputs);
  run.started_unix_ms = kStart;
  return run;
}

// The whole output for `inputs` (name, bytes), each pushed in slices of `slice` bytes, assembled
// as report.hpp says.
std::string write_report(ReportFormat format, const std::vector<std::pair<std::string, std::string>>& inputs, size_t slice) {
  std::vector<std::string> names;
  for (const auto& input : inputs) names.push_back(input.first);
  ReportWriter writer(format, run_info(names));
  Options options = run_info(names).options;
  options.list_events = writer.wants_events();
  std::string body = writer.begin();
  for (const auto& [name, bytes] : inputs) {
    std::string part = writer.begin_input(name);
    Validator validator(options);
    for (size_t at = 0; at < bytes.size(); at += slice) {
      validator.push(std::string_view(bytes).substr(at, slice));
      part += writer.write(validator.drain(), validator.drain_events());
    }
    const Report report = validator.finish();
    const ReportParts parts = writer.end_input(report, validator.drain_events());
    body += parts.head + part + parts.tail;
  }
  const ReportParts parts = writer.finish(kStart + 1234);
  return parts.head + body + parts.tail;
}

// a.json: a valid event, a broken event_id, {} and an event with only a warning (unknown field).
const std::vector<std::pair<std::string, std::string>> kInputs = {
    {"a.json", "[" + example("CustomerCreated") + ",\n" + example("CustomerCreated", "\"event_id\": \"", "\"event_id\": \"x") + ",\n{},\n" +
                   example("ContactCreated", "{", "{\"note\": 1,") + "]"},
    {"b c\x1b\"<&>\xef\xbf\xbf.ndjson", "[1, {\"event_name\": \"\xe2\x80\xae\\u0007X\"}"},
};

TEST(ReportWriter, EveryFormatGivesTheSameBytesWhateverTheSlices) {
  for (const ReportFormat format : {ReportFormat::Text, ReportFormat::Json, ReportFormat::Sarif, ReportFormat::Junit, ReportFormat::Github}) {
    const std::string whole = write_report(format, kInputs, 1 << 20);
    EXPECT_FALSE(whole.empty());
    EXPECT_EQ(whole.find('\0'), std::string::npos) << to_string(format);
    for (const size_t slice : {1, 7, 100}) EXPECT_EQ(write_report(format, kInputs, slice), whole) << to_string(format) << " in slices of " << slice;
  }
}

TEST(ReportWriter, OnlyJunitHoldsItsPartsBack) {
  for (const ReportFormat format : {ReportFormat::Text, ReportFormat::Json, ReportFormat::Sarif, ReportFormat::Github}) {
    EXPECT_FALSE(ReportWriter(format, run_info({"a"})).holds_back());
  }
  ReportWriter junit(ReportFormat::Junit, run_info({"a"}));
  EXPECT_TRUE(junit.holds_back());
  EXPECT_TRUE(junit.wants_events());
}

TEST(ReportWriter, JsonKeepsItsShapesAndAddsTheRun) {
  rapidjson::Document one;
  one.Parse(write_report(ReportFormat::Json, {kInputs[0]}, 64).c_str());
  ASSERT_TRUE(one.IsObject());
  EXPECT_TRUE(one.HasMember("findings") && one.HasMember("summary") && one.HasMember("aggregates") && one.HasMember("aggregates_omitted"));
  EXPECT_STREQ(one["run"]["clock"].GetString(), "--now");
  EXPECT_STREQ(one["run"]["started_at"].GetString(), "2030-01-01T00:00:00.000Z");
  EXPECT_STREQ(one["run"]["ended_at"].GetString(), "2030-01-01T00:00:01.234Z");
  EXPECT_STREQ(one["run"]["version"].GetString(), std::string(version()).c_str());
  rapidjson::Document several;
  several.Parse(write_report(ReportFormat::Json, kInputs, 64).c_str());
  ASSERT_TRUE(several.IsObject());
  EXPECT_EQ(several["files"].Size(), 2u);
  EXPECT_STREQ(several["files"][1]["file"].GetString(), kInputs[1].first.c_str());
  EXPECT_EQ(several["summary"]["events"].GetUint64(), 6u);
  EXPECT_EQ(several["run"]["inputs"].Size(), 2u);
}

TEST(ReportWriter, JunitCountsAddUp) {
  const std::string xml = write_report(ReportFormat::Junit, kInputs, 5);
  auto count = [&](const std::string& needle) {
    size_t n = 0;
    for (size_t at = xml.find(needle); at != std::string::npos; at = xml.find(needle, at + 1)) ++n;
    return n;
  };
  // a.json: 4 events (the 2nd and 3rd fail); b: 2 events (both fail) and a test case for the
  // unclosed array (an input-level finding).
  EXPECT_NE(xml.find("<testsuites name=\"msgevents\" tests=\"7\" failures=\"5\" errors=\"0\" skipped=\"0\" time=\"1.234\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<testsuite name=\"a.json\" tests=\"4\" failures=\"2\""), std::string::npos) << xml;
  EXPECT_EQ(count("<testcase "), 7u);
  EXPECT_EQ(count("<failure "), 5u);
  EXPECT_NE(xml.find("<testcase name=\"0 CustomerCreated\" classname=\"a.json\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<testcase name=\"2 (no event_name)\""), std::string::npos);
  EXPECT_NE(xml.find("<testcase name=\"input 1:31\""), std::string::npos);
  EXPECT_NE(xml.find("<property name=\"clock\" value=\"--now\"/>"), std::string::npos);
  // A warning alone does not fail its event: it is on the test case's system-out.
  EXPECT_NE(xml.find("<testcase name=\"3 ContactCreated\" classname=\"a.json\">\n      <system-out>"), std::string::npos) << xml;
}

TEST(ReportWriter, TextFromEventsAndNamesCannotBreakOut) {
  const std::string xml = write_report(ReportFormat::Junit, kInputs, 1 << 20);
  EXPECT_NE(xml.find("classname=\"b c\\x1b&quot;&lt;&amp;&gt;\\uffff.ndjson\""), std::string::npos) << xml;
  EXPECT_EQ(xml.find("\xe2\x80\xae"), std::string::npos);
  EXPECT_EQ(xml.find('\x1b'), std::string::npos);
  EXPECT_EQ(xml.find('\x07'), std::string::npos);
  const std::string github = write_report(ReportFormat::Github, kInputs, 1 << 20);
  EXPECT_NE(github.find("::error file=b c\\x1b\"<&>\xef\xbf\xbf.ndjson,line=1,col=2,title=event.not_object::"), std::string::npos) << github;
  for (size_t at = github.find('\n'); at != std::string::npos && at + 1 < github.size(); at = github.find('\n', at + 1)) {
    EXPECT_TRUE(github.compare(at + 1, 2, "::") == 0 || github.compare(at + 1, 11, "msgevents: ") == 0) << github.substr(at + 1, 80);
  }
  const std::string sarif = write_report(ReportFormat::Sarif, kInputs, 1 << 20);
  EXPECT_NE(sarif.find("\"uri\":\"b%20c%1B%22%3C%26%3E%EF%BF%BF.ndjson\""), std::string::npos);
  rapidjson::Document doc;
  doc.Parse(sarif.c_str());
  ASSERT_TRUE(doc.IsObject());
  EXPECT_STREQ(doc["runs"][0]["columnKind"].GetString(), "unicodeCodePoints");
}

TEST(ReportWriter, SarifLocatesEachResult) {
  rapidjson::Document doc;
  doc.Parse(write_report(ReportFormat::Sarif, {{"/abs/x y.ndjson", "{\"event_id\": \"not-a-uuid\"}"}}, 1 << 20).c_str());
  ASSERT_TRUE(doc.IsObject());
  const auto& results = doc["runs"][0]["results"];
  const rapidjson::Value* found = nullptr;
  for (const auto& r : results.GetArray()) {
    if (std::string(r["ruleId"].GetString()) == "envelope.event_id.format") found = &r;
  }
  ASSERT_NE(found, nullptr);
  const auto& result = *found;
  EXPECT_STREQ(result["level"].GetString(), "error");
  const auto& location = result["locations"][0];
  EXPECT_STREQ(location["physicalLocation"]["artifactLocation"]["uri"].GetString(), "file:///abs/x%20y.ndjson");
  EXPECT_EQ(location["physicalLocation"]["region"]["startLine"].GetUint64(), 1u);
  EXPECT_EQ(location["physicalLocation"]["region"]["startColumn"].GetUint64(), 14u);
  EXPECT_STREQ(location["logicalLocations"][0]["fullyQualifiedName"].GetString(), "/event_id");
  EXPECT_EQ(result["properties"]["event_index"].GetInt64(), 0);
  const auto& rule = doc["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"].GetUint()];
  EXPECT_STREQ(rule["id"].GetString(), "envelope.event_id.format");
  EXPECT_STREQ(rule["helpUri"].GetString(), "http://127.0.0.1:8080/checklist/#envelope.event_id.format");
  EXPECT_STREQ(doc["runs"][0]["invocations"][0]["endTimeUtc"].GetString(), "2030-01-01T00:00:01.234Z");
}

TEST(ReportWriter, FailOnThresholds) {
  Summary s;
  s.warning = 1;
  EXPECT_FALSE(fails(s, Severity::Critical));
  EXPECT_FALSE(fails(s, Severity::Error));
  EXPECT_TRUE(fails(s, Severity::Warning));
  EXPECT_TRUE(fails(s, Severity::Info));
  EXPECT_EQ(parse_severity("warning"), Severity::Warning);
  EXPECT_FALSE(parse_severity("Warning"));
  EXPECT_EQ(parse_report_format("sarif"), ReportFormat::Sarif);
  EXPECT_FALSE(parse_report_format("xml"));
}

TEST(ReportWriter, TimesAreRfc3339Utc) {
  EXPECT_EQ(format_rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339_ms(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_rfc3339_ms(951782400000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339_ms(kStart + 86399999), "2030-01-01T23:59:59.999Z");
}

TEST(CliReport, FormatsFailOnAndTheClock) {
  const std::string cli = MSGEVENTS_CLI_PATH;
  const std::string file = testing::source_path("tests/fixtures/envelope_unknown_field.json");
  EXPECT_EQ(testing::run_command(cli + " validate " + file).status, 0);
  EXPECT_EQ(testing::run_command(cli + " validate --fail-on warning " + file).status, 1);
  EXPECT_EQ(testing::run_command(cli + " validate --fail-on bogus " + file + " 2>/dev/null").status, 2);
  const auto sarif = testing::run_command("SOURCE_DATE_EPOCH=1893456000 " + cli + " validate --format sarif " + file);
  EXPECT_EQ(sarif.status, 0);
  EXPECT_NE(sarif.out.find("\"startTimeUtc\":\"2030-01-01T00:00:00.000Z\""), std::string::npos) << sarif.out;
  EXPECT_EQ(testing::run_command("SOURCE_DATE_EPOCH=soon " + cli + " validate " + file + " 2>/dev/null").status, 2);
  const auto junit = testing::run_command(cli + " validate --format junit " + file + " " + file);
  EXPECT_EQ(junit.out.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"msgevents\" tests=\"2\" failures=\"0\"", 0), 0u) << junit.out;
}

}  // namespace
}  // namespace msgevents
