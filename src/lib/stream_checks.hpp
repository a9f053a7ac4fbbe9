// Checks across the events of one input, in order: redelivery and identity conflicts, version
// order per aggregate, and the catalog's lifecycle state machines.
//
// The validator hands each event's facts to observe() after checking the event on its own, and
// calls finish() at the end. observe() returns pending findings placed by a byte offset in the
// event's text (finding_factory.hpp): the checks know nothing of the input around the event, and
// the validator, which does, turns them into positioned findings. Memory grows with the number of
// distinct ids and aggregates, never with the input's size.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "event_framer.hpp"
#include "msgevents/catalog.hpp"
#include "msgevents/validator.hpp"
#include "finding_factory.hpp"
#include "siphash.hpp"

namespace msgevents::detail {

// Where a field of the event is: its pointer and its byte offset in the event's text. The line and
// column are computed only when a finding needs them (by the validator), which is rare.
struct FieldLocation {
  std::string_view pointer;  // e.g. "/version"; empty when the event lacks the field
  uint64_t offset = 0;
};

// The keyed hashes by which the stream checks remember identities and aggregates.
struct IdentityHashes {
  uint64_t idempotency_key = 0;
  uint64_t event_id = 0;
  uint64_t aggregate_id = 0;
};

// What the stream checks need to know of one event. Views are valid only during observe().
struct EventFacts {
  int64_t index = 0;
  Position start;  // the event's first byte
  uint64_t content_hash = 0;
  std::string_view event_name;      // empty if missing or not a string
  const EventSpec* spec = nullptr;  // null if event_name is not in the catalog
  std::string_view aggregate_type;  // empty if missing or invalid
  std::string_view aggregate_id;
  std::string_view event_id;
  std::string_view idempotency_key;
  std::optional<uint64_t> version;       // set only when a valid integer >= 1
  std::optional<int64_t> occurred_at_ms; // set only when a valid RFC 3339 time
  FieldLocation event_id_at, idempotency_key_at, version_at, occurred_at_at, event_name_at;
  // Set by the fast path (it hashed the strings already) and where the event was checked when
  // that is a worker (Options::jobs), so that the session's thread does not hash; else observe()
  // hashes. Always identity_hashes() of the facts.
  bool hashed = false;
  IdentityHashes hashes;
};

// The facts' hashes under the run's key (the one the StreamChecker was made with).
IdentityHashes identity_hashes(const EventFacts& facts, const SipKey& key);

// Whether StreamChecker::prefetch() does anything. WebAssembly has no prefetch instruction (the
// builtin compiles to nothing), and a plain load of the slot instead, made as the payload began,
// only moved the wait (the same time in Node, paired rounds on the broken corpus): there, callers
// skip the call and what it takes to make its arguments.
#ifdef __EMSCRIPTEN__
inline constexpr bool kStreamPrefetch = false;
#else
inline constexpr bool kStreamPrefetch = true;
#endif

class StreamChecker {
 public:
  // `key` keys the hashes that tell identities, aggregates and contents apart.
  StreamChecker(const Options& options, const Catalog& catalog, const SipKey& key);
  ~StreamChecker();
  // Appends the event's stream findings to `out` in position order, each at the field it is about
  // (offset 0, the event's start, when the event lacks that field).
  void observe(const EventFacts& facts, std::vector<PendingFinding>& out);
  // Starts loading the memory observe() will read first for these facts (their identity and
  // aggregate slots), when they carry their hashes (warm() does, natively, for each of its events).
  void prefetch(const EventFacts& facts) const;
  // The same from what an event's envelope said so far (its identities' hashes, its
  // aggregate_type and the spec of its event_name), while the rest of it is still being read:
  // the fast path calls it as the payload begins, so the misses overlap with the payload's checks.
  void prefetch(const IdentityHashes& hashes, std::string_view aggregate_type, const EventSpec* spec) const;
  // The same for the next `count` events (at most kMaxWarmed) at once, before they are observed:
  // natively a prefetch; in WebAssembly, which has none, a read of each slot, all of them before
  // observe() needs the first, so that their cache misses overlap instead of following one
  // another. Callers hold that many events back (Validator::Impl::observe_deferred) or have them
  // at hand (a merged batch).
  static constexpr size_t kMaxWarmed = 16;
  void warm(const EventFacts* facts, size_t count) const;
  // Lists at most Options::max_aggregate_summaries aggregates (those with problems first, each in
  // first-seen order); *omitted counts the rest. Only those keep their ids while the stream runs.
  // The end of the stream adds no finding: what an aggregate's history owes (a lifecycle.mid_life)
  // is said at the later event that relies on it, by observe().
  void finish(std::vector<AggregateSummary>& aggregates, uint64_t* omitted);

 private:
  struct State;
  std::unique_ptr<State> state_;
  mutable volatile uint8_t warmed_ = 0;  // what warm() read, kept so that its reads are made

  template <typename Visit>
  void first_reads(const IdentityHashes& hashes, std::string_view aggregate_type, const EventSpec* spec, Visit&& visit) const;
};

}  // namespace msgevents::detail
