// The change-policy checker (spec FR-006, decisions.md "Change policy"): compares two versions of
// the catalog and says, for each event type, what changed, whether each change is compatible or
// breaking, and whether the declared schema_version bump matches the policy.
//
//   std::string error;
//   auto old_catalog = msgevents::parse_catalog(old_text, &error);
//   auto new_catalog = msgevents::parse_catalog(new_text, &error);
//   msgevents::CompatReport report = msgevents::compare_catalogs(*old_catalog, *new_catalog);
//   std::cout << msgevents::compat_report_text(report);   // or compat_report_json(report)
//   return report.ok ? 0 : 1;
//
// The policy, from the consumer's side (consumers are who an event contract protects):
// - Breaking: a change after which an event that was valid no longer validates, or a consumer
//   written for the old definition can get an event without data it relied on: a field removed
//   (a rename is a removal plus an addition), a type changed, a new required field, an optional
//   field made required or a required one made optional, an enum value removed, a constraint
//   tightened, a field's privacy class made stricter, the aggregate or creating role changed, a
//   lifecycle transition removed, the aggregate's id field changed, an event type removed.
//   It needs a new MAJOR schema_version (or a new event name instead of the change).
// - Compatible: a new optional field, an enum value added (consumers are told to tolerate
//   unknown values), a constraint loosened, a privacy class relaxed, a lifecycle transition added,
//   an event type added. It needs at least a MINOR bump.
// - Documentation (descriptions, purpose, invariants, conditions, traceability, delivery notes,
//   examples): any version, a bump is allowed but not needed.
// Removing an event type needs a MAJOR bump of the catalog_version, since no event version is left
// to carry it. A version that goes backwards is always wrong.
#pragma once

#include <string>
#include <vector>

#include "msgevents/catalog.hpp"

namespace msgevents {

enum class ChangeClass { Docs, Compatible, Breaking };
std::string_view to_string(ChangeClass change_class);

struct SchemaChange {
  // Stable kind code, e.g. "field.removed", "field.enum_value_added", "lifecycle.transition_removed".
  std::string kind;
  ChangeClass change_class = ChangeClass::Docs;
  std::string field;   // payload field concerned ("" for the event as a whole)
  std::string detail;  // what changed, old and new values, for a person
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

struct CompatReport {
  std::string old_catalog_version;
  std::string new_catalog_version;
  std::vector<EventCompat> events;                // every event type of either catalog, new order first
  std::vector<SchemaChange> catalog_changes;      // aggregate-level changes not tied to one event
  std::vector<std::string> problems;              // every policy violation, one sentence each
  std::vector<std::string> notes;                 // informational (bump without change, ...)
  bool ok = true;                                 // no policy violation: exit status 0
};

CompatReport compare_catalogs(const Catalog& old_catalog, const Catalog& new_catalog);

// `text`: one block per changed event type, then the problems and a summary line.
std::string compat_report_text(const CompatReport& report);
// {"old_catalog_version","new_catalog_version","ok","summary":{...},"events":[{"name","status",
//  "old_version","new_version","compatibility","required_bump","bump","ok","verdict","changes":[
//  {"kind","compatibility","field","detail"}]}],"catalog_changes":[...],"problems":[...],"notes":[...]}
std::string compat_report_json(const CompatReport& report, bool pretty = true);

}  // namespace msgevents
