// The containers of the stream checks' memory, which grows with every distinct event of a stream:
// flat hash tables of fixed-size records found by a 64-bit keyed hash, arrays that grow a page at
// a time, and the index and line of each remembered event in about a byte.
//
// Each is built for a low peak resident size (what a long stream's memory is measured by): nothing
// is copied whole as it grows, except one sixteenth of a table at a time.
#pragma once

#include <cstdint>
#include <cstdlib>
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

// Open addressing with linear probing over records held in the table itself. `Slot` is trivially
// copyable, all zero when empty, with key() and set_key(); keys are keyed hashes, and 0 is stored
// as 1 (a hash of 0 and one of 1 are the same key here, which only a 2^-64 chance makes matter).
//
// The table is 16 segments chosen by a key's top bits, each grown on its own: eightfold when 80%
// full while below 4,096 slots, then by half when 85% full, so that a growth holds the old and new
// arrays of one sixteenth of the table at a time (the peak stays near the live size), and a large
// segment's load stays between 57% and 85%, the table's near 70% (see grow()). A slot is found by
// mapping the rest of the key's bits onto the segment's capacity (multiply and shift), not by a
// mask, so any capacity serves.
template <typename Slot>
class FlatTable {
  static_assert(std::is_trivially_copyable_v<Slot>, "slots are moved as bytes");

 public:
  FlatTable() = default;
  FlatTable(const FlatTable&) = delete;
  FlatTable& operator=(const FlatTable&) = delete;
  ~FlatTable() {
    for (Segment& s : segments_) std::free(s.slots);
  }

  static uint64_t normal(uint64_t key) { return key ? key : 1; }

  // The record of `key` (normal() already applied), or null; then *vacancy, if asked for, is where
  // insert() may put it (valid until the next insert).
  MSGEVENTS_HOT Slot* find(uint64_t key, Slot** vacancy = nullptr) const {
    const Segment& s = segments_[segment_of(key)];
    if (vacancy) *vacancy = nullptr;
    if (s.capacity == 0) return nullptr;
    for (uint64_t i = home(key, s.capacity);;) {
      Slot& slot = s.slots[i];
      const uint64_t k = slot.key();
      if (k == key) return &slot;
      if (k == 0) {
        if (vacancy) *vacancy = &slot;
        return nullptr;
      }
      if (++i == s.capacity) i = 0;
    }
  }

  void prefetch(uint64_t key) const {
    const Segment& s = segments_[segment_of(key)];
    if (s.capacity != 0) __builtin_prefetch(&s.slots[home(key, s.capacity)]);
  }

  // A new, zeroed record for `key` (normal() applied; it must be absent), at `vacancy` if find()
  // gave one since the last insert. Pointers to other records are invalid afterwards.
  MSGEVENTS_HOT Slot* insert(uint64_t key, Slot* vacancy = nullptr) {
    Segment& s = segments_[segment_of(key)];
    if (s.size + 1 > s.limit) {
      grow(s, segment_of(key));
      vacancy = nullptr;
    }
    ++s.size;
    ++size_;
    Slot* slot = vacancy ? vacancy : place(s, key);
    slot->set_key(key);
    return slot;
  }

  uint64_t size() const { return size_; }

  template <typename F>
  void for_each(F&& visit) const {
    for (const Segment& s : segments_) {
      for (uint64_t i = 0; i < s.capacity; ++i) {
        if (s.slots[i].key() != 0) visit(s.slots[i]);
      }
    }
  }

 private:
  static constexpr unsigned kSegmentBits = 4;
  // 4096 * 1.5^(1 + s / 16) for s from 0 to 15, rounded.
  static constexpr uint64_t kStaggered[16] = {6144, 6302, 6463, 6629, 6799, 6974, 7153, 7337,
                                              7525, 7718, 7916, 8119, 8328, 8541, 8761, 8985};
  // Plain data, all zero at first (one memset for the table, not a store per field), owning
  // `slots` (calloc'ed; freed by grow() and the destructor).
  struct Segment {
    Slot* slots;
    uint64_t capacity;
    uint64_t size;
    uint64_t limit;  // the size that makes it grow
  };

  static size_t segment_of(uint64_t key) { return static_cast<size_t>(key >> (64 - kSegmentBits)); }

  // The key's other bits as a fraction of the capacity: (bits * capacity) / 2^64.
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

  static Slot* place(Segment& s, uint64_t key) {
    uint64_t i = home(key, s.capacity);
    while (s.slots[i].key() != 0) {
      if (++i == s.capacity) i = 0;
    }
    return &s.slots[i];
  }

  __attribute__((noinline)) static void grow(Segment& s, size_t segment) {
    // Eight times as large while small (at most 65,536 slots in all), where memory is cheap and
    // moving every record again costs more than it saves. Then by half, from a capacity of
    // 4096 * 1.5^(1 + segment / 16): the segments' loads are spread over their cycle, so the
    // table's is the cycle's mean (70%) whatever its size, not 57% or 85% by the luck of one.
    uint64_t capacity = s.capacity + s.capacity / 2;
    if (s.capacity == 0) capacity = 64;
    else if (s.capacity < 4096) capacity = s.capacity * 8;
    else if (s.capacity == 4096) capacity = kStaggered[segment];
    // calloc: zero pages from the system cost no writes.
    Slot* fresh = static_cast<Slot*>(std::calloc(capacity, sizeof(Slot)));
    if (!fresh) throw std::bad_alloc();
    Segment next{};
    next.slots = fresh;
    next.capacity = capacity;
    next.size = s.size;
    next.limit = capacity < 4096 * 3 / 2 ? capacity / 5 * 4 : capacity / 20 * 17;
    for (uint64_t i = 0; i < s.capacity; ++i) {
      const Slot& old = s.slots[i];
      const uint64_t key = old.key();
      if (key != 0) *place(next, key) = old;
    }
    std::free(s.slots);
    s = next;
  }

  Segment segments_[uint64_t{1} << kSegmentBits]{};
  uint64_t size_ = 0;
};

}  // namespace msgevents::detail
