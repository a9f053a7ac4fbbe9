// The native CLI as a user runs it: output lines, JSON shape and exit statuses.
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include "test_support.hpp"

namespace msgevents {
namespace {

using testing::run_command;

std::string cli() { return MSGEVENTS_CLI_PATH; }
std::string fixture(const std::string& file) { return testing::source_path("tests/fixtures/" + file); }

TEST(CliValidate, TextOutputNamesFileLineColumnSeverityCode) {
  const auto result = run_command(cli() + " validate --now 2026-01-01T00:00:00Z " + fixture("envelope_event_id_format.json"));
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.out.find(fixture("envelope_event_id_format.json") + ":3:15: error envelope.event_id.format event_id \"evt-12345\""),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find(": 1 event, 0 critical, 1 error, 0 warnings, 0 info\n"), std::string::npos) << result.out;
}

TEST(CliValidate, CleanInputExitsZero) {
  const auto result = run_command(cli() + " validate " + fixture("good_catalog_examples.ndjson"));
  EXPECT_EQ(result.status, 0) << result.out;
}

TEST(CliValidate, WarningsAloneExitZero) {
  const auto result = run_command(cli() + " validate " + fixture("envelope_unknown_field.json"));
  EXPECT_EQ(result.status, 0) << result.out;
  const auto strict = run_command(cli() + " validate --strict " + fixture("envelope_unknown_field.json"));
  EXPECT_EQ(strict.status, 1) << strict.out;
}

TEST(CliValidate, JsonOutputHasSummaryAndFindings) {
  const auto result = run_command(cli() + " validate --format json " + fixture("payload_enum.json"));
  EXPECT_EQ(result.status, 1);
  rapidjson::Document doc;
  doc.Parse(result.out.data(), result.out.size());
  ASSERT_TRUE(doc.IsObject()) << result.out;
  EXPECT_EQ(doc["summary"]["events"].GetUint64(), 1u);
  EXPECT_EQ(doc["summary"]["error"].GetUint64(), 1u);
  const auto& finding = doc["findings"][0];
  EXPECT_STREQ(finding["code"].GetString(), "payload.enum");
  EXPECT_STREQ(finding["pointer"].GetString(), "/payload/status");
  EXPECT_EQ(finding["line"].GetUint64(), 16u);
  EXPECT_EQ(finding["event_index"].GetInt64(), 0);
}

TEST(CliValidate, SeveralFilesGetAReportEachAndATotal) {
  const auto result = run_command(cli() + " validate --format json " + fixture("payload_enum.json") + " " + fixture("good_catalog_examples.ndjson"));
  rapidjson::Document doc;
  doc.Parse(result.out.data(), result.out.size());
  ASSERT_TRUE(doc.IsObject()) << result.out;
  ASSERT_EQ(doc["files"].Size(), 2u);
  EXPECT_EQ(doc["files"][1]["summary"]["events"].GetUint64(), 4u);
  EXPECT_EQ(doc["summary"]["events"].GetUint64(), 5u);
  EXPECT_EQ(result.status, 1);
}

TEST(CliValidate, ReadsStandardInput) {
  const auto result = run_command("printf '42\\n' | " + cli() + " validate -");
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.out.find("<stdin>:1:1: critical event.not_object"), std::string::npos) << result.out;
}

TEST(CliValidate, UsageAndIoErrorsExitTwo) {
  EXPECT_EQ(run_command(cli() + " validate 2>/dev/null").status, 2);
  EXPECT_EQ(run_command(cli() + " validate --profile secret x.json 2>/dev/null").status, 2);
  EXPECT_EQ(run_command(cli() + " validate --now yesterday x.json 2>/dev/null").status, 2);
  EXPECT_EQ(run_command(cli() + " validate /nonexistent/file.json 2>/dev/null").status, 2);
  EXPECT_EQ(run_command(cli() + " validate --max-event-bytes 0 x.json 2>/dev/null").status, 2);
  EXPECT_EQ(run_command(cli() + " frobnicate 2>/dev/null").status, 2);
}

TEST(CliCatalog, PrintsTheCatalogAsJson) {
  const auto result = run_command(cli() + " catalog");
  EXPECT_EQ(result.status, 0);
  rapidjson::Document doc;
  doc.Parse(result.out.data(), result.out.size());
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(doc["aggregates"].Size(), 5u);
  EXPECT_EQ(doc["events"].Size(), 21u);
}

TEST(CliChecklist, PrintsMarkdownWithRuleCodes) {
  const auto result = run_command(cli() + " checklist");
  EXPECT_EQ(result.status, 0);
  EXPECT_EQ(result.out.rfind("# Validation checklist", 0), 0u);
  EXPECT_NE(result.out.find("`envelope.event_id.format`"), std::string::npos);
}

}  // namespace
}  // namespace msgevents
