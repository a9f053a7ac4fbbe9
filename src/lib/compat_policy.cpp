// The change policy's one table: for each kind of change, whether a consumer on the new catalog
// reads the events written under the old one (backward) and whether a consumer on the old catalog
// reads those written under the new one (forward), each with the reason the content model gives
// (msgevents/compat.hpp). Every verdict in every mode is derived from these two columns; the
// checker (compat.cpp), the CLI's `compat --policy` and the docs site's change-policy page all read
// this table, and tests/compat_test.cpp proves each row on a pair of catalogs.
#include <string>

#include "json_writer.hpp"
#include "msgevents/compat.hpp"

namespace msgevents {
namespace {

using K = ChangeKind;
using R = Reads;
constexpr ChangeScope kEvent = ChangeScope::Event;
constexpr ChangeScope kCatalog = ChangeScope::Catalog;

// The unknown-field cases are the only ones where the content model matters (Reads::IfTolerant,
// Reads::IfStrict): JSON Schema's open and closed content models.
const std::vector<ChangeRule> kRules = {
    {K::FieldAddedOptional, "field.added_optional", "optional field added", kEvent,
     R::IfStrict, R::IfTolerant,
     "old events may already carry a field of that name, unknown to the old catalog, with a value the new one "
     "rejects; strict consumers never let such events be written",
     "the field is unknown to old consumers: tolerated, rejected by strict ones", false, false},
    {K::FieldRemovedOptional, "field.removed_optional", "optional field removed", kEvent,
     R::IfTolerant, R::IfStrict,
     "old events may carry a field the new catalog does not list: tolerated, rejected by strict consumers",
     "new events may carry the name, unknown to the new catalog, with a value old consumers reject; strict "
     "consumers never let such events be written",
     false, false},
    {K::FieldAddedRequired, "field.added_required", "required field added", kEvent,
     R::No, R::IfTolerant,
     "old events lack a field the new catalog requires",
     "the field is unknown to old consumers: tolerated, rejected by strict ones", false, false},
    {K::FieldRemovedRequired, "field.removed_required", "required field removed", kEvent,
     R::IfTolerant, R::No,
     "old events carry a field the new catalog does not list: tolerated, rejected by strict consumers",
     "new events lack a field old consumers require", false, false},
    {K::FieldMadeRequired, "field.made_required", "optional field made required", kEvent,
     R::No, R::Yes,
     "old events may lack the field the new catalog requires",
     "new events always carry a field old consumers accept either way", false, false},
    {K::FieldMadeOptional, "field.made_optional", "required field made optional", kEvent,
     R::Yes, R::No,
     "old events always carry it; the new catalog accepts it either way",
     "new events may lack a field old consumers require", false, false},
    {K::FieldTypeChanged, "field.type_changed", "field type changed", kEvent,
     R::No, R::No,
     "old values are of a type the new catalog rejects",
     "new values are of a type old consumers reject", false, false},
    {K::FieldTypeWidened, "field.type_widened", "field type widened (integer to number)", kEvent,
     R::Yes, R::No,
     "every old integer is a number",
     "new values may have a fraction old consumers reject", false, false},
    {K::FieldTypeNarrowed, "field.type_narrowed", "field type narrowed (number to integer)", kEvent,
     R::No, R::Yes,
     "old values may have a fraction the new catalog rejects",
     "every new integer is a number", false, false},
    {K::FieldEnumValueAdded, "field.enum_value_added", "enum value added", kEvent,
     R::Yes, R::No,
     "every old value is still allowed",
     "old consumers reject the new value (payload.enum)", false, false},
    {K::FieldEnumValueRemoved, "field.enum_value_removed", "enum value removed", kEvent,
     R::No, R::Yes,
     "old events may hold the value the new catalog rejects",
     "new values are among those old consumers allow", false, false},
    {K::FieldConstraintTightened, "field.constraint_tightened", "format, length or other constraint tightened", kEvent,
     R::No, R::Yes,
     "old values may break the tighter constraint",
     "new values meet the looser old constraint", false, false},
    {K::FieldConstraintLoosened, "field.constraint_loosened", "format, length or other constraint loosened", kEvent,
     R::Yes, R::No,
     "old values meet the looser new constraint",
     "new values may break the tighter old constraint", false, false},
    {K::FieldPrivacyRaised, "field.privacy_raised", "privacy class raised (e.g. internal to pii)", kEvent,
     R::No, R::No,
     "old public-stream events carry in clear what the new catalog wants redacted",
     "new public-stream events carry a redaction token where old consumers expect the value", true, false},
    {K::FieldPrivacyLowered, "field.privacy_lowered", "privacy class lowered (e.g. pii to internal)", kEvent,
     R::No, R::No,
     "old public-stream events carry a redaction token where the new catalog expects the value",
     "new public-stream events carry in clear what old consumers expect redacted", true, false},
    {K::LifecycleTransitionAdded, "lifecycle.transition_added", "lifecycle transition added", kEvent,
     R::Yes, R::No,
     "every old transition is still allowed",
     "old consumers report the new transition as a lifecycle error", false, false},
    {K::LifecycleTransitionRemoved, "lifecycle.transition_removed", "lifecycle transition removed", kEvent,
     R::No, R::Yes,
     "old events on the removed transition become lifecycle errors",
     "new events use transitions old consumers know", false, false},
    {K::EventAggregateChanged, "event.aggregate_changed", "event moved to another aggregate", kEvent,
     R::No, R::No,
     "old events name the old aggregate",
     "new events name an aggregate old consumers do not expect", false, false},
    {K::EventCreatesChanged, "event.creates_changed", "creating event changed", kEvent,
     R::No, R::No,
     "the version-1 rule of creating events changes for old events",
     "the version-1 rule of creating events changes for new events", false, false},
    {K::AggregateIdFieldChanged, "aggregate.id_field_changed", "aggregate id field changed", kEvent,
     R::No, R::No,
     "old events carry the old id field",
     "new events carry an id field old consumers do not know", false, false},
    {K::AggregateAttributeAdded, "aggregate.attribute_added", "aggregate attribute added (changed_fields)", kEvent,
     R::Yes, R::No,
     "every old attribute is still allowed",
     "old consumers reject changed_fields naming the new attribute", false, false},
    {K::AggregateAttributeRemoved, "aggregate.attribute_removed", "aggregate attribute removed (changed_fields)", kEvent,
     R::No, R::Yes,
     "old changed_fields naming the attribute stop validating",
     "new changed_fields name attributes old consumers know", false, false},
    {K::EventAdded, "event.added", "event type added", kCatalog,
     R::Yes, R::No,
     "no old event is of the new type",
     "old consumers do not know the type (envelope.event_name.unknown)", false, false},
    {K::EventRemoved, "event.removed", "event type removed", kCatalog,
     R::No, R::Yes,
     "stored old events of the type lose their contract (envelope.event_name.unknown)",
     "no new event is of the removed type", false, false},
    {K::EventRenamed, "event.renamed", "event type renamed", kCatalog,
     R::No, R::No,
     "old events carry the old name, which the new catalog does not know",
     "new events carry a name old consumers do not know", false, true},
    {K::AggregateAdded, "aggregate.added", "aggregate added", kCatalog,
     R::Yes, R::No,
     "no old event names the new aggregate",
     "old consumers do not know the aggregate (envelope.aggregate_type.unknown)", false, false},
    {K::AggregateRemoved, "aggregate.removed", "aggregate removed", kCatalog,
     R::No, R::Yes,
     "old events of the aggregate lose their contract",
     "no new event names the removed aggregate", false, false},
    {K::AggregateStateAdded, "aggregate.state_added", "lifecycle state added", kCatalog,
     R::Yes, R::No,
     "every old state is still known",
     "old consumers do not know the new state", false, false},
    {K::AggregateStateRemoved, "aggregate.state_removed", "lifecycle state removed", kCatalog,
     R::No, R::Yes,
     "old events may have led to the removed state",
     "new events use states old consumers know", false, false},
    {K::Documentation, "docs.*", "documentation (descriptions, purpose, invariants, examples, ...)", kEvent,
     R::Yes, R::Yes,
     "validation does not read documentation",
     "validation does not read documentation", false, false},
};

bool reads(Reads r, bool strict_consumers) {
  return r == Reads::Yes || (r == Reads::IfTolerant && !strict_consumers) || (r == Reads::IfStrict && strict_consumers);
}

constexpr CompatMode kModes[] = {CompatMode::Backward, CompatMode::Forward, CompatMode::Full, CompatMode::None};

constexpr std::string_view kContentModel =
    "An event is written under a catalog when that catalog's validator accepts it, and a consumer reads it when its "
    "own catalog accepts it. A payload field the catalog does not list is tolerated by default (a "
    "payload.unknown_field warning) and rejected by strict consumers (validate --strict): JSON Schema's open content "
    "model by default, where an event may carry any field of a name its catalog does not list, with any value; the "
    "closed one for strict consumers, where it carries none. Anything else the catalog does not allow is rejected by "
    "every consumer: an unknown event type or aggregate, a value outside a field's type, enum, format or bounds, a "
    "missing required field, an unknown lifecycle transition.";

std::string_view mode_meaning(CompatMode mode) {
  switch (mode) {
    case CompatMode::Backward: return "a consumer on the new catalog reads every event written under the old one";
    case CompatMode::Forward: return "a consumer on the old catalog reads every event written under the new one";
    case CompatMode::Full: return "both backward and forward";
    case CompatMode::None: return "no compatibility is asked; a privacy class change still needs a MAJOR bump";
  }
  return "";
}

std::string verdict_cell(const PolicyVerdict& v) {
  if (v.change_class == ChangeClass::Docs) return "compatible, no bump";
  std::string bump = v.bump == NeededBump::NewEventName ? "new event name" : v.bump == NeededBump::Major ? "MAJOR" : "MINOR";
  return std::string(to_string(v.change_class)) + ", " + bump;
}

}  // namespace

const std::vector<ChangeRule>& change_rules() { return kRules; }

const ChangeRule& change_rule(ChangeKind kind) {
  // The rows are in the enum's order (tests/compat_test.cpp checks), so this is one lookup.
  const size_t index = static_cast<size_t>(kind);
  if (index < kRules.size() && kRules[index].kind == kind) return kRules[index];
  for (const auto& rule : kRules)
    if (rule.kind == kind) return rule;
  return kRules.back();  // unreachable: the table has a row per kind (tests/compat_test.cpp checks)
}

std::string_view to_string(Reads r) {
  switch (r) {
    case Reads::Yes: return "yes";
    case Reads::IfTolerant: return "if_tolerant";
    case Reads::IfStrict: return "if_strict";
    case Reads::No: return "no";
  }
  return "no";
}

std::string_view to_string(NeededBump bump) {
  switch (bump) {
    case NeededBump::None: return "none";
    case NeededBump::Minor: return "minor";
    case NeededBump::Major: return "major";
    case NeededBump::NewEventName: return "new_event_name";
  }
  return "none";
}

std::string_view to_string(CompatMode mode) {
  switch (mode) {
    case CompatMode::Backward: return "backward";
    case CompatMode::Forward: return "forward";
    case CompatMode::Full: return "full";
    case CompatMode::None: return "none";
  }
  return "backward";
}

std::optional<CompatMode> parse_compat_mode(std::string_view text) {
  for (CompatMode mode : kModes)
    if (text == to_string(mode)) return mode;
  return std::nullopt;
}

PolicyVerdict policy_verdict(ChangeKind kind, const CompatOptions& options) {
  const ChangeRule& rule = change_rule(kind);
  if (kind == ChangeKind::Documentation) return {ChangeClass::Docs, NeededBump::None};
  bool breaking = rule.major_whatever_the_mode;
  const bool backward = reads(rule.backward, options.strict_consumers);
  const bool forward = reads(rule.forward, options.strict_consumers);
  switch (options.mode) {
    case CompatMode::Backward: breaking = breaking || !backward; break;
    case CompatMode::Forward: breaking = breaking || !forward; break;
    case CompatMode::Full: breaking = breaking || !backward || !forward; break;
    case CompatMode::None: break;
  }
  if (!breaking) return {ChangeClass::Compatible, NeededBump::Minor};
  return {ChangeClass::Breaking, rule.renamed ? NeededBump::NewEventName : NeededBump::Major};
}

std::string policy_table_json(bool pretty) {
  detail::JsonWriter w(pretty ? 2 : 0);
  w.begin_object();
  w.key("content_model").string(kContentModel);
  w.key("modes").begin_array();
  for (CompatMode mode : kModes) w.begin_object().key("name").string(to_string(mode)).key("meaning").string(mode_meaning(mode)).end_object();
  w.end_array();
  w.key("rows").begin_array();
  for (const auto& rule : kRules) {
    w.begin_object();
    w.key("kind").string(rule.code);
    w.key("change").string(rule.change);
    w.key("scope").string(rule.scope == ChangeScope::Event ? "schema_version" : "catalog_version");
    w.key("backward").begin_object().key("reads").string(to_string(rule.backward)).key("why").string(rule.backward_why).end_object();
    w.key("forward").begin_object().key("reads").string(to_string(rule.forward)).key("why").string(rule.forward_why).end_object();
    w.key("major_whatever_the_mode").boolean(rule.major_whatever_the_mode);
    for (bool strict : {false, true}) {
      w.key(strict ? "strict_verdicts" : "verdicts").begin_object();
      for (CompatMode mode : kModes) {
        const PolicyVerdict v = policy_verdict(rule.kind, {mode, strict});
        w.key(to_string(mode)).begin_object();
        w.key("compatibility").string(to_string(v.change_class));
        w.key("bump").string(to_string(v.bump));
        w.end_object();
      }
      w.end_object();
    }
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

std::string policy_table_markdown() {
  std::string out = "# Change policy\n\n";
  out += std::string(kContentModel) + "\n\n";
  for (CompatMode mode : kModes) out += "- **" + std::string(to_string(mode)) + "**: " + std::string(mode_meaning(mode)) + "\n";
  out += "\nEach cell: the verdict for tolerant consumers and the bump it needs; where strict consumers differ, their "
         "verdict follows in parentheses.\n\n";
  out += "| Change | Code | Backward | Forward | Full | None |\n| --- | --- | --- | --- | --- | --- |\n";
  for (const auto& rule : kRules) {
    out += "| " + std::string(rule.change) + " | `" + std::string(rule.code) + "` |";
    for (CompatMode mode : kModes) {
      const PolicyVerdict tolerant = policy_verdict(rule.kind, {mode, false});
      const PolicyVerdict strict = policy_verdict(rule.kind, {mode, true});
      out += " " + verdict_cell(tolerant);
      if (strict.change_class != tolerant.change_class) out += " (strict: " + verdict_cell(strict) + ")";
      out += " |";
    }
    out += "\n";
  }
  return out;
}

std::string policy_table_text() {
  std::string out = "content model: " + std::string(kContentModel) + "\n";
  for (CompatMode mode : kModes) out += "mode " + std::string(to_string(mode)) + ": " + std::string(mode_meaning(mode)) + "\n";
  for (const auto& rule : kRules) {
    out += std::string(rule.code) + " (" + std::string(rule.change) + ", " +
           (rule.scope == ChangeScope::Event ? "schema_version" : "catalog_version") + ")\n";
    out += "  backward reads " + std::string(to_string(rule.backward)) + ": " + std::string(rule.backward_why) + "\n";
    out += "  forward reads " + std::string(to_string(rule.forward)) + ": " + std::string(rule.forward_why) + "\n";
    out += " ";
    for (CompatMode mode : kModes) {
      const PolicyVerdict tolerant = policy_verdict(rule.kind, {mode, false});
      const PolicyVerdict strict = policy_verdict(rule.kind, {mode, true});
      out += " " + std::string(to_string(mode)) + ": " + verdict_cell(tolerant);
      if (strict.change_class != tolerant.change_class) out += " (strict: " + verdict_cell(strict) + ")";
      out += ";";
    }
    out.back() = '\n';
  }
  return out;
}

}  // namespace msgevents
