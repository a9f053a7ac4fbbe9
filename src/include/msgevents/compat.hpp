// The change-policy checker (spec FR-006, decisions.md "Change policy"): compares two versions of
// the catalog, or a catalog against every released one, and says for each event type what
// changed, whether each change is compatible or breaking in the chosen compatibility mode, and
// whether the declared schema_version (or catalog_version) bump matches the policy.
//
//   std::string error;
//   auto old_catalog = msgevents::parse_catalog(old_text, &error);
//   auto new_catalog = msgevents::parse_catalog(new_text, &error);
//   msgevents::CompatOptions options;                    // BACKWARD, tolerant consumers
//   options.mode = msgevents::CompatMode::Full;
//   msgevents::CompatReport report = msgevents::compare_catalogs(*old_catalog, *new_catalog, options);
//   std::cout << msgevents::compat_report_text(report);   // or _json, _markdown
//   return report.ok ? 0 : 1;
//
// The content model, which every verdict is derived from:
// - An event is written under a catalog when that catalog's validator accepts it, and read by a
//   consumer when the consumer's catalog accepts it: compatibility is about those two sets.
// - A payload field the catalog does not list is tolerated by default (payload.unknown_field is a
//   warning) and rejected by strict consumers (`validate --strict`): JSON Schema's open content
//   model by default, the closed one for strict consumers (CompatOptions::strict_consumers). So in
//   the open model an event written under a catalog may carry any field of a name the catalog does
//   not list, with any value; in the closed model it carries none.
// - Anything else its catalog does not allow is rejected by every consumer: an event type or
//   aggregate it does not know (envelope.event_name.unknown), a value outside a field's type, enum,
//   format or bounds, a missing required field, a lifecycle transition it does not know.
// Hence, as in Confluent's JSON Schema checker: adding a field is not backward compatible in the
// open model (old events may already hold that name with another value) but is in the closed one
// when the field is optional; removing a field is backward compatible in the open model only.
// The compatibility modes are those of schema registries (Confluent, Apicurio):
// - backward: a consumer on the NEW catalog reads every event written under the OLD one;
// - forward:  a consumer on the OLD catalog reads every event written under the NEW one;
// - full:     both; none: no compatibility is asked (every change is compatible, except that a
//   privacy class change needs a MAJOR bump whatever the mode: it changes what public-stream
//   consumers receive).
// Transitive: NEW is checked against every released catalog, not only the latest
// (compare_transitive()).
//
// One table (change_rules(), src/lib/compat_policy.cpp) says for each kind of change whether each
// direction reads; policy_verdict() derives from it the verdict and the bump in each mode. The
// checker classifies every change it finds through that table, and the docs site renders it.
// A breaking change needs a new MAJOR schema_version of its event type (or the new shape published
// under a new event name); a compatible one at least a MINOR; documentation none. Adding, removing
// or renaming an event type, and aggregate-level changes, are judged on the catalog_version.
// A version that goes backwards is always wrong.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "msgevents/catalog.hpp"

namespace msgevents {

enum class ChangeClass { Docs, Compatible, Breaking };
std::string_view to_string(ChangeClass change_class);

enum class CompatMode { Backward, Forward, Full, None };
std::string_view to_string(CompatMode mode);
// "backward", "forward", "full", "none" (lower case, as the CLI takes them); nullopt otherwise.
std::optional<CompatMode> parse_compat_mode(std::string_view text);

struct CompatOptions {
  CompatMode mode = CompatMode::Backward;  // the schema registries' default
  bool strict_consumers = false;           // consumers reject unknown fields (closed content model)
};

// Every kind of change the checker reports; each is one row of change_rules(), in this order.
enum class ChangeKind {
  FieldAddedOptional,
  FieldRemovedOptional,
  FieldAddedRequired,
  FieldRemovedRequired,
  FieldMadeRequired,
  FieldMadeOptional,
  FieldTypeChanged,
  FieldTypeWidened,
  FieldTypeNarrowed,
  FieldEnumValueAdded,
  FieldEnumValueRemoved,
  FieldConstraintTightened,
  FieldConstraintLoosened,
  FieldPrivacyRaised,
  FieldPrivacyLowered,
  LifecycleTransitionAdded,
  LifecycleTransitionRemoved,
  EventAggregateChanged,
  EventCreatesChanged,
  AggregateIdFieldChanged,
  AggregateAttributeAdded,
  AggregateAttributeRemoved,
  EventAdded,
  EventRemoved,
  EventRenamed,
  AggregateAdded,
  AggregateRemoved,
  AggregateStateAdded,
  AggregateStateRemoved,
  Documentation,
};

// Whether a consumer on one catalog reads every event written under the other, per the content
// model: yes; only in the open model (unknown fields tolerated); only in the closed model (strict
// consumers, so no event carries an unknown field); or no.
enum class Reads { Yes, IfTolerant, IfStrict, No };
std::string_view to_string(Reads reads);  // "yes", "if_tolerant", "if_strict", "no"

// Which version a change is judged on: its event type's schema_version or the catalog_version.
enum class ChangeScope { Event, Catalog };

// The bump a change needs, as the policy table states it.
enum class NeededBump { None, Minor, Major, NewEventName };
std::string_view to_string(NeededBump bump);  // "none", "minor", "major", "new_event_name"

struct ChangeRule {
  ChangeKind kind;
  std::string_view code;    // stable code in reports: "field.added_optional", "docs.*", ...
  std::string_view change;  // for a person: "optional field added"
  ChangeScope scope;
  Reads backward;  // a consumer on NEW reads events written under OLD
  Reads forward;   // a consumer on OLD reads events written under NEW
  std::string_view backward_why;
  std::string_view forward_why;
  bool major_whatever_the_mode;  // privacy class changes
  bool renamed;                  // the remedy is a new event name beside the old one
};

// The table, in the order the docs show it. One row per ChangeKind.
const std::vector<ChangeRule>& change_rules();
const ChangeRule& change_rule(ChangeKind kind);

struct PolicyVerdict {
  ChangeClass change_class = ChangeClass::Docs;
  NeededBump bump = NeededBump::None;
};
// The verdict on one kind of change in one mode, derived from its row: a direction the mode asks
// for that does not read makes it breaking (a MAJOR bump, or a new event name for a rename).
PolicyVerdict policy_verdict(ChangeKind kind, const CompatOptions& options);

// The policy table with the content model, the modes and every row's verdict in each mode, for
// tolerant and strict consumers: {"content_model", "modes":[...], "rows":[{"kind","change","scope",
// "backward":{"reads","why"},"forward":{...},"verdicts":{"backward":{"compatibility","bump"},...},
// "strict_verdicts":{...}}]}. Markdown and text render the same table.
std::string policy_table_json(bool pretty = true);
std::string policy_table_markdown();
std::string policy_table_text();

struct SchemaChange {
  // Stable kind code, e.g. "field.removed_required", "field.enum_value_added", "docs.purpose".
  std::string kind;
  ChangeClass change_class = ChangeClass::Docs;  // in the report's mode
  std::string field;   // payload field concerned ("" for the event as a whole)
  std::string detail;  // what changed, old and new values, for a person
  ChangeKind change_kind = ChangeKind::Documentation;
};

enum class EventStatus { Unchanged, Changed, Added, Removed };
std::string_view to_string(EventStatus status);

// The bump a change needs and the bump that was made.
enum class Bump { None, Minor, Major, Backwards };
std::string_view to_string(Bump bump);

struct EventCompat {
  std::string name;
  EventStatus status = EventStatus::Unchanged;
  std::string old_version;  // "MAJOR.MINOR"; "" when added
  std::string new_version;  // "" when removed
  std::vector<SchemaChange> changes;
  ChangeClass worst = ChangeClass::Docs;  // the most severe change (Docs when there is none)
  Bump required = Bump::None;
  Bump made = Bump::None;
  bool ok = true;        // the bump satisfies the policy
  std::string verdict;   // one sentence: what was expected and what was found
};

// An event type removed and one added to the same aggregate with nearly the same fields.
struct ProbableRename {
  std::string from;
  std::string to;
  size_t shared_fields = 0;  // fields of the same name and type in both
  size_t total_fields = 0;   // fields in either
};

struct CompatReport {
  CompatOptions options;
  std::string old_catalog_version;
  std::string new_catalog_version;
  std::vector<EventCompat> events;                // every event type of either catalog, new order first
  std::vector<SchemaChange> catalog_changes;      // aggregate-level changes not tied to one event
  std::vector<ProbableRename> renames;
  std::vector<std::string> problems;              // every policy violation, one sentence each
  std::vector<std::string> notes;                 // informational (bump without change, rename advice, ...)
  bool ok = true;                                 // no policy violation: exit status 0
};

CompatReport compare_catalogs(const Catalog& old_catalog, const Catalog& new_catalog, const CompatOptions& options = {});

// NEW against every released catalog (BACKWARD_TRANSITIVE and the like): one report per release,
// in the order given; ok when every one is.
struct ReleasedCatalog {
  std::string name;  // e.g. "1.0.0" (the release file's name)
  Catalog catalog;
};
struct TransitiveReport {
  CompatOptions options;
  std::string new_catalog_version;
  std::vector<std::pair<std::string, CompatReport>> comparisons;  // (release name, report)
  bool ok = true;
};
TransitiveReport compare_transitive(const std::vector<ReleasedCatalog>& releases, const Catalog& new_catalog,
                                    const CompatOptions& options = {});

// `text`: one block per changed event type, then the problems and a summary line.
std::string compat_report_text(const CompatReport& report);
// {"mode","strict_consumers","old_catalog_version","new_catalog_version","ok","summary":{...},
//  "events":[{"name","status","old_version","new_version","compatibility","required_bump","bump",
//  "ok","verdict","changes":[{"kind","compatibility","field","detail"}]}],"catalog_changes":[...],
//  "renames":[{"from","to","shared_fields","total_fields"}],"problems":[...],"notes":[...]}
std::string compat_report_json(const CompatReport& report, bool pretty = true);
// A heading, the verdict, a table of the event types that changed, their changes, the problems.
std::string compat_report_markdown(const CompatReport& report);

// The same three formats over a transitive check; the JSON is
// {"mode","strict_consumers","transitive":true,"new_catalog_version","ok","comparisons":[{"release", "report"}]}.
std::string transitive_report_text(const TransitiveReport& report);
std::string transitive_report_json(const TransitiveReport& report, bool pretty = true);
std::string transitive_report_markdown(const TransitiveReport& report);

}  // namespace msgevents
