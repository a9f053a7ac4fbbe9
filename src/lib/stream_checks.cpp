#include "stream_checks.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

// The parts of the checker, each inlined into observe() (what runs for every event).
#include "stream_identity.hpp"
#include "stream_lifecycle.hpp"
#include "stream_layouts.hpp"
#include "stream_state.hpp"
#include "stream_version.hpp"

namespace msgevents::detail {

// The SipHash of each identity under the run's key (the empty string's where the event has none).
IdentityHashes identity_hashes(const EventFacts& facts, const SipKey& key) {
  IdentityHashes hashes;
  hashes.idempotency_key = siphash13(key, facts.idempotency_key);
  hashes.event_id = siphash13(key, facts.event_id);
  hashes.aggregate_id = siphash13(key, facts.aggregate_id);
  return hashes;
}

StreamChecker::StreamChecker(const Options& options, const Catalog& catalog, const SipKey& key)
    : state_(std::make_unique<State>(options, catalog, key)) {}

StreamChecker::~StreamChecker() = default;

// visit(address) for each slot observe() reads first for these identities (FlatTable::first_read:
// null for an empty segment). An identity the event lacks has the empty string's hash: its slot
// is loaded for nothing.
template <typename Visit>
void StreamChecker::first_reads(const IdentityHashes& hashes, std::string_view aggregate_type, const EventSpec* spec, Visit&& visit) const {
  const State& st = *state_;
  st.by_idempotency_key.first_reads(IdentityTable::normal(hashes.idempotency_key), visit);
  st.by_event_id.first_reads(IdentityTable::normal(hashes.event_id), visit);
  const int type = aggregate_type.empty() ? -1 : st.aggregate_index(aggregate_type, spec);
  if (type >= 0) visit(st.aggregates.first_read(FlatTable<AggregateSlot>::normal(aggregate_key(hashes.aggregate_id, type))));
}

void StreamChecker::prefetch(const EventFacts& facts) const {
  if (facts.hashed) prefetch(facts.hashes, facts.aggregate_type, facts.spec);
}

void StreamChecker::prefetch(const IdentityHashes& hashes, std::string_view aggregate_type, const EventSpec* spec) const {
  first_reads(hashes, aggregate_type, spec, [](const void* at) {
    if (at) __builtin_prefetch(at);
  });
}

void StreamChecker::warm(const EventFacts* facts, size_t count) const {
  if constexpr (kStreamPrefetch) {
    for (size_t i = 0; i < count; ++i) prefetch(facts[i]);
  } else {
    // Every address first, then every read: the reads, independent of each other and of what
    // comes between them, are all in flight at once.
    const void* at[kMaxWarmed * 5];  // an identity is in one of two tables: 2 + 2 + 1 an event
    size_t n = 0;
    for (size_t i = 0; i < count && i < kMaxWarmed; ++i) {
      if (!facts[i].hashed) continue;
      first_reads(facts[i].hashes, facts[i].aggregate_type, facts[i].spec, [&](const void* address) {
        if (address) at[n++] = address;
      });
    }
    uint8_t sum = 0;
    for (size_t i = 0; i < n; ++i) sum = static_cast<uint8_t>(sum + *static_cast<const volatile uint8_t*>(at[i]));
    warmed_ = sum;  // volatile: the reads are not dead code
  }
}

// The aggregate the event names, found or added (while fewer than kMaxRemembered are known): its
// slot, and its state unpacked into *agg. Null when the event names none or no more fit.
MSGEVENTS_HOT AggregateSlot* StreamChecker::State::aggregate_of(const EventFacts& facts, const IdentityHashes& hashes, Aggregate* agg) {
  State& st = *this;
  AggregateSlot* slot = nullptr;
  Aggregate& agg_state = *agg;
  const int type = facts.aggregate_type.empty() ? -1 : st.aggregate_index(facts.aggregate_type, facts.spec);
  if (type >= 0 && !facts.aggregate_id.empty()) {
    const uint64_t key = FlatTable<AggregateSlot>::normal(aggregate_key(hashes.aggregate_id, type));
    AggregateSlot* vacancy = nullptr;
    slot = st.aggregates.find(key, &vacancy);
    if (slot) {
      agg_state = st.unpack(*slot, static_cast<uint16_t>(type));
    } else if (st.aggregate_count < kMaxRemembered && st.events.size() < kMaxRemembered) {
      // Numbered by its first event, which is remembered from here on (if nothing else did).
      ++st.aggregate_count;
      agg_state.number = static_cast<uint32_t>(st.current_event(facts));
      agg_state.type = static_cast<uint16_t>(type);
      slot = st.aggregates.insert(key, vacancy);
      // Young, as pack() would write it: no event, version or problem yet.
      slot->tag = static_cast<uint8_t>(kYoungNoEvent << kYoungCodeShift);
      slot->word = agg_state.number;
      std::memcpy(slot->extra, &kNoCompactTime, sizeof kNoCompactTime);
      st.keep_id(agg_state.number, facts.aggregate_id, agg_state.type);
    }
  }
  return slot;
}

void StreamChecker::observe(const EventFacts& facts, std::vector<PendingFinding>& out) {
  State& st = *state_;
  const size_t first_new = out.size();
  const IdentityHashes hashes = facts.hashed ? facts.hashes : identity_hashes(facts, st.key);
  st.current_number = State::kNoNumber;

  // The aggregate first: every finding of severity warning or worse counts against it. Its state
  // is read from its slot here and written back at the end.
  Aggregate agg_state;
  AggregateSlot* slot = st.aggregate_of(facts, hashes, &agg_state);
  Aggregate* agg = slot ? &agg_state : nullptr;

  // Like the event's own findings, the stream findings of one event come in position order.
  auto count_problems = [&]() MSGEVENTS_FORCE_INLINE {
    // An insertion sort, stable: an event has a few stream findings at most (std::stable_sort was
    // 4 KB of the WebAssembly module for them).
    for (size_t i = first_new + 1; i < out.size(); ++i) {
      for (size_t j = i; j > first_new && out[j - 1].offset > out[j].offset; --j) std::swap(out[j - 1], out[j]);
    }
    if (!agg) return;
    const bool had_problems = agg->problems > 0;
    for (size_t i = first_new; i < out.size(); ++i) {
      if (st.factory.severity_of(out[i].rule) != Severity::Info) ++agg->problems;
    }
    if (!had_problems && agg->problems > 0) st.first_problem(agg->number, facts.aggregate_id);
    st.pack(*agg, *slot);
  };

  if (st.check_identity(facts, hashes, out)) return;
  if (!agg) {
    count_problems();
    return;
  }
  ++agg->events;
  const bool advances = st.check_version(facts, agg, out);
  st.check_lifecycle(facts, agg, advances, out);
  count_problems();
}

void StreamChecker::finish(std::vector<AggregateSummary>& aggregates, uint64_t* omitted) {
  State& st = *state_;
  // Aggregates with problems come first (they are what a reader looks for), then the rest, each
  // in first-seen order, up to the limit: a stream of millions of aggregates stays a short report.
  // Only aggregates whose id was kept can be listed (State::keep_id): those, in first-seen order.
  // The first ones are placed by their number, the later ones with problems follow in theirs.
  const uint64_t limit = st.options.max_aggregate_summaries;
  const size_t before = aggregates.size();
  const size_t early = st.early_numbers.size();
  std::vector<Aggregate> listed(early + st.late_problem_ids.size());
  std::vector<uint32_t> late_numbers;
  for (const auto& late : st.late_problem_ids) late_numbers.push_back(late.first);
  st.aggregates.for_each([&](const AggregateSlot& slot) {
    const uint32_t number = st.number_of(slot);
    size_t place = 0;
    if (st.early(number)) {
      place = st.early_place(number);
    } else {
      const auto at = std::lower_bound(late_numbers.begin(), late_numbers.end(), number);
      if (at == late_numbers.end() || *at != number) return;
      place = early + static_cast<size_t>(at - late_numbers.begin());
    }
    // The type matters only to a young slot, and those that are listed are early ones.
    listed[place] = st.unpack(slot, place < early ? st.early_types[place] : 0);
  });
  for (const bool with_problems : {true, false}) {
    for (const Aggregate& agg : listed) {
      if ((agg.problems > 0) != with_problems || aggregates.size() >= limit) continue;
      AggregateSummary summary;
      const AggregateSpec& spec = st.catalog.aggregates[agg.type];
      summary.aggregate_type = spec.name;
      summary.aggregate_id = std::string(st.id_of(agg.number));
      summary.events = agg.events;
      summary.first_version = agg.min_version;
      summary.last_version = agg.max_version;
      if (agg.state >= 0) summary.final_state = spec.states[static_cast<size_t>(agg.state)];
      summary.problems = agg.problems;
      aggregates.push_back(std::move(summary));
    }
  }
  *omitted = st.aggregate_count - (aggregates.size() - before);
}

}  // namespace msgevents::detail
