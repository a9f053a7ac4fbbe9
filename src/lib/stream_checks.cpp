#include "stream_checks.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <limits>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>

#include "byte_scan.hpp"
#include "stream_tables.hpp"

namespace msgevents::detail {
namespace {

// Identities and aggregates are remembered by a 64-bit keyed hash of their strings, never by the
// strings themselves (but for the ids of the aggregates the summary may list: State::keep_id).
// With 2^64 values a collision among even 10^8 keys has a probability below 10^-3, and it could
// only turn one finding into another, never crash; the per-run key (SipHash) keeps anyone from
// choosing one. A table compares all 64 bits: an identity or aggregate slot stores 56 of them, and
// the table's segment it lies in is the other 8 (stream_tables.hpp).
// Each kind of name hashes under its own key, so an event_id never matches an idempotency_key.
SipKey derived_key(const SipKey& key, uint64_t purpose) { return {key.k0 ^ purpose, key.k1 + purpose}; }

constexpr uint64_t kIdempotencySeed = 0x6964656d706f7465ULL;
constexpr uint64_t kEventIdSeed = 0x6576656e745f6964ULL;
constexpr uint64_t kAggregateSeed = 0x6167677265676174ULL;

// What a stream remembers of each distinct event and aggregate is a fixed-size record in a flat
// table (stream_tables.hpp). An identity's slot holds its key and the number of the event that
// first had it, whose content hash is in State::contents and whose index and line are in
// State::events; an aggregate's slot holds its whole state while it is young (one event), else the
// place of its record (AggregateSlot).
struct IdentitySlot {
  // The key's low 7 bytes (its top byte is its table segment's), then the number of its first
  // event: 11 bytes a slot, not 16 or 12, read as one 8-byte load and a 4-byte one.
  static constexpr unsigned kKeyBits = 56;
  unsigned char bytes[11];
  uint64_t key() const {
    uint64_t k;
    std::memcpy(&k, bytes, sizeof k);
    return k & ((uint64_t{1} << kKeyBits) - 1);  // little-endian, as x86-64, AArch64 and WebAssembly are
  }
  void set_key(uint64_t k) { std::memcpy(bytes, &k, 7); }
  uint32_t event() const {
    uint32_t e;
    std::memcpy(&e, bytes + 7, sizeof e);
    return e;
  }
  void set_event(uint32_t e) { std::memcpy(bytes + 7, &e, sizeof e); }
};
static_assert(sizeof(IdentitySlot) == 11, "no padding");
#if defined(__BYTE_ORDER__)
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "IdentitySlot keeps a key's low bytes by their place in memory");
#endif

// At most this many identities and aggregates are remembered (as before the tables were flat).
constexpr uint64_t kMaxRemembered = std::numeric_limits<uint32_t>::max() - 1;

constexpr int16_t kNotCreated = -1;    // nothing seen yet that tells the state
constexpr int16_t kUnknownState = -2;  // seen, but only through events the lifecycle skips
constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

constexpr uint8_t kHasVersion = 1, kMidLifeReported = 2, kMidLifePending = 4;

// An aggregate's state, as the checks read and write it.
struct Aggregate {
  // The number (in State::events) of the event that first named the aggregate: in first-seen
  // order, and what the young slot reads max_version_event from.
  uint32_t number = 0;
  uint16_t type = 0;    // index into the catalog's aggregates
  int16_t state = kNotCreated;
  // kHasVersion, kMidLifeReported, and kMidLifePending: an entry in State::mid_life waits for the
  // next event.
  uint8_t flags = 0;
  uint64_t events = 0;
  uint64_t min_version = 0;
  uint64_t max_version = 0;
  uint64_t max_version_event = 0;  // the number of the event holding max_version (for its line)
  int64_t max_version_time = kNoTime;
  uint64_t problems = 0;
};

// An aggregate's slot, 16 bytes: the key's low 7 bytes (the top byte is its table segment's), a
// tag, a word and four more bytes. It holds one of three forms, told by the tag:
// - young (kRecordTag clear): an aggregate of at most one event, no problem, created at version 1
//   or without a version, as most of a stream's aggregates are at first and many stay (one
//   aggregate per event). The word is its number, which is also max_version_event; `extra` its
//   max_version_time (ms after State::time_base, or kNoCompactTime); the tag its state and flags.
//   The type is the key's: the event that finds the slot names it.
// - a record: the word indexes State::records (AggregateRecord), `extra` holds problems, state,
//   type and flags. For versions below 2^32 spanning less than 2^16, fewer than 2^16 events and
//   256 problems, times within 24 days of the stream's first.
// - wide (kRecordTag | kWideTag): anything else, for good; the word indexes State::wide.
// A form only moves down that list, never back.
struct AggregateSlot {
  static constexpr unsigned kKeyBits = 56;
  unsigned char key_bytes[7];
  uint8_t tag;
  uint32_t word;
  unsigned char extra[4];
  uint64_t key() const {
    uint64_t k;
    std::memcpy(&k, key_bytes, sizeof k);  // the key's bytes and the tag, little-endian
    return k & ((uint64_t{1} << kKeyBits) - 1);
  }
  void set_key(uint64_t k) { std::memcpy(key_bytes, &k, 7); }
};
static_assert(sizeof(AggregateSlot) == 16, "four aggregates a cache line");

// The young form's tag: kYoungVersion (version 1, held by the event `word`), kYoungMidLife
// (kMidLifeReported and kMidLifePending), then 5 bits: the state + 2, or kYoungNoEvent.
constexpr uint8_t kRecordTag = 1, kWideTag = 2, kYoungVersion = 2, kYoungMidLife = 4;
constexpr unsigned kYoungCodeShift = 3;
constexpr uint8_t kYoungNoEvent = 31;  // created by an event that was not counted (a redelivery)

// The state of an aggregate past the young form, 20 bytes in a dense array (no table load).
struct AggregateRecord {
  uint32_t number;
  uint32_t max_version_event;
  uint32_t max_version;
  int32_t max_version_time;  // ms after State::time_base, or kNoCompactTime
  uint16_t version_span;     // max_version - min_version
  uint16_t events;
};
static_assert(sizeof(AggregateRecord) == 20, "no padding");

constexpr int32_t kNoCompactTime = std::numeric_limits<int32_t>::min();

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

namespace {
// The keys of each kind of name.
struct NameKeys {
  explicit NameKeys(const SipKey& key)
      : idempotency_key(derived_key(key, kIdempotencySeed)), event_id(derived_key(key, kEventIdSeed)), aggregate_id(derived_key(key, kAggregateSeed)) {}
  SipKey idempotency_key, event_id, aggregate_id;
};

inline IdentityHashes hash_identities(const EventFacts& facts, const NameKeys& keys) {
  IdentityHashes hashes;
  hashes.idempotency_key = siphash13(keys.idempotency_key, facts.idempotency_key);
  hashes.event_id = siphash13(keys.event_id, facts.event_id);
  hashes.aggregate_id = siphash13(keys.aggregate_id, facts.aggregate_id);
  return hashes;
}
}  // namespace

IdentityHashes identity_hashes(const EventFacts& facts, const SipKey& key) { return hash_identities(facts, NameKeys(key)); }

struct StreamChecker::State {
  State(const Options& opts, const Catalog& cat, const SipKey& run_key)
      : options(opts),
        catalog(cat),
        factory(options),
        keys(run_key) {
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
      aggregate_of_event.push_back(aggregate_index(event.aggregate, nullptr));
    }
  }

  // The catalog's index of the aggregate type `name`; `spec`, when known, says which to try first
  // (compared inline, same_text: a call to memcmp costs more than these few bytes).
  MSGEVENTS_HOT int aggregate_index(std::string_view name, const EventSpec* spec) const {
    if (spec) {
      const int expected = aggregate_of_event[static_cast<size_t>(spec - catalog.events.data())];
      if (expected >= 0) {
        const std::string& known = catalog.aggregates[static_cast<size_t>(expected)].name;
        if (same_text(known, name)) return expected;
      }
    }
    for (size_t a = 0; a < catalog.aggregates.size(); ++a) {
      if (catalog.aggregates[a].name == name) return static_cast<int>(a);
    }
    return -1;
  }

  static int32_t compact_time(const AggregateSlot& slot) {
    int32_t t;
    std::memcpy(&t, slot.extra, sizeof t);
    return t;
  }
  int64_t full_time(int32_t compact) const { return compact == kNoCompactTime ? kNoTime : time_base + compact; }

  // The aggregate of `slot`; `type` is the one its key was found with (the young form keeps none).
  MSGEVENTS_HOT Aggregate unpack(const AggregateSlot& slot, uint16_t type) const {
    Aggregate agg;
    if (!(slot.tag & kRecordTag)) {
      agg.number = slot.word;
      agg.type = type;
      const uint8_t code = static_cast<uint8_t>(slot.tag >> kYoungCodeShift);
      agg.events = code != kYoungNoEvent;
      agg.state = code != kYoungNoEvent ? static_cast<int16_t>(code - 2) : kNotCreated;
      if (slot.tag & kYoungMidLife) agg.flags = kMidLifeReported | kMidLifePending;
      if (slot.tag & kYoungVersion) {
        agg.flags |= kHasVersion;
        agg.min_version = agg.max_version = 1;
        agg.max_version_event = slot.word;
        agg.max_version_time = full_time(compact_time(slot));
      }
      return agg;
    }
    if (slot.tag & kWideTag) return wide[slot.word];
    const AggregateRecord& record = records[slot.word];
    agg.number = record.number;
    agg.problems = slot.extra[0];
    agg.state = static_cast<int8_t>(slot.extra[1]);
    agg.type = slot.extra[2];
    agg.flags = slot.extra[3];
    agg.events = record.events;
    agg.max_version = record.max_version;
    agg.min_version = agg.max_version - record.version_span;
    agg.max_version_event = record.max_version_event;
    agg.max_version_time = full_time(record.max_version_time);
    return agg;
  }

  uint32_t number_of(const AggregateSlot& slot) const {
    if (!(slot.tag & kRecordTag)) return slot.word;
    return slot.tag & kWideTag ? wide[slot.word].number : records[slot.word].number;
  }

  MSGEVENTS_HOT void pack(const Aggregate& agg, AggregateSlot& slot) {
    if ((slot.tag & (kRecordTag | kWideTag)) == (kRecordTag | kWideTag)) {  // kWideTag alone is kYoungVersion
      wide[slot.word] = agg;
      return;
    }
    if (agg.max_version_time != kNoTime && !has_time_base) {
      has_time_base = true;
      time_base = agg.max_version_time;
    }
    int64_t time_offset = 0;
    const bool time_fits = agg.max_version_time == kNoTime ||
                           (!__builtin_sub_overflow(agg.max_version_time, time_base, &time_offset) &&
                            static_cast<uint64_t>(time_offset) - (static_cast<uint64_t>(kNoCompactTime) + 1) <= std::numeric_limits<uint32_t>::max() - 1);
    const int32_t compact = agg.max_version_time == kNoTime ? kNoCompactTime : static_cast<int32_t>(time_offset);
    if (!(slot.tag & kRecordTag) && (agg.events | agg.problems) <= 1) {
      // Young while the aggregate is what the form can say: one test of every field, the bits
      // that differ from it or'ed together.
      const bool versioned = agg.flags & kHasVersion;
      const uint64_t version = versioned ? 1 : 0;
      const uint64_t event = versioned ? agg.number : 0;
      const uint8_t mid_life = agg.flags & (kMidLifeReported | kMidLifePending);
      const uint64_t code = agg.events == 0 ? kYoungNoEvent : static_cast<uint64_t>(static_cast<int64_t>(agg.state) + 2);
      const uint64_t differ = agg.problems | agg.events >> 1 | (agg.min_version ^ version) | (agg.max_version ^ version) |
                              (agg.max_version_event ^ event) | (agg.flags & ~(kHasVersion | kMidLifeReported | kMidLifePending)) |
                              static_cast<uint64_t>(mid_life != 0 && mid_life != (kMidLifeReported | kMidLifePending)) |
                              static_cast<uint64_t>(!versioned && agg.max_version_time != kNoTime) |
                              static_cast<uint64_t>(agg.events == 0 && (agg.state != kNotCreated || agg.flags != 0)) |
                              static_cast<uint64_t>(code >= kYoungNoEvent && agg.events != 0);
      if (differ == 0 && time_fits) {
        slot.tag = static_cast<uint8_t>(code << kYoungCodeShift | (versioned ? kYoungVersion : 0) | (mid_life ? kYoungMidLife : 0));
        slot.word = agg.number;
        std::memcpy(slot.extra, &compact, sizeof compact);
        return;
      }
    }
    // One test of every narrowed field of a record: the bits above each width, or'ed together.
    const uint64_t high = (agg.max_version | agg.max_version_event) >> 32 | (agg.max_version - agg.min_version) >> 16 |
                          agg.events >> 16 | agg.problems >> 8 | uint64_t{agg.type} >> 8 |
                          static_cast<uint64_t>(static_cast<int64_t>(agg.state) + 128) >> 8;
    if (!time_fits || high != 0) {
      slot.tag = kRecordTag | kWideTag;
      slot.word = static_cast<uint32_t>(wide.size());
      wide.push_back(agg);
      return;
    }
    if (!(slot.tag & kRecordTag)) {
      slot.tag = kRecordTag;
      slot.word = static_cast<uint32_t>(records.size());
      records.push_back(AggregateRecord{});
    }
    AggregateRecord& record = records[slot.word];
    record.number = agg.number;
    record.max_version_event = static_cast<uint32_t>(agg.max_version_event);
    record.max_version = static_cast<uint32_t>(agg.max_version);
    record.max_version_time = compact;
    record.version_span = static_cast<uint16_t>(agg.max_version - agg.min_version);
    record.events = static_cast<uint16_t>(agg.events);
    slot.extra[0] = static_cast<uint8_t>(agg.problems);
    slot.extra[1] = static_cast<uint8_t>(static_cast<int8_t>(agg.state));
    slot.extra[2] = static_cast<uint8_t>(agg.type);
    slot.extra[3] = agg.flags;
  }

  // The steps of observe(), in order.
  AggregateSlot* aggregate_of(const EventFacts& facts, const IdentityHashes& hashes, Aggregate* agg);
  bool check_identity(const EventFacts& facts, const IdentityHashes& hashes, std::vector<Finding>& out);
  bool check_version(const EventFacts& facts, Aggregate* agg, std::vector<Finding>& out);
  void check_lifecycle(const EventFacts& facts, Aggregate* agg, bool advances, std::vector<Finding>& out);

  // The number of the event being observed in `events` (and `contents`), given it the first time.
  MSGEVENTS_HOT uint64_t current_event(const EventFacts& facts) {
    return current_number != kNoNumber ? current_number : number_current_event(facts);
  }
  MSGEVENTS_HOT uint64_t number_current_event(const EventFacts& facts) {
    current_number = events.add(facts.index, facts.start.line);
    contents.push_back(facts.content_hash);
    return current_number;
  }

  uint64_t line_of(uint64_t number) const {
    int64_t index = 0;
    uint64_t line = 0;
    events.at(number, &index, &line);
    return line;
  }

  std::string where_is(uint64_t number) const {
    int64_t index = 0;
    uint64_t line = 0;
    events.at(number, &index, &line);
    return where(line, index);
  }

  // The summary names only the aggregates finish() lists: the first `limit` seen (a list without
  // problems is a prefix of them) and the first `limit` with problems, in first-seen order.
  void keep_id(uint32_t number, std::string_view id, uint16_t type) {
    if (early_numbers.size() < options.max_aggregate_summaries) {
      early_numbers.push_back(number);
      early_types.push_back(type);
      id_arena.append(id);
      id_ends.push_back(id_arena.size());
    }
  }

  // Whether the aggregate of `number` is one of the first `limit` seen (numbers grow with each).
  bool early(uint32_t number) const { return !early_numbers.empty() && number <= early_numbers.back(); }

  void first_problem(uint32_t number, std::string_view id) {
    if (early(number)) {
      ++early_problem_aggregates;
      return;
    }
    late_problem_ids.emplace(number, std::string(id));
    // Problems only grow: once `limit` aggregates seen earlier have one, a later one is never listed.
    if (early_problem_aggregates + late_problem_ids.size() > options.max_aggregate_summaries) {
      late_problem_ids.erase(std::prev(late_problem_ids.end()));
    }
  }

  // The id of the aggregate of `number` (kept by keep_id() or first_problem()), else empty.
  std::string_view id_of(uint32_t number) const {
    if (early(number)) {
      const size_t place = early_place(number);
      const uint64_t from = place == 0 ? 0 : id_ends[place - 1];
      return std::string_view(id_arena).substr(from, id_ends[place] - from);
    }
    const auto found = late_problem_ids.find(number);
    return found == late_problem_ids.end() ? std::string_view() : std::string_view(found->second);
  }

  // The place among the first `limit` aggregates of one of them.
  size_t early_place(uint32_t number) const {
    return static_cast<size_t>(std::lower_bound(early_numbers.begin(), early_numbers.end(), number) - early_numbers.begin());
  }

  static constexpr uint64_t kNoNumber = std::numeric_limits<uint64_t>::max();

  Options options;
  const Catalog& catalog;
  FindingFactory factory;
  NameKeys keys;
  std::unordered_map<std::string_view, EventLifecycle> lifecycles;
  std::vector<const EventLifecycle*> lifecycle_of_event;  // per catalog event, or null
  std::vector<int> aggregate_of_event;                    // per catalog event: its aggregate type, or -1

  // Every event an identity or an aggregate names (the first of an identity, the one holding an
  // aggregate's last version), by number: its index and line, and its content hash.
  EventLines events;
  PagedArray<uint64_t, 13> contents;
  uint64_t current_number = kNoNumber;  // of the event being observed, once it has one

  FlatTable<IdentitySlot> by_idempotency_key;
  FlatTable<IdentitySlot> by_event_id;

  FlatTable<AggregateSlot> aggregates;
  uint64_t aggregate_count = 0;
  PagedArray<AggregateRecord, 12> records;  // of the aggregates past the young form
  std::vector<Aggregate> wide;              // of the aggregates whose state fits neither
  bool has_time_base = false;
  int64_t time_base = 0;
  std::vector<uint32_t> early_numbers;  // the first max_aggregate_summaries aggregates' numbers
  std::vector<uint16_t> early_types;    // and types
  std::string id_arena;                 // and ids
  std::vector<uint64_t> id_ends;        // where each ends in id_arena
  uint64_t early_problem_aggregates = 0;            // among those, the ones with problems
  std::map<uint32_t, std::string> late_problem_ids;  // later aggregates with problems that may be listed
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
  if (!facts.idempotency_key.empty()) st.by_idempotency_key.prefetch(FlatTable<IdentitySlot>::normal(facts.hashes.idempotency_key));
  if (!facts.event_id.empty()) st.by_event_id.prefetch(FlatTable<IdentitySlot>::normal(facts.hashes.event_id));
  const int type = facts.aggregate_type.empty() ? -1 : st.aggregate_index(facts.aggregate_type, facts.spec);
  if (type >= 0) st.aggregates.prefetch(FlatTable<AggregateSlot>::normal(aggregate_key(facts.hashes.aggregate_id, type)));
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

// Redelivery and identity: a stream.duplicate (true: the event is a redelivery, nothing more to
// check) or a stream.id_conflict, and the event's identities remembered the first time.
MSGEVENTS_HOT bool StreamChecker::State::check_identity(const EventFacts& facts, const IdentityHashes& hashes, std::vector<Finding>& out) {
  State& st = *this;
  // The idempotency_key names the logical event when present; the event_id names one delivery
  // attempt's event and must not be reused for different content.
  const uint64_t idem_key = FlatTable<IdentitySlot>::normal(hashes.idempotency_key);
  const uint64_t id_key = FlatTable<IdentitySlot>::normal(hashes.event_id);
  IdentitySlot* idem_vacancy = nullptr;
  IdentitySlot* id_vacancy = nullptr;
  const IdentitySlot* by_idem = facts.idempotency_key.empty() ? nullptr : st.by_idempotency_key.find(idem_key, &idem_vacancy);
  const IdentitySlot* by_id = facts.event_id.empty() ? nullptr : st.by_event_id.find(id_key, &id_vacancy);
  const bool via_idem = by_idem != nullptr;
  const IdentitySlot* match = via_idem ? by_idem : by_id;
  if (match) {
    const uint64_t first = match->event();
    const char* field = via_idem ? "idempotency_key" : "event_id";
    const FieldLocation& at = via_idem ? facts.idempotency_key_at : facts.event_id_at;
    if (st.contents[first] == facts.content_hash) {
      out.push_back(located(st.factory, MSGEVENTS_RULE("stream.duplicate"),
                            std::string("Redelivery of the event at ") + st.where_is(first) + ": same " + field +
                                " and same content; a consumer processes it once.",
                            at, facts));
      // A redelivery changes nothing: the version and lifecycle checks saw it the first time.
      return true;
    }
    out.push_back(located(st.factory, MSGEVENTS_RULE("stream.id_conflict"),
                          std::string("The ") + field + " of this event (line " + std::to_string(facts.start.line) +
                              ") is already used by the event at " + st.where_is(first) +
                              " with different content: two different events claim one identity, and a consumer "
                              "deduplicating on it would lose one.",
                          at, facts));
  }
  const bool new_idem = !facts.idempotency_key.empty() && !by_idem;
  const bool new_id = !facts.event_id.empty() && !by_id;
  if ((new_idem || new_id) && st.events.size() < kMaxRemembered) {
    const uint32_t number = static_cast<uint32_t>(st.current_event(facts));
    if (new_idem) st.by_idempotency_key.insert(idem_key, idem_vacancy)->set_event(number);
    if (new_id) st.by_event_id.insert(id_key, id_vacancy)->set_event(number);
  }
  return false;
}

// Version order: gaps, late deliveries, conflicts and clocks going backwards. True when the event
// moves the aggregate forward (or carries no usable version): only then does the lifecycle step.
MSGEVENTS_HOT bool StreamChecker::State::check_version(const EventFacts& facts, Aggregate* agg, std::vector<Finding>& out) {
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
                                  std::to_string(st.line_of(agg->max_version_event)) +
                                  "): the producer's clock went backwards; version stays the order that counts.",
                              facts.occurred_at_at, facts));
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
        out.push_back(located(st.factory, MSGEVENTS_RULE("stream.late_delivery"),
                              "Version " + std::to_string(v) + " of " + name_of() + " arrives after version " +
                                  std::to_string(agg->max_version) + " (line " +
                                  std::to_string(st.line_of(agg->max_version_event)) +
                                  "): a late delivery; consumers must order by version.",
                              facts.version_at, facts));
      } else {
        std::string other = v == agg->max_version ? " by the event at line " + std::to_string(st.line_of(agg->max_version_event))
                                                  : " by an earlier event";
        out.push_back(located(st.factory, MSGEVENTS_RULE("stream.version_conflict"),
                              "Version " + std::to_string(v) + " of " + name_of() + " is already recorded" + other +
                                  ": two different events claim one version, and by policy only one of them counts.",
                              facts.version_at, facts));
      }
    }
  }
  return advances;
}

// The lifecycle: the aggregate's state moved by the event, or a lifecycle.transition (and the
// lifecycle.mid_life an earlier assumption owes).
MSGEVENTS_HOT void StreamChecker::State::check_lifecycle(const EventFacts& facts, Aggregate* agg, bool advances, std::vector<Finding>& out) {
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
      out.push_back(located(st.factory, MSGEVENTS_RULE("lifecycle.mid_life"),
                            described() + " starts mid-life in this input: its first event, " + *first.event_name +
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
      out.push_back(located(st.factory, MSGEVENTS_RULE("lifecycle.transition"), std::move(message), facts.event_name_at, facts));
    }
  } else if (advances && agg->state == kNotCreated) {
    agg->state = kUnknownState;
  }

}

void StreamChecker::observe(const EventFacts& facts, std::vector<Finding>& out) {
  State& st = *state_;
  const size_t first_new = out.size();
  const IdentityHashes hashes = facts.hashed ? facts.hashes : hash_identities(facts, st.keys);
  st.current_number = State::kNoNumber;

  // The aggregate first: every finding of severity warning or worse counts against it. Its state
  // is read from its slot here and written back at the end.
  Aggregate agg_state;
  AggregateSlot* slot = st.aggregate_of(facts, hashes, &agg_state);
  Aggregate* agg = slot ? &agg_state : nullptr;

  // Like the event's own findings, the stream findings of one event come in position order.
  auto count_problems = [&]() MSGEVENTS_FORCE_INLINE {
    if (out.size() - first_new > 1) {
      std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(first_new), out.end(), [](const Finding& a, const Finding& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
      });
    }
    if (!agg) return;
    const bool had_problems = agg->problems > 0;
    for (size_t i = first_new; i < out.size(); ++i) {
      if (out[i].severity != Severity::Info) ++agg->problems;
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

void StreamChecker::finish(std::vector<Finding>& /*out*/, std::vector<AggregateSummary>& aggregates, uint64_t* omitted) {
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
