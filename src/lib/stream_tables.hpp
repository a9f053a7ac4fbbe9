// The containers of the stream checks' memory, which grows with every distinct event of a stream:
// flat hash tables of fixed-size records found by a 64-bit keyed hash, arrays that grow a page at
// a time, and the index and line of each remembered event in about a byte.
//
// Each is built for a low peak resident size (what a long stream's memory is measured by): nothing
// is copied whole as it grows, except 1/256 of a table at a time, and a table's arrays give their
// memory back when they are replaced. bench/README.md ("Stream state") says where the bytes go.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

// What the stream checks run for every event, inlined natively (instructions count there); the
// WebAssembly build optimises for size (-Oz), and there the compiler decides.
#if defined(__EMSCRIPTEN__)
#define MSGEVENTS_FORCE_INLINE
#else
#define MSGEVENTS_FORCE_INLINE __attribute__((always_inline))
#endif
#define MSGEVENTS_HOT inline MSGEVENTS_FORCE_INLINE
// On a lambda that builds a finding, called where the finding is made: its message is built out
// of line, so that what runs for every event stays small (observe() was 22 KB of code with every
// message inlined, and missed the instruction cache on every event); findings are the rare case.
#define MSGEVENTS_COLD __attribute__((cold, noinline))

// Large tables map their own pages where the system offers mmap (not in WebAssembly, whose
// memory never shrinks).
#if !defined(__EMSCRIPTEN__) && (defined(__unix__) || defined(__APPLE__))
#include <sys/mman.h>
#define MSGEVENTS_MAP_OWN_PAGES 1
#else
#define MSGEVENTS_MAP_OWN_PAGES 0
#endif

namespace msgevents::detail {

// Grows a page at a time and never moves what it holds.
template <typename T, unsigned kPageBits>
class PagedArray {
 public:
  static constexpr uint64_t kPage = uint64_t{1} << kPageBits;

  uint64_t size() const { return size_; }
  T& operator[](uint64_t i) { return pages_[i >> kPageBits][i & (kPage - 1)]; }
  const T& operator[](uint64_t i) const { return pages_[i >> kPageBits][i & (kPage - 1)]; }
  void push_back(const T& value) {
    if ((size_ & (kPage - 1)) == 0) add_page();
    last_page_[size_++ & (kPage - 1)] = value;
  }

 private:
  __attribute__((noinline)) void add_page() {
    pages_.emplace_back(new T[kPage]);
    last_page_ = pages_.back().get();
  }

  std::vector<std::unique_ptr<T[]>> pages_;
  T* last_page_ = nullptr;
  uint64_t size_ = 0;
};

// The event index and first line of each event the stream checks name later, numbered from 0 in
// the order added: one byte each when an entry is at most 15 events and 15 lines after the one
// before it (as NDJSON and pretty-printed events of a few lines are), with an absolute checkpoint
// every kBlock entries. Reading one back decodes at most a block, which only a message does.
class EventLines {
 public:
  uint64_t size() const { return count_; }

  MSGEVENTS_HOT uint64_t add(int64_t index, uint64_t line) {
    if (count_ % kBlock == 0) {
      checkpoints_.push_back({bytes_.size(), index, line});
    } else {
      const uint64_t index_step = static_cast<uint64_t>(index) - static_cast<uint64_t>(last_index_);
      const uint64_t line_step = line - last_line_;
      if (index_step >= 1 && index_step <= 15 && line_step <= 15) {
        bytes_.push_back(static_cast<uint8_t>((index_step - 1) << 4 | line_step));  // 0x00 to 0xEF
      } else {
        // Any other step, exactly, whatever its sign (as differences modulo 2^64).
        bytes_.push_back(kEscape);
        put_varint(index_step);
        put_varint(line_step);
      }
    }
    last_index_ = index;
    last_line_ = line;
    return count_++;
  }

  void at(uint64_t number, int64_t* index, uint64_t* line) const {
    const Checkpoint& from = checkpoints_[number / kBlock];
    uint64_t i = static_cast<uint64_t>(from.index), l = from.line, at = from.offset;
    for (uint64_t n = number % kBlock; n > 0; --n) {
      const uint8_t b = bytes_[at++];
      if (b != kEscape) {
        i += (b >> 4) + 1u;
        l += b & 15u;
      } else {
        i += get_varint(at);
        l += get_varint(at);
      }
    }
    *index = static_cast<int64_t>(i);
    *line = l;
  }

 private:
  static constexpr uint64_t kBlock = 128;
  static constexpr uint8_t kEscape = 0xF0;
  struct Checkpoint {
    uint64_t offset;  // of the next entry's bytes
    int64_t index;
    uint64_t line;
  };

  void put_varint(uint64_t v) {
    while (v >= 0x80) {
      bytes_.push_back(static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    bytes_.push_back(static_cast<uint8_t>(v));
  }
  uint64_t get_varint(uint64_t& at) const {
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
      const uint8_t b = bytes_[at++];
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
  }

  PagedArray<uint8_t, 16> bytes_;
  PagedArray<Checkpoint, 10> checkpoints_;
  int64_t last_index_ = 0;
  uint64_t last_line_ = 0;
  uint64_t count_ = 0;
};

// Open addressing with linear probing over records held in the table itself, each run of records
// kept in order of key (an ordered hash table, Amble and Knuth 1974). Keys are keyed hashes.
//
// `Slot` is trivially copyable and all zero when empty, with key() and set_key() for the part of
// the key it stores: its low Slot::kKeyBits bits, at least all but the top kSegmentBits, which the
// segment a key lives in already says. A match is exact to the key's 64 bits either way. A key
// whose stored part is 0 is stored as if it were 1 (normal()): two keys that differ only there are
// the same key here, which a 2^-56 chance per key makes matter.
//
// A key's home slot is its bits as a fraction of the capacity (multiply and shift), which grows
// with the key, so a run in key order is also in home order and every record stays at or after
// its home. A search stops at the first larger key, not at the end of the run: a miss (most
// lookups: each new event's ids) costs what a hit does, about (1 + 1 / (1 - load)) / 2 probes,
// 5 at 89% full and 7 at 92%, where unordered probing needs 41 and 79. An insert shifts the rest
// of its run one slot on (one memmove). Runs never wrap: past the capacity come tail slots for the
// last runs (16 at first, more when a run reaches the last one, which stays empty so that a
// search needs no bound).
//
// The table is 256 segments chosen by a key's top 8 bits, each grown on its own: twofold from 64
// home slots while small, then by a sixteenth (at least a page) when 92% full, so that a growth
// holds the old and new arrays of 1/256 of the table at a time (the peak stays near the live
// size), and a large segment's load stays between 84% and 92%, the table's near 89% (see grow()).
// Growing copies the records in order, each at its new home or just after the one before: no
// search.
template <typename Slot>
class FlatTable {
  static_assert(std::is_trivially_copyable_v<Slot>, "slots are moved as bytes");

 public:
  static constexpr unsigned kSegmentBits = 8;
  static_assert(Slot::kKeyBits >= 64 - kSegmentBits && Slot::kKeyBits <= 64, "the segment and the slot hold every bit");
  static constexpr uint64_t kStoredMask = Slot::kKeyBits == 64 ? ~uint64_t{0} : (uint64_t{1} << Slot::kKeyBits) - 1;

  FlatTable() = default;
  FlatTable(const FlatTable&) = delete;
  FlatTable& operator=(const FlatTable&) = delete;
  ~FlatTable() {
    for (Segment& s : segments_) release(s.slots, s.end, s.capacity);
  }

  static uint64_t normal(uint64_t key) { return (key & kStoredMask) ? key : key | 1; }

  // The record of `key` (normal() already applied), or null; then *vacancy, if asked for, is where
  // insert() may put it (valid until the next insert).
  MSGEVENTS_HOT Slot* find(uint64_t key, Slot** vacancy = nullptr) const {
    const Segment& s = segments_[segment_of(key)];
    if (vacancy) *vacancy = nullptr;
    if (s.capacity == 0) return nullptr;
    const uint64_t stored = key & kStoredMask;
    for (Slot* slot = s.slots + home(key, s.capacity);; ++slot) {
      const uint64_t k = slot->key();
      if (k == stored) return slot;
      if (k > stored || k == 0) {
        if (vacancy) *vacancy = slot;
        return nullptr;
      }
    }
  }

  // Where a search for `key` (normal() applied) reads first, to load ahead of it; null while the
  // key's segment is empty.
  const Slot* first_read(uint64_t key) const {
    const Segment& s = segments_[segment_of(key)];
    return s.capacity != 0 ? &s.slots[home(key, s.capacity)] : nullptr;
  }

  // A new, zeroed record for `key` (normal() applied; it must be absent), at `vacancy` if find()
  // gave one since the last insert. Pointers to other records are invalid afterwards.
  MSGEVENTS_HOT Slot* insert(uint64_t key, Slot* vacancy = nullptr) {
    const size_t segment = segment_of(key);
    Segment& s = segments_[segment];
    if (s.size + 1 > s.limit) {
      grow(s, segment);
      vacancy = nullptr;
    }
    if (!vacancy) find(key, &vacancy);
    // The rest of the run moves one slot on, into the first empty slot after it.
    Slot* last = vacancy;
    while (last->key() != 0) ++last;
    if (last == s.slots + s.end - 1) {
      // The run would take the last slot, which ends every search (rare: the last runs seldom
      // reach so far).
      widen(s.slots, s.end, s.end, s.capacity);
      find(key, &vacancy);
      last = vacancy;
      while (last->key() != 0) ++last;
    }
    if (last != vacancy) std::memmove(static_cast<void*>(vacancy + 1), vacancy, static_cast<size_t>(last - vacancy) * sizeof(Slot));
    ++s.size;
    ++size_;
    *vacancy = Slot{};
    vacancy->set_key(key & kStoredMask);
    return vacancy;
  }

  // Takes `key` (normal() applied) out, if it is there. The records after it in its run that are
  // past their home move one slot back (a run stays in key order and every record at or after
  // its home, so every search still ends where it did). The arrays keep their size.
  void erase(uint64_t key) {
    Segment& s = segments_[segment_of(key)];
    Slot* gap = find(key);
    if (!gap) return;
    for (Slot* next = gap + 1; next->key() != 0 && home(next->key(), s.capacity) <= static_cast<uint64_t>(gap - s.slots); ++next) {
      *gap = *next;
      gap = next;
    }
    *gap = Slot{};
    --s.size;
    --size_;
  }

  uint64_t size() const { return size_; }
  // Slots held, home and tail: what the table's memory is.
  uint64_t slots() const {
    uint64_t total = 0;
    for (const Segment& s : segments_) total += s.end;
    return total;
  }

  template <typename F>
  void for_each(F&& visit) const {
    for (const Segment& s : segments_) {
      for (uint64_t i = 0; i < s.end; ++i) {
        if (s.slots[i].key() != 0) visit(s.slots[i]);
      }
    }
  }

 private:
  static constexpr uint64_t kSegments = uint64_t{1} << kSegmentBits;
  static constexpr uint64_t kTail = 16;      // slots past the capacity, at first
  static constexpr uint64_t kLarge = 1024;   // from here on, a segment grows by a sixteenth
  // Plain data, all zero at first (one memset for the table, not a store per field), owning
  // `slots` (`end` of them: allocate(); freed by grow(), widen() and the destructor).
  struct Segment {
    Slot* slots;
    uint64_t capacity;  // home slots
    uint64_t end;       // home and tail slots
    uint64_t size;
    uint64_t limit;    // the size that makes it grow
    uint64_t nominal;  // the capacity before rounding to pages, which sets the next
  };

  // While small, the segments of a table go through the same sizes at about the same time (their
  // keys are hashes). The arrays of each size that allocate() would map are cut from one mapping,
  // a slice for each segment, unmapped when the last segment leaves that size: one mapping a size
  // and a table instead of 256. An unmapping in a process whose other threads run (the CLI's
  // --jobs 2) makes the kernel interrupt their cores to flush the address; 820 of those were 9%
  // of the samples on bench/'s broken corpus, and 22% came off its wall time without them.
  struct SharedArrays {
    Slot* base;      // kSegments slices of the size's `end` slots each, zero until written
    uint64_t users;  // segments whose array is a slice of it
  };
  static constexpr unsigned kSharedSizes = 5;  // home slots 64 << i, up to kLarge
  static_assert((uint64_t{64} << (kSharedSizes - 1)) == kLarge, "a size for each twofold step up to kLarge");

  static size_t segment_of(uint64_t key) { return static_cast<size_t>(key >> (64 - kSegmentBits)); }

  // The key's other bits as a fraction of the capacity: (bits * capacity) / 2^64, never more for
  // a smaller key of the segment.
  static uint64_t home(uint64_t key, uint64_t capacity) {
    const uint64_t bits = key << kSegmentBits;
#if defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 wide_product;  // GCC and Clang, also in WebAssembly
    return static_cast<uint64_t>((static_cast<wide_product>(bits) * capacity) >> 64);
#else
    const uint64_t a_hi = bits >> 32, a_lo = bits & 0xffffffffu, b_hi = capacity >> 32, b_lo = capacity & 0xffffffffu;
    const uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
    const uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xffffffffu) + lo_hi;
    return hi_hi + (hi_lo >> 32) + (cross >> 32);
#endif
  }

  // The array of `end` slots for `capacity` home slots, `used` of them written, becomes one an
  // eighth longer (16 at least), of its own.
  __attribute__((noinline)) void widen(Slot*& slots, uint64_t& end, uint64_t used, uint64_t capacity) {
    const uint64_t wider = end + (end / 8 > kTail ? end / 8 : kTail);
    Slot* fresh = allocate(wider);
    std::memcpy(static_cast<void*>(fresh), slots, static_cast<size_t>(used) * sizeof(Slot));
    release(slots, end, capacity);
    slots = fresh;
    end = wider;
  }

  __attribute__((noinline)) void grow(Segment& s, size_t segment) {
    // Twice as large while small (up to 1,024 home slots a segment, 262,144 in all), where memory
    // is cheap and moving every record again costs more than it saves. Then by a sixteenth, from a
    // capacity of 1025 + segment / 4 (up to 1088): the segments' loads are spread over their
    // cycle, so the table's is the cycle's mean (89%) whatever its size, not 87% or 92% by the
    // luck of one. A sixteenth, not a quarter (82%): 8% less memory, for about 17 records copied
    // per insert instead of 4 and four times the pages mapped, zeroed and unmapped (a long stream
    // of new aggregates takes about 15% more time: bench/README.md, "Stream state").
    uint64_t nominal = s.nominal + s.nominal / 16;
    if (s.nominal == 0) nominal = 64;
    else if (s.nominal < kLarge) nominal = s.nominal * 2;
    else if (s.nominal == kLarge) nominal = kLarge + 1 + kLarge * segment / (16 * kSegments);
    uint64_t capacity = nominal;
    uint64_t end = capacity + kTail;
    if (nominal > kLarge && mapped(end)) {
      // The array ends where its last page does (its own pages: the last one is resident whole
      // anyway), and the slots that adds are home slots, at least a page more than before: the
      // nominal sizes keep the segments' cycles spread, pages do not.
      const uint64_t bytes = std::max((end * sizeof(Slot) + kPageBytes - 1) / kPageBytes * kPageBytes, (s.end * sizeof(Slot) / kPageBytes + 1) * kPageBytes);
      end = bytes / sizeof(Slot);
      capacity = end - kTail;
    }
    const unsigned shared = shared_index(capacity, end);
    Slot* fresh = shared ? slice(shared - 1, end, segment) : allocate(end);
    // In order, each record at its home or just after the one before (a search finds it, as no
    // record before it in its run has a larger key).
    uint64_t next = 0;
    for (uint64_t i = 0; i < s.end; ++i) {
      const Slot& old = s.slots[i];
      if (old.key() == 0) continue;
      const uint64_t at = std::max(next, home(old.key(), capacity));  // the stored bits are those home() reads
      while (at >= end - 1) widen(fresh, end, next, capacity);
      fresh[at] = old;
      next = at + 1;
    }
    release(s.slots, s.end, s.capacity);
    s.slots = fresh;
    s.capacity = capacity;
    s.nominal = nominal;
    s.end = end;
    s.limit = capacity < kLarge ? capacity / 4 * 3 : capacity / 25 * 23;
  }

  // `end` zeroed slots. A large array is mapped from the system on its own: its pages are zero
  // without a write, and unmapping it gives them back (a freed array inside the heap stays
  // resident, and one a quarter larger never fits its hole).
  static bool mapped(uint64_t end) { return kMapOwnPages && end * sizeof(Slot) >= kMapBytes; }
  static Slot* allocate(uint64_t end) {
    void* p = nullptr;
#if MSGEVENTS_MAP_OWN_PAGES
    if (mapped(end)) {
      p = mmap(nullptr, end * sizeof(Slot), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) throw std::bad_alloc();
      return static_cast<Slot*>(p);
    }
#endif
    p = std::calloc(end, sizeof(Slot));
    if (!p) throw std::bad_alloc();
    return static_cast<Slot*>(p);
  }
  // 1 + the index in shared_ of the mapping an array of `capacity` home slots and `end` in all is a
  // slice of, or 0 if it is an array of its own: grow() cuts a slice for every small size that
  // allocate() would map, and only widen() makes `end` other than capacity + kTail. WebAssembly,
  // which never maps its own pages, has no slices.
  static unsigned shared_index(uint64_t capacity, uint64_t end) {
    if constexpr (!kMapOwnPages) return 0;
    if (capacity > kLarge || end != capacity + kTail || !mapped(end)) return 0;
    unsigned index = 0;
    while ((uint64_t{64} << index) < capacity) ++index;
    return index + 1;
  }
  // The segment's slice of the shared mapping for arrays of `end` slots, index `index` in shared_.
  Slot* slice(unsigned index, uint64_t end, size_t segment) {
    SharedArrays& arrays = shared_[index];
    if (!arrays.base) arrays.base = allocate(kSegments * end);
    ++arrays.users;
    return arrays.base + segment * end;  // a segment passes each size once: still zero
  }
  // Gives back an array of `end` slots for `capacity` home slots: its own, or its slice.
  void release(Slot* slots, uint64_t end, uint64_t capacity) {
    const unsigned shared = shared_index(capacity, end);
    if (shared == 0) return release(slots, end);
    SharedArrays& arrays = shared_[shared - 1];
    if (--arrays.users == 0) {
      release(arrays.base, kSegments * end);
      arrays.base = nullptr;
    }
  }
  static void release(Slot* slots, uint64_t end) {
    if (!slots) return;
#if MSGEVENTS_MAP_OWN_PAGES
    if (mapped(end)) {
      munmap(slots, end * sizeof(Slot));
      return;
    }
#else
    (void)end;
#endif
    std::free(slots);
  }

  static constexpr bool kMapOwnPages = MSGEVENTS_MAP_OWN_PAGES != 0;
  static constexpr uint64_t kMapBytes = 4096;
  static constexpr uint64_t kPageBytes = 4096;

  Segment segments_[kSegments]{};
  SharedArrays shared_[kSharedSizes]{};
  uint64_t size_ = 0;
};

}  // namespace msgevents::detail
