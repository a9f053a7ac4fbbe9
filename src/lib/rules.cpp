#include "msgevents/rules.hpp"

#include "json_writer.hpp"
#include "rule_table.hpp"

namespace msgevents {
namespace {

std::string_view escalation_name(Escalation escalation) {
  switch (escalation) {
    case Escalation::Strict: return "strict";
    case Escalation::PublicProfile: return "public";
    case Escalation::None: break;
  }
  return "";
}

}  // namespace

namespace detail {

const Rule& rule_of(RuleId id) { return kRuleTable[id.index]; }

bool find_rule_id(std::string_view code, RuleId* id) {
  for (size_t i = 0; i < kRuleCount; ++i) {
    if (kRuleTable[i].code == code) {
      *id = RuleId{static_cast<uint16_t>(i)};
      return true;
    }
  }
  return false;
}

}  // namespace detail

const std::vector<Rule>& rule_registry() {
  static const std::vector<Rule> rules(std::begin(detail::kRuleTable), std::end(detail::kRuleTable));
  return rules;
}

const Rule* find_rule(std::string_view code) {
  detail::RuleId id{};
  return detail::find_rule_id(code, &id) ? &detail::rule_of(id) : nullptr;
}

Severity effective_severity(const Rule& rule, const Options& options) {
  if ((rule.escalation == Escalation::Strict && options.strict) ||
      (rule.escalation == Escalation::PublicProfile && options.profile == Profile::Public)) {
    return Severity::Error;
  }
  return rule.severity;
}

std::string checklist_markdown() {
  // Plain appends rather than a stream: iostreams would add ~35 KB (gzipped) to the WASM module.
  std::string out =
      "# Validation checklist\n\n"
      "Apply to any event instance, by hand or with `msgevents validate`. Each item is one rule of the\n"
      "validator, with its code and the severity of a failure. An event passes when no item of severity\n"
      "error or critical fails. Generated from the rule registry: the checklist and the validator cannot\n"
      "disagree.\n";
  std::string_view category;
  for (const Rule& rule : detail::kRuleTable) {
    if (rule.category != category) {
      category = rule.category;
      out.append("\n## ").append(category).append("\n\n");
    }
    out.append("- [ ] **").append(rule.title).append("** (`").append(rule.code).append("`, ").append(to_string(rule.severity));
    if (rule.escalation == Escalation::Strict) out += "; error in strict mode";
    if (rule.escalation == Escalation::PublicProfile) out += "; error in the public profile";
    out.append(")  \n  ").append(rule.explanation).append("\n");
  }
  return out;
}

std::string rules_to_json() {
  detail::JsonWriter json;
  json.begin_array();
  for (const Rule& rule : detail::kRuleTable) {
    json.begin_object();
    json.key("code").string(rule.code);
    json.key("severity").string(to_string(rule.severity));
    json.key("category").string(rule.category);
    json.key("title").string(rule.title);
    json.key("explanation").string(rule.explanation);
    json.key("escalation");
    if (rule.escalation == Escalation::None) json.null();
    else json.string(escalation_name(rule.escalation));
    json.end_object();
  }
  json.end_array();
  return json.take();
}

}  // namespace msgevents
