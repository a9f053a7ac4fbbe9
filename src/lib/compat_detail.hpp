// What the change-policy checker's files share (compat.cpp judges, compat_diff.cpp finds the
// changes of one event type, compat_report.cpp writes the reports): name lookups, the list every
// change is added through, and one catalog's indexes. Internal to the library.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "msgevents/compat.hpp"
#include "text_util.hpp"  // quoted

namespace msgevents::detail {

// Name lookups through hash tables, so that comparing catalogs of any size takes linear time.
using NameSet = std::unordered_set<std::string_view>;
inline NameSet name_set(const std::vector<std::string>& names) { return NameSet(names.begin(), names.end()); }

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

// Adds to `out` every change between two versions of one event type, looked up in their catalogs.
void compare_event(const CatalogIndex& old_catalog, const EventSpec& before, const CatalogIndex& new_catalog,
                   const EventSpec& after, ChangeList& out);

// "backward mode", "full mode, strict consumers": the mode as reports and verdicts name it.
std::string mode_words(const CompatOptions& options);

}  // namespace msgevents::detail
