// Version order per aggregate: stream.version_gap, stream.late_delivery, stream.version_conflict
// and stream.time_backwards.
// Private to the stream checks: included by stream_checks.cpp alone.
#pragma once

#include "stream_state.hpp"

namespace msgevents::detail {
namespace streams {

// A positive duration for a person: "250 ms", "12.5 s", "30 min", "2 h 5 min", "3 d 4 h".
inline std::string duration(int64_t ms) {
  if (ms < 1000) return std::to_string(ms) + " ms";
  if (ms < 60000) {
    std::string s = std::to_string(ms / 1000);
    int64_t frac = ms % 1000;
    if (frac != 0) {
      std::string digits = std::to_string(1000 + frac).substr(1);
      while (!digits.empty() && digits.back() == '0') digits.pop_back();
      s += "." + digits;
    }
    return s + " s";
  }
  const int64_t minutes = ms / 60000;
  const int64_t days = minutes / 1440, hours = minutes / 60 % 24, mins = minutes % 60;
  std::string out;
  if (days > 0) out += std::to_string(days) + " d";
  if (hours > 0) out += (out.empty() ? "" : " ") + std::to_string(hours) + " h";
  if (mins > 0 && days == 0) out += (out.empty() ? "" : " ") + std::to_string(mins) + " min";
  if (out.empty()) out = std::to_string(days) + " d";
  return out;
}

// Takes version v out of the missing ranges; true if it was missing.
inline bool fill_missing(MissingVersions& ranges, uint64_t v) {
  auto it = ranges.upper_bound(v);  // the first range starting after v
  if (it == ranges.begin()) return false;
  --it;
  const uint64_t lo = it->first, hi = it->second;
  if (v > hi) return false;
  ranges.erase(it);
  if (lo < v) ranges.emplace(lo, v - 1);
  if (v < hi) ranges.emplace(v + 1, hi);
  return true;
}

}  // namespace streams

// Version order: gaps, late deliveries, conflicts and clocks going backwards. True when the event
// moves the aggregate forward (or carries no usable version): only then does the lifecycle step.
MSGEVENTS_HOT bool StreamChecker::State::check_version(const EventFacts& facts, Aggregate* agg, std::vector<PendingFinding>& out) {
  State& st = *this;
  // A late or conflicting event describes a past the state has left.
  bool advances = true;
  if (facts.version) {
    const uint64_t v = *facts.version;
    const uint32_t agg_number = agg->number;
    auto name_of = [&]() { return st.catalog.aggregates[agg->type].name + " " + std::string(facts.aggregate_id); };
    if (!(agg->flags & kHasVersion)) {
      agg->flags |= kHasVersion;
      agg->min_version = agg->max_version = v;
      agg->max_version_event = st.current_event(facts);
      agg->max_version_time = facts.occurred_at_ms.value_or(kNoTime);
    } else if (v > agg->max_version) {
      if (v > agg->max_version + 1) {
        const uint64_t lo = agg->max_version + 1, hi = v - 1;
        st.missing[agg_number].emplace(lo, hi);
        [&]() MSGEVENTS_COLD {
          const std::string skipped = lo == hi ? "version " + std::to_string(lo) + " is missing from the stream (or arrives later)"
                                               : "versions " + std::to_string(lo) + " to " + std::to_string(hi) +
                                                     " are missing from the stream (or arrive later)";
          out.push_back(located(MSGEVENTS_RULE("stream.version_gap"),
                                "Version " + std::to_string(v) + " of " + name_of() + " follows version " +
                                    std::to_string(agg->max_version) + ": " + skipped + ".",
                                facts.version_at));
        }();
      }
      if (facts.occurred_at_ms && agg->max_version_time != kNoTime && *facts.occurred_at_ms < agg->max_version_time) {
        [&]() MSGEVENTS_COLD {
          out.push_back(located(MSGEVENTS_RULE("stream.time_backwards"),
                                "Version " + std::to_string(v) + " of " + name_of() + " occurred " +
                                    duration(agg->max_version_time - *facts.occurred_at_ms) + " before version " + std::to_string(agg->max_version) + " (line " +
                                    std::to_string(st.line_of(agg->max_version_event)) +
                                    "): the producer's clock went backwards; version stays the order that counts.",
                                facts.occurred_at_at));
        }();
      }
      agg->max_version = v;
      agg->max_version_event = st.current_event(facts);
      agg->max_version_time = facts.occurred_at_ms.value_or(kNoTime);
    } else {
      advances = false;
      bool late = false;
      if (v < agg->min_version) {
        if (v + 1 < agg->min_version) st.missing[agg_number].emplace(v + 1, agg->min_version - 1);
        agg->min_version = v;
        late = true;
      } else if (v != agg->max_version) {
        auto it = st.missing.find(agg_number);
        if (it != st.missing.end()) {
          late = fill_missing(it->second, v);
          if (it->second.empty()) st.missing.erase(it);
        }
      }
      if (late) {
        [&]() MSGEVENTS_COLD {
          out.push_back(located(MSGEVENTS_RULE("stream.late_delivery"),
                                "Version " + std::to_string(v) + " of " + name_of() + " arrives after version " +
                                    std::to_string(agg->max_version) + " (line " +
                                    std::to_string(st.line_of(agg->max_version_event)) +
                                    "): a late delivery; consumers must order by version.",
                                facts.version_at));
        }();
      } else {
        [&]() MSGEVENTS_COLD {
          const std::string other = v == agg->max_version ? " by the event at line " + std::to_string(st.line_of(agg->max_version_event))
                                                          : " by an earlier event";
          out.push_back(located(MSGEVENTS_RULE("stream.version_conflict"),
                                "Version " + std::to_string(v) + " of " + name_of() + " is already recorded" + other +
                                    ": two different events claim one version, and by policy only one of them counts.",
                                facts.version_at));
        }();
      }
    }
  }
  return advances;
}

}  // namespace msgevents::detail
