// The changes between two versions of one event type: its fields, one constraint at a time, its
// lifecycle transitions, its aggregate and its documentation, each classified through the policy
// table (src/lib/compat_policy.cpp) as it is added. compat.cpp judges the bumps they need.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>

#include "compat_detail.hpp"

namespace msgevents::detail {
namespace {

std::string number_text(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

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

std::string transition_text(const std::pair<std::string, std::string>& t) {
  return (t.first.empty() ? std::string("(new)") : t.first) + " -> " + t.second;
}

bool names_aggregate_fields(const EventSpec& event) {
  return std::any_of(event.fields.begin(), event.fields.end(),
                     [](const FieldSpec& f) { return f.items_are_aggregate_fields; });
}

}  // namespace

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

}  // namespace msgevents::detail
