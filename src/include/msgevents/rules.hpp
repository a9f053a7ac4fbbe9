// The rule registry: every finding the validator can produce, in one table.
//
// Each rule has a stable code, a default severity, a title and an explanation. The validation
// checklist (spec FR-004) is generated from this table by checklist_markdown(), so the checklist
// and the validator cannot disagree. A rule may be escalated: unknown fields are warnings, but
// errors in strict mode; contact data in free text is a warning, but an error in the public profile.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "msgevents/validator.hpp"

namespace msgevents {

enum class Escalation { None, Strict, PublicProfile };

struct Rule {
  std::string_view code;
  Severity severity;
  std::string_view category;  // "Input", "Envelope", "Payload", "Consistency", "Privacy", "Stream", "Redaction"
  std::string_view title;
  std::string_view explanation;
  Escalation escalation = Escalation::None;  // when set, the severity becomes Error
};

const std::vector<Rule>& rule_registry();
const Rule* find_rule(std::string_view code);
// The severity the rule has under these options (after escalation).
Severity effective_severity(const Rule& rule, const Options& options);

// The human-readable validation checklist, Markdown, generated from the registry.
std::string checklist_markdown();
// The registry as JSON: [{"code","severity","category","title","explanation","escalation"}].
std::string rules_to_json();

}  // namespace msgevents
