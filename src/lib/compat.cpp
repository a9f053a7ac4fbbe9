// The change-policy checker. See msgevents/compat.hpp for the policy this file implements; every
// change it finds is classified through the one table of src/lib/compat_policy.cpp.
#include "msgevents/compat.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "json_writer.hpp"

namespace msgevents {
namespace {

std::string version_text(const SchemaVersion& v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor);
}

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

// Name lookups through hash tables, so that comparing catalogs of any size takes linear time.
using NameSet = std::unordered_set<std::string_view>;
NameSet name_set(const std::vector<std::string>& names) { return NameSet(names.begin(), names.end()); }

template <typename Spec>
class NameIndex {
 public:
  explicit NameIndex(const std::vector<Spec>& specs) {
    for (const Spec& spec : specs) by_name_.emplace(spec.name, &spec);  // the first of a name, as find_* do
  }
  const Spec* find(std::string_view name) const {
    const auto found = by_name_.find(name);
    return found == by_name_.end() ? nullptr : found->second;
  }

 private:
  std::unordered_map<std::string_view, const Spec*> by_name_;
};

std::string number_text(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

// Every change goes through here: its class in the report's mode comes from the policy table.
class ChangeList {
 public:
  ChangeList(std::vector<SchemaChange>* changes, const CompatOptions& options) : changes_(changes), options_(options) {}
  void add(ChangeKind kind, std::string field, std::string detail, std::string_view code = {}) {
    const ChangeRule& rule = change_rule(kind);
    changes_->push_back({std::string(code.empty() ? rule.code : code), policy_verdict(kind, options_).change_class,
                         std::move(field), std::move(detail), kind});
  }

 private:
  std::vector<SchemaChange>* changes_;
  const CompatOptions& options_;
};

// A lower bound (minLength, minimum, minItems): raising or adding it tightens.
template <typename T>
void compare_lower_bound(const std::optional<T>& before, const std::optional<T>& after, const char* what,
                         const std::string& field, ChangeList& out, std::string (*show)(T)) {
  if (before == after) return;
  std::string detail = std::string(what) + " " + (before ? show(*before) : "none") + " -> " + (after ? show(*after) : "none");
  bool tighter = after && (!before || *after > *before);
  out.add(tighter ? ChangeKind::FieldConstraintTightened : ChangeKind::FieldConstraintLoosened, field, detail);
}

// An upper bound (maxLength, maximum, maxItems): lowering or adding it tightens.
template <typename T>
void compare_upper_bound(const std::optional<T>& before, const std::optional<T>& after, const char* what,
                         const std::string& field, ChangeList& out, std::string (*show)(T)) {
  if (before == after) return;
  std::string detail = std::string(what) + " " + (before ? show(*before) : "none") + " -> " + (after ? show(*after) : "none");
  bool tighter = after && (!before || *after < *before);
  out.add(tighter ? ChangeKind::FieldConstraintTightened : ChangeKind::FieldConstraintLoosened, field, detail);
}

std::string show_count(uint64_t value) { return std::to_string(value); }
std::string show_number(double value) { return number_text(value); }

void compare_flag(bool before, bool after, const char* what, const std::string& field, ChangeList& out) {
  if (before == after) return;
  out.add(after ? ChangeKind::FieldConstraintTightened : ChangeKind::FieldConstraintLoosened, field,
          std::string(what) + (after ? " now required" : " no longer required"));
}

void compare_format(const std::string& before, const std::string& after, const char* what, const std::string& field,
                    ChangeList& out) {
  if (before == after) return;
  bool looser = after.empty();
  out.add(looser ? ChangeKind::FieldConstraintLoosened : ChangeKind::FieldConstraintTightened, field,
          std::string(what) + " " + (before.empty() ? "none" : before) + " -> " + (after.empty() ? "none" : after));
}

void compare_enum(const std::vector<std::string>& before, const std::vector<std::string>& after, bool items,
                  const std::string& field, ChangeList& out) {
  if (before == after) return;
  const std::string what = items ? "item enum" : "enum";
  if (before.empty()) {
    out.add(ChangeKind::FieldConstraintTightened, field, what + " introduced: any value -> a fixed list");
    return;
  }
  if (after.empty()) {
    out.add(ChangeKind::FieldConstraintLoosened, field, what + " dropped: any value is now allowed");
    return;
  }
  const NameSet before_set = name_set(before), after_set = name_set(after);
  for (const auto& value : before)
    if (after_set.count(value) == 0) out.add(ChangeKind::FieldEnumValueRemoved, field, what + " value " + quoted(value) + " removed");
  for (const auto& value : after)
    if (before_set.count(value) == 0) out.add(ChangeKind::FieldEnumValueAdded, field, what + " value " + quoted(value) + " added");
}

// identifier and internal are both safe to share inside the platform; pii must be redacted in the
// public profile; secret may never travel.
int privacy_rank(Privacy privacy) {
  switch (privacy) {
    case Privacy::Identifier:
    case Privacy::Internal: return 0;
    case Privacy::Pii: return 1;
    case Privacy::Secret: return 2;
  }
  return 0;
}

// integer -> number widens (every integer is a number), number -> integer narrows; anything else
// is a change of type.
ChangeKind type_change(JsonType before, JsonType after) {
  if (before == JsonType::Integer && after == JsonType::Number) return ChangeKind::FieldTypeWidened;
  if (before == JsonType::Number && after == JsonType::Integer) return ChangeKind::FieldTypeNarrowed;
  return ChangeKind::FieldTypeChanged;
}

void compare_field(const FieldSpec& before, const FieldSpec& after, ChangeList& out) {
  const std::string& f = after.name;
  if (before.type != after.type)
    out.add(type_change(before.type, after.type), f,
            "type " + std::string(to_string(before.type)) + " -> " + std::string(to_string(after.type)));
  if (before.required != after.required) {
    if (after.required)
      out.add(ChangeKind::FieldMadeRequired, f, "optional -> required: events without it stop validating");
    else
      out.add(ChangeKind::FieldMadeOptional, f, "required -> optional: consumers relying on it may no longer get it");
  }
  if (before.privacy != after.privacy) {
    const bool raised = privacy_rank(after.privacy) > privacy_rank(before.privacy);
    out.add(raised ? ChangeKind::FieldPrivacyRaised : ChangeKind::FieldPrivacyLowered, f,
            "privacy " + std::string(to_string(before.privacy)) + " -> " + std::string(to_string(after.privacy)) +
                ": what public-stream consumers receive changes");
  }
  compare_enum(before.enum_values, after.enum_values, false, f, out);
  compare_format(before.format, after.format, "format", f, out);
  compare_lower_bound(before.min_length, after.min_length, "minLength", f, out, show_count);
  compare_upper_bound(before.max_length, after.max_length, "maxLength", f, out, show_count);
  compare_flag(before.free_text, after.free_text, "contact-data scan of free text", f, out);
  compare_lower_bound(before.minimum, after.minimum, "minimum", f, out, show_number);
  compare_upper_bound(before.maximum, after.maximum, "maximum", f, out, show_number);
  if (before.item_type != after.item_type)
    out.add(before.item_type && after.item_type ? type_change(*before.item_type, *after.item_type) : ChangeKind::FieldTypeChanged, f,
            "item type " + (before.item_type ? std::string(to_string(*before.item_type)) : std::string("none")) + " -> " +
                (after.item_type ? std::string(to_string(*after.item_type)) : std::string("none")));
  compare_format(before.item_format, after.item_format, "item format", f, out);
  compare_enum(before.item_enum, after.item_enum, true, f, out);
  compare_flag(before.items_are_aggregate_fields, after.items_are_aggregate_fields,
               "items naming aggregate attributes", f, out);
  compare_lower_bound(before.min_items, after.min_items, "minItems", f, out, show_count);
  compare_upper_bound(before.max_items, after.max_items, "maxItems", f, out, show_count);
  compare_flag(before.unique_items, after.unique_items, "unique items", f, out);
  if (before.description != after.description) out.add(ChangeKind::Documentation, f, "description changed", "docs.field_description");
}

void compare_docs(const EventSpec& before, const EventSpec& after, ChangeList& out) {
  auto docs = [&out](bool changed, const char* kind, const char* what) {
    if (changed) out.add(ChangeKind::Documentation, "", std::string(what) + " changed", kind);
  };
  docs(before.purpose != after.purpose, "docs.purpose", "purpose");
  docs(before.invariants != after.invariants, "docs.invariants", "invariants");
  docs(before.preconditions != after.preconditions, "docs.preconditions", "preconditions");
  docs(before.postconditions != after.postconditions, "docs.postconditions", "postconditions");
  docs(before.traceability != after.traceability, "docs.traceability", "traceability references");
  docs(before.delivery.ordering_key != after.delivery.ordering_key ||
           before.delivery.idempotency_key != after.delivery.idempotency_key ||
           before.delivery.duplicates != after.delivery.duplicates,
       "docs.delivery", "delivery semantics");
  docs(before.examples != after.examples, "docs.examples", "examples");
}

using TransitionSet = std::set<std::pair<std::string, std::string>>;

// One catalog's lookups, built once per comparison.
struct CatalogIndex {
  explicit CatalogIndex(const Catalog& catalog) : events(catalog.events), aggregates(catalog.aggregates) {
    for (const auto& aggregate : catalog.aggregates)
      for (const auto& t : aggregate.transitions) transitions[{aggregate.name, t.event}].insert({t.from, t.to});
  }
  // The transitions an event records in its own aggregate's lifecycle.
  TransitionSet transitions_of(const EventSpec& event) const {
    const auto found = transitions.find({event.aggregate, event.name});
    return found == transitions.end() ? TransitionSet() : found->second;
  }
  NameIndex<EventSpec> events;
  NameIndex<AggregateSpec> aggregates;
  std::map<std::pair<std::string_view, std::string_view>, TransitionSet> transitions;  // (aggregate, event)
};

std::string transition_text(const std::pair<std::string, std::string>& t) {
  return (t.first.empty() ? std::string("(new)") : t.first) + " -> " + t.second;
}

bool names_aggregate_fields(const EventSpec& event) {
  return std::any_of(event.fields.begin(), event.fields.end(),
                     [](const FieldSpec& f) { return f.items_are_aggregate_fields; });
}

void compare_event(const CatalogIndex& old_catalog, const EventSpec& before, const CatalogIndex& new_catalog,
                   const EventSpec& after, ChangeList& out) {
  if (before.aggregate != after.aggregate)
    out.add(ChangeKind::EventAggregateChanged, "", "aggregate " + before.aggregate + " -> " + after.aggregate);
  if (before.creates != after.creates)
    out.add(ChangeKind::EventCreatesChanged, "",
            after.creates ? "now the creating event of its aggregate (version 1)" : "no longer the creating event");
  const NameIndex<FieldSpec> before_fields(before.fields), after_fields(after.fields);
  for (const auto& field : before.fields)
    if (after_fields.find(field.name) == nullptr)
      out.add(field.required ? ChangeKind::FieldRemovedRequired : ChangeKind::FieldRemovedOptional, field.name,
              std::string(field.required ? "required" : "optional") + " field removed (a rename is a removal plus an addition)");
  for (const auto& field : after.fields) {
    const FieldSpec* old_field = before_fields.find(field.name);
    if (old_field == nullptr) {
      if (field.required)
        out.add(ChangeKind::FieldAddedRequired, field.name,
                "new required field (" + std::string(to_string(field.type)) + "): events without it stop validating");
      else
        out.add(ChangeKind::FieldAddedOptional, field.name, "new optional field (" + std::string(to_string(field.type)) + ")");
      continue;
    }
    compare_field(*old_field, field, out);
  }

  TransitionSet old_transitions = old_catalog.transitions_of(before);
  TransitionSet new_transitions = new_catalog.transitions_of(after);
  for (const auto& t : old_transitions)
    if (new_transitions.count(t) == 0)
      out.add(ChangeKind::LifecycleTransitionRemoved, "",
              "transition " + transition_text(t) + " removed: such events become lifecycle errors");
  for (const auto& t : new_transitions)
    if (old_transitions.count(t) == 0)
      out.add(ChangeKind::LifecycleTransitionAdded, "", "transition " + transition_text(t) + " added");

  const AggregateSpec* old_aggregate = old_catalog.aggregates.find(before.aggregate);
  const AggregateSpec* new_aggregate = new_catalog.aggregates.find(after.aggregate);
  if (old_aggregate != nullptr && new_aggregate != nullptr && before.aggregate == after.aggregate) {
    if (old_aggregate->id_field != new_aggregate->id_field)
      out.add(ChangeKind::AggregateIdFieldChanged, "",
              "aggregate id field " + old_aggregate->id_field + " -> " + new_aggregate->id_field);
    if (names_aggregate_fields(after)) {
      const NameSet old_attributes = name_set(old_aggregate->attributes), new_attributes = name_set(new_aggregate->attributes);
      for (const auto& attribute : old_aggregate->attributes)
        if (new_attributes.count(attribute) == 0)
          out.add(ChangeKind::AggregateAttributeRemoved, "",
                  before.aggregate + " attribute " + quoted(attribute) + " removed: changed_fields naming it stop validating");
      for (const auto& attribute : new_aggregate->attributes)
        if (old_attributes.count(attribute) == 0)
          out.add(ChangeKind::AggregateAttributeAdded, "", before.aggregate + " attribute " + quoted(attribute) + " added");
    }
  }
  compare_docs(before, after, out);
}

Bump bump_made(const SchemaVersion& before, const SchemaVersion& after) {
  if (after.major > before.major) return Bump::Major;
  if (after.major < before.major) return Bump::Backwards;
  if (after.minor > before.minor) return Bump::Minor;
  if (after.minor < before.minor) return Bump::Backwards;
  return Bump::None;
}

int bump_rank(Bump bump) {
  switch (bump) {
    case Bump::None: return 0;
    case Bump::Minor: return 1;
    case Bump::Major: return 2;
    case Bump::Backwards: return -1;
  }
  return -1;
}

// "MAJOR.MINOR.PATCH" of a catalog version (missing parts are 0); nullopt when it is not one.
std::optional<std::array<uint64_t, 3>> semver(const std::string& version) {
  std::array<uint64_t, 3> parts = {0, 0, 0};
  size_t part = 0;
  bool digit = false;
  for (char c : version) {
    if (c == '.') {
      if (!digit || ++part == parts.size()) return std::nullopt;
      digit = false;
    } else if (c >= '0' && c <= '9' && parts[part] < 1000000000) {
      parts[part] = parts[part] * 10 + static_cast<uint64_t>(c - '0');
      digit = true;
    } else {
      return std::nullopt;
    }
  }
  if (!digit) return std::nullopt;
  return parts;
}

std::string mode_words(const CompatOptions& options) {
  return std::string(to_string(options.mode)) + " mode" + (options.strict_consumers ? ", strict consumers" : "");
}

void judge(EventCompat& ev, const SchemaVersion& before, const SchemaVersion& after, std::vector<std::string>& notes) {
  for (const auto& change : ev.changes)
    if (static_cast<int>(change.change_class) > static_cast<int>(ev.worst)) ev.worst = change.change_class;
  ev.required = ev.changes.empty() || ev.worst == ChangeClass::Docs
                    ? Bump::None
                    : (ev.worst == ChangeClass::Breaking ? Bump::Major : Bump::Minor);
  ev.made = bump_made(before, after);
  ev.status = ev.changes.empty() && ev.made == Bump::None ? EventStatus::Unchanged : EventStatus::Changed;
  const std::string from = version_text(before), to = version_text(after);
  if (ev.made == Bump::Backwards) {
    ev.ok = false;
    ev.verdict = "schema_version went backwards (" + from + " -> " + to + "); versions only ever increase";
  } else if (bump_rank(ev.made) < bump_rank(ev.required)) {
    ev.ok = false;
    if (ev.required == Bump::Major)
      ev.verdict = "breaking change without a MAJOR bump (" + from + " -> " + to + "): declare " +
                   std::to_string(before.major + 1) + ".0, or publish the new shape under a new event name";
    else
      ev.verdict = "compatible change without a version bump (" + from + " -> " + to + "): declare at least " +
                   std::to_string(before.major) + "." + std::to_string(before.minor + 1);
  } else if (ev.changes.empty()) {
    ev.verdict = ev.made == Bump::None ? "unchanged" : "version bumped (" + from + " -> " + to + ") without a change";
    if (ev.made != Bump::None) notes.push_back(ev.name + ": " + ev.verdict);
  } else {
    if (ev.worst == ChangeClass::Docs)
      ev.verdict = "documentation only, no bump needed" + (ev.made == Bump::None ? std::string() : " (" + from + " -> " + to + ")");
    else
      ev.verdict = std::string(to_string(ev.worst)) + " change with a " + (ev.made == Bump::Major ? "MAJOR" : "MINOR") +
                   " bump (" + from + " -> " + to + ")";
    if (ev.worst == ChangeClass::Compatible && ev.made == Bump::Major)
      notes.push_back(ev.name + ": a MAJOR bump for a compatible change is allowed but not needed");
  }
}

// An event type added or removed is judged on the catalog_version: breaking in the mode needs a
// MAJOR catalog_version bump; compatible needs none beyond the catalog's own.
void judge_catalog_scoped(EventCompat& ev, const std::string& what, bool catalog_major_bump, const CompatReport& report) {
  ev.worst = ev.changes.front().change_class;
  ev.required = ev.worst == ChangeClass::Breaking ? Bump::Major : Bump::Minor;
  ev.ok = ev.worst != ChangeClass::Breaking || catalog_major_bump;
  const std::string versions = " (" + report.old_catalog_version + " -> " + report.new_catalog_version + ")";
  if (ev.worst != ChangeClass::Breaking)
    ev.verdict = what + ": compatible in " + mode_words(report.options);
  else if (ev.ok)
    ev.verdict = what + ", breaking in " + mode_words(report.options) + ", with a MAJOR catalog_version bump" + versions;
  else
    ev.verdict = what + ", breaking in " + mode_words(report.options) + ", without a MAJOR catalog_version bump" + versions;
}

// The fields two event types share (same name and type) and the fields either has.
std::pair<size_t, size_t> field_overlap(const EventSpec& a, const EventSpec& b) {
  const NameIndex<FieldSpec> b_fields(b.fields);
  size_t shared = 0, only_a = 0;
  for (const auto& field : a.fields) {
    const FieldSpec* other = b_fields.find(field.name);
    if (other == nullptr) ++only_a;
    else if (other->type == field.type) ++shared;
    else ++only_a;
  }
  // Fields of b whose name a lacks, plus those of a different type (counted once, in only_a).
  size_t only_b = 0;
  const NameIndex<FieldSpec> a_fields(a.fields);
  for (const auto& field : b.fields)
    if (a_fields.find(field.name) == nullptr) ++only_b;
  return {shared, shared + only_a + only_b};
}

// "Nearly the same fields": at least three quarters of the fields either has are in both.
bool nearly_same_fields(size_t shared, size_t total) { return total > 0 && shared * 4 >= total * 3; }

}  // namespace

std::string_view to_string(ChangeClass change_class) {
  switch (change_class) {
    case ChangeClass::Docs: return "docs";
    case ChangeClass::Compatible: return "compatible";
    case ChangeClass::Breaking: return "breaking";
  }
  return "docs";
}

std::string_view to_string(EventStatus status) {
  switch (status) {
    case EventStatus::Unchanged: return "unchanged";
    case EventStatus::Changed: return "changed";
    case EventStatus::Added: return "added";
    case EventStatus::Removed: return "removed";
  }
  return "unchanged";
}

std::string_view to_string(Bump bump) {
  switch (bump) {
    case Bump::None: return "none";
    case Bump::Minor: return "minor";
    case Bump::Major: return "major";
    case Bump::Backwards: return "backwards";
  }
  return "none";
}

namespace {

// The event types of both catalogs, each compared and judged; which were added and removed, for
// the renames.
struct AddedAndRemoved {
  std::vector<size_t> added, removed;  // indices into report.events
  std::vector<const EventSpec*> added_specs, removed_specs;
};

AddedAndRemoved compare_event_types(const Catalog& old_catalog, const Catalog& new_catalog, const CatalogIndex& old_index,
                                    const CatalogIndex& new_index, const CompatOptions& options, bool catalog_major_bump,
                                    CompatReport& report) {
  AddedAndRemoved changed;
  std::vector<size_t>& added = changed.added;
  std::vector<size_t>& removed = changed.removed;
  std::vector<const EventSpec*>& added_specs = changed.added_specs;
  std::vector<const EventSpec*>& removed_specs = changed.removed_specs;
  for (const auto& after : new_catalog.events) {
    EventCompat ev;
    ev.name = after.name;
    ev.new_version = version_text(after.schema_version);
    ChangeList changes(&ev.changes, options);
    const EventSpec* before = old_index.events.find(after.name);
    if (before == nullptr) {
      ev.status = EventStatus::Added;
      changes.add(ChangeKind::EventAdded, "", "new event type, version " + ev.new_version);
      judge_catalog_scoped(ev, "new event type (" + ev.new_version + ")", catalog_major_bump, report);
      added.push_back(report.events.size());
      added_specs.push_back(&after);
      report.events.push_back(std::move(ev));
      continue;
    }
    ev.old_version = version_text(before->schema_version);
    compare_event(old_index, *before, new_index, after, changes);
    judge(ev, before->schema_version, after.schema_version, report.notes);
    report.events.push_back(std::move(ev));
  }
  for (const auto& before : old_catalog.events) {
    if (new_index.events.find(before.name) != nullptr) continue;
    EventCompat ev;
    ev.name = before.name;
    ev.status = EventStatus::Removed;
    ev.old_version = version_text(before.schema_version);
    ChangeList(&ev.changes, options)
        .add(ChangeKind::EventRemoved, "", "event type removed: its consumers and stored events lose their contract");
    judge_catalog_scoped(ev, "event type removed", catalog_major_bump, report);
    removed.push_back(report.events.size());
    removed_specs.push_back(&before);
    report.events.push_back(std::move(ev));
  }

  return changed;
}

// Probable renames: each removed event type paired with the added one of the same aggregate that
// shares the most fields, when it shares nearly all of them.
void pair_renames(const AddedAndRemoved& changed, const CompatOptions& options, bool catalog_major_bump, CompatReport& report) {
  const std::vector<size_t>& added = changed.added;
  const std::vector<size_t>& removed = changed.removed;
  const std::vector<const EventSpec*>& added_specs = changed.added_specs;
  const std::vector<const EventSpec*>& removed_specs = changed.removed_specs;
  std::vector<bool> taken(added.size(), false);
  for (size_t r = 0; r < removed.size(); ++r) {
    size_t best = added.size(), best_shared = 0, best_total = 0;
    for (size_t a = 0; a < added.size(); ++a) {
      if (taken[a] || added_specs[a]->aggregate != removed_specs[r]->aggregate) continue;
      const auto [shared, total] = field_overlap(*removed_specs[r], *added_specs[a]);
      if (nearly_same_fields(shared, total) && (best == added.size() || shared * best_total > best_shared * total)) {
        best = a;
        best_shared = shared;
        best_total = total;
      }
    }
    if (best == added.size()) continue;
    taken[best] = true;
    EventCompat& gone = report.events[removed[r]];
    EventCompat& arrived = report.events[added[best]];
    const std::string overlap = std::to_string(best_shared) + " of " + std::to_string(best_total) + " fields";
    gone.changes.clear();
    ChangeList(&gone.changes, options)
        .add(ChangeKind::EventRenamed, "",
             "probably renamed to " + arrived.name + " (same aggregate " + removed_specs[r]->aggregate + ", " + overlap + ")");
    judge_catalog_scoped(gone, "probably renamed to " + arrived.name, catalog_major_bump, report);
    arrived.changes.front().detail += ", probably the new name of " + gone.name;
    report.renames.push_back({gone.name, arrived.name, best_shared, best_total});
    report.notes.push_back(gone.name + " -> " + arrived.name + " looks like a rename (" + overlap +
                           " in common): the policy publishes the new name beside the old one and keeps " + gone.name +
                           " alive for a deprecation period; remove it later, with a MAJOR catalog_version bump");
  }

}

// What changed above the event types: aggregates and their states, and the documentation.
void compare_catalog_level(const Catalog& old_catalog, const Catalog& new_catalog, const CatalogIndex& old_index,
                           const CatalogIndex& new_index, const CompatOptions& options, CompatReport& report) {
  ChangeList catalog_changes(&report.catalog_changes, options);
  for (const auto& aggregate : old_catalog.aggregates) {
    const AggregateSpec* after = new_index.aggregates.find(aggregate.name);
    if (after == nullptr) {
      catalog_changes.add(ChangeKind::AggregateRemoved, "", "aggregate " + aggregate.name + " removed");
      continue;
    }
    const NameSet old_states = name_set(aggregate.states), new_states = name_set(after->states);
    for (const auto& state : aggregate.states)
      if (new_states.count(state) == 0)
        catalog_changes.add(ChangeKind::AggregateStateRemoved, "", aggregate.name + " state " + quoted(state) + " removed");
    for (const auto& state : after->states)
      if (old_states.count(state) == 0)
        catalog_changes.add(ChangeKind::AggregateStateAdded, "", aggregate.name + " state " + quoted(state) + " added");
    if (aggregate.description != after->description)
      catalog_changes.add(ChangeKind::Documentation, "", aggregate.name + " description changed", "docs.aggregate");
  }
  for (const auto& aggregate : new_catalog.aggregates)
    if (old_index.aggregates.find(aggregate.name) == nullptr)
      catalog_changes.add(ChangeKind::AggregateAdded, "", "aggregate " + aggregate.name + " added");
  auto catalog_docs = [&catalog_changes](bool changed, const char* what) {
    if (changed) catalog_changes.add(ChangeKind::Documentation, "", std::string(what) + " changed", "docs.catalog");
  };
  catalog_docs(old_catalog.title != new_catalog.title || old_catalog.description != new_catalog.description,
               "catalog title or description");
  bool envelope_changed = old_catalog.envelope.size() != new_catalog.envelope.size();
  for (size_t i = 0; !envelope_changed && i < old_catalog.envelope.size(); ++i)
    envelope_changed = old_catalog.envelope[i].name != new_catalog.envelope[i].name ||
                       old_catalog.envelope[i].description != new_catalog.envelope[i].description ||
                       old_catalog.envelope[i].required != new_catalog.envelope[i].required;
  catalog_docs(envelope_changed, "envelope documentation");
  bool decisions_changed = old_catalog.decisions.size() != new_catalog.decisions.size();
  for (size_t i = 0; !decisions_changed && i < old_catalog.decisions.size(); ++i)
    decisions_changed = old_catalog.decisions[i].topic != new_catalog.decisions[i].topic ||
                        old_catalog.decisions[i].text != new_catalog.decisions[i].text;
  catalog_docs(decisions_changed, "documented decisions");
  catalog_docs(old_catalog.change_policy != new_catalog.change_policy, "change policy text");

}

// The verdict: every problem of the event types and of the catalog, and the notes.
void settle(const Catalog& old_catalog, const Catalog& new_catalog, const CompatOptions& options, bool catalog_major_bump,
            CompatReport& report) {
  bool any_change = !report.catalog_changes.empty();
  for (const auto& ev : report.events) {
    if (ev.status != EventStatus::Unchanged) any_change = true;
    if (!ev.ok) report.problems.push_back(ev.name + ": " + ev.verdict);
  }
  if (!catalog_major_bump)
    for (const auto& change : report.catalog_changes)
      if (change.change_class == ChangeClass::Breaking)
        report.problems.push_back("catalog: " + change.detail + ", breaking in " + mode_words(options) +
                                  ", without a MAJOR catalog_version bump (" + old_catalog.catalog_version + " -> " +
                                  new_catalog.catalog_version + ")");
  if (any_change && old_catalog.catalog_version == new_catalog.catalog_version)
    report.notes.push_back("the catalog changed but catalog_version is still " + new_catalog.catalog_version);
  report.ok = report.problems.empty();
}

}  // namespace

CompatReport compare_catalogs(const Catalog& old_catalog, const Catalog& new_catalog, const CompatOptions& options) {
  CompatReport report;
  report.options = options;
  report.old_catalog_version = old_catalog.catalog_version;
  report.new_catalog_version = new_catalog.catalog_version;
  const auto old_semver = semver(old_catalog.catalog_version);
  const auto new_semver = semver(new_catalog.catalog_version);
  const bool catalog_major_bump = old_semver && new_semver && (*new_semver)[0] > (*old_semver)[0];
  if (old_semver && new_semver && *new_semver < *old_semver)
    report.problems.push_back("catalog_version went backwards (" + old_catalog.catalog_version + " -> " +
                              new_catalog.catalog_version + "); versions only ever increase");

  const CatalogIndex old_index(old_catalog), new_index(new_catalog);
  const AddedAndRemoved changed =
      compare_event_types(old_catalog, new_catalog, old_index, new_index, options, catalog_major_bump, report);
  pair_renames(changed, options, catalog_major_bump, report);
  compare_catalog_level(old_catalog, new_catalog, old_index, new_index, options, report);
  settle(old_catalog, new_catalog, options, catalog_major_bump, report);
  return report;
}

TransitiveReport compare_transitive(const std::vector<ReleasedCatalog>& releases, const Catalog& new_catalog,
                                    const CompatOptions& options) {
  TransitiveReport report;
  report.options = options;
  report.new_catalog_version = new_catalog.catalog_version;
  for (const auto& release : releases) {
    report.comparisons.emplace_back(release.name, compare_catalogs(release.catalog, new_catalog, options));
    if (!report.comparisons.back().second.ok) report.ok = false;
  }
  return report;
}

namespace {

struct Counts {
  size_t unchanged = 0, changed = 0, added = 0, removed = 0;
};

Counts count_events(const CompatReport& report) {
  Counts c;
  for (const auto& ev : report.events) {
    switch (ev.status) {
      case EventStatus::Unchanged: ++c.unchanged; break;
      case EventStatus::Changed: ++c.changed; break;
      case EventStatus::Added: ++c.added; break;
      case EventStatus::Removed: ++c.removed; break;
    }
  }
  return c;
}

std::string summary_line(const CompatReport& report) {
  const Counts c = count_events(report);
  return std::to_string(report.events.size()) + " event types: " + std::to_string(c.changed) + " changed, " +
         std::to_string(c.added) + " added, " + std::to_string(c.removed) + " removed, " + std::to_string(c.unchanged) +
         " unchanged; " + std::to_string(report.problems.size()) + (report.problems.size() == 1 ? " problem" : " problems");
}

void write_changes(detail::JsonWriter& w, const std::vector<SchemaChange>& changes) {
  w.begin_array();
  for (const auto& change : changes) {
    w.begin_object();
    w.key("kind").string(change.kind);
    w.key("compatibility").string(to_string(change.change_class));
    w.key("field").string(change.field);
    w.key("detail").string(change.detail);
    w.end_object();
  }
  w.end_array();
}

void write_report(detail::JsonWriter& w, const CompatReport& report) {
  const Counts c = count_events(report);
  w.begin_object();
  w.key("mode").string(to_string(report.options.mode));
  w.key("strict_consumers").boolean(report.options.strict_consumers);
  w.key("old_catalog_version").string(report.old_catalog_version);
  w.key("new_catalog_version").string(report.new_catalog_version);
  w.key("ok").boolean(report.ok);
  w.key("summary").begin_object();
  w.key("events").number(static_cast<uint64_t>(report.events.size()));
  w.key("unchanged").number(static_cast<uint64_t>(c.unchanged));
  w.key("changed").number(static_cast<uint64_t>(c.changed));
  w.key("added").number(static_cast<uint64_t>(c.added));
  w.key("removed").number(static_cast<uint64_t>(c.removed));
  w.key("problems").number(static_cast<uint64_t>(report.problems.size()));
  w.end_object();
  w.key("events").begin_array();
  for (const auto& ev : report.events) {
    w.begin_object();
    w.key("name").string(ev.name);
    w.key("status").string(to_string(ev.status));
    w.key("old_version").string(ev.old_version);
    w.key("new_version").string(ev.new_version);
    w.key("compatibility").string(ev.changes.empty() ? std::string_view("none") : to_string(ev.worst));
    w.key("required_bump").string(to_string(ev.required));
    w.key("bump").string(to_string(ev.made));
    w.key("ok").boolean(ev.ok);
    w.key("verdict").string(ev.verdict);
    w.key("changes");
    write_changes(w, ev.changes);
    w.end_object();
  }
  w.end_array();
  w.key("catalog_changes");
  write_changes(w, report.catalog_changes);
  w.key("renames").begin_array();
  for (const auto& r : report.renames) {
    w.begin_object();
    w.key("from").string(r.from);
    w.key("to").string(r.to);
    w.key("shared_fields").number(static_cast<uint64_t>(r.shared_fields));
    w.key("total_fields").number(static_cast<uint64_t>(r.total_fields));
    w.end_object();
  }
  w.end_array();
  w.key("problems").begin_array();
  for (const auto& p : report.problems) w.string(p);
  w.end_array();
  w.key("notes").begin_array();
  for (const auto& n : report.notes) w.string(n);
  w.end_array();
  w.end_object();
}

// Markdown table cells hold no line breaks or pipes.
std::string cell(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == '|') out += "\\|";
    else if (ch == '\n') out += ' ';
    else out += ch;
  }
  return out;
}

}  // namespace

std::string compat_report_text(const CompatReport& report) {
  std::string out;
  out += "catalog " + report.old_catalog_version + " -> " + report.new_catalog_version + " (" + mode_words(report.options) + ")\n";
  for (const auto& ev : report.events) {
    if (ev.status == EventStatus::Unchanged) continue;
    out += ev.name + " " + (ev.old_version.empty() ? "-" : ev.old_version) + " -> " +
           (ev.new_version.empty() ? "-" : ev.new_version) + ": " + (ev.ok ? "ok" : "PROBLEM") + ": " + ev.verdict + "\n";
    for (const auto& change : ev.changes) {
      out += "  " + std::string(to_string(change.change_class)) + " " + change.kind;
      if (!change.field.empty()) out += " " + change.field;
      out += ": " + change.detail + "\n";
    }
  }
  for (const auto& change : report.catalog_changes)
    out += "catalog: " + std::string(to_string(change.change_class)) + " " + change.kind + ": " + change.detail + "\n";
  for (const auto& rename : report.renames) out += "rename: " + rename.from + " -> " + rename.to + "\n";
  for (const auto& note : report.notes) out += "note: " + note + "\n";
  for (const auto& problem : report.problems) out += "problem: " + problem + "\n";
  out += summary_line(report) + "\n";
  return out;
}

std::string compat_report_json(const CompatReport& report, bool pretty) {
  detail::JsonWriter w(pretty ? 2 : 0);
  write_report(w, report);
  return w.take();
}

std::string compat_report_markdown(const CompatReport& report) {
  std::string out = "## Catalog " + report.old_catalog_version + " → " + report.new_catalog_version + " (" +
                    mode_words(report.options) + ")\n\n";
  out += report.ok ? "**Follows the change policy.** " : "**Breaks the change policy.** ";
  out += summary_line(report) + ".\n\n";
  bool any = false;
  for (const auto& ev : report.events) {
    if (ev.status == EventStatus::Unchanged) continue;
    if (!any) out += "| Event | Status | Versions | Compatibility | Needs | Verdict |\n| --- | --- | --- | --- | --- | --- |\n";
    any = true;
    const std::string versions = (ev.old_version.empty() ? "—" : ev.old_version) + " → " + (ev.new_version.empty() ? "—" : ev.new_version);
    out += "| " + cell(ev.name) + " | " + std::string(to_string(ev.status)) + " | " + versions + " | " +
           std::string(ev.changes.empty() ? std::string_view("none") : to_string(ev.worst)) + " | " +
           std::string(to_string(ev.required)) + " | " + (ev.ok ? "" : "✘ ") + cell(ev.verdict) + " |\n";
  }
  if (any) out += "\n";
  for (const auto& ev : report.events) {
    if (ev.changes.empty()) continue;
    out += "### " + ev.name + "\n\n";
    for (const auto& change : ev.changes)
      out += "- " + std::string(to_string(change.change_class)) + " `" + change.kind + "`" +
             (change.field.empty() ? std::string() : " `" + change.field + "`") + ": " + change.detail + "\n";
    out += "\n";
  }
  if (!report.catalog_changes.empty()) {
    out += "### Catalog-wide changes\n\n";
    for (const auto& change : report.catalog_changes)
      out += "- " + std::string(to_string(change.change_class)) + " `" + change.kind + "`: " + change.detail + "\n";
    out += "\n";
  }
  if (!report.problems.empty()) {
    out += "### Problems\n\n";
    for (const auto& problem : report.problems) out += "- " + problem + "\n";
    out += "\n";
  }
  if (!report.notes.empty()) {
    out += "### Notes\n\n";
    for (const auto& note : report.notes) out += "- " + note + "\n";
    out += "\n";
  }
  return out;
}

std::string transitive_report_text(const TransitiveReport& report) {
  std::string out;
  for (const auto& [release, comparison] : report.comparisons) {
    out += "== against release " + release + "\n";
    out += compat_report_text(comparison);
  }
  out += "transitive (" + mode_words(report.options) + "): catalog " + report.new_catalog_version + " against " +
         std::to_string(report.comparisons.size()) + (report.comparisons.size() == 1 ? " release: " : " releases: ") +
         (report.ok ? "ok" : "PROBLEM") + "\n";
  return out;
}

std::string transitive_report_json(const TransitiveReport& report, bool pretty) {
  detail::JsonWriter w(pretty ? 2 : 0);
  w.begin_object();
  w.key("mode").string(to_string(report.options.mode));
  w.key("strict_consumers").boolean(report.options.strict_consumers);
  w.key("transitive").boolean(true);
  w.key("new_catalog_version").string(report.new_catalog_version);
  w.key("ok").boolean(report.ok);
  w.key("comparisons").begin_array();
  for (const auto& [release, comparison] : report.comparisons) {
    w.begin_object();
    w.key("release").string(release);
    w.key("report");
    write_report(w, comparison);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

std::string transitive_report_markdown(const TransitiveReport& report) {
  std::string out = "# Catalog " + report.new_catalog_version + " against every release (" + mode_words(report.options) +
                    ", transitive)\n\n";
  out += report.ok ? "**Follows the change policy against every release.**\n\n"
                   : "**Breaks the change policy against at least one release.**\n\n";
  for (const auto& [release, comparison] : report.comparisons) out += compat_report_markdown(comparison);
  return out;
}

}  // namespace msgevents
