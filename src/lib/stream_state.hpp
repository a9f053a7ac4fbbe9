// The stream checker's state: the tables and arrays of stream_layouts.hpp, the packing of an
// aggregate into its slot, the numbering of events and the ids the summary lists; and located(),
// which marks where in its event a stream finding is.
// Private to the stream checks: included by stream_checks.cpp alone.
#pragma once

#include <algorithm>
#include <iterator>
#include <string>
#include <unordered_map>

#include "byte_scan.hpp"
#include "stream_checks.hpp"
#include "stream_layouts.hpp"
#include "stream_tables.hpp"

namespace msgevents::detail {
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
  bool check_identity(const EventFacts& facts, const IdentityHashes& hashes, std::vector<PendingFinding>& out);
  bool check_version(const EventFacts& facts, Aggregate* agg, std::vector<PendingFinding>& out);
  void check_lifecycle(const EventFacts& facts, Aggregate* agg, bool advances, std::vector<PendingFinding>& out);
  void report_mid_life(const Aggregate& agg, const AggregateSpec& spec, const std::string& described, const FieldLocation& at,
                       std::vector<PendingFinding>& out);

  // The number of the event being observed in `events` (and `contents`), given it the first time.
  MSGEVENTS_HOT uint64_t current_event(const EventFacts& facts) {
    return current_number != kNoNumber ? current_number : number_current_event(facts);
  }
  MSGEVENTS_HOT uint64_t number_current_event(const EventFacts& facts) {
    current_number = events.add(facts.index, facts.start.line);
    contents.push_back(short_content(facts.content_hash));
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
  SipKey key;  // the run's: identities hash under it
  std::unordered_map<std::string_view, EventLifecycle> lifecycles;
  std::vector<const EventLifecycle*> lifecycle_of_event;  // per catalog event, or null
  std::vector<int> aggregate_of_event;                    // per catalog event: its aggregate type, or -1

  // Every event an identity or an aggregate names (the first of an identity, the one holding an
  // aggregate's last version), by number: its index and line, and its content hash.
  EventLines events;
  PagedArray<uint32_t, 14> contents;  // short_content() of each
  uint64_t current_number = kNoNumber;  // of the event being observed, once it has one

  IdentityTable by_idempotency_key;
  IdentityTable by_event_id;

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
  MidLifeNotes mid_life;
};

namespace streams {

// A finding at the field `at`, or at the event's start (offset 0) when the event lacks the field;
// the validator places it. The order of one event's findings is set by observe().
inline PendingFinding located(RuleId rule, std::string message, const FieldLocation& at) {
  return {rule, std::move(message), std::string(at.pointer), kNoPointerNode, at.pointer.empty() ? 0 : at.offset, 0};
}

}  // namespace streams

}  // namespace msgevents::detail
