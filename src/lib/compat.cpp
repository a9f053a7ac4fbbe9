// The change-policy checker. See msgevents/compat.hpp for the policy this file implements.
#include "msgevents/compat.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

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

class ChangeList {
 public:
  explicit ChangeList(std::vector<SchemaChange>* changes) : changes_(changes) {}
  void add(std::string kind, ChangeClass change_class, std::string field, std::string detail) {
    changes_->push_back({std::move(kind), change_class, std::move(field), std::move(detail)});
  }

 private:
  std::vector<SchemaChange>* changes_;
};

// A lower bound (minLength, minimum, minItems): raising or adding it tightens.
template <typename T>
void compare_lower_bound(const std::optional<T>& before, const std::optional<T>& after, const char* what,
                         const std::string& field, ChangeList& out, std::string (*show)(T)) {
  if (before == after) return;
  std::string detail = std::string(what) + " " + (before ? show(*before) : "none") + " -> " + (after ? show(*after) : "none");
  bool tighter = after && (!before || *after > *before);
  out.add(tighter ? "field.constraint_tightened" : "field.constraint_loosened",
          tighter ? ChangeClass::Breaking : ChangeClass::Compatible, field, detail);
}

// An upper bound (maxLength, maximum, maxItems): lowering or adding it tightens.
template <typename T>
void compare_upper_bound(const std::optional<T>& before, const std::optional<T>& after, const char* what,
                         const std::string& field, ChangeList& out, std::string (*show)(T)) {
  if (before == after) return;
  std::string detail = std::string(what) + " " + (before ? show(*before) : "none") + " -> " + (after ? show(*after) : "none");
  bool tighter = after && (!before || *after < *before);
  out.add(tighter ? "field.constraint_tightened" : "field.constraint_loosened",
          tighter ? ChangeClass::Breaking : ChangeClass::Compatible, field, detail);
}

std::string show_count(uint64_t value) { return std::to_string(value); }
std::string show_number(double value) { return number_text(value); }

void compare_flag(bool before, bool after, const char* what, const std::string& field, ChangeList& out) {
  if (before == after) return;
  out.add(after ? "field.constraint_tightened" : "field.constraint_loosened",
          after ? ChangeClass::Breaking : ChangeClass::Compatible, field,
          std::string(what) + (after ? " now required" : " no longer required"));
}

void compare_format(const std::string& before, const std::string& after, const char* what, const std::string& field,
                    ChangeList& out) {
  if (before == after) return;
  bool looser = after.empty();
  out.add(looser ? "field.constraint_loosened" : "field.constraint_tightened",
          looser ? ChangeClass::Compatible : ChangeClass::Breaking, field,
          std::string(what) + " " + (before.empty() ? "none" : before) + " -> " + (after.empty() ? "none" : after));
}

void compare_enum(const std::vector<std::string>& before, const std::vector<std::string>& after, bool items,
                  const std::string& field, ChangeList& out) {
  if (before == after) return;
  const std::string what = items ? "item enum" : "enum";
  if (before.empty()) {
    out.add("field.constraint_tightened", ChangeClass::Breaking, field, what + " introduced: any value -> a fixed list");
    return;
  }
  if (after.empty()) {
    out.add("field.constraint_loosened", ChangeClass::Compatible, field, what + " dropped: any value is now allowed");
    return;
  }
  const NameSet before_set = name_set(before), after_set = name_set(after);
  for (const auto& value : before)
    if (after_set.count(value) == 0)
      out.add("field.enum_value_removed", ChangeClass::Breaking, field, what + " value " + quoted(value) + " removed");
  for (const auto& value : after)
    if (before_set.count(value) == 0)
      out.add("field.enum_value_added", ChangeClass::Compatible, field, what + " value " + quoted(value) + " added");
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

void compare_field(const FieldSpec& before, const FieldSpec& after, ChangeList& out) {
  const std::string& f = after.name;
  if (before.type != after.type)
    out.add("field.type_changed", ChangeClass::Breaking, f,
            "type " + std::string(to_string(before.type)) + " -> " + std::string(to_string(after.type)));
  if (before.required != after.required) {
    if (after.required)
      out.add("field.made_required", ChangeClass::Breaking, f, "optional -> required: events without it stop validating");
    else
      out.add("field.made_optional", ChangeClass::Breaking, f,
              "required -> optional: consumers relying on it may no longer get it");
  }
  if (before.privacy != after.privacy) {
    int b = privacy_rank(before.privacy), a = privacy_rank(after.privacy);
    std::string detail = "privacy " + std::string(to_string(before.privacy)) + " -> " + std::string(to_string(after.privacy));
    if (a > b) out.add("field.privacy_tightened", ChangeClass::Breaking, f, detail);
    else out.add("field.privacy_relaxed", ChangeClass::Compatible, f, detail);
  }
  compare_enum(before.enum_values, after.enum_values, false, f, out);
  compare_format(before.format, after.format, "format", f, out);
  compare_lower_bound(before.min_length, after.min_length, "minLength", f, out, show_count);
  compare_upper_bound(before.max_length, after.max_length, "maxLength", f, out, show_count);
  compare_flag(before.free_text, after.free_text, "contact-data scan of free text", f, out);
  compare_lower_bound(before.minimum, after.minimum, "minimum", f, out, show_number);
  compare_upper_bound(before.maximum, after.maximum, "maximum", f, out, show_number);
  if (before.item_type != after.item_type)
    out.add("field.type_changed", ChangeClass::Breaking, f,
            "item type " + (before.item_type ? std::string(to_string(*before.item_type)) : std::string("none")) + " -> " +
                (after.item_type ? std::string(to_string(*after.item_type)) : std::string("none")));
  compare_format(before.item_format, after.item_format, "item format", f, out);
  compare_enum(before.item_enum, after.item_enum, true, f, out);
  compare_flag(before.items_are_aggregate_fields, after.items_are_aggregate_fields,
               "items naming aggregate attributes", f, out);
  compare_lower_bound(before.min_items, after.min_items, "minItems", f, out, show_count);
  compare_upper_bound(before.max_items, after.max_items, "maxItems", f, out, show_count);
  compare_flag(before.unique_items, after.unique_items, "unique items", f, out);
  if (before.description != after.description) out.add("docs.field_description", ChangeClass::Docs, f, "description changed");
}

void compare_docs(const EventSpec& before, const EventSpec& after, ChangeList& out) {
  auto docs = [&out](bool changed, const char* kind, const char* what) {
    if (changed) out.add(kind, ChangeClass::Docs, "", std::string(what) + " changed");
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
    out.add("event.aggregate_changed", ChangeClass::Breaking, "", "aggregate " + before.aggregate + " -> " + after.aggregate);
  if (before.creates != after.creates)
    out.add("event.creates_changed", ChangeClass::Breaking, "",
            after.creates ? "now the creating event of its aggregate (version 1)" : "no longer the creating event");
  const NameIndex<FieldSpec> before_fields(before.fields), after_fields(after.fields);
  for (const auto& field : before.fields)
    if (after_fields.find(field.name) == nullptr)
      out.add("field.removed", ChangeClass::Breaking, field.name,
              std::string(field.required ? "required" : "optional") + " field removed (a rename is a removal plus an addition)");
  for (const auto& field : after.fields) {
    const FieldSpec* old_field = before_fields.find(field.name);
    if (old_field == nullptr) {
      if (field.required)
        out.add("field.added_required", ChangeClass::Breaking, field.name,
                "new required field (" + std::string(to_string(field.type)) + "): events without it stop validating");
      else
        out.add("field.added_optional", ChangeClass::Compatible, field.name,
                "new optional field (" + std::string(to_string(field.type)) + ")");
      continue;
    }
    compare_field(*old_field, field, out);
  }

  TransitionSet old_transitions = old_catalog.transitions_of(before);
  TransitionSet new_transitions = new_catalog.transitions_of(after);
  for (const auto& t : old_transitions)
    if (new_transitions.count(t) == 0)
      out.add("lifecycle.transition_removed", ChangeClass::Breaking, "",
              "transition " + transition_text(t) + " removed: such events become lifecycle errors");
  for (const auto& t : new_transitions)
    if (old_transitions.count(t) == 0)
      out.add("lifecycle.transition_added", ChangeClass::Compatible, "", "transition " + transition_text(t) + " added");

  const AggregateSpec* old_aggregate = old_catalog.aggregates.find(before.aggregate);
  const AggregateSpec* new_aggregate = new_catalog.aggregates.find(after.aggregate);
  if (old_aggregate != nullptr && new_aggregate != nullptr && before.aggregate == after.aggregate) {
    if (old_aggregate->id_field != new_aggregate->id_field)
      out.add("aggregate.id_field_changed", ChangeClass::Breaking, "",
              "aggregate id field " + old_aggregate->id_field + " -> " + new_aggregate->id_field);
    if (names_aggregate_fields(after)) {
      const NameSet old_attributes = name_set(old_aggregate->attributes), new_attributes = name_set(new_aggregate->attributes);
      for (const auto& attribute : old_aggregate->attributes)
        if (new_attributes.count(attribute) == 0)
          out.add("aggregate.attribute_removed", ChangeClass::Breaking, "",
                  before.aggregate + " attribute " + quoted(attribute) + " removed: changed_fields naming it stop validating");
      for (const auto& attribute : new_aggregate->attributes)
        if (old_attributes.count(attribute) == 0)
          out.add("aggregate.attribute_added", ChangeClass::Compatible, "",
                  before.aggregate + " attribute " + quoted(attribute) + " added");
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

// MAJOR of a "MAJOR.MINOR.PATCH" catalog version; nullopt when it is not one.
std::optional<uint64_t> semver_major(const std::string& version) {
  if (version.empty() || version[0] < '0' || version[0] > '9') return std::nullopt;
  uint64_t major = 0;
  for (char c : version) {
    if (c == '.') return major;
    if (c < '0' || c > '9') return std::nullopt;
    major = major * 10 + static_cast<uint64_t>(c - '0');
  }
  return major;
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

CompatReport compare_catalogs(const Catalog& old_catalog, const Catalog& new_catalog) {
  CompatReport report;
  report.old_catalog_version = old_catalog.catalog_version;
  report.new_catalog_version = new_catalog.catalog_version;
  const auto old_major = semver_major(old_catalog.catalog_version);
  const auto new_major = semver_major(new_catalog.catalog_version);
  const bool catalog_major_bump = old_major && new_major && *new_major > *old_major;

  const CatalogIndex old_index(old_catalog), new_index(new_catalog);
  for (const auto& after : new_catalog.events) {
    EventCompat ev;
    ev.name = after.name;
    ev.new_version = version_text(after.schema_version);
    const EventSpec* before = old_index.events.find(after.name);
    if (before == nullptr) {
      ev.status = EventStatus::Added;
      ev.changes.push_back({"event.added", ChangeClass::Compatible, "", "new event type, version " + ev.new_version});
      ev.worst = ChangeClass::Compatible;
      ev.verdict = "new event type (" + ev.new_version + ")";
      report.events.push_back(std::move(ev));
      continue;
    }
    ev.old_version = version_text(before->schema_version);
    ChangeList changes(&ev.changes);
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
    ev.changes.push_back({"event.removed", ChangeClass::Breaking, "",
                          "event type removed: its consumers and stored events lose their contract"});
    ev.worst = ChangeClass::Breaking;
    ev.required = Bump::Major;
    ev.ok = catalog_major_bump;
    ev.verdict = ev.ok ? "event type removed with a MAJOR catalog_version bump: ok"
                       : "event type removed without a MAJOR catalog_version bump (" + old_catalog.catalog_version +
                             " -> " + new_catalog.catalog_version + ")";
    report.events.push_back(std::move(ev));
  }

  for (const auto& aggregate : old_catalog.aggregates) {
    const AggregateSpec* after = new_index.aggregates.find(aggregate.name);
    if (after == nullptr) {
      report.catalog_changes.push_back({"aggregate.removed", ChangeClass::Breaking, "", "aggregate " + aggregate.name + " removed"});
      continue;
    }
    const NameSet old_states = name_set(aggregate.states), new_states = name_set(after->states);
    for (const auto& state : aggregate.states)
      if (new_states.count(state) == 0)
        report.catalog_changes.push_back(
            {"aggregate.state_removed", ChangeClass::Breaking, "", aggregate.name + " state " + quoted(state) + " removed"});
    for (const auto& state : after->states)
      if (old_states.count(state) == 0)
        report.catalog_changes.push_back(
            {"aggregate.state_added", ChangeClass::Compatible, "", aggregate.name + " state " + quoted(state) + " added"});
    if (aggregate.description != after->description)
      report.catalog_changes.push_back({"docs.aggregate", ChangeClass::Docs, "", aggregate.name + " description changed"});
  }
  for (const auto& aggregate : new_catalog.aggregates)
    if (old_index.aggregates.find(aggregate.name) == nullptr)
      report.catalog_changes.push_back({"aggregate.added", ChangeClass::Compatible, "", "aggregate " + aggregate.name + " added"});
  auto catalog_docs = [&report](bool changed, const char* what) {
    if (changed) report.catalog_changes.push_back({"docs.catalog", ChangeClass::Docs, "", std::string(what) + " changed"});
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

  bool any_change = !report.catalog_changes.empty();
  for (const auto& ev : report.events) {
    if (ev.status != EventStatus::Unchanged) any_change = true;
    if (!ev.ok) report.problems.push_back(ev.name + ": " + ev.verdict);
  }
  if (any_change && old_catalog.catalog_version == new_catalog.catalog_version)
    report.notes.push_back("the catalog changed but catalog_version is still " + new_catalog.catalog_version);
  report.ok = report.problems.empty();
  return report;
}

std::string compat_report_text(const CompatReport& report) {
  std::string out;
  out += "catalog " + report.old_catalog_version + " -> " + report.new_catalog_version + "\n";
  size_t changed = 0, added = 0, removed = 0, unchanged = 0;
  for (const auto& ev : report.events) {
    switch (ev.status) {
      case EventStatus::Unchanged: ++unchanged; continue;
      case EventStatus::Changed: ++changed; break;
      case EventStatus::Added: ++added; break;
      case EventStatus::Removed: ++removed; break;
    }
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
  for (const auto& note : report.notes) out += "note: " + note + "\n";
  for (const auto& problem : report.problems) out += "problem: " + problem + "\n";
  out += std::to_string(report.events.size()) + " event types: " + std::to_string(changed) + " changed, " +
         std::to_string(added) + " added, " + std::to_string(removed) + " removed, " + std::to_string(unchanged) +
         " unchanged; " + std::to_string(report.problems.size()) +
         (report.problems.size() == 1 ? " problem" : " problems") + "\n";
  return out;
}

namespace {

template <typename Writer>
void write_changes(Writer& w, const std::vector<SchemaChange>& changes) {
  w.StartArray();
  for (const auto& change : changes) {
    w.StartObject();
    w.Key("kind");
    w.String(change.kind.c_str(), static_cast<rapidjson::SizeType>(change.kind.size()));
    w.Key("compatibility");
    std::string_view cls = to_string(change.change_class);
    w.String(cls.data(), static_cast<rapidjson::SizeType>(cls.size()));
    w.Key("field");
    w.String(change.field.c_str(), static_cast<rapidjson::SizeType>(change.field.size()));
    w.Key("detail");
    w.String(change.detail.c_str(), static_cast<rapidjson::SizeType>(change.detail.size()));
    w.EndObject();
  }
  w.EndArray();
}

template <typename Writer>
void write_report(Writer& w, const CompatReport& report) {
  auto str = [&w](std::string_view text) { w.String(text.data(), static_cast<rapidjson::SizeType>(text.size())); };
  uint64_t counts[4] = {0, 0, 0, 0};
  for (const auto& ev : report.events) ++counts[static_cast<int>(ev.status)];
  w.StartObject();
  w.Key("old_catalog_version");
  str(report.old_catalog_version);
  w.Key("new_catalog_version");
  str(report.new_catalog_version);
  w.Key("ok");
  w.Bool(report.ok);
  w.Key("summary");
  w.StartObject();
  w.Key("events");
  w.Uint64(report.events.size());
  w.Key("unchanged");
  w.Uint64(counts[static_cast<int>(EventStatus::Unchanged)]);
  w.Key("changed");
  w.Uint64(counts[static_cast<int>(EventStatus::Changed)]);
  w.Key("added");
  w.Uint64(counts[static_cast<int>(EventStatus::Added)]);
  w.Key("removed");
  w.Uint64(counts[static_cast<int>(EventStatus::Removed)]);
  w.Key("problems");
  w.Uint64(report.problems.size());
  w.EndObject();
  w.Key("events");
  w.StartArray();
  for (const auto& ev : report.events) {
    w.StartObject();
    w.Key("name");
    str(ev.name);
    w.Key("status");
    str(to_string(ev.status));
    w.Key("old_version");
    str(ev.old_version);
    w.Key("new_version");
    str(ev.new_version);
    w.Key("compatibility");
    str(ev.changes.empty() ? std::string_view("none") : to_string(ev.worst));
    w.Key("required_bump");
    str(to_string(ev.required));
    w.Key("bump");
    str(to_string(ev.made));
    w.Key("ok");
    w.Bool(ev.ok);
    w.Key("verdict");
    str(ev.verdict);
    w.Key("changes");
    write_changes(w, ev.changes);
    w.EndObject();
  }
  w.EndArray();
  w.Key("catalog_changes");
  write_changes(w, report.catalog_changes);
  w.Key("problems");
  w.StartArray();
  for (const auto& p : report.problems) str(p);
  w.EndArray();
  w.Key("notes");
  w.StartArray();
  for (const auto& n : report.notes) str(n);
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::string compat_report_json(const CompatReport& report, bool pretty) {
  rapidjson::StringBuffer buffer;
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
    writer.SetIndent(' ', 2);
    write_report(writer, report);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    write_report(writer, report);
  }
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace msgevents
