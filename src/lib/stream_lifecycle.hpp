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

// lifecycle.mid_life, owed by an aggregate that began mid-life once an event relies on the state
// assumed before its first one (out of line: once per such aggregate).
__attribute__((noinline)) void StreamChecker::State::report_mid_life(const Aggregate& agg, const AggregateSpec& spec, const std::string& described,
                                                                    const FieldLocation& at, std::vector<PendingFinding>& out) {
  MidLifeNotes::Note first;
  if (!mid_life.find(agg.number, &first)) return;
  const EventSpec& event = catalog.events[first.event_type];
  // The state it was assumed to leave: the first step of its type that does not create (the one
  // check_lifecycle took for it).
  std::string_view state_before;
  for (const Step& s : lifecycle_of_event[first.event_type]->steps) {
    if (s.from != kNotCreated) {
      state_before = spec.states[static_cast<size_t>(s.from)];
      break;
    }
  }
  const std::string at_version = first.version ? " at version " + std::to_string(first.version) : "";
  out.push_back(located(MSGEVENTS_RULE("lifecycle.mid_life"),
                        described + " starts mid-life in this input: its first event, " + event.name + at_version + " (line " +
                            std::to_string(line_of(first.event)) + "), has no creating event before it, so the state before it is assumed to be " +
                            std::string(state_before) + "; this event is checked from there.",
                        at));
  mid_life.erase(agg.number);
}

// The lifecycle: the aggregate's state moved by the event, or a lifecycle.transition (and the
// lifecycle.mid_life an earlier assumption owes).
MSGEVENTS_HOT void StreamChecker::State::check_lifecycle(const EventFacts& facts, Aggregate* agg, bool advances, std::vector<PendingFinding>& out) {
  State& st = *this;
  const EventLifecycle* life = facts.spec ? st.lifecycle_of_event[static_cast<size_t>(facts.spec - st.catalog.events.data())] : nullptr;
  if (advances && life && life->aggregate == agg->type) {
    const AggregateSpec& spec = st.catalog.aggregates[agg->type];
    auto described = [&]() { return spec.name + " " + std::string(facts.aggregate_id); };
    if (agg->flags & kMidLifePending) {
      agg->flags &= static_cast<uint8_t>(~kMidLifePending);
      [&]() MSGEVENTS_COLD { st.report_mid_life(*agg, spec, described(), facts.event_name_at, out); }();
    }
    const Step* creating = nullptr;
    const Step* from_state = nullptr;
    const Step* first_other = nullptr;
    for (const Step& s : life->steps) {
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
          st.mid_life.add(agg->number, {static_cast<uint16_t>(facts.spec - st.catalog.events.data()),
                                        static_cast<uint32_t>(st.current_event(facts)), facts.version.value_or(0)});
        }
      }
    } else if (from_state) {
      agg->state = from_state->to;
    } else {
      // The event is rejected, as a consumer would reject it: the state does not change.
      [&]() MSGEVENTS_COLD {
        const std::string& current = spec.states[static_cast<size_t>(agg->state)];
        std::string message;
        if (creating && !first_other) {
          message = std::string(facts.event_name) + " creates " + described() + ", which already exists (state " + current + ")";
        } else {
          message = std::string(facts.event_name) + " is not allowed on " + described() + " in state " + current;
        }
        message += "; allowed from " + current + ": " + join_allowed(spec, current) + ".";
        out.push_back(located(MSGEVENTS_RULE("lifecycle.transition"), std::move(message), facts.event_name_at));
      }();
    }
  } else if (advances && agg->state == kNotCreated) {
    agg->state = kUnknownState;
  }

}

}  // namespace msgevents::detail
