// The native CLI as a user runs it: output lines, JSON shape and exit statuses.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <rapidjson/document.h>

#include "msgevents/catalog.hpp"
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


// --- compat and release: the change policy on the command line -------------------------------

// A fresh folder under the temporary directory, emptied first.
std::filesystem::path temp_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("msgevents_cli_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string write_catalog(const std::filesystem::path& path, const Catalog& catalog) {
  std::ofstream(path, std::ios::binary) << catalog_to_json(catalog) << "\n";
  return path.string();
}

FieldSpec& cli_field(Catalog& c, const std::string& event_name, const std::string& field_name) {
  for (auto& e : c.events)
    if (e.name == event_name)
      for (auto& f : e.fields)
        if (f.name == field_name) return f;
  ADD_FAILURE() << event_name << "." << field_name;
  return c.events.front().fields.front();
}

void cli_bump_minor(Catalog& c, const std::string& event_name) {
  for (auto& e : c.events)
    if (e.name == event_name) ++e.schema_version.minor;
}

// An enum value added (with its MINOR bump): compatible backward, breaking forward.
TEST(CliCompat, TheModeDecidesTheVerdictAndTheExitStatus) {
  const auto dir = temp_dir("modes");
  Catalog changed = builtin_catalog();
  cli_field(changed, "ChannelMapped", "kind").enum_values.push_back("whatsapp");
  cli_bump_minor(changed, "ChannelMapped");
  const std::string old_path = write_catalog(dir / "old.json", builtin_catalog());
  const std::string new_path = write_catalog(dir / "new.json", changed);

  const auto backward = run_command(cli() + " compat " + old_path + " " + new_path);
  EXPECT_EQ(backward.status, 0) << backward.out;
  EXPECT_NE(backward.out.find("catalog 1.0.0 -> 1.0.0 (backward mode)\n"), std::string::npos) << backward.out;
  EXPECT_NE(backward.out.find("ChannelMapped 1.0 -> 1.1: ok: compatible change with a MINOR bump (1.0 -> 1.1)"), std::string::npos)
      << backward.out;

  const auto forward = run_command(cli() + " compat --mode forward " + old_path + " " + new_path);
  EXPECT_EQ(forward.status, 1) << forward.out;
  EXPECT_NE(forward.out.find("  breaking field.enum_value_added kind: enum value \"whatsapp\" added\n"), std::string::npos) << forward.out;
  EXPECT_NE(forward.out.find("problem: ChannelMapped: breaking change without a MAJOR bump (1.0 -> 1.1): declare 2.0"), std::string::npos)
      << forward.out;

  const auto full = run_command(cli() + " compat --mode full --format json " + old_path + " " + new_path);
  EXPECT_EQ(full.status, 1);
  rapidjson::Document doc;
  doc.Parse(full.out.data(), full.out.size());
  ASSERT_TRUE(doc.IsObject()) << full.out;
  EXPECT_STREQ(doc["mode"].GetString(), "full");
  EXPECT_FALSE(doc["ok"].GetBool());

  EXPECT_EQ(run_command(cli() + " compat --mode none " + old_path + " " + new_path).status, 0);

  const auto markdown = run_command(cli() + " compat --mode forward --format markdown " + old_path + " " + new_path);
  EXPECT_EQ(markdown.status, 1);
  EXPECT_NE(markdown.out.find("| Event | Status | Versions | Compatibility | Needs | Verdict |\n"), std::string::npos) << markdown.out;
  EXPECT_NE(markdown.out.find("| ChannelMapped | changed | 1.0 → 1.1 | breaking | major | ✘ breaking change without a MAJOR bump"),
            std::string::npos)
      << markdown.out;
}

// A consumer that rejects unknown fields cannot read old events that carry a removed one.
TEST(CliCompat, StrictConsumersRejectUnknownFields) {
  const auto dir = temp_dir("strict");
  Catalog changed = builtin_catalog();
  for (auto& e : changed.events)
    if (e.name == "CustomerCreated") {
      e.fields.pop_back();  // default_language, optional
      ++e.schema_version.minor;
    }
  const std::string old_path = write_catalog(dir / "old.json", builtin_catalog());
  const std::string new_path = write_catalog(dir / "new.json", changed);
  EXPECT_EQ(run_command(cli() + " compat " + old_path + " " + new_path).status, 0);
  const auto strict = run_command(cli() + " compat --strict " + old_path + " " + new_path);
  EXPECT_EQ(strict.status, 1) << strict.out;
  EXPECT_NE(strict.out.find("(backward mode, strict consumers)"), std::string::npos) << strict.out;
  EXPECT_NE(strict.out.find("  breaking field.removed_optional default_language: "), std::string::npos) << strict.out;
}

// 1.0.0; 2.0.0 without ContactDeleted (a MAJOR catalog bump); NEW brings ContactDeleted back with
// merged_into_contact_id required: only an event type added against the latest release, a field
// made required against the first.
TEST(CliCompat, TransitiveComparesWithEveryRelease) {
  const auto dir = temp_dir("transitive");
  std::filesystem::create_directories(dir / "releases");
  Catalog v2 = builtin_catalog();
  v2.events.erase(std::remove_if(v2.events.begin(), v2.events.end(), [](const EventSpec& e) { return e.name == "ContactDeleted"; }),
                  v2.events.end());
  v2.catalog_version = "2.0.0";
  Catalog next = v2;
  for (auto& aggregate : v2.aggregates) {
    auto& t = aggregate.transitions;
    t.erase(std::remove_if(t.begin(), t.end(), [](const Transition& x) { return x.event == "ContactDeleted"; }), t.end());
  }
  next.events.push_back(*builtin_catalog().find_event("ContactDeleted"));
  cli_field(next, "ContactDeleted", "merged_into_contact_id").required = true;
  next.catalog_version = "2.1.0";
  write_catalog(dir / "releases" / "1.0.0.json", builtin_catalog());
  write_catalog(dir / "releases" / "2.0.0.json", v2);
  const std::string releases = (dir / "releases").string();
  const std::string new_path = write_catalog(dir / "new.json", next);

  const auto latest = run_command(cli() + " compat --releases " + releases + " " + new_path);
  EXPECT_EQ(latest.status, 0) << latest.out;
  EXPECT_NE(latest.out.find("catalog 2.0.0 -> 2.1.0 (backward mode)\n"), std::string::npos) << latest.out;

  const auto every = run_command(cli() + " compat --mode backward --transitive --releases " + releases + " " + new_path);
  EXPECT_EQ(every.status, 1) << every.out;
  EXPECT_NE(every.out.find("== against release 1.0.0\ncatalog 1.0.0 -> 2.1.0 (backward mode)\n"), std::string::npos) << every.out;
  EXPECT_NE(every.out.find("  breaking field.made_required merged_into_contact_id: optional -> required"), std::string::npos) << every.out;
  EXPECT_NE(every.out.find("transitive (backward mode): catalog 2.1.0 against 2 releases: PROBLEM\n"), std::string::npos) << every.out;

  const auto json = run_command(cli() + " compat --transitive --format json --releases " + releases + " " + new_path);
  EXPECT_EQ(json.status, 1);
  rapidjson::Document doc;
  doc.Parse(json.out.data(), json.out.size());
  ASSERT_TRUE(doc.IsObject()) << json.out;
  ASSERT_EQ(doc["comparisons"].Size(), 2u);
  EXPECT_STREQ(doc["comparisons"][1]["release"].GetString(), "2.0.0");
  EXPECT_TRUE(doc["comparisons"][1]["report"]["ok"].GetBool());
  EXPECT_FALSE(doc["comparisons"][0]["report"]["ok"].GetBool());

  // A release folder that is not one: exit 2, not a verdict.
  std::ofstream(dir / "releases" / "latest.json") << "{}";
  EXPECT_EQ(run_command(cli() + " compat --transitive --releases " + releases + " " + new_path + " 2>/dev/null").status, 2);
  EXPECT_EQ(run_command(cli() + " compat --transitive --releases " + (dir / "missing").string() + " " + new_path + " 2>/dev/null").status, 2);
}

TEST(CliCompat, PolicyPrintsTheTable) {
  const auto json = run_command(cli() + " compat --policy --format json");
  EXPECT_EQ(json.status, 0);
  rapidjson::Document doc;
  doc.Parse(json.out.data(), json.out.size());
  ASSERT_TRUE(doc.IsObject()) << json.out;
  bool seen = false;
  for (const auto& row : doc["rows"].GetArray()) {
    if (std::string(row["kind"].GetString()) != "field.privacy_raised") continue;
    seen = true;
    for (const char* mode : {"backward", "forward", "full", "none"}) {
      EXPECT_STREQ(row["verdicts"][mode]["compatibility"].GetString(), "breaking") << mode;
      EXPECT_STREQ(row["verdicts"][mode]["bump"].GetString(), "major") << mode;
    }
  }
  EXPECT_TRUE(seen);
  const auto markdown = run_command(cli() + " compat --policy --format markdown");
  EXPECT_EQ(markdown.status, 0);
  EXPECT_NE(markdown.out.find("| required field added | `field.added_required` | breaking, MAJOR | compatible, MINOR (strict: "
                              "breaking, MAJOR) | breaking, MAJOR | compatible, MINOR |\n"),
            std::string::npos)
      << markdown.out;
}

TEST(CliRelease, SnapshotsTheCatalogOnlyWhenItKeepsThePolicy) {
  const auto dir = temp_dir("release");
  std::filesystem::create_directories(dir / "releases");
  write_catalog(dir / "releases" / "1.0.0.json", builtin_catalog());
  const std::string releases = " --releases " + (dir / "releases").string();

  // Already released: the catalog_version must move first.
  const std::string same = write_catalog(dir / "same.json", builtin_catalog());
  EXPECT_EQ(run_command(cli() + " release --catalog " + same + releases + " 2>/dev/null").status, 1);

  // A breaking change without its MAJOR bump: refused, nothing written.
  Catalog breaking = builtin_catalog();
  cli_field(breaking, "CustomerCreated", "legal_name").required = true;
  breaking.catalog_version = "1.1.0";
  const std::string breaking_path = write_catalog(dir / "breaking.json", breaking);
  const auto refused = run_command(cli() + " release --catalog " + breaking_path + releases + " 2>&1");
  EXPECT_EQ(refused.status, 1) << refused.out;
  EXPECT_NE(refused.out.find("msgevents release: refused: catalog 1.1.0 breaks the change policy"), std::string::npos) << refused.out;
  EXPECT_FALSE(std::filesystem::exists(dir / "releases" / "1.1.0.json"));

  // A compatible change with its MINOR bump: written, and the release folder then passes.
  Catalog compatible = builtin_catalog();
  cli_field(compatible, "ChannelMapped", "kind").enum_values.push_back("whatsapp");
  cli_bump_minor(compatible, "ChannelMapped");
  compatible.catalog_version = "1.1.0";
  const std::string compatible_path = write_catalog(dir / "compatible.json", compatible);
  const auto dry = run_command(cli() + " release --dry-run --catalog " + compatible_path + releases);
  EXPECT_EQ(dry.status, 0) << dry.out;
  EXPECT_FALSE(std::filesystem::exists(dir / "releases" / "1.1.0.json"));
  const auto released = run_command(cli() + " release --catalog " + compatible_path + releases);
  EXPECT_EQ(released.status, 0) << released.out;
  EXPECT_NE(released.out.find("release: 1.1.0 keeps the policy against 1 release (backward, transitive); wrote "), std::string::npos)
      << released.out;
  EXPECT_EQ(testing::read_bytes(dir / "releases" / "1.1.0.json"), catalog_to_json(compatible) + "\n");
  EXPECT_EQ(run_command(cli() + " compat --transitive" + releases + " " + compatible_path).status, 0);
  EXPECT_EQ(run_command(cli() + " release --catalog " + compatible_path + releases + " 2>/dev/null").status, 1);

  // An older version than the latest release is refused too.
  Catalog older = builtin_catalog();
  older.catalog_version = "1.0.5";
  EXPECT_EQ(run_command(cli() + " release --catalog " + write_catalog(dir / "older.json", older) + releases + " 2>/dev/null").status, 1);
  EXPECT_EQ(run_command(cli() + " release --mode sideways 2>/dev/null").status, 2);
}

}  // namespace
}  // namespace msgevents
