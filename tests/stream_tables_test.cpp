// The stream checks' hash table (src/lib/stream_tables.hpp) on its own: sizes, key patterns and
// runs that a test stream would take long to reach, for slots that store a whole key and for
// slots that leave its top byte to the segment.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <vector>

#include "stream_layouts.hpp"
#include "stream_tables.hpp"

namespace msgevents::detail {
namespace {

// As the stream checks' aggregate slot: the whole key.
struct WholeKeySlot {
  static constexpr unsigned kKeyBits = 64;
  uint64_t key_;
  uint32_t value;
  uint64_t key() const { return key_; }
  void set_key(uint64_t k) { key_ = k; }
};

// As the stream checks' identity slot: the key's low 7 bytes, packed.
struct LowBytesSlot {
  static constexpr unsigned kKeyBits = 56;
  unsigned char bytes[11];
  uint32_t value;
  uint64_t key() const {
    uint64_t k;
    std::memcpy(&k, bytes, sizeof k);
    return k & ((uint64_t{1} << 56) - 1);
  }
  void set_key(uint64_t k) { std::memcpy(bytes, &k, 7); }
};

template <typename Slot>
class FlatTableTest : public ::testing::Test {
 protected:
  using Table = FlatTable<Slot>;

  // Inserts keys[from, to) (as the stream checks do: find, then insert at the vacancy), each with
  // its place in `keys` as its value.
  static void insert_all(Table& table, const std::vector<uint64_t>& keys, size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      const uint64_t key = Table::normal(keys[i]);
      Slot* vacancy = nullptr;
      ASSERT_EQ(table.find(key, &vacancy), nullptr) << "key " << i << " found before it was added";
      table.insert(key, vacancy)->value = static_cast<uint32_t>(i);
    }
  }

  // keys[0, added) are found with their values, none of `absent` is, and for_each visits each once.
  static void expect_exactly(const Table& table, const std::vector<uint64_t>& keys, size_t added, const std::vector<uint64_t>& absent) {
    ASSERT_EQ(table.size(), added);
    for (size_t i = 0; i < added; ++i) {
      const Slot* slot = table.find(Table::normal(keys[i]));
      ASSERT_NE(slot, nullptr) << "key " << i << " of " << added << " lost";
      ASSERT_EQ(slot->value, i) << "key " << i << " of " << added << " has another's record";
    }
    for (const uint64_t key : absent) EXPECT_EQ(table.find(Table::normal(key)), nullptr) << std::hex << key;
    std::vector<uint32_t> seen;
    table.for_each([&](const Slot& slot) { seen.push_back(slot.value); });
    ASSERT_EQ(seen.size(), added);
    std::sort(seen.begin(), seen.end());
    for (size_t i = 0; i < added; ++i) ASSERT_EQ(seen[i], i);
  }
};

using SlotKinds = ::testing::Types<WholeKeySlot, LowBytesSlot>;
TYPED_TEST_SUITE(FlatTableTest, SlotKinds);

TYPED_TEST(FlatTableTest, KeepsEveryRecordAcrossGrowthAndStaysNearly90PercentFull) {
  std::mt19937_64 rng(42);
  std::vector<uint64_t> keys(700000), absent(1000);
  for (uint64_t& k : keys) k = rng();
  for (uint64_t& k : absent) k = rng();
  typename TestFixture::Table table;
  size_t added = 0;
  // Checked at every size up to 64, then at sizes growing by a quarter (many growths of each
  // segment between two checks).
  for (size_t size = 1; size <= keys.size(); size = size < 64 ? size + 1 : size + size / 4) {
    this->insert_all(table, keys, added, size);
    added = size;
    this->expect_exactly(table, keys, added, absent);
    // Past 262,144 home slots every segment grows by a sixteenth (at least a page) when 92% full,
    // tails included; once the first of those steps (from the 75% of the doubling sizes) are
    // behind, the table is between 84% and 92% full.
    const double load = static_cast<double>(table.size()) / static_cast<double>(table.slots());
    if (size >= 450000) EXPECT_GE(load, 0.84) << "at " << size << " records";
    if (size >= 300000) EXPECT_LE(load, 0.92) << "at " << size << " records";
  }
}

TYPED_TEST(FlatTableTest, ALargeSegmentEndsAtAPageEnd) {
  // A large segment maps its own pages: the slots of its last page are home slots, not waste.
  std::mt19937_64 rng(8);
  std::vector<uint64_t> keys(400000);
  for (uint64_t& k : keys) k = rng() & ((uint64_t{1} << 56) - 1);  // all in segment 0
  typename TestFixture::Table table;
  this->insert_all(table, keys, 0, keys.size());
  this->expect_exactly(table, keys, keys.size(), {});
  EXPECT_EQ(table.slots() * sizeof(TypeParam) % 4096, 0u) << table.slots() << " slots";
  const double load = static_cast<double>(table.size()) / static_cast<double>(table.slots());
  EXPECT_GE(load, 0.84);
  EXPECT_LE(load, 0.92);
}

TYPED_TEST(FlatTableTest, KeysOfOneHomeStayInOrderWhateverTheOrderTheyCameIn) {
  // Runs of consecutive keys (one home at any size the test reaches), added backwards, forwards
  // and shuffled: each insert shifts a run, and a search stops at the first larger key.
  std::vector<uint64_t> keys;
  for (uint64_t run = 0; run < 40; ++run) {
    const uint64_t base = (run * 0x0654321987654321ULL) & ~uint64_t{0xfff};
    std::vector<uint64_t> one;
    for (uint64_t i = 0; i < 100; ++i) one.push_back(base + 2 * i + 2);  // the odd ones stay absent
    if (run % 3 == 0) std::reverse(one.begin(), one.end());
    if (run % 3 == 1) std::shuffle(one.begin(), one.end(), std::mt19937(static_cast<unsigned>(run)));
    keys.insert(keys.end(), one.begin(), one.end());
  }
  std::vector<uint64_t> absent;
  for (const uint64_t k : keys) absent.push_back(k + 1);
  typename TestFixture::Table table;
  this->insert_all(table, keys, 0, keys.size());
  this->expect_exactly(table, keys, keys.size(), absent);
}

TYPED_TEST(FlatTableTest, EraseLeavesEveryOtherRecordFoundAndItsPlaceReusable) {
  // Random keys (short runs) and runs of one home (long ones, each erase shifts the rest back),
  // one in three erased in random order, erasing absent keys changes nothing, and the erased keys
  // go back in.
  using Table = typename TestFixture::Table;
  std::mt19937_64 rng(7);
  std::vector<uint64_t> keys;
  for (int i = 0; i < 20000; ++i) keys.push_back(rng());
  for (uint64_t run = 0; run < 20; ++run) {
    const uint64_t base = (run * 0x0654321987654321ULL) & ~uint64_t{0xfff};
    for (uint64_t i = 0; i < 100; ++i) keys.push_back(base + 2 * i + 2);
  }
  for (uint64_t i = 0; i < 300; ++i) keys.push_back(0x05ffffffffffffffULL - 3 * i);  // in the tail
  Table table;
  this->insert_all(table, keys, 0, keys.size());
  std::vector<size_t> order(keys.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(3));
  std::vector<bool> erased(keys.size());
  for (size_t n = 0; n < order.size() / 3; ++n) {
    erased[order[n]] = true;
    table.erase(Table::normal(keys[order[n]]));
    // Absent: runs step by 2 and the tail by 3; a random key's neighbour is another key with a
    // chance of 2^-50.
    table.erase(Table::normal(keys[order[n]]) + 1);
  }
  size_t kept = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    const TypeParam* slot = table.find(Table::normal(keys[i]));
    if (erased[i]) {
      ASSERT_EQ(slot, nullptr) << "key " << i << " still found after its erase";
      continue;
    }
    ++kept;
    ASSERT_NE(slot, nullptr) << "key " << i << " lost by another's erase";
    ASSERT_EQ(slot->value, i);
  }
  EXPECT_EQ(table.size(), kept);
  size_t visited = 0;
  table.for_each([&](const TypeParam&) { ++visited; });
  EXPECT_EQ(visited, kept);
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!erased[i]) continue;
    TypeParam* vacancy = nullptr;
    ASSERT_EQ(table.find(Table::normal(keys[i]), &vacancy), nullptr);
    table.insert(Table::normal(keys[i]), vacancy)->value = static_cast<uint32_t>(i);
  }
  this->expect_exactly(table, keys, keys.size(), {});
}

TYPED_TEST(FlatTableTest, RunsAtTheEndOfASegmentWidenItsTail) {
  // 3,000 keys at the very top of one segment's range: every one's home is its last home slot at
  // any capacity, so the run lives in the tail, which widens as it fills (and grows with it when
  // the segment does), for a bounded cost in slots.
  std::vector<uint64_t> keys;
  for (uint64_t i = 0; i < 3000; ++i) keys.push_back(0x05ffffffffffffffULL - 3 * i);
  typename TestFixture::Table table;
  this->insert_all(table, keys, 0, keys.size());
  this->expect_exactly(table, keys, keys.size(), {0x05ffffffffffffffULL - 1, 0x0600000000000000ULL, 0x05fffffffffff001ULL});
  EXPECT_LT(table.slots(), 3 * keys.size() + 256 * 32) << "slots for " << keys.size() << " records";
}

TYPED_TEST(FlatTableTest, ASegmentThatGrowsAloneAndTheOthersAfterItKeepEveryRecord) {
  // While small, the segments' arrays of one size are slices of one mapping, given back when the
  // last segment leaves that size. Here one segment passes every small size alone (each mapping
  // taken and given back for it), then the others pass them together, two tables at once (the
  // stream checks' event_id and idempotency_key tables), and one table is dropped half grown.
  std::mt19937_64 rng(7);
  std::vector<uint64_t> keys;
  for (int i = 0; i < 2500; ++i) keys.push_back((uint64_t{0x05} << 56) | (rng() >> 8));
  for (int i = 0; i < 120000; ++i) keys.push_back(rng());
  const std::vector<uint64_t> absent = {rng(), rng(), (uint64_t{0x05} << 56) | 3};
  typename TestFixture::Table first, second;
  auto dropped = std::make_unique<typename TestFixture::Table>();
  this->insert_all(first, keys, 0, 2500);
  this->expect_exactly(first, keys, 2500, absent);
  for (size_t size = 2500; size < keys.size(); size += 12000) {
    const size_t next = std::min(keys.size(), size + 12000);
    this->insert_all(first, keys, size, next);
    if (dropped) this->insert_all(*dropped, keys, size, next);
    if (next > 40000) dropped.reset();
  }
  this->insert_all(second, keys, 0, keys.size());
  this->expect_exactly(first, keys, keys.size(), absent);
  this->expect_exactly(second, keys, keys.size(), absent);
}

TYPED_TEST(FlatTableTest, KeysThatDifferOnlyInTheirTopByteOrTheirStoredPartAreApart) {
  // The top byte is the segment's (not stored by LowBytesSlot): keys equal below it are distinct.
  // A key whose stored part is 0 is the key with that part 1 (normal()), in every segment (for a
  // slot of the whole key, only the key 0 is).
  using Table = typename TestFixture::Table;
  std::vector<uint64_t> keys;
  for (uint64_t top = 0; top < 256; ++top) keys.push_back(top << 56 | 0x00123456789abcdeULL);
  for (uint64_t top = 0; top < 256; top += 51) keys.push_back(top << 56);  // stored part 0
  typename TestFixture::Table table;
  this->insert_all(table, keys, 0, keys.size());
  this->expect_exactly(table, keys, keys.size(), {0x00123456789abcdfULL, 0xff123456789abcddULL, uint64_t{2}});
  for (uint64_t top = 0; top < 256; top += 51) {
    const uint64_t zero_part = top << 56;
    ASSERT_NE(table.find(Table::normal(zero_part)), nullptr) << std::hex << zero_part;
    if (TypeParam::kKeyBits < 64 || zero_part == 0) {
      EXPECT_EQ(table.find(Table::normal(zero_part)), table.find(zero_part | 1)) << std::hex << zero_part;
    } else {
      EXPECT_EQ(table.find(zero_part | 1), nullptr) << std::hex << zero_part;
    }
  }
}

TYPED_TEST(FlatTableTest, InsertWithoutAVacancyFindsThePlace) {
  // insert() given no vacancy (after a find() that was not asked for one) finds the place itself.
  std::mt19937_64 rng(3);
  std::vector<uint64_t> keys(50000);
  for (uint64_t& k : keys) k = rng();
  typename TestFixture::Table table;
  for (size_t i = 0; i < keys.size(); ++i) table.insert(TestFixture::Table::normal(keys[i]))->value = static_cast<uint32_t>(i);
  this->expect_exactly(table, keys, keys.size(), {});
}

}  // namespace
}  // namespace msgevents::detail

namespace msgevents::detail {
namespace {

// The identity tables of the stream checks (stream_layouts.hpp): a number below 2^24 in a 10-byte
// slot, any other in an 11-byte one, and a search finds a key in either with its exact number.
// A stream reaches the second only past 16,777,216 numbered events, which no test streams through.
TEST(IdentityTable, NumbersOnEitherSideOf2To24AreFoundExactly) {
  std::mt19937_64 rng(24);
  std::vector<uint64_t> keys(60000), absent(1000);
  for (uint64_t& k : keys) k = IdentityTable::normal(rng());
  for (uint64_t& k : absent) k = IdentityTable::normal(rng());
  // The first half takes numbers up to 2^24 - 1 (the narrow slot's last), the second from 2^24
  // (the wide slot's first) up to kMaxRemembered's last: as a stream's numbers, never smaller.
  auto number_of = [&](size_t i) -> uint32_t {
    const size_t half = keys.size() / 2;
    if (i + 1 == half) return 0xffffff;
    if (i < half) return static_cast<uint32_t>(i * 251);
    if (i + 1 == keys.size()) return static_cast<uint32_t>(kMaxRemembered - 1);
    return static_cast<uint32_t>(0x1000000 + (i - half) * 65537);
  };
  IdentityTable table;
  for (size_t i = 0; i < keys.size(); ++i) {
    IdentityTable::Place place;
    ASSERT_EQ(table.find(keys[i], &place), IdentityTable::kAbsent) << "key " << i << " found before it was added";
    table.insert(keys[i], number_of(i), place);
  }
  EXPECT_EQ(table.size(), keys.size());
  EXPECT_EQ(table.wide_size(), keys.size() / 2);
  for (size_t i = 0; i < keys.size(); ++i) {
    IdentityTable::Place place;
    ASSERT_EQ(table.find(keys[i], &place), number_of(i)) << "key " << i;
  }
  for (const uint64_t key : absent) {
    IdentityTable::Place place;
    EXPECT_EQ(table.find(key, &place), IdentityTable::kAbsent) << std::hex << key;
  }
}

TEST(IdentityTable, TheNarrowSlotHoldsTheKeysSevenBytesAndThreeOfTheNumber) {
  // Every byte of the key's stored part and of the number survives its neighbours' writes.
  NarrowIdentitySlot slot{};
  slot.set_key(0x00a1b2c3d4e5f607ULL);
  slot.set_event(0xfedcba);
  EXPECT_EQ(slot.key(), 0x00a1b2c3d4e5f607ULL);
  EXPECT_EQ(slot.event(), 0xfedcbau);
  slot.set_key(0x00ffffffffffffffULL);
  EXPECT_EQ(slot.event(), 0xfedcbau);
  slot.set_event(0);
  EXPECT_EQ(slot.key(), 0x00ffffffffffffffULL);
  IdentitySlot wide{};
  wide.set_key(0x00ffffffffffffffULL);
  wide.set_event(0xfffffffe);
  EXPECT_EQ(wide.key(), 0x00ffffffffffffffULL);
  EXPECT_EQ(wide.event(), 0xfffffffeu);
}

// The notes of aggregates first seen mid-life (stream_layouts.hpp), against a std::map: numbers
// mostly in order as a stream gives them, some behind (an aggregate the lifecycle skipped at
// first), across page borders and far apart, notes taken back in any order, a page emptied and
// used again, and a second note of a number, which leaves the first.
TEST(MidLifeNotes, EveryNoteIsFoundExactlyUntilItIsTakenBack) {
  std::mt19937_64 rng(2026);
  MidLifeNotes notes;
  std::map<uint32_t, MidLifeNotes::Note> model;
  auto note_of = [](uint32_t number) {
    return MidLifeNotes::Note{static_cast<uint16_t>(number * 7), number ^ 0xa5a5a5a5u, uint64_t{number} << 31 | 0xff};
  };
  auto add = [&](uint32_t number) {
    notes.add(number, note_of(number));
    model.emplace(number, note_of(number));
  };
  auto erase = [&](uint32_t number) {
    notes.erase(number);
    model.erase(number);
  };
  uint32_t next = 0;
  for (int i = 0; i < 20000; ++i) {
    next += 1 + static_cast<uint32_t>(rng() % 3);
    add(next);
    if (rng() % 5 == 0 && next > 600) add(next - 1 - static_cast<uint32_t>(rng() % 600));  // behind, maybe a page back
    if (rng() % 3 == 0) erase(static_cast<uint32_t>(rng() % (next + 1)));
  }
  for (uint32_t n = 256; n < 512; ++n) erase(n);  // a whole page taken back
  add(300);
  add(511);
  add(next + 0x10000);        // far past the others: the pages between stay empty
  notes.add(300, {1, 2, 3});  // a second note of a number: the first stays (as in the model)
  for (uint32_t n = 0; n <= next + 300; ++n) {
    MidLifeNotes::Note got;
    const auto expected = model.find(n);
    ASSERT_EQ(notes.find(n, &got), expected != model.end()) << "number " << n;
    if (expected == model.end()) continue;
    EXPECT_EQ(got.event_type, expected->second.event_type) << n;
    EXPECT_EQ(got.event, expected->second.event) << n;
    EXPECT_EQ(got.version, expected->second.version) << n;
  }
  MidLifeNotes::Note last;
  ASSERT_TRUE(notes.find(next + 0x10000, &last));
  EXPECT_EQ(last.version, uint64_t{next + 0x10000} << 31 | 0xff);
  notes.erase(next + 0x10000);
  EXPECT_FALSE(notes.find(next + 0x10000, &last));
  EXPECT_FALSE(notes.find(0xffffffff, &last));  // past every page
}

}  // namespace
}  // namespace msgevents::detail
