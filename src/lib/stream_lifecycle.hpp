// The catalog's lifecycle state machines: lifecycle.transition and lifecycle.mid_life.
// Private to the stream checks: included by stream_checks.cpp alone.
#pragma once

#include "stream_state.hpp"

namespace msgevents::detail {
namespace streams {

inline std::string join_allowed(const AggregateSpec& spec, const std::string& state) {
  std::string out;
  std::vector<std::string_view> seen;
  for (const Transition& t : spec.transitions) {
    if (t.from != state) continue;
    bool dup = false;
    for (std::string_view s : seen) dup = dup || s == t.event;
    if (dup) continue;
    seen.push_back(t.event);
    if (!out.empty()) out += ", ";
    out += t.event;
  }
  return out.empty() ? "none (" + state + " is final)" : out;
}

}  // namespace streams

// The lifecycle: the aggregate's state moved by the event, or a lifecycle.transition (and the
// lifecycle.mid_life an earlier assumption owes).
MSGEVENTS_HOT void StreamChecker::State::check_lifecycle(const EventFacts& facts, Aggregate* agg, bool advances, std::vector<PendingFinding>& out) {
  State& st = *this;
  const EventLifecycle* life = facts.spec ? st.lifecycle_of_event[static_cast<size_t>(facts.spec - st.catalog.events.data())] : nullptr;
  if (advances && life && life->aggregate == agg->type) {
    const AggregateSpec& spec = st.catalog.aggregates[agg->type];
    auto described = [&]() { return spec.name + " " + std::string(facts.aggregate_id); };
    const auto assumed = (agg->flags & kMidLifePending) ? st.mid_life.find(agg->number) : st.mid_life.end();
    if (assumed != st.mid_life.end()) {
      agg->flags &= static_cast<uint8_t>(~kMidLifePending);
      const MidLife& first = assumed->second;
      const std::string at_version = first.version ? " at version " + std::to_string(first.version) : "";
      out.push_back(located(MSGEVENTS_RULE("lifecycle.mid_life"),
                            described() + " starts mid-life in this input: its first event, " + *first.event_name +
                                at_version + " (line " + std::to_string(first.line) +
                                "), has no creating event before it, so the state before it is assumed to be " +
                                spec.states[static_cast<size_t>(first.state_before)] + "; this event is checked from there.",
                            facts.event_name_at));
      st.mid_life.erase(assumed);
    }
    const std::vector<Step>& steps = life->steps;
    const Step* creating = nullptr;
    const Step* from_state = nullptr;
    const Step* first_other = nullptr;
    for (const Step& s : steps) {
      if (s.from == kNotCreated) {
        if (!creating) creating = &s;
      } else {
        if (!first_other) first_other = &s;
        if (s.from == agg->state && !from_state) from_state = &s;
      }
    }
    if (agg->state == kNotCreated || agg->state == kUnknownState) {
      const bool fresh = agg->state == kNotCreated;
      if (creating && (!first_other || (fresh && (!facts.version || *facts.version == 1)))) {
        agg->state = creating->to;
      } else if (first_other) {
        agg->state = first_other->to;
        if (!(agg->flags & kMidLifeReported)) {
          // Said when a later event is checked against the assumed state, not now: a lone event
          // (a catalog example, one message off a queue) relies on no assumption.
          agg->flags |= kMidLifeReported | kMidLifePending;
          st.mid_life[agg->number] = {facts.start.line, facts.version.value_or(0), &facts.spec->name, first_other->from};
        }
      }
    } else if (from_state) {
      agg->state = from_state->to;
    } else {
      const std::string& current = spec.states[static_cast<size_t>(agg->state)];
      std::string message;
      if (creating && !first_other) {
        message = std::string(facts.event_name) + " creates " + described() + ", which already exists (state " + current + ")";
      } else {
        message = std::string(facts.event_name) + " is not allowed on " + described() + " in state " + current;
      }
      message += "; allowed from " + current + ": " + join_allowed(spec, current) + ".";
      // The event is rejected, as a consumer would reject it: the state does not change.
      out.push_back(located(MSGEVENTS_RULE("lifecycle.transition"), std::move(message), facts.event_name_at));
    }
  } else if (advances && agg->state == kNotCreated) {
    agg->state = kUnknownState;
  }

}

}  // namespace msgevents::detail
