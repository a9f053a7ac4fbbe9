// The finding vocabulary's bottom layer: a finding is made from its rule (MSGEVENTS_RULE, checked
// when compiling), a message, a JSON Pointer and a position, with the severity the rule has under
// the run's options. Every part that reports findings makes them here.
#pragma once

#include <cstdint>
#include <string>

#include "event_framer.hpp"
#include "msgevents/validator.hpp"
#include "rule_table.hpp"

namespace msgevents::detail {

// Adds the counts of `s` to `total` (the report writer's totals over inputs, and a parallel
// session's over the batches its workers checked).
inline void add_to(Summary& total, const Summary& s) {
  total.events += s.events;
  total.critical += s.critical;
  total.error += s.error;
  total.warning += s.warning;
  total.info += s.info;
  total.findings_omitted += s.findings_omitted;
  total.events_skipped += s.events_skipped;
  total.input_rejected = total.input_rejected || s.input_rejected;
}

class FindingFactory {
 public:
  explicit FindingFactory(const Options& options) : options_(options) {}

  Finding make(RuleId rule, std::string message, std::string pointer, const Position& at, int64_t event_index) const {
    Finding finding;
    finding.code = std::string(rule_of(rule).code);
    finding.severity = severity_of(rule);
    finding.message = std::move(message);
    finding.pointer = std::move(pointer);
    finding.line = at.line;
    finding.column = at.column;
    finding.event_index = event_index;
    return finding;
  }
  Severity severity_of(RuleId rule) const { return effective_severity(rule_of(rule), options_); }

 private:
  const Options& options_;
};

}  // namespace msgevents::detail
