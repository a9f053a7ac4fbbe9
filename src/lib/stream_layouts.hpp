// What the stream checks remember of each distinct identity and aggregate: the keys, the slots of
// the flat tables (stream_tables.hpp) and the records beside them, the notes of the aggregates
// first seen mid-life, and the aggregate's state as the checks read and write it.
// Private to the stream checks: included by stream_checks.cpp alone.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <new>
#include <string>
#include <type_traits>
#include <vector>

#include "siphash.hpp"
#include "stream_checks.hpp"
#include "stream_tables.hpp"

namespace msgevents::detail {
namespace streams {

// Identities and aggregates are remembered by a 64-bit keyed hash of their strings, never by the
// strings themselves (but for the ids of the aggregates the summary may list: State::keep_id).
// With 2^64 values a collision among even 10^8 keys has a probability below 10^-3, and it could
// only turn one finding into another, never crash; the per-run key (SipHash) keeps anyone from
// choosing one. A table compares all 64 bits: an identity or aggregate slot stores 56 of them, and
// the table's segment it lies in is the other 8 (stream_tables.hpp).
// Each kind of name has tables of its own, so an event_id never matches an idempotency_key: all
// hash under the run's key alone, as the content hash's strings do, and the fast path hands on
// the hashes it made of them (EventFacts::hashes) rather than the session hashing them again.

// What an event's content hash is remembered by: its low 32 bits (the hash ends in a splitmix64
// finaliser, ContentHash::object, so every bit of it is as good as another). Two different contents
// agree here with a chance of 2^-32, and that matters only for an event whose identity is already
// known (the key decides that): one of different content, a stream.id_conflict, would be taken
// for a redelivery (a stream.duplicate, its version and lifecycle left unchecked). An event seen
// for the first time is never compared. 4 bytes an event less than the whole hash
// (bench/README.md, "Stream state").
inline uint32_t short_content(uint64_t content_hash) { return static_cast<uint32_t>(content_hash); }

// What a stream remembers of each distinct event and aggregate is a fixed-size record in a flat
// table (stream_tables.hpp). An identity's slot holds its key and the number of the event that
// first had it, whose content hash is in State::contents and whose index and line are in
// State::events; an aggregate's slot holds its whole state while it is young (one event), else the
// place of its record (AggregateSlot).
//
// An identity's slot: the key's low 7 bytes (its top byte is its table segment's), then the number
// of its first event in kNumberBytes bytes, read as one 8-byte load and a 4-byte one. 10 bytes
// (numbers below 2^24: a stream's first 16,777,216 numbered events) or 11 (any number below 2^32,
// kMaxRemembered): IdentityTable keeps the first in one table and the others in a second, so that
// a stream pays the wider slot only for the identities it remembers past 2^24 events, and the
// limit on what is remembered stays where it was. Why 24 bits and not fewer key bits or a fuller
// table: bench/README.md, "Stream state".
template <unsigned kNumberBytes>
struct IdentitySlotOf {
  static constexpr unsigned kKeyBits = 56;
  static constexpr uint64_t kNumbers = uint64_t{1} << (8 * kNumberBytes);
  unsigned char bytes[7 + kNumberBytes];
  uint64_t key() const {
    uint64_t k;
    std::memcpy(&k, bytes, sizeof k);
    return k & ((uint64_t{1} << kKeyBits) - 1);  // little-endian, as x86-64, AArch64 and WebAssembly are
  }
  void set_key(uint64_t k) { std::memcpy(bytes, &k, 7); }
  uint32_t event() const {
    uint32_t e;
    std::memcpy(&e, bytes + 3 + kNumberBytes, sizeof e);  // the slot's last 4 bytes
    return e >> (8 * (4 - kNumberBytes));
  }
  void set_event(uint32_t e) { std::memcpy(bytes + 7, &e, kNumberBytes); }
};
using NarrowIdentitySlot = IdentitySlotOf<3>;
using IdentitySlot = IdentitySlotOf<4>;
static_assert(sizeof(NarrowIdentitySlot) == 10 && sizeof(IdentitySlot) == 11, "no padding");
#if defined(__BYTE_ORDER__)
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "IdentitySlotOf keeps a key's low bytes by their place in memory");
#endif

// The identities of one kind (idempotency keys, or event ids): key -> number of the first event.
// A key is in one of the two tables, the narrow one while its number fits; a search reads the
// second only once it holds something (a stream past 2^24 numbered events).
class IdentityTable {
 public:
  static constexpr uint64_t kAbsent = ~uint64_t{0};
  // Where insert() may put a key find() did not find (valid until the next insert).
  struct Place {
    NarrowIdentitySlot* narrow = nullptr;
    IdentitySlot* wide = nullptr;
  };

  static uint64_t normal(uint64_t key) { return FlatTable<NarrowIdentitySlot>::normal(key); }

  // The number of the first event with `key` (normal() applied), or kAbsent.
  MSGEVENTS_HOT uint64_t find(uint64_t key, Place* place) const {
    if (const NarrowIdentitySlot* slot = narrow_.find(key, &place->narrow)) return slot->event();
    if (wide_.size() != 0) {
      if (const IdentitySlot* slot = wide_.find(key, &place->wide)) return slot->event();
    }
    return kAbsent;
  }

  // Adds `key`, absent (find() said so, giving `place`), with its first event's number.
  MSGEVENTS_HOT void insert(uint64_t key, uint32_t number, const Place& place) {
    if (number < NarrowIdentitySlot::kNumbers) {
      narrow_.insert(key, place.narrow)->set_event(number);
    } else {
      wide_.insert(key, place.wide)->set_event(number);
    }
  }

  // visit(address) for each slot a search for `key` reads first (FlatTable::first_read).
  template <typename Visit>
  void first_reads(uint64_t key, Visit&& visit) const {
    visit(narrow_.first_read(key));
    if (wide_.size() != 0) visit(wide_.first_read(key));
  }

  uint64_t size() const { return narrow_.size() + wide_.size(); }
  uint64_t wide_size() const { return wide_.size(); }

 private:
  FlatTable<NarrowIdentitySlot> narrow_;
  FlatTable<IdentitySlot> wide_;
};

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

// The aggregates first seen mid-life whose assumed state no later event has relied on yet, by
// the aggregate's number: for each, a note of the event that made the assumption (its number: its
// index and line are in State::events), the catalog index of that event's type and its version
// (0 if it had none). The state assumed before it is the first step of the type's lifecycle that
// does not create.
//
// A stream whose aggregates all begin mid-life (a slice of a topic) notes one for each, in the
// order it numbers them (an aggregate is numbered by its first event, which is the one that makes
// the assumption unless the lifecycle skipped the ones before it). So the notes are kept by number
// in pages of 256 numbers, each an array in number order, and a note is nearly always appended
// to the last page, whose end is in the cache. A flat table keyed by the number's hash (as the
// identities are kept) missed the cache for each, where nothing could prefetch it (WebAssembly,
// and the session merging other threads' batches: a fifth of observe()'s samples there, on the
// broken corpus of bench/README.md). A note out of order, or one taken back, moves at most a
// page's notes: linear time for any stream. 15 bytes a note, and up to as much again of a page's
// slack, where the table's slot took 21 and its share of empty slots 2.6.
class MidLifeNotes {
 public:
  struct Note {
    uint16_t event_type = 0;
    uint32_t event = 0;
    uint64_t version = 0;
  };

  MidLifeNotes() = default;
  MidLifeNotes(const MidLifeNotes&) = delete;
  MidLifeNotes& operator=(const MidLifeNotes&) = delete;
  ~MidLifeNotes() {
    for (Page& page : pages_) std::free(page.notes);
  }

  // Notes the aggregate of `number`, unless it has a note already (the first stays).
  void add(uint32_t number, const Note& note) {
    const size_t index = number >> kPageBits;
    if (index >= pages_.size()) pages_.resize(index + 1);
    Page& page = pages_[index];
    const uint8_t low = static_cast<uint8_t>(number);
    uint32_t at = page.size;
    if (at != 0 && page.notes[at - 1].bytes[0] >= low) {  // not after the last: its place
      at = page.place(low);
      if (page.notes[at].bytes[0] == low) return;
    }
    if (page.size == page.capacity) page.grow();
    std::memmove(page.notes + at + 1, page.notes + at, (page.size - at) * sizeof(Stored));
    Stored& stored = page.notes[at];
    stored.bytes[0] = low;
    std::memcpy(stored.bytes + 1, &note.event_type, sizeof note.event_type);
    std::memcpy(stored.bytes + 3, &note.event, sizeof note.event);
    std::memcpy(stored.bytes + 7, &note.version, sizeof note.version);
    ++page.size;
  }

  // Whether the aggregate of `number` has a note, and if so *note is it.
  bool find(uint32_t number, Note* note) const {
    const Stored* stored = noted(number);
    if (!stored) return false;
    std::memcpy(&note->event_type, stored->bytes + 1, sizeof note->event_type);
    std::memcpy(&note->event, stored->bytes + 3, sizeof note->event);
    std::memcpy(&note->version, stored->bytes + 7, sizeof note->version);
    return true;
  }

  // Takes the note of `number` back, if there is one; a page left empty gives its memory back.
  void erase(uint32_t number) {
    const Stored* stored = noted(number);
    if (!stored) return;
    Page& page = pages_[number >> kPageBits];
    const uint32_t at = static_cast<uint32_t>(stored - page.notes);
    std::memmove(page.notes + at, page.notes + at + 1, (page.size - at - 1) * sizeof(Stored));
    if (--page.size == 0) {
      std::free(page.notes);
      page = Page();
    }
  }

 private:
  static constexpr unsigned kPageBits = 8;
  // The number's low byte (the page says the rest), then the note's fields, unaligned.
  struct Stored {
    unsigned char bytes[1 + 2 + 4 + 8];
  };
  static_assert(sizeof(Stored) == 15, "no padding");

  // Up to 256 notes in number order, in an array that doubles as it fills.
  struct Page {
    Stored* notes = nullptr;
    uint32_t size = 0;
    uint32_t capacity = 0;

    // The first note whose number is not below the one whose low byte is `low`.
    uint32_t place(uint8_t low) const {
      uint32_t from = 0, to = size;
      while (from < to) {
        const uint32_t mid = (from + to) / 2;
        if (notes[mid].bytes[0] < low) {
          from = mid + 1;
        } else {
          to = mid;
        }
      }
      return from;
    }
    void grow() {
      const uint32_t wider = capacity == 0 ? 4 : capacity * 2;
      void* grown = std::realloc(notes, wider * sizeof(Stored));
      if (!grown) throw std::bad_alloc();
      notes = static_cast<Stored*>(grown);
      capacity = wider;
    }
  };
  static_assert(std::is_trivially_copyable_v<Page>, "pages_ moves them as bytes");

  const Stored* noted(uint32_t number) const {
    const size_t index = number >> kPageBits;
    if (index >= pages_.size()) return nullptr;
    const Page& page = pages_[index];
    const uint8_t low = static_cast<uint8_t>(number);
    const uint32_t at = page.place(low);
    return at < page.size && page.notes[at].bytes[0] == low ? page.notes + at : nullptr;
  }

  std::vector<Page> pages_;  // by number >> kPageBits
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

// An aggregate is known by its id's keyed hash and its type (the catalog's index of it).
inline uint64_t aggregate_key(uint64_t id_hash, int type) { return id_hash ^ (static_cast<uint64_t>(type) * 0x9e3779b97f4a7c15ULL); }

inline std::string where(uint64_t line, int64_t index) {
  return "line " + std::to_string(line) + " (event index " + std::to_string(index) + ")";
}

}  // namespace streams

// The names above, for the checker (StreamChecker::State) and its parts.
using namespace streams;  // NOLINT: a private header

}  // namespace msgevents::detail
