// The text helpers' suggestion search: the bounded edit distance is the distance wherever it is
// within its limit, and closest_name picks the name the plain search over every distance did (the
// first of the nearest, if close enough), over random names and misspellings.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "msgevents/catalog.hpp"
#include "envelope_rules.hpp"
#include "text_util.hpp"

namespace msgevents {
namespace {

// The whole table of the Levenshtein distance, letters in either case: what the bounded one must match.
size_t edit_distance(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The search as it was before the distance was bounded: every candidate's full distance.
std::string closest_by_full_distance(std::string_view wrong, const std::vector<std::string>& names) {
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (const auto& name : names) {
    const size_t longer = std::max(wrong.size(), name.size());
    const size_t shorter = std::min(wrong.size(), name.size());
    if (longer - shorter >= best_distance || longer - shorter > std::max<size_t>(2, longer / 3)) continue;
    const size_t distance = edit_distance(wrong, name);
    if (distance < best_distance) {
      best_distance = distance;
      best = name;
    }
  }
  const size_t allowed = std::max<size_t>(2, std::max(wrong.size(), best.size()) / 3);
  return best_distance <= allowed ? best : std::string();
}

// Random text over a few letters (both cases) and a separator, so that strings come close.
std::string random_text(std::mt19937& random, size_t max_length) {
  static constexpr char kLetters[] = "abcABC-";
  const size_t length = std::uniform_int_distribution<size_t>(0, max_length)(random);
  std::string out;
  for (size_t i = 0; i < length; ++i) out.push_back(kLetters[std::uniform_int_distribution<size_t>(0, sizeof kLetters - 2)(random)]);
  return out;
}

// A name with a few random edits: inserted, deleted or replaced letters.
std::string misspelt(std::mt19937& random, std::string name) {
  const int edits = std::uniform_int_distribution<int>(0, 4)(random);
  for (int e = 0; e < edits; ++e) {
    const size_t at = std::uniform_int_distribution<size_t>(0, name.size())(random);
    const char letter = "xyzXYZ"[std::uniform_int_distribution<int>(0, 5)(random)];
    switch (std::uniform_int_distribution<int>(0, 2)(random)) {
      case 0: name.insert(name.begin() + static_cast<std::ptrdiff_t>(at), letter); break;
      case 1: if (at < name.size()) name.erase(at, 1); break;
      default: if (at < name.size()) name[at] = letter; break;
    }
  }
  return name;
}

TEST(TextUtil, BoundedEditDistanceIsTheDistanceWithinItsLimit) {
  std::mt19937 random(9);
  for (int round = 0; round < 20000; ++round) {
    const std::string a = random_text(random, 14);
    const std::string b = random_text(random, 14);
    const size_t limit = std::uniform_int_distribution<size_t>(0, 12)(random);
    const size_t distance = edit_distance(a, b);
    EXPECT_EQ(detail::edit_distance_within(a, b, limit), std::min(distance, limit + 1)) << '"' << a << "\" \"" << b << "\" " << limit;
  }
  // Longer than the buffer the row usually lives in.
  const std::string long_a(100, 'a'), long_b = std::string(98, 'a') + "bb";
  EXPECT_EQ(detail::edit_distance_within(long_a, long_b, 5), 2u);
  EXPECT_EQ(detail::edit_distance_within(long_a, long_b, 1), 2u);
  EXPECT_EQ(detail::edit_distance_within("", "abc", 3), 3u);
  EXPECT_EQ(detail::edit_distance_within("ABC", "abc", 0), 0u);  // letters compare in either case
  EXPECT_EQ(detail::edit_distance_within("kitten", "sitting", SIZE_MAX), 3u);  // no limit at all
}

TEST(TextUtil, ClosestNameIsWhatTheSearchOverFullDistancesFinds) {
  std::mt19937 random(15);
  for (int round = 0; round < 4000; ++round) {
    std::vector<std::string> names(std::uniform_int_distribution<size_t>(0, 12)(random));
    for (auto& name : names) name = random_text(random, 20);
    const std::string wrong = names.empty() || round % 3 == 0 ? random_text(random, 24)
                                                              : misspelt(random, names[std::uniform_int_distribution<size_t>(0, names.size() - 1)(random)]);
    EXPECT_EQ(std::string(detail::closest_name(wrong, names)), closest_by_full_distance(wrong, names)) << '"' << wrong << '"';
  }
}

TEST(TextUtil, ClosestNameSuggestsCatalogEventTypes) {
  std::vector<std::string> events;
  for (const auto& event : builtin_catalog().events) events.push_back(event.name);
  EXPECT_EQ(detail::closest_name("XChannelMapped", events), "ChannelMapped");
  EXPECT_EQ(detail::closest_name("customercreated", events), "CustomerCreated");
  EXPECT_EQ(detail::closest_name("CustomrCreatd", events), "CustomerCreated");
  EXPECT_EQ(detail::closest_name("SomethingElseEntirely", events), "");
  EXPECT_EQ(detail::closest_name("", events), "");
  for (const auto& name : events) {
    for (const std::string wrong : {"X" + name, name.substr(1), name + "ed", "x" + name.substr(1)}) {
      EXPECT_EQ(std::string(detail::closest_name(wrong, events)), closest_by_full_distance(wrong, events)) << wrong;
    }
  }
}

// Counted 16 bytes at a time: every kind of byte at every place of the first three blocks and
// past them, in texts of every length up to 49, against a count one byte at a time.
TEST(TextUtil, CodePointsAreTheBytesThatDoNotContinueASequence) {
  const auto one_by_one = [](std::string_view text) {
    uint64_t count = 0;
    for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return count;
  };
  for (const unsigned byte : {0x00u, 0x41u, 0x7Fu, 0x80u, 0xBFu, 0xC0u, 0xC3u, 0xE2u, 0xF0u, 0xFFu}) {
    for (size_t length = 1; length < 50; ++length) {
      for (size_t at = 0; at < length; ++at) {
        std::string text(length, 'a');
        text[at] = static_cast<char>(byte);
        ASSERT_EQ(detail::code_points(text), one_by_one(text)) << "byte " << byte << ", length " << length << ", at " << at;
        std::string continued(length, static_cast<char>(0x80));  // all continuations but one
        continued[at] = static_cast<char>(byte);
        ASSERT_EQ(detail::code_points(continued), one_by_one(continued)) << "byte " << byte << ", length " << length << ", at " << at;
      }
    }
  }
  EXPECT_EQ(detail::code_points("\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 and some ASCII after it"), 31u);  // 7 + 24
}

TEST(TextUtil, AUuidEventIdIsHexDigitsInEveryPlace) {
  // Each of the 32 digit places: a character that is not a hex digit there breaks the shape
  // (the id is then neither a UUID nor a ULID); an upper-case hex digit there keeps it a UUID of
  // the wrong case. Dashes only where they belong.
  const std::string id = "019a534a-3749-7737-9a21-2e013149592f";
  ASSERT_EQ(detail::check_event_id(id).kind, detail::IdKind::Uuid);
  EXPECT_TRUE(detail::check_event_id(id).canonical_case);
  for (size_t i = 0; i < id.size(); ++i) {
    if (id[i] == '-') {
      std::string moved = id;
      moved[i] = '0';
      EXPECT_EQ(detail::check_event_id(moved).kind, detail::IdKind::None) << moved;
      continue;
    }
    for (const char c : {'g', 'G', 'z', ' ', '-', '/', ':', '@', '`', '\x7f'}) {
      std::string broken = id;
      broken[i] = c;
      const detail::EventIdCheck check = detail::check_event_id(broken);
      EXPECT_EQ(check.kind, detail::IdKind::None) << broken;
      EXPECT_NE(check.problem.find("neither a UUID"), std::string::npos) << broken;
    }
    if (i != 14 && i != 19) {  // the version and variant digits have rules of their own
      std::string upper = id;
      upper[i] = 'B';
      const detail::EventIdCheck check = detail::check_event_id(upper);
      EXPECT_EQ(check.kind, detail::IdKind::Uuid) << upper;
      EXPECT_FALSE(check.canonical_case) << upper;
    }
  }
}

TEST(TextUtil, AnIdentifierWithASpaceOrControlAnywhereIsRefused) {
  // Every length across the 16-byte blocks the scan reads, every place.
  for (size_t length = 1; length <= 80; ++length) {
    const std::string clean(length, 'a');
    EXPECT_TRUE(detail::identifier_ok(clean)) << length;
    for (size_t at = 0; at < length; ++at) {
      for (const char c : {' ', '\t', '\n', '\x01', '\x7f'}) {
        std::string id = clean;
        id[at] = c;
        EXPECT_FALSE(detail::identifier_ok(id)) << "length " << length << ", byte " << int(c) << " at " << at;
      }
    }
  }
}

TEST(TextUtil, IdempotencyKeyOkIsWhatIdempotencyKeyProblemSays) {
  std::vector<std::string> keys = {"", "a", "cus_1:1", std::string(255, 'k'), std::string(256, 'k'), "a\x7f", "\x1f",
                                   "caf\xC3\xA9", "c1 \xC2\x80", "nbsp \xC2\xA0"};
  std::string wide;  // 255 code points in 510 bytes, then 256
  for (int i = 0; i < 255; ++i) wide += "\xC3\xA9";
  keys.push_back(wide);
  keys.push_back(wide + "\xC3\xA9");
  std::mt19937 random(17);
  for (int i = 0; i < 2000; ++i) keys.push_back(random_text(random, 40));
  for (const std::string& key : keys) {
    EXPECT_EQ(detail::idempotency_key_ok(key), detail::idempotency_key_problem(key).empty()) << '"' << key << '"';
  }
  EXPECT_TRUE(detail::idempotency_key_ok(std::string(255, 'k')));
  EXPECT_FALSE(detail::idempotency_key_ok(std::string(256, 'k')));
  EXPECT_FALSE(detail::idempotency_key_ok(std::string(255, 'k') + "\xC3\xA9"));  // 256 code points in 257 bytes
  EXPECT_TRUE(detail::idempotency_key_ok(wide));
  EXPECT_FALSE(detail::idempotency_key_ok(wide + "\xC3\xA9"));
  EXPECT_FALSE(detail::idempotency_key_ok("c1 \xC2\x80"));
  EXPECT_TRUE(detail::idempotency_key_ok("nbsp \xC2\xA0"));
}

}  // namespace
}  // namespace msgevents
