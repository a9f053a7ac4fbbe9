// The change-policy checker: every kind of change classified right, the schema_version bump
// checks, the report formats, the CLI's exit codes, and the repository's own release history.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <rapidjson/document.h>

#include "msgevents/catalog.hpp"
#include "msgevents/compat.hpp"
#include "test_support.hpp"

namespace msgevents {
namespace {

Catalog base() { return builtin_catalog(); }

EventSpec& event(Catalog& catalog, std::string_view name) {
  for (auto& e : catalog.events)
    if (e.name == name) return e;
  ADD_FAILURE() << "no event " << name;
  return catalog.events.front();
}

FieldSpec& field(Catalog& catalog, std::string_view event_name, std::string_view field_name) {
  EventSpec& e = event(catalog, event_name);
  for (auto& f : e.fields)
    if (f.name == field_name) return f;
  ADD_FAILURE() << "no field " << field_name << " in " << event_name;
  return e.fields.front();
}

const EventCompat& verdict(const CompatReport& report, std::string_view name) {
  for (const auto& e : report.events)
    if (e.name == name) return e;
  ADD_FAILURE() << "no verdict for " << name;
  return report.events.front();
}

// The single change reported for `name` (most tests make exactly one).
const SchemaChange& only_change(const CompatReport& report, std::string_view name) {
  const EventCompat& e = verdict(report, name);
  EXPECT_EQ(e.changes.size(), 1u) << compat_report_text(report);
  return e.changes.front();
}

void bump_minor(Catalog& c, std::string_view name) { ++event(c, name).schema_version.minor; }
void bump_major(Catalog& c, std::string_view name) {
  auto& v = event(c, name).schema_version;
  ++v.major;
  v.minor = 0;
}

TEST(Compat, IdenticalCatalogsHaveNoChanges) {
  CompatReport report = compare_catalogs(base(), base());
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.events.size(), builtin_catalog().events.size());
  for (const auto& e : report.events) {
    EXPECT_EQ(e.status, EventStatus::Unchanged) << e.name;
    EXPECT_TRUE(e.changes.empty()) << e.name;
  }
  EXPECT_TRUE(report.problems.empty());
}

TEST(Compat, CatalogJsonRoundTripIsLosslessForTheChecker) {
  std::string error;
  std::optional<Catalog> reparsed = parse_catalog(catalog_to_json(builtin_catalog()), &error);
  ASSERT_TRUE(reparsed) << error;
  CompatReport report = compare_catalogs(builtin_catalog(), *reparsed);
  EXPECT_TRUE(report.ok);
  for (const auto& e : report.events) EXPECT_TRUE(e.changes.empty()) << e.name << "\n" << compat_report_text(report);
  EXPECT_TRUE(report.catalog_changes.empty()) << compat_report_text(report);
}

TEST(Compat, OptionalFieldAddedIsCompatibleAndNeedsAMinorBump) {
  Catalog changed = base();
  FieldSpec nickname;
  nickname.name = "nickname";
  nickname.required = false;
  nickname.description = "A short name.";
  event(changed, "CustomerCreated").fields.push_back(nickname);

  CompatReport unbumped = compare_catalogs(base(), changed);
  const SchemaChange& change = only_change(unbumped, "CustomerCreated");
  EXPECT_EQ(change.kind, "field.added_optional");
  EXPECT_EQ(change.change_class, ChangeClass::Compatible);
  EXPECT_EQ(change.field, "nickname");
  EXPECT_FALSE(unbumped.ok);
  EXPECT_EQ(verdict(unbumped, "CustomerCreated").required, Bump::Minor);
  ASSERT_EQ(unbumped.problems.size(), 1u);
  EXPECT_EQ(unbumped.problems[0],
            "CustomerCreated: compatible change without a version bump (1.0 -> 1.0): declare at least 1.1");

  bump_minor(changed, "CustomerCreated");
  CompatReport bumped = compare_catalogs(base(), changed);
  EXPECT_TRUE(bumped.ok) << compat_report_text(bumped);
  EXPECT_EQ(verdict(bumped, "CustomerCreated").made, Bump::Minor);
  EXPECT_EQ(verdict(bumped, "CustomerCreated").verdict, "compatible change with a MINOR bump (1.0 -> 1.1)");
}

TEST(Compat, RequiredFieldAddedIsBreakingAndAMinorBumpIsNotEnough) {
  Catalog changed = base();
  FieldSpec tier;
  tier.name = "tier";
  tier.required = true;
  event(changed, "CustomerCreated").fields.push_back(tier);
  bump_minor(changed, "CustomerCreated");

  CompatReport report = compare_catalogs(base(), changed);
  EXPECT_EQ(only_change(report, "CustomerCreated").kind, "field.added_required");
  EXPECT_EQ(only_change(report, "CustomerCreated").change_class, ChangeClass::Breaking);
  EXPECT_FALSE(report.ok);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0],
            "CustomerCreated: breaking change without a MAJOR bump (1.0 -> 1.1): declare 2.0, or publish the new "
            "shape under a new event name");

  bump_major(changed, "CustomerCreated");
  EXPECT_TRUE(compare_catalogs(base(), changed).ok);
}

struct EditCase {
  const char* event;  // the event type whose verdict changes
  const char* kind;   // the change kind expected among its changes
  void (*edit)(Catalog&);
};

TEST(Compat, EachBreakingFieldChangeIsClassifiedBreaking) {
  const EditCase cases[] = {
      {"CustomerCreated", "field.removed",
       [](Catalog& c) {
         auto& fields = event(c, "CustomerCreated").fields;
         fields.erase(std::remove_if(fields.begin(), fields.end(), [](const FieldSpec& f) { return f.name == "legal_name"; }),
                      fields.end());
       }},
      {"CustomerCreated", "field.type_changed", [](Catalog& c) { field(c, "CustomerCreated", "legal_name").type = JsonType::Integer; }},
      {"CustomerCreated", "field.made_required", [](Catalog& c) { field(c, "CustomerCreated", "legal_name").required = true; }},
      {"CustomerCreated", "field.made_optional", [](Catalog& c) { field(c, "CustomerCreated", "name").required = false; }},
      {"ChannelMapped", "field.enum_value_removed", [](Catalog& c) { field(c, "ChannelMapped", "kind").enum_values.pop_back(); }},
      {"CustomerCreated", "field.constraint_tightened", [](Catalog& c) { field(c, "CustomerCreated", "name").max_length = 100; }},
      {"CustomerCreated", "field.constraint_tightened", [](Catalog& c) { field(c, "CustomerCreated", "name").min_length = 2; }},
      {"CustomerCreated", "field.constraint_tightened",
       [](Catalog& c) { field(c, "CustomerCreated", "legal_name").format = "identifier"; }},
      {"CustomerCreated", "field.privacy_tightened",
       [](Catalog& c) { field(c, "CustomerCreated", "legal_name").privacy = Privacy::Pii; }},
      {"CustomerCreated", "event.aggregate_changed", [](Catalog& c) { event(c, "CustomerCreated").aggregate = "Contact"; }},
      {"CustomerCreated", "event.creates_changed", [](Catalog& c) { event(c, "CustomerCreated").creates = false; }},
  };
  for (const auto& test_case : cases) {
    Catalog changed = base();
    test_case.edit(changed);
    CompatReport report = compare_catalogs(base(), changed);
    const EventCompat& target = verdict(report, test_case.event);
    const bool found = std::any_of(target.changes.begin(), target.changes.end(), [&](const SchemaChange& ch) {
      return ch.kind == test_case.kind && ch.change_class == ChangeClass::Breaking;
    });
    EXPECT_TRUE(found) << test_case.kind << "\n" << compat_report_text(report);
    EXPECT_EQ(target.worst, ChangeClass::Breaking) << test_case.kind;
    EXPECT_EQ(target.required, Bump::Major) << test_case.kind;
    EXPECT_FALSE(target.ok) << test_case.kind;
    EXPECT_FALSE(report.ok) << test_case.kind;
  }
}

TEST(Compat, EachCompatibleFieldChangeIsClassifiedCompatible) {
  const EditCase cases[] = {
      {"ChannelMapped", "field.enum_value_added",
       [](Catalog& c) { field(c, "ChannelMapped", "kind").enum_values.push_back("whatsapp"); }},
      {"CustomerCreated", "field.constraint_loosened", [](Catalog& c) { field(c, "CustomerCreated", "name").max_length = 500; }},
      {"CustomerCreated", "field.constraint_loosened", [](Catalog& c) { field(c, "CustomerCreated", "name").min_length.reset(); }},
      {"CustomerCreated", "field.constraint_loosened",
       [](Catalog& c) { field(c, "CustomerCreated", "status").enum_values.clear(); }},
      {"CustomerCreated", "field.privacy_relaxed",
       [](Catalog& c) { field(c, "CustomerCreated", "customer_id").privacy = Privacy::Internal; }},
  };
  for (const auto& test_case : cases) {
    Catalog changed = base();
    test_case.edit(changed);
    CompatReport report = compare_catalogs(base(), changed);
    const EventCompat& target = verdict(report, test_case.event);
    ASSERT_EQ(target.changes.size(), 1u) << test_case.kind << "\n" << compat_report_text(report);
    EXPECT_EQ(target.changes[0].kind, test_case.kind);
    EXPECT_EQ(target.changes[0].change_class, ChangeClass::Compatible) << test_case.kind;
    EXPECT_EQ(target.required, Bump::Minor) << test_case.kind;
    EXPECT_FALSE(report.ok) << test_case.kind << ": a compatible change still needs a MINOR bump";
    bump_minor(changed, test_case.event);
    EXPECT_TRUE(compare_catalogs(base(), changed).ok) << test_case.kind;
  }
}

TEST(Compat, EnumValueAddedNamesTheValue) {
  Catalog changed = base();
  field(changed, "ChannelMapped", "kind").enum_values.push_back("whatsapp");
  bump_minor(changed, "ChannelMapped");
  CompatReport report = compare_catalogs(base(), changed);
  EXPECT_TRUE(report.ok);
  const SchemaChange& change = only_change(report, "ChannelMapped");
  EXPECT_EQ(change.field, "kind");
  EXPECT_EQ(change.detail, "enum value \"whatsapp\" added");
}

TEST(Compat, DocumentationOnlyChangesNeedNoBump) {
  Catalog changed = base();
  event(changed, "ContactDeleted").purpose += " Reworded.";
  field(changed, "ContactDeleted", "reason").description = "Why the contact was deleted, reworded.";
  CompatReport report = compare_catalogs(base(), changed);
  EXPECT_TRUE(report.ok) << compat_report_text(report);
  const EventCompat& e = verdict(report, "ContactDeleted");
  EXPECT_EQ(e.status, EventStatus::Changed);
  EXPECT_EQ(e.worst, ChangeClass::Docs);
  EXPECT_EQ(e.required, Bump::None);
  EXPECT_EQ(e.verdict, "documentation only, no bump needed");
  ASSERT_EQ(e.changes.size(), 2u);
  EXPECT_EQ(e.changes[0].kind, "docs.field_description");
  EXPECT_EQ(e.changes[1].kind, "docs.purpose");
}

TEST(Compat, ABumpWithoutAChangeIsANoteNotAProblem) {
  Catalog changed = base();
  bump_minor(changed, "ContactCreated");
  CompatReport report = compare_catalogs(base(), changed);
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(verdict(report, "ContactCreated").status, EventStatus::Changed);
  ASSERT_FALSE(report.notes.empty());
  EXPECT_EQ(report.notes[0], "ContactCreated: version bumped (1.0 -> 1.1) without a change");
}

TEST(Compat, AVersionGoingBackwardsIsAProblem) {
  Catalog newer = base();
  bump_major(newer, "ContactCreated");
  CompatReport report = compare_catalogs(newer, base());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(verdict(report, "ContactCreated").made, Bump::Backwards);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0], "ContactCreated: schema_version went backwards (2.0 -> 1.0); versions only ever increase");
}

TEST(Compat, LifecycleTransitionsAreAttributedToTheirEvent) {
  Catalog removed = base();
  for (auto& aggregate : removed.aggregates) {
    if (aggregate.name != "Customer") continue;
    auto& t = aggregate.transitions;
    t.erase(std::remove_if(t.begin(), t.end(),
                           [](const Transition& x) { return x.event == "CustomerUpdated" && x.from == "disabled"; }),
            t.end());
  }
  CompatReport report = compare_catalogs(base(), removed);
  const SchemaChange& change = only_change(report, "CustomerUpdated");
  EXPECT_EQ(change.kind, "lifecycle.transition_removed");
  EXPECT_EQ(change.change_class, ChangeClass::Breaking);
  EXPECT_EQ(change.detail, "transition disabled -> disabled removed: such events become lifecycle errors");
  EXPECT_FALSE(report.ok);

  // The other direction: a transition added is compatible.
  CompatReport added = compare_catalogs(removed, base());
  EXPECT_EQ(only_change(added, "CustomerUpdated").kind, "lifecycle.transition_added");
  EXPECT_EQ(only_change(added, "CustomerUpdated").change_class, ChangeClass::Compatible);
}

TEST(Compat, RemovingAnEventTypeNeedsAMajorCatalogBump) {
  Catalog changed = base();
  auto& events = changed.events;
  events.erase(std::remove_if(events.begin(), events.end(), [](const EventSpec& e) { return e.name == "ConversationArchived"; }),
               events.end());
  CompatReport report = compare_catalogs(base(), changed);
  const EventCompat& e = verdict(report, "ConversationArchived");
  EXPECT_EQ(e.status, EventStatus::Removed);
  EXPECT_EQ(e.changes.at(0).kind, "event.removed");
  EXPECT_FALSE(report.ok);

  changed.catalog_version = "2.0.0";
  EXPECT_TRUE(compare_catalogs(base(), changed).ok);
}

TEST(Compat, ANewEventNameInsteadOfABreakingChangeIsCompatible) {
  Catalog changed = base();
  EventSpec renamed = event(changed, "CustomerCreated");
  renamed.name = "CustomerOnboarded";
  FieldSpec tier;
  tier.name = "tier";
  tier.required = true;
  renamed.fields.push_back(tier);
  changed.events.push_back(renamed);
  CompatReport report = compare_catalogs(base(), changed);
  EXPECT_TRUE(report.ok) << compat_report_text(report);
  const EventCompat& e = verdict(report, "CustomerOnboarded");
  EXPECT_EQ(e.status, EventStatus::Added);
  EXPECT_EQ(e.changes.at(0).kind, "event.added");
  EXPECT_EQ(verdict(report, "CustomerCreated").status, EventStatus::Unchanged);
}

TEST(Compat, AggregateIdFieldChangeBreaksEveryEventOfTheAggregate) {
  Catalog changed = base();
  for (auto& aggregate : changed.aggregates)
    if (aggregate.name == "Contact") aggregate.id_field = "person_id";
  CompatReport report = compare_catalogs(base(), changed);
  for (const char* name : {"ContactCreated", "ContactUpdated", "ContactDeleted"}) {
    const EventCompat& e = verdict(report, name);
    EXPECT_TRUE(std::any_of(e.changes.begin(), e.changes.end(),
                            [](const SchemaChange& c) { return c.kind == "aggregate.id_field_changed"; }))
        << name;
    EXPECT_FALSE(e.ok) << name;
  }
  EXPECT_EQ(verdict(report, "CustomerCreated").status, EventStatus::Unchanged);
}

TEST(Compat, TextAndJsonReportsSayTheSame) {
  Catalog changed = base();
  event(changed, "ContactCreated").fields.erase(event(changed, "ContactCreated").fields.begin() + 4);
  CompatReport report = compare_catalogs(base(), changed);
  const std::string removed_field = base().find_event("ContactCreated")->fields[4].name;

  std::string text = compat_report_text(report);
  EXPECT_NE(text.find("ContactCreated 1.0 -> 1.0: PROBLEM: breaking change without a MAJOR bump"), std::string::npos) << text;
  EXPECT_NE(text.find("  breaking field.removed " + removed_field + ": "), std::string::npos) << text;
  EXPECT_NE(text.find("1 changed, 0 added, 0 removed, 20 unchanged; 1 problem\n"), std::string::npos) << text;

  rapidjson::Document json;
  const std::string json_text = compat_report_json(report);
  json.Parse(json_text.data(), json_text.size());
  ASSERT_FALSE(json.HasParseError());
  EXPECT_FALSE(json["ok"].GetBool());
  EXPECT_EQ(json["summary"]["changed"].GetUint64(), 1u);
  EXPECT_EQ(json["summary"]["problems"].GetUint64(), 1u);
  bool seen = false;
  for (const auto& e : json["events"].GetArray()) {
    if (std::string(e["name"].GetString()) != "ContactCreated") continue;
    seen = true;
    EXPECT_STREQ(e["compatibility"].GetString(), "breaking");
    EXPECT_STREQ(e["required_bump"].GetString(), "major");
    EXPECT_STREQ(e["bump"].GetString(), "none");
    EXPECT_FALSE(e["ok"].GetBool());
    EXPECT_STREQ(e["changes"][0]["kind"].GetString(), "field.removed");
    EXPECT_EQ(std::string(e["changes"][0]["field"].GetString()), removed_field);
  }
  EXPECT_TRUE(seen);
}

// --- The repository's release history --------------------------------------------------------

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The newest file in src/catalog/releases/, by semantic version.
std::filesystem::path latest_release() {
  std::filesystem::path newest;
  std::vector<int> newest_version;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(MSGEVENTS_SOURCE_DIR) / "src/catalog/releases")) {
    std::string stem = entry.path().stem().string();
    std::vector<int> version;
    std::stringstream parts(stem);
    for (std::string part; std::getline(parts, part, '.');) version.push_back(std::atoi(part.c_str()));
    if (newest.empty() || version > newest_version) {
      newest = entry.path();
      newest_version = version;
    }
  }
  return newest;
}

TEST(Compat, TheCatalogKeepsThePolicyAgainstTheLatestRelease) {
  std::filesystem::path release = latest_release();
  ASSERT_FALSE(release.empty()) << "src/catalog/releases/ holds no release";
  std::string error;
  std::optional<Catalog> released = parse_catalog(read_text(release), &error);
  ASSERT_TRUE(released) << release << ": " << error;
  CompatReport report = compare_catalogs(*released, builtin_catalog());
  EXPECT_TRUE(report.ok) << "the catalog breaks the change policy against " << release.filename() << ":\n"
                         << compat_report_text(report);
  EXPECT_EQ(released->catalog_version, release.stem().string()) << "a release file is named after its catalog_version";
}

// --- The CLI ------------------------------------------------------------------------------------

// The CLI as a user runs it (tests/test_support.hpp), standard error discarded.
testing::CommandResult run_cli(const std::string& args) {
  return testing::run_command(std::string(MSGEVENTS_CLI_PATH) + " " + args + " 2>/dev/null");
}

std::string write_temp(const std::string& name, const std::string& text) {
  std::filesystem::path path = std::filesystem::temp_directory_path() / ("msgevents_compat_" + name);
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

TEST(CompatCli, ExitStatusFollowsThePolicy) {
  const std::string old_path = write_temp("old.json", catalog_to_json(builtin_catalog()));
  Catalog breaking = base();
  field(breaking, "CustomerCreated", "legal_name").required = true;
  const std::string breaking_path = write_temp("breaking.json", catalog_to_json(breaking));
  bump_major(breaking, "CustomerCreated");
  const std::string bumped_path = write_temp("bumped.json", catalog_to_json(breaking));

  testing::CommandResult same = run_cli("compat " + old_path + " " + std::string(MSGEVENTS_SOURCE_DIR) + "/src/catalog/catalog.json");
  EXPECT_EQ(same.status, 0) << same.out;
  EXPECT_NE(same.out.find("21 event types: 0 changed, 0 added, 0 removed, 21 unchanged; 0 problems"), std::string::npos)
      << same.out;

  testing::CommandResult bad = run_cli("compat " + old_path + " " + breaking_path);
  EXPECT_EQ(bad.status, 1) << bad.out;
  EXPECT_NE(bad.out.find("problem: CustomerCreated: breaking change without a MAJOR bump (1.0 -> 1.0)"), std::string::npos)
      << bad.out;

  testing::CommandResult good = run_cli("compat --format json " + old_path + " " + bumped_path);
  EXPECT_EQ(good.status, 0) << good.out;
  rapidjson::Document json;
  json.Parse(good.out.data(), good.out.size());
  ASSERT_FALSE(json.HasParseError()) << good.out;
  EXPECT_TRUE(json["ok"].GetBool());
  EXPECT_EQ(json["summary"]["changed"].GetUint64(), 1u);
}

TEST(CompatCli, UsageAndInputErrorsExitTwo) {
  const std::string old_path = write_temp("old2.json", catalog_to_json(builtin_catalog()));
  EXPECT_EQ(run_cli("compat " + old_path).status, 2);
  EXPECT_EQ(run_cli("compat --format xml " + old_path + " " + old_path).status, 2);
  EXPECT_EQ(run_cli("compat " + old_path + " /nonexistent/catalog.json").status, 2);
  const std::string not_catalog = write_temp("not_catalog.json", "{\"events\": 3}");
  EXPECT_EQ(run_cli("compat " + old_path + " " + not_catalog).status, 2);
}

}  // namespace
}  // namespace msgevents
