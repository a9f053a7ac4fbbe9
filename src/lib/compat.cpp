// The change-policy checker. See msgevents/compat.hpp for the policy this file implements; every
// change it finds is classified through the one table of src/lib/compat_policy.cpp. This file
// compares the catalogs' event types and judges each one's version bump; compat_diff.cpp finds
// the changes within one event type, compat_report.cpp writes the reports.
#include "msgevents/compat.hpp"

#include <array>
#include <optional>
#include <string>

#include "compat_detail.hpp"

namespace msgevents {

namespace detail {

std::string mode_words(const CompatOptions& options) {
  return std::string(to_string(options.mode)) + " mode" + (options.strict_consumers ? ", strict consumers" : "");
}

}  // namespace detail

namespace {

using detail::CatalogIndex;
using detail::ChangeList;
using detail::NameIndex;
using detail::NameSet;
using detail::compare_event;
using detail::mode_words;
using detail::name_set;
using detail::quoted;

std::string version_text(const SchemaVersion& v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor);
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

}  // namespace msgevents
