// The change-policy checker: every kind of change classified right, the schema_version bump
// checks, the report formats, the CLI's exit codes, and the repository's own release history.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
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

// For strict consumers (the closed content model) no old event carries the new field, so adding it
// is backward compatible; tolerant consumers may have let old events carry that name with any value.
TEST(Compat, OptionalFieldAddedIsCompatibleForStrictConsumersAndNeedsAMinorBump) {
  Catalog changed = base();
  FieldSpec nickname;
  nickname.name = "nickname";
  nickname.required = false;
  nickname.description = "A short name.";
  event(changed, "CustomerCreated").fields.push_back(nickname);
  CompatOptions strict;
  strict.strict_consumers = true;

  EXPECT_EQ(only_change(compare_catalogs(base(), changed), "CustomerCreated").change_class, ChangeClass::Breaking);
  CompatReport unbumped = compare_catalogs(base(), changed, strict);
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
  CompatReport bumped = compare_catalogs(base(), changed, strict);
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

TEST(Compat, EachBreakingFieldChangeIsClassifiedBreakingInBackwardMode) {
  const EditCase cases[] = {
      {"CustomerCreated", "field.type_changed", [](Catalog& c) { field(c, "CustomerCreated", "legal_name").type = JsonType::Integer; }},
      {"CustomerCreated", "field.made_required", [](Catalog& c) { field(c, "CustomerCreated", "legal_name").required = true; }},
      {"ChannelMapped", "field.enum_value_removed", [](Catalog& c) { field(c, "ChannelMapped", "kind").enum_values.pop_back(); }},
      {"CustomerCreated", "field.constraint_tightened", [](Catalog& c) { field(c, "CustomerCreated", "name").max_length = 100; }},
      {"CustomerCreated", "field.constraint_tightened", [](Catalog& c) { field(c, "CustomerCreated", "name").min_length = 2; }},
      {"CustomerCreated", "field.constraint_tightened",
       [](Catalog& c) { field(c, "CustomerCreated", "legal_name").format = "identifier"; }},
      {"CustomerCreated", "field.privacy_raised",
       [](Catalog& c) { field(c, "CustomerCreated", "legal_name").privacy = Privacy::Pii; }},
      {"CustomerCreated", "field.privacy_lowered",
       [](Catalog& c) { field(c, "CustomerCreated", "customer_id").privacy = Privacy::Internal; }},
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

TEST(Compat, EachCompatibleFieldChangeIsClassifiedCompatibleInBackwardMode) {
  const EditCase cases[] = {
      {"ChannelMapped", "field.enum_value_added",
       [](Catalog& c) { field(c, "ChannelMapped", "kind").enum_values.push_back("whatsapp"); }},
      {"CustomerCreated", "field.constraint_loosened", [](Catalog& c) { field(c, "CustomerCreated", "name").max_length = 500; }},
      {"CustomerCreated", "field.constraint_loosened", [](Catalog& c) { field(c, "CustomerCreated", "name").min_length.reset(); }},
      {"CustomerCreated", "field.constraint_loosened",
       [](Catalog& c) { field(c, "CustomerCreated", "status").enum_values.clear(); }},
      {"CustomerCreated", "field.made_optional", [](Catalog& c) { field(c, "CustomerCreated", "name").required = false; }},
      {"CustomerCreated", "field.removed_optional",
       [](Catalog& c) {
         auto& fields = event(c, "CustomerCreated").fields;
         fields.erase(std::remove_if(fields.begin(), fields.end(), [](const FieldSpec& f) { return f.name == "legal_name"; }),
                      fields.end());
       }},
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
  auto& fields = event(changed, "ContactCreated").fields;
  fields.erase(std::remove_if(fields.begin(), fields.end(), [](const FieldSpec& f) { return f.name == "status"; }), fields.end());
  CompatOptions forward;  // a required field removed breaks old consumers
  forward.mode = CompatMode::Forward;
  CompatReport report = compare_catalogs(base(), changed, forward);

  std::string text = compat_report_text(report);
  EXPECT_NE(text.find("ContactCreated 1.0 -> 1.0: PROBLEM: breaking change without a MAJOR bump"), std::string::npos) << text;
  EXPECT_NE(text.find("catalog 1.0.0 -> 1.0.0 (forward mode)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  breaking field.removed_required status: required field removed"), std::string::npos) << text;
  EXPECT_NE(text.find("1 changed, 0 added, 0 removed, 20 unchanged; 1 problem\n"), std::string::npos) << text;

  rapidjson::Document json;
  const std::string json_text = compat_report_json(report);
  json.Parse(json_text.data(), json_text.size());
  ASSERT_FALSE(json.HasParseError());
  EXPECT_FALSE(json["ok"].GetBool());
  EXPECT_STREQ(json["mode"].GetString(), "forward");
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
    EXPECT_STREQ(e["changes"][0]["kind"].GetString(), "field.removed_required");
    EXPECT_STREQ(e["changes"][0]["field"].GetString(), "status");
  }
  EXPECT_TRUE(seen);
}

// --- The policy table: each row on a pair of catalogs, in each mode ---------------------------

void erase_field(Catalog& c, std::string_view event_name, std::string_view field_name) {
  auto& fields = event(c, event_name).fields;
  fields.erase(std::remove_if(fields.begin(), fields.end(), [&](const FieldSpec& f) { return f.name == field_name; }),
               fields.end());
}

void add_field(Catalog& c, std::string_view event_name, const char* name, JsonType type, bool required) {
  FieldSpec f;
  f.name = name;
  f.type = type;
  f.required = required;
  f.description = "A field for the test.";
  event(c, event_name).fields.push_back(f);
}

AggregateSpec& aggregate(Catalog& c, std::string_view name) {
  for (auto& a : c.aggregates)
    if (a.name == name) return a;
  ADD_FAILURE() << "no aggregate " << name;
  return c.aggregates.front();
}

void remove_disabled_update(Catalog& c) {
  auto& t = aggregate(c, "Customer").transitions;
  t.erase(std::remove_if(t.begin(), t.end(), [](const Transition& x) { return x.event == "CustomerUpdated" && x.from == "disabled"; }),
          t.end());
}

// An aggregate no event type belongs to yet.
void add_invoice_aggregate(Catalog& c) {
  AggregateSpec invoice;
  invoice.name = "Invoice";
  invoice.id_field = "invoice_id";
  invoice.description = "An invoice.";
  invoice.states = {"open"};
  c.aggregates.push_back(invoice);
}

// A row's expected verdicts in backward, forward, full and none: C compatible (MINOR), B breaking
// (MAJOR), N breaking (a new event name), D documentation (no bump). `strict` is for consumers that
// reject unknown fields; nullptr when it is the same.
struct RowCase {
  ChangeKind kind;
  const char* code;
  const char* target;  // the event type whose verdict carries the change; "" for catalog-wide changes
  const char* tolerant;
  const char* strict;
  void (*edit_new)(Catalog&);
  void (*edit_old)(Catalog&);  // nullptr: the old catalog is the built-in one
};

const RowCase kRowCases[] = {
    {ChangeKind::FieldAddedOptional, "field.added_optional", "CustomerCreated", "BCBC", "CBBC",
     [](Catalog& c) { add_field(c, "CustomerCreated", "nickname", JsonType::String, false); }, nullptr},
    {ChangeKind::FieldRemovedOptional, "field.removed_optional", "CustomerCreated", "CBBC", "BCBC",
     [](Catalog& c) { erase_field(c, "CustomerCreated", "legal_name"); }, nullptr},
    {ChangeKind::FieldAddedRequired, "field.added_required", "CustomerCreated", "BCBC", "BBBC",
     [](Catalog& c) { add_field(c, "CustomerCreated", "tier", JsonType::String, true); }, nullptr},
    {ChangeKind::FieldRemovedRequired, "field.removed_required", "CustomerCreated", "CBBC", "BBBC",
     [](Catalog& c) { erase_field(c, "CustomerCreated", "name"); }, nullptr},
    {ChangeKind::FieldMadeRequired, "field.made_required", "CustomerCreated", "BCBC", nullptr,
     [](Catalog& c) { field(c, "CustomerCreated", "legal_name").required = true; }, nullptr},
    {ChangeKind::FieldMadeOptional, "field.made_optional", "CustomerCreated", "CBBC", nullptr,
     [](Catalog& c) { field(c, "CustomerCreated", "name").required = false; }, nullptr},
    {ChangeKind::FieldTypeChanged, "field.type_changed", "CustomerCreated", "BBBC", nullptr,
     [](Catalog& c) { field(c, "CustomerCreated", "legal_name").type = JsonType::Integer; }, nullptr},
    {ChangeKind::FieldTypeWidened, "field.type_widened", "CustomerCreated", "CBBC", nullptr,
     [](Catalog& c) { add_field(c, "CustomerCreated", "attempts", JsonType::Number, false); },
     [](Catalog& c) { add_field(c, "CustomerCreated", "attempts", JsonType::Integer, false); }},
    {ChangeKind::FieldTypeNarrowed, "field.type_narrowed", "CustomerCreated", "BCBC", nullptr,
     [](Catalog& c) { add_field(c, "CustomerCreated", "attempts", JsonType::Integer, false); },
     [](Catalog& c) { add_field(c, "CustomerCreated", "attempts", JsonType::Number, false); }},
    {ChangeKind::FieldEnumValueAdded, "field.enum_value_added", "ChannelMapped", "CBBC", nullptr,
     [](Catalog& c) { field(c, "ChannelMapped", "kind").enum_values.push_back("whatsapp"); }, nullptr},
    {ChangeKind::FieldEnumValueRemoved, "field.enum_value_removed", "ChannelMapped", "BCBC", nullptr,
     [](Catalog& c) { field(c, "ChannelMapped", "kind").enum_values.pop_back(); }, nullptr},
    {ChangeKind::FieldConstraintTightened, "field.constraint_tightened", "CustomerCreated", "BCBC", nullptr,
     [](Catalog& c) { field(c, "CustomerCreated", "legal_name").format = "identifier"; }, nullptr},
    {ChangeKind::FieldConstraintLoosened, "field.constraint_loosened", "CustomerCreated", "CBBC", nullptr,
     [](Catalog& c) { field(c, "CustomerCreated", "name").max_length = 500; }, nullptr},
    {ChangeKind::FieldPrivacyRaised, "field.privacy_raised", "CustomerCreated", "BBBB", nullptr,
     [](Catalog& c) { field(c, "CustomerCreated", "legal_name").privacy = Privacy::Pii; }, nullptr},
    {ChangeKind::FieldPrivacyLowered, "field.privacy_lowered", "ContactCreated", "BBBB", nullptr,
     [](Catalog& c) { field(c, "ContactCreated", "display_name").privacy = Privacy::Internal; }, nullptr},
    {ChangeKind::LifecycleTransitionAdded, "lifecycle.transition_added", "CustomerUpdated", "CBBC", nullptr,
     [](Catalog&) {}, remove_disabled_update},
    {ChangeKind::LifecycleTransitionRemoved, "lifecycle.transition_removed", "CustomerUpdated", "BCBC", nullptr,
     remove_disabled_update, nullptr},
    {ChangeKind::EventAggregateChanged, "event.aggregate_changed", "CustomerCreated", "BBBC", nullptr,
     [](Catalog& c) { event(c, "CustomerCreated").aggregate = "Contact"; }, nullptr},
    {ChangeKind::EventCreatesChanged, "event.creates_changed", "CustomerCreated", "BBBC", nullptr,
     [](Catalog& c) { event(c, "CustomerCreated").creates = false; }, nullptr},
    {ChangeKind::AggregateIdFieldChanged, "aggregate.id_field_changed", "ContactCreated", "BBBC", nullptr,
     [](Catalog& c) { aggregate(c, "Contact").id_field = "person_id"; }, nullptr},
    {ChangeKind::AggregateAttributeAdded, "aggregate.attribute_added", "CustomerUpdated", "CBBC", nullptr,
     [](Catalog& c) { aggregate(c, "Customer").attributes.push_back("nickname"); }, nullptr},
    {ChangeKind::AggregateAttributeRemoved, "aggregate.attribute_removed", "CustomerUpdated", "BCBC", nullptr,
     [](Catalog& c) { aggregate(c, "Customer").attributes.pop_back(); }, nullptr},
    {ChangeKind::EventAdded, "event.added", "CustomerMerged", "CBBC", nullptr,
     [](Catalog& c) {
       EventSpec merged = event(c, "CustomerDisabled");
       merged.name = "CustomerMerged";
       merged.fields.resize(2);
       c.events.push_back(merged);
     },
     nullptr},
    {ChangeKind::EventRemoved, "event.removed", "ConversationArchived", "BCBC", nullptr,
     [](Catalog& c) {
       c.events.erase(std::remove_if(c.events.begin(), c.events.end(), [](const EventSpec& e) { return e.name == "ConversationArchived"; }),
                      c.events.end());
     },
     nullptr},
    {ChangeKind::EventRenamed, "event.renamed", "CustomerDisabled", "NNNC", nullptr,
     [](Catalog& c) { event(c, "CustomerDisabled").name = "CustomerSuspended"; }, nullptr},
    {ChangeKind::AggregateAdded, "aggregate.added", "", "CBBC", nullptr, add_invoice_aggregate, nullptr},
    {ChangeKind::AggregateRemoved, "aggregate.removed", "", "BCBC", nullptr,
     [](Catalog& c) { c.aggregates.pop_back(); }, add_invoice_aggregate},
    {ChangeKind::AggregateStateAdded, "aggregate.state_added", "", "CBBC", nullptr,
     [](Catalog& c) { aggregate(c, "Customer").states.push_back("archived"); }, nullptr},
    {ChangeKind::AggregateStateRemoved, "aggregate.state_removed", "", "BCBC", nullptr,
     [](Catalog& c) { aggregate(c, "Conversation").states.pop_back(); }, nullptr},
    {ChangeKind::Documentation, "docs.purpose", "ContactDeleted", "DDDD", nullptr,
     [](Catalog& c) { event(c, "ContactDeleted").purpose += " Reworded."; }, nullptr},
};

constexpr CompatMode kAllModes[] = {CompatMode::Backward, CompatMode::Forward, CompatMode::Full, CompatMode::None};

ChangeClass expected_class(char verdict) {
  return verdict == 'D' ? ChangeClass::Docs : verdict == 'C' ? ChangeClass::Compatible : ChangeClass::Breaking;
}
NeededBump expected_bump(char verdict) {
  return verdict == 'D' ? NeededBump::None : verdict == 'C' ? NeededBump::Minor : verdict == 'B' ? NeededBump::Major : NeededBump::NewEventName;
}

const SchemaChange* find_change(const std::vector<SchemaChange>& changes, std::string_view code) {
  for (const auto& change : changes)
    if (change.kind == code) return &change;
  return nullptr;
}

TEST(CompatPolicy, TheTableHasOneRowPerKindAndEveryRowIsTested) {
  std::set<int> kinds;
  std::set<std::string_view> codes;
  for (size_t i = 0; i < change_rules().size(); ++i)
    EXPECT_EQ(static_cast<size_t>(change_rules()[i].kind), i) << change_rules()[i].code << ": the rows follow the enum's order";
  for (const auto& rule : change_rules()) {
    EXPECT_TRUE(kinds.insert(static_cast<int>(rule.kind)).second) << rule.code << " has two rows";
    EXPECT_TRUE(codes.insert(rule.code).second) << rule.code;
    EXPECT_FALSE(rule.backward_why.empty() || rule.forward_why.empty()) << rule.code;
    EXPECT_EQ(&change_rule(rule.kind), &rule);
  }
  EXPECT_EQ(kinds.size(), static_cast<size_t>(ChangeKind::Documentation) + 1);
  EXPECT_EQ(std::size(kRowCases), change_rules().size());
  for (const auto& rule : change_rules())
    EXPECT_TRUE(std::any_of(std::begin(kRowCases), std::end(kRowCases), [&](const RowCase& c) { return c.kind == rule.kind; }))
        << rule.code << " has no pair of catalogs in kRowCases";
}

TEST(CompatPolicy, EachRowOnAPairOfCatalogsInEachMode) {
  for (const auto& row : kRowCases) {
    Catalog old_catalog = base(), new_catalog = base();
    if (row.edit_old) {
      row.edit_old(old_catalog);
      row.edit_old(new_catalog);
    }
    if (row.kind == ChangeKind::LifecycleTransitionAdded) new_catalog = base();
    row.edit_new(new_catalog);
    const bool catalog_scoped = change_rule(row.kind).scope == ChangeScope::Catalog;
    for (bool strict : {false, true}) {
      const char* expected = strict && row.strict ? row.strict : row.tolerant;
      for (size_t m = 0; m < 4; ++m) {
        const CompatOptions options{kAllModes[m], strict};
        const std::string where = std::string(row.code) + " in " + std::string(to_string(options.mode)) + " mode" +
                                  (strict ? ", strict consumers" : "");
        const char v = expected[m];
        // The table says it...
        const PolicyVerdict table = policy_verdict(row.kind, options);
        EXPECT_EQ(table.change_class, expected_class(v)) << where;
        EXPECT_EQ(table.bump, expected_bump(v)) << where;
        // ...and the checker finds the change on the pair of catalogs and judges it so.
        const CompatReport report = compare_catalogs(old_catalog, new_catalog, options);
        const std::vector<SchemaChange>& changes = *row.target ? verdict(report, row.target).changes : report.catalog_changes;
        const SchemaChange* change = find_change(changes, row.code);
        ASSERT_NE(change, nullptr) << where << "\n" << compat_report_text(report);
        EXPECT_EQ(change->change_kind, row.kind) << where;
        EXPECT_EQ(change->change_class, expected_class(v)) << where;

        // The bump the verdict asks for is what makes the report pass.
        if (v == 'D') {
          EXPECT_TRUE(report.ok) << where << "\n" << compat_report_text(report);
        } else if (catalog_scoped) {
          Catalog minor = new_catalog, major = new_catalog;
          minor.catalog_version = "1.1.0";
          major.catalog_version = "2.0.0";
          const CompatReport with_minor = compare_catalogs(old_catalog, minor, options);
          EXPECT_EQ(with_minor.ok, v == 'C') << where << "\n" << compat_report_text(with_minor);
          EXPECT_TRUE(compare_catalogs(old_catalog, major, options).ok) << where;
        } else {
          Catalog minor = new_catalog, major = new_catalog;
          bump_minor(minor, row.target);
          bump_major(major, row.target);
          const CompatReport minor_report = compare_catalogs(old_catalog, minor, options);
          const EventCompat& with_minor = verdict(minor_report, row.target);
          EXPECT_EQ(with_minor.ok, v == 'C') << where << ": " << with_minor.verdict;
          EXPECT_EQ(with_minor.required, v == 'C' ? Bump::Minor : Bump::Major) << where;
          EXPECT_TRUE(verdict(compare_catalogs(old_catalog, major, options), row.target).ok) << where;
        }
      }
    }
  }
}

// What Confluent documents for its compatibility types, encoded as expectations:
// - "Schema Evolution and Compatibility for Schema Registry on Confluent Platform"
//   (https://docs.confluent.io/platform/current/schema-registry/fundamentals/schema-evolution.html):
//   backward, consumers on the new schema read data written with the old; forward, consumers on
//   the old schema read data written with the new; full, both; transitive, against all previous
//   versions, not just the last one (TransitiveChecksEveryReleaseNotOnlyTheLatest below). Its
//   summary ("backward: add optional fields, remove fields; forward: remove optional fields, add
//   fields; full: add/remove optional fields only") is Avro's, where a reader fills defaults.
// - For JSON Schema the registry's checker decides by the content model (the JSON Schema serdes
//   page, https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/serdes-json.html,
//   and Robert Yokota, "Understanding JSON Schema Compatibility", https://yokota.blog/2021/03/29/understanding-json-schema-compatibility/):
//   with an open content model (additionalProperties true, the default) data written under the
//   old schema may already hold any property the schema does not declare, so adding a property,
//   optional or not, is not backward compatible, only forward; removing one is backward
//   compatible, not forward; so FULL allows neither. With a closed content model
//   (additionalProperties false) adding an optional property is backward compatible and removing
//   one forward compatible.
// Tolerant consumers are the open model, strict consumers the closed one.
TEST(CompatPolicy, ModesAgreeWithConfluentsJsonSchemaRules) {
  struct Documented {
    const char* change;
    void (*edit)(Catalog&);
    bool strict;                         // closed content model
    bool backward, forward, full, none;  // compatible in the mode
  };
  const auto add_optional = [](Catalog& c) { add_field(c, "CustomerCreated", "nickname", JsonType::String, false); };
  const auto add_required = [](Catalog& c) { add_field(c, "CustomerCreated", "tier", JsonType::String, true); };
  const auto remove_optional = [](Catalog& c) { erase_field(c, "CustomerCreated", "legal_name"); };
  const auto remove_required = [](Catalog& c) { erase_field(c, "CustomerCreated", "name"); };
  const Documented documented[] = {
      // Open content model.
      {"add optional property", add_optional, false, false, true, false, true},
      {"add required property", add_required, false, false, true, false, true},
      {"remove optional property", remove_optional, false, true, false, false, true},
      {"remove required property", remove_required, false, true, false, false, true},
      // Closed content model.
      {"add optional property (closed)", add_optional, true, true, false, false, true},
      {"add required property (closed)", add_required, true, false, false, false, true},
      {"remove optional property (closed)", remove_optional, true, false, true, false, true},
      {"remove required property (closed)", remove_required, true, false, false, false, true},
  };
  for (const auto& d : documented) {
    Catalog changed = base();
    d.edit(changed);
    bump_minor(changed, "CustomerCreated");  // what a compatible change needs
    const bool compatible[] = {d.backward, d.forward, d.full, d.none};
    for (size_t m = 0; m < 4; ++m) {
      const CompatReport report = compare_catalogs(base(), changed, {kAllModes[m], d.strict});
      EXPECT_EQ(report.ok, compatible[m]) << d.change << " in " << to_string(kAllModes[m]) << " mode\n" << compat_report_text(report);
      EXPECT_EQ(verdict(report, "CustomerCreated").worst, compatible[m] ? ChangeClass::Compatible : ChangeClass::Breaking)
          << d.change << " in " << to_string(kAllModes[m]) << " mode";
    }
  }
}

// An event type removed (with a MAJOR catalog bump) and later brought back in another shape: only
// an addition against the latest release, a breaking change against the one that still had it.
Catalog without_contact_deleted() {
  Catalog c = base();
  c.events.erase(std::remove_if(c.events.begin(), c.events.end(), [](const EventSpec& e) { return e.name == "ContactDeleted"; }),
                 c.events.end());
  c.catalog_version = "2.0.0";
  return c;
}

TEST(CompatPolicy, TransitiveChecksEveryReleaseNotOnlyTheLatest) {
  const Catalog v1 = base();
  const Catalog v2 = without_contact_deleted();
  Catalog next = v2;
  Catalog original = base();
  EventSpec back = event(original, "ContactDeleted");
  for (auto& f : back.fields)
    if (f.name == "merged_into_contact_id") f.required = true;
  next.events.push_back(back);
  next.catalog_version = "2.1.0";

  const std::vector<ReleasedCatalog> latest_only = {{"2.0.0", v2}};
  EXPECT_TRUE(compare_transitive(latest_only, next).ok) << transitive_report_text(compare_transitive(latest_only, next));
  const std::vector<ReleasedCatalog> releases = {{"1.0.0", v1}, {"2.0.0", v2}};
  const TransitiveReport report = compare_transitive(releases, next);
  EXPECT_FALSE(report.ok);
  ASSERT_EQ(report.comparisons.size(), 2u);
  EXPECT_EQ(report.comparisons[0].first, "1.0.0");
  EXPECT_FALSE(report.comparisons[0].second.ok);
  EXPECT_EQ(only_change(report.comparisons[0].second, "ContactDeleted").kind, "field.made_required");
  EXPECT_TRUE(report.comparisons[1].second.ok);
  const std::string text = transitive_report_text(report);
  EXPECT_NE(text.find("== against release 1.0.0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("transitive (backward mode): catalog 2.1.0 against 2 releases: PROBLEM\n"), std::string::npos) << text;

  rapidjson::Document json;
  const std::string json_text = transitive_report_json(report);
  json.Parse(json_text.data(), json_text.size());
  ASSERT_FALSE(json.HasParseError()) << json_text;
  EXPECT_TRUE(json["transitive"].GetBool());
  EXPECT_FALSE(json["ok"].GetBool());
  EXPECT_STREQ(json["comparisons"][0]["release"].GetString(), "1.0.0");
  EXPECT_FALSE(json["comparisons"][0]["report"]["ok"].GetBool());
}

TEST(CompatPolicy, ARemovedAndAnAddedEventWithNearlyTheSameFieldsIsAProbableRename) {
  Catalog changed = base();
  event(changed, "CustomerDisabled").name = "CustomerSuspended";
  add_field(changed, "CustomerSuspended", "until", JsonType::String, false);  // 4 of 5 fields in common
  CompatReport report = compare_catalogs(base(), changed);
  ASSERT_EQ(report.renames.size(), 1u) << compat_report_text(report);
  EXPECT_EQ(report.renames[0].from, "CustomerDisabled");
  EXPECT_EQ(report.renames[0].to, "CustomerSuspended");
  EXPECT_EQ(report.renames[0].shared_fields, 4u);
  EXPECT_EQ(report.renames[0].total_fields, 5u);
  const EventCompat& gone = verdict(report, "CustomerDisabled");
  EXPECT_EQ(gone.status, EventStatus::Removed);
  EXPECT_EQ(only_change(report, "CustomerDisabled").kind, "event.renamed");
  EXPECT_FALSE(gone.ok);
  EXPECT_EQ(verdict(report, "CustomerSuspended").changes.at(0).detail,
            "new event type, version 1.0, probably the new name of CustomerDisabled");
  EXPECT_TRUE(std::any_of(report.notes.begin(), report.notes.end(), [](const std::string& n) {
    return n == "CustomerDisabled -> CustomerSuspended looks like a rename (4 of 5 fields in common): the policy publishes the new "
                "name beside the old one and keeps CustomerDisabled alive for a deprecation period; remove it later, with a "
                "MAJOR catalog_version bump";
  })) << compat_report_text(report);

  // What the policy advises: the new name beside the old one, which is only an addition.
  Catalog both = base();
  EventSpec suspended = event(both, "CustomerDisabled");
  suspended.name = "CustomerSuspended";
  both.events.push_back(suspended);
  both.catalog_version = "1.1.0";
  const CompatReport advised = compare_catalogs(base(), both);
  EXPECT_TRUE(advised.ok) << compat_report_text(advised);
  EXPECT_TRUE(advised.renames.empty());

  // Different fields, or another aggregate: no rename, an ordinary removal and addition.
  Catalog other = base();
  event(other, "CustomerDisabled").name = "CustomerSuspended";
  erase_field(other, "CustomerSuspended", "reason");
  erase_field(other, "CustomerSuspended", "note");
  add_field(other, "CustomerSuspended", "until", JsonType::String, true);
  EXPECT_TRUE(compare_catalogs(base(), other).renames.empty());
  Catalog moved = base();
  event(moved, "CustomerDisabled").name = "ContactSuspended";
  event(moved, "ContactSuspended").aggregate = "Contact";
  EXPECT_TRUE(compare_catalogs(base(), moved).renames.empty());
}

TEST(CompatPolicy, TheTableIsPrintedAsJsonAndMarkdown) {
  rapidjson::Document json;
  const std::string text = policy_table_json();
  json.Parse(text.data(), text.size());
  ASSERT_FALSE(json.HasParseError()) << text;
  ASSERT_EQ(json["rows"].Size(), change_rules().size());
  EXPECT_EQ(json["modes"].Size(), 4u);
  EXPECT_NE(std::string(json["content_model"].GetString()).find("tolerated by default"), std::string::npos);
  const auto& row = json["rows"][0];
  EXPECT_STREQ(row["kind"].GetString(), "field.added_optional");
  EXPECT_STREQ(row["backward"]["reads"].GetString(), "if_strict");
  EXPECT_STREQ(row["forward"]["reads"].GetString(), "if_tolerant");
  EXPECT_STREQ(row["verdicts"]["backward"]["compatibility"].GetString(), "breaking");
  EXPECT_STREQ(row["strict_verdicts"]["backward"]["compatibility"].GetString(), "compatible");
  EXPECT_STREQ(row["verdicts"]["forward"]["compatibility"].GetString(), "compatible");
  EXPECT_STREQ(row["strict_verdicts"]["forward"]["compatibility"].GetString(), "breaking");
  EXPECT_STREQ(row["strict_verdicts"]["forward"]["bump"].GetString(), "major");

  const std::string markdown = policy_table_markdown();
  EXPECT_NE(markdown.find("| privacy class lowered (e.g. pii to internal) | `field.privacy_lowered` | breaking, MAJOR | "
                          "breaking, MAJOR | breaking, MAJOR | breaking, MAJOR |\n"),
            std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("| event type renamed | `event.renamed` | breaking, new event name |"), std::string::npos) << markdown;
}

TEST(CompatPolicy, MarkdownReportHasATableOfChangedEvents) {
  Catalog changed = base();
  field(changed, "ChannelMapped", "kind").enum_values.push_back("whatsapp");
  const std::string markdown = compat_report_markdown(compare_catalogs(base(), changed));
  EXPECT_EQ(markdown.rfind("## Catalog 1.0.0 → 1.0.0 (backward mode)\n\n**Breaks the change policy.**", 0), 0u) << markdown;
  EXPECT_NE(markdown.find("| ChannelMapped | changed | 1.0 → 1.0 | compatible | minor | ✘ compatible change without a version bump"),
            std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("- compatible `field.enum_value_added` `kind`: enum value \"whatsapp\" added\n"), std::string::npos) << markdown;
}

// --- The repository's release history --------------------------------------------------------

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every file in src/catalog/releases/, oldest first by semantic version.
std::vector<std::filesystem::path> releases() {
  std::vector<std::pair<std::vector<int>, std::filesystem::path>> found;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(MSGEVENTS_SOURCE_DIR) / "src/catalog/releases")) {
    std::vector<int> version;
    std::stringstream parts(entry.path().stem().string());
    for (std::string part; std::getline(parts, part, '.');) version.push_back(std::atoi(part.c_str()));
    found.emplace_back(version, entry.path());
  }
  std::sort(found.begin(), found.end());
  std::vector<std::filesystem::path> paths;
  for (auto& f : found) paths.push_back(f.second);
  return paths;
}

// BACKWARD_TRANSITIVE, the project's mode: a consumer on the current catalog reads every event
// written under any release. (scripts/test.d/40-interop.sh runs the same check with the CLI.)
TEST(Compat, TheCatalogKeepsThePolicyAgainstEveryRelease) {
  std::vector<ReleasedCatalog> released;
  for (const auto& path : releases()) {
    std::string error;
    std::optional<Catalog> catalog = parse_catalog(read_text(path), &error);
    ASSERT_TRUE(catalog) << path << ": " << error;
    EXPECT_EQ(catalog->catalog_version, path.stem().string()) << "a release file is named after its catalog_version";
    released.push_back({path.stem().string(), std::move(*catalog)});
  }
  ASSERT_FALSE(released.empty()) << "src/catalog/releases/ holds no release";
  const TransitiveReport report = compare_transitive(released, builtin_catalog());
  EXPECT_TRUE(report.ok) << "the catalog breaks the change policy against a release:\n" << transitive_report_text(report);
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
  EXPECT_EQ(run_cli("compat").status, 2);
  EXPECT_EQ(run_cli("compat --releases /nonexistent " + old_path).status, 2);
  EXPECT_EQ(run_cli("compat --mode sideways " + old_path + " " + old_path).status, 2);
  EXPECT_EQ(run_cli("compat --transitive " + old_path + " " + old_path).status, 2);
  EXPECT_EQ(run_cli("compat --policy " + old_path).status, 2);
  EXPECT_EQ(run_cli("compat --format xml " + old_path + " " + old_path).status, 2);
  EXPECT_EQ(run_cli("compat " + old_path + " /nonexistent/catalog.json").status, 2);
  const std::string not_catalog = write_temp("not_catalog.json", "{\"events\": 3}");
  EXPECT_EQ(run_cli("compat " + old_path + " " + not_catalog).status, 2);
}

}  // namespace
}  // namespace msgevents
