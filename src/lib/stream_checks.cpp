#include "stream_checks.hpp"

#include <algorithm>
#include <cstring>
#include <deque>
#include <limits>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>

namespace msgevents::detail {
namespace {

// Identities and aggregates are remembered by a 64-bit keyed hash of their strings, never by the
// strings themselves (except aggregate ids, which the summary must name). With 2^64 values a
// collision among even 10^8 keys has a probability below 10^-3, and it could only turn one
// finding into another, never crash; the per-run key (SipHash) keeps anyone from choosing one.
// Each kind of name hashes under its own key, so an event_id never matches an idempotency_key.
SipKey derived_key(const SipKey& key, uint64_t purpose) { return {key.k0 ^ purpose, key.k1 + purpose}; }

constexpr uint64_t kIdempotencySeed = 0x6964656d706f7465ULL;
constexpr uint64_t kEventIdSeed = 0x6576656e745f6964ULL;
constexpr uint64_t kAggregateSeed = 0x6167677265676174ULL;

// Open addressing, linear probing: 12 bytes a slot instead of a node per entry, which is what
// keeps ten million ids within a few hundred megabytes. Key 0 marks an empty slot.
class HashIndex {
 public:
  static constexpr uint32_t kAbsent = std::numeric_limits<uint32_t>::max();

  uint32_t find(uint64_t key) const {
    if (keys_.empty()) return kAbsent;
    key = key ? key : 1;
    for (size_t i = key & mask_;; i = (i + 1) & mask_) {
      if (keys_[i] == key) return values_[i];
      if (keys_[i] == 0) return kAbsent;
    }
  }

  void prefetch(uint64_t key) const {
    if (keys_.empty()) return;
    const size_t i = (key ? key : 1) & mask_;
    __builtin_prefetch(&keys_[i]);
    __builtin_prefetch(&values_[i]);
  }

  // The key must not be present.
  void insert(uint64_t key, uint32_t value) {
    if ((size_ + 1) * 10 > keys_.size() * 7) grow();
    place(key ? key : 1, value);
    ++size_;
  }

 private:
  void place(uint64_t key, uint32_t value) {
    size_t i = key & mask_;
    while (keys_[i] != 0) i = (i + 1) & mask_;
    keys_[i] = key;
    values_[i] = value;
  }

  void grow() {
    size_t capacity = keys_.empty() ? 64 : keys_.size() * 2;
    std::vector<uint64_t> old_keys(capacity, 0);
    std::vector<uint32_t> old_values(capacity, 0);
    old_keys.swap(keys_);
    old_values.swap(values_);
    mask_ = capacity - 1;
    for (size_t i = 0; i < old_keys.size(); ++i) {
      if (old_keys[i] != 0) place(old_keys[i], old_values[i]);
    }
  }

  std::vector<uint64_t> keys_;
  std::vector<uint32_t> values_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

// One logical event as first delivered.
struct Identity {
  uint64_t content_hash;
  uint64_t line;
  int64_t index;
};

constexpr int16_t kNotCreated = -1;    // nothing seen yet that tells the state
constexpr int16_t kUnknownState = -2;  // seen, but only through events the lifecycle skips
constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

struct Aggregate {
  uint64_t id_offset = 0;  // into State::id_arena
  uint32_t id_size = 0;
  uint16_t type = 0;       // index into the catalog's aggregates
  int16_t state = kNotCreated;
  bool has_version = false;
  bool mid_life_reported = false;
  bool mid_life_pending = false;  // an entry in State::mid_life waits for the next event
  uint64_t events = 0;
  uint64_t min_version = 0;
  uint64_t max_version = 0;
  uint64_t max_version_line = 0;  // where the event holding max_version is
  int64_t max_version_time = kNoTime;
  uint64_t problems = 0;
};

struct MidLife {
  uint64_t line;     // of the aggregate's first event
  uint64_t version;  // 0 if it had none
  const std::string* event_name;  // owned by the catalog
  int16_t state_before;
};

using MissingVersions = std::map<uint64_t, uint64_t>;

struct Step {
  int16_t from;  // kNotCreated for a creating transition
  int16_t to;
};

// The lifecycle of one event type inside its aggregate's state machine.
struct EventLifecycle {
  uint16_t aggregate = 0;
  std::vector<Step> steps;
};

std::string join_allowed(const AggregateSpec& spec, const std::string& state) {
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

// A positive duration for a person: "250 ms", "12.5 s", "30 min", "2 h 5 min", "3 d 4 h".
std::string duration(int64_t ms) {
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

// An aggregate is known by its id's keyed hash and its type (the catalog's index of it).
uint64_t aggregate_key(uint64_t id_hash, int type) { return id_hash ^ (static_cast<uint64_t>(type) * 0x9e3779b97f4a7c15ULL); }

std::string where(uint64_t line, int64_t index) {
  return "line " + std::to_string(line) + " (event index " + std::to_string(index) + ")";
}

}  // namespace

IdentityHashes identity_hashes(const EventFacts& facts, const SipKey& key) {
  IdentityHashes hashes;
  hashes.idempotency_key = siphash13(derived_key(key, kIdempotencySeed), facts.idempotency_key);
  hashes.event_id = siphash13(derived_key(key, kEventIdSeed), facts.event_id);
  hashes.aggregate_id = siphash13(derived_key(key, kAggregateSeed), facts.aggregate_id);
  return hashes;
}

struct StreamChecker::State {
  State(const Options& opts, const Catalog& cat, const SipKey& run_key)
      : options(opts),
        catalog(cat),
        factory(options),
        key(run_key) {
    for (size_t a = 0; a < catalog.aggregates.size(); ++a) {
      const AggregateSpec& spec = catalog.aggregates[a];
      auto state_index = [&spec](const std::string& name) -> int16_t {
        if (name.empty()) return kNotCreated;
        for (size_t s = 0; s < spec.states.size(); ++s) {
          if (spec.states[s] == name) return static_cast<int16_t>(s);
        }
        return kUnknownState;
      };
      for (const Transition& t : spec.transitions) {
        int16_t from = state_index(t.from);
        int16_t to = state_index(t.to);
        if (from == kUnknownState || to < 0) continue;  // the catalog tests reject such a machine
        EventLifecycle& life = lifecycles[t.event];
        life.aggregate = static_cast<uint16_t>(a);
        life.steps.push_back({from, to});
      }
    }
    // Looked up for every event: by the event type's place in the catalog, not by its name.
    for (const EventSpec& event : catalog.events) {
      const auto found = lifecycles.find(event.name);
      lifecycle_of_event.push_back(found == lifecycles.end() ? nullptr : &found->second);
    }
  }

  int aggregate_index(std::string_view name) const {
    for (size_t a = 0; a < catalog.aggregates.size(); ++a) {
      if (catalog.aggregates[a].name == name) return static_cast<int>(a);
    }
    return -1;
  }

  std::string_view id_of(const Aggregate& agg) const {
    return std::string_view(id_arena).substr(agg.id_offset, agg.id_size);
  }

  std::string describe(const Aggregate& agg) const {
    return catalog.aggregates[agg.type].name + " " + std::string(id_of(agg));
  }

  Options options;
  const Catalog& catalog;
  FindingFactory factory;
  SipKey key;
  std::unordered_map<std::string_view, EventLifecycle> lifecycles;
  std::vector<const EventLifecycle*> lifecycle_of_event;  // per catalog event, or null

  std::deque<Identity> identities;  // a deque never copies its elements as it grows
  HashIndex by_idempotency_key;
  HashIndex by_event_id;

  std::deque<Aggregate> aggregates;  // in first-seen order; a deque grows without copying
  HashIndex aggregate_index_by_key;
  std::string id_arena;
  // Versions known to be missing, per aggregate that has any, as disjoint closed ranges (first ->
  // last): what tells a late delivery (fills a hole) from a conflict (takes a version already
  // recorded). Ordered, so a stream of many gaps and late deliveries costs log n each.
  std::unordered_map<uint32_t, MissingVersions> missing;
  // Aggregates first seen mid-life whose assumed state no later event has relied on yet.
  std::unordered_map<uint32_t, MidLife> mid_life;
};

namespace {

Finding located(const FindingFactory& factory, RuleId rule, std::string message, const FieldLocation& at,
                const EventFacts& facts) {
  if (at.pointer.empty()) return factory.make(rule, std::move(message), "", facts.start, facts.index);
  return factory.make(rule, std::move(message), std::string(at.pointer), facts.resolver->position_of(at.offset), facts.index);
}

// Takes version v out of the missing ranges; true if it was missing.
bool fill_missing(MissingVersions& ranges, uint64_t v) {
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

}  // namespace

StreamChecker::StreamChecker(const Options& options, const Catalog& catalog, const SipKey& key)
    : state_(std::make_unique<State>(options, catalog, key)) {}

StreamChecker::~StreamChecker() = default;

void StreamChecker::prefetch(const EventFacts& facts) const {
  if (!facts.hashed) return;
  const State& st = *state_;
  if (!facts.idempotency_key.empty()) st.by_idempotency_key.prefetch(facts.hashes.idempotency_key);
  if (!facts.event_id.empty()) st.by_event_id.prefetch(facts.hashes.event_id);
  const int type = facts.aggregate_type.empty() ? -1 : st.aggregate_index(facts.aggregate_type);
  if (type >= 0) st.aggregate_index_by_key.prefetch(aggregate_key(facts.hashes.aggregate_id, type));
}

void StreamChecker::observe(const EventFacts& facts, std::vector<Finding>& out) {
  State& st = *state_;
  const size_t first_new = out.size();
  const IdentityHashes hashes = facts.hashed ? facts.hashes : identity_hashes(facts, st.key);

  // The aggregate first: every finding of severity warning or worse counts against it.
  Aggregate* agg = nullptr;
  uint32_t agg_number = HashIndex::kAbsent;
  const int type = facts.aggregate_type.empty() ? -1 : st.aggregate_index(facts.aggregate_type);
  if (type >= 0 && !facts.aggregate_id.empty()) {
    const uint64_t key = aggregate_key(hashes.aggregate_id, type);
    agg_number = st.aggregate_index_by_key.find(key);
    if (agg_number == HashIndex::kAbsent && st.aggregates.size() < HashIndex::kAbsent - 1) {
      agg_number = static_cast<uint32_t>(st.aggregates.size());
      Aggregate fresh;
      fresh.id_offset = st.id_arena.size();
      fresh.id_size = static_cast<uint32_t>(facts.aggregate_id.size());
      fresh.type = static_cast<uint16_t>(type);
      st.id_arena.append(facts.aggregate_id);
      st.aggregates.push_back(fresh);
      st.aggregate_index_by_key.insert(key, agg_number);
    }
    if (agg_number != HashIndex::kAbsent) agg = &st.aggregates[agg_number];
  }

  // Like the event's own findings, the stream findings of one event come in position order.
  auto count_problems = [&]() {
    if (out.size() - first_new > 1) {
      std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(first_new), out.end(), [](const Finding& a, const Finding& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
      });
    }
    if (!agg) return;
    for (size_t i = first_new; i < out.size(); ++i) {
      if (out[i].severity != Severity::Info) ++agg->problems;
    }
  };

  // Redelivery and identity. The idempotency_key names the logical event when present; the
  // event_id names one delivery attempt's event and must not be reused for different content.
  const uint64_t idem_key = hashes.idempotency_key;
  const uint64_t id_key = hashes.event_id;
  const uint32_t by_idem = facts.idempotency_key.empty() ? HashIndex::kAbsent : st.by_idempotency_key.find(idem_key);
  const uint32_t by_id = facts.event_id.empty() ? HashIndex::kAbsent : st.by_event_id.find(id_key);
  const bool via_idem = by_idem != HashIndex::kAbsent;
  const uint32_t match = via_idem ? by_idem : by_id;
  if (match != HashIndex::kAbsent) {
    const Identity& first = st.identities[match];
    const char* field = via_idem ? "idempotency_key" : "event_id";
    const FieldLocation& at = via_idem ? facts.idempotency_key_at : facts.event_id_at;
    if (first.content_hash == facts.content_hash) {
      out.push_back(located(st.factory, MSGEVENTS_RULE("stream.duplicate"),
                            std::string("Redelivery of the event at ") + where(first.line, first.index) + ": same " +
                                field + " and same content; a consumer processes it once.",
                            at, facts));
      // A redelivery changes nothing: the version and lifecycle checks saw it the first time.
      return;
    }
    out.push_back(located(st.factory, MSGEVENTS_RULE("stream.id_conflict"),
                          std::string("The ") + field + " of this event (line " + std::to_string(facts.start.line) +
                              ") is already used by the event at " + where(first.line, first.index) +
                              " with different content: two different events claim one identity, and a consumer "
                              "deduplicating on it would lose one.",
                          at, facts));
  }
  const bool new_idem = !facts.idempotency_key.empty() && by_idem == HashIndex::kAbsent;
  const bool new_id = !facts.event_id.empty() && by_id == HashIndex::kAbsent;
  if (new_idem || new_id) {
    if (st.identities.size() < HashIndex::kAbsent - 1) {
      const uint32_t number = static_cast<uint32_t>(st.identities.size());
      st.identities.push_back({facts.content_hash, facts.start.line, facts.index});
      if (new_idem) st.by_idempotency_key.insert(idem_key, number);
      if (new_id) st.by_event_id.insert(id_key, number);
    }
  }

  if (!agg) {
    count_problems();
    return;
  }
  ++agg->events;

  // Version order. Only an event that moves the aggregate forward (or carries no usable version)
  // goes on to the lifecycle: a late or conflicting event describes a past the state has left.
  bool advances = true;
  if (facts.version) {
    const uint64_t v = *facts.version;
    auto name_of = [&]() { return st.describe(*agg); };
    if (!agg->has_version) {
      agg->has_version = true;
      agg->min_version = agg->max_version = v;
      agg->max_version_line = facts.start.line;
      agg->max_version_time = facts.occurred_at_ms.value_or(kNoTime);
    } else if (v > agg->max_version) {
      if (v > agg->max_version + 1) {
        const uint64_t lo = agg->max_version + 1, hi = v - 1;
        st.missing[agg_number].emplace(lo, hi);
        std::string skipped = lo == hi ? "version " + std::to_string(lo) + " is missing from the stream (or arrives later)"
                                       : "versions " + std::to_string(lo) + " to " + std::to_string(hi) +
                                             " are missing from the stream (or arrive later)";
        out.push_back(located(st.factory, MSGEVENTS_RULE("stream.version_gap"),
                              "Version " + std::to_string(v) + " of " + name_of() + " follows version " +
                                  std::to_string(agg->max_version) + ": " + skipped + ".",
                              facts.version_at, facts));
      }
      if (facts.occurred_at_ms && agg->max_version_time != kNoTime && *facts.occurred_at_ms < agg->max_version_time) {
        out.push_back(located(st.factory, MSGEVENTS_RULE("stream.time_backwards"),
                              "Version " + std::to_string(v) + " of " + name_of() + " occurred " +
                                  duration(agg->max_version_time - *facts.occurred_at_ms) + " before version " + std::to_string(agg->max_version) + " (line " +
                                  std::to_string(agg->max_version_line) +
                                  "): the producer's clock went backwards; version stays the order that counts.",
                              facts.occurred_at_at, facts));
      }
      agg->max_version = v;
      agg->max_version_line = facts.start.line;
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
        out.push_back(located(st.factory, MSGEVENTS_RULE("stream.late_delivery"),
                              "Version " + std::to_string(v) + " of " + name_of() + " arrives after version " +
                                  std::to_string(agg->max_version) + " (line " +
                                  std::to_string(agg->max_version_line) +
                                  "): a late delivery; consumers must order by version.",
                              facts.version_at, facts));
      } else {
        std::string other = v == agg->max_version ? " by the event at line " + std::to_string(agg->max_version_line)
                                                  : " by an earlier event";
        out.push_back(located(st.factory, MSGEVENTS_RULE("stream.version_conflict"),
                              "Version " + std::to_string(v) + " of " + name_of() + " is already recorded" + other +
                                  ": two different events claim one version, and by policy only one of them counts.",
                              facts.version_at, facts));
      }
    }
  }

  // Lifecycle.
  const EventLifecycle* life = facts.spec ? st.lifecycle_of_event[static_cast<size_t>(facts.spec - st.catalog.events.data())] : nullptr;
  if (advances && life && life->aggregate == agg->type) {
    const AggregateSpec& spec = st.catalog.aggregates[agg->type];
    const auto assumed = agg->mid_life_pending ? st.mid_life.find(agg_number) : st.mid_life.end();
    if (assumed != st.mid_life.end()) {
      agg->mid_life_pending = false;
      const MidLife& first = assumed->second;
      const std::string at_version = first.version ? " at version " + std::to_string(first.version) : "";
      out.push_back(located(st.factory, MSGEVENTS_RULE("lifecycle.mid_life"),
                            st.describe(*agg) + " starts mid-life in this input: its first event, " + *first.event_name +
                                at_version + " (line " + std::to_string(first.line) +
                                "), has no creating event before it, so the state before it is assumed to be " +
                                spec.states[static_cast<size_t>(first.state_before)] + "; this event is checked from there.",
                            facts.event_name_at, facts));
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
        if (!agg->mid_life_reported) {
          // Said when a later event is checked against the assumed state, not now: a lone event
          // (a catalog example, one message off a queue) relies on no assumption.
          agg->mid_life_reported = true;
          agg->mid_life_pending = true;
          st.mid_life[agg_number] = {facts.start.line, facts.version.value_or(0), &facts.spec->name, first_other->from};
        }
      }
    } else if (from_state) {
      agg->state = from_state->to;
    } else {
      const std::string& current = spec.states[static_cast<size_t>(agg->state)];
      std::string message;
      if (creating && !first_other) {
        message = std::string(facts.event_name) + " creates " + st.describe(*agg) + ", which already exists (state " +
                  current + ")";
      } else {
        message = std::string(facts.event_name) + " is not allowed on " + st.describe(*agg) + " in state " + current;
      }
      message += "; allowed from " + current + ": " + join_allowed(spec, current) + ".";
      // The event is rejected, as a consumer would reject it: the state does not change.
      out.push_back(located(st.factory, MSGEVENTS_RULE("lifecycle.transition"), std::move(message), facts.event_name_at, facts));
    }
  } else if (advances && agg->state == kNotCreated) {
    agg->state = kUnknownState;
  }

  count_problems();
}

void StreamChecker::finish(std::vector<Finding>& /*out*/, std::vector<AggregateSummary>& aggregates, uint64_t limit,
                           uint64_t* omitted) {
  State& st = *state_;
  // Aggregates with problems come first (they are what a reader looks for), then the rest, each
  // in first-seen order, up to the limit: a stream of millions of aggregates stays a short report.
  *omitted = 0;
  for (const bool with_problems : {true, false}) {
    for (const Aggregate& agg : st.aggregates) {
      if ((agg.problems > 0) != with_problems) continue;
      if (aggregates.size() >= limit) {
        ++*omitted;
        continue;
      }
      AggregateSummary summary;
      const AggregateSpec& spec = st.catalog.aggregates[agg.type];
      summary.aggregate_type = spec.name;
      summary.aggregate_id = std::string(st.id_of(agg));
      summary.events = agg.events;
      summary.first_version = agg.min_version;
      summary.last_version = agg.max_version;
      if (agg.state >= 0) summary.final_state = spec.states[static_cast<size_t>(agg.state)];
      summary.problems = agg.problems;
      aggregates.push_back(std::move(summary));
    }
  }
}

}  // namespace msgevents::detail
