// The finding vocabulary's bottom layer: a finding is made from its rule (MSGEVENTS_RULE, checked
// when compiling), a message, a JSON Pointer and a position, with the severity the rule has under
// the run's options. Every part that reports findings makes them here.
//
// The checks of one event (the session's per-event checks and the stream checks alike) know only
// the event's text, so they report PendingFindings, placed by a byte offset in it; the session,
// which knows where the event is in the input, turns them into Findings with a line and column.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

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

// No node: the pending finding's pointer is already in `pointer` (the parser's kNoNode).
constexpr uint32_t kNoPointerNode = 0xFFFFFFFFu;

// A finding before its position is known: positions are computed in one pass per event.
struct PendingFinding {
  RuleId rule;
  std::string message;
  std::string pointer;
  uint32_t pointer_node;  // when not kNoPointerNode, the pointer is this parser node's, built only if listed
  uint64_t offset;        // in the event text; 0 is the event's start (its first byte)
  uint64_t sequence;      // report order, which breaks ties between equal offsets
};

// Position order of an event's findings (a max-heap on it keeps the first ones when capped).
inline bool earlier(const PendingFinding& a, const PendingFinding& b) {
  return a.offset != b.offset ? a.offset < b.offset : a.sequence < b.sequence;
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
  // A pending finding placed at `at`, the position of its offset (its pointer already built).
  Finding make(PendingFinding&& pending, const Position& at, int64_t event_index) const {
    return make(pending.rule, std::move(pending.message), std::move(pending.pointer), at, event_index);
  }
  Severity severity_of(RuleId rule) const { return effective_severity(rule_of(rule), options_); }

 private:
  const Options& options_;
};

}  // namespace msgevents::detail
