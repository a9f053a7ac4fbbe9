// Inputs made to hurt: each test is a class of attack or accident that once cost quadratic time,
// unbounded memory, a forgeable verdict or a confusing report. The inputs are megabytes in size,
// so a quadratic regression runs into the ctest timeout (tests/CMakeLists.txt) instead of
// passing slowly; the assertions check what a user reads: codes, pointers, counts, the summary.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "envelope_rules.hpp"
#include "event_parser.hpp"
#include "msgevents/catalog.hpp"
#include "msgevents/compat.hpp"
#include "msgevents/validator.hpp"
#include "siphash.hpp"
#include "text_util.hpp"

namespace msgevents {
namespace {

constexpr size_t kMiB = 1 << 20;

std::string example_of(const char* event_name) {
  std::string text = builtin_catalog().find_event(event_name)->examples.at(0);
  std::string compact;
  for (char c : text) {
    if (c != '\n') compact.push_back(c);
  }
  return compact;
}

// The example with the text of one member replaced: `"name": <old>` becomes `"name": value`.
std::string with_member(std::string event, const std::string& name, const std::string& value) {
  const size_t key = event.find("\"" + name + "\"");
  EXPECT_NE(key, std::string::npos) << name;
  const size_t start = event.find(':', key) + 1;
  size_t end = start;
  int depth = 0;
  bool in_string = false;
  for (; end < event.size(); ++end) {
    const char c = event[end];
    if (in_string) {
      if (c == '\\') ++end;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') ++depth;
    else if (c == ']' || c == '}') {
      if (depth == 0) break;
      --depth;
    } else if (c == ',' && depth == 0) break;
  }
  return event.substr(0, start) + " " + value + event.substr(end);
}

std::vector<const Finding*> with_code(const Report& report, std::string_view code) {
  std::vector<const Finding*> out;
  for (const auto& f : report.findings) {
    if (f.code == code) out.push_back(&f);
  }
  return out;
}

Options big_events() {
  Options options;
  options.max_event_bytes = 8 * kMiB;
  options.now_unix_ms = 1798761600000;  // 2027-01-01
  return options;
}

TEST(Hardening, LongFreeTextOfDigitsIsScannedInLinearTimeAndStillFindsTheNumber) {
  std::string text;
  while (text.size() < 4 * kMiB) text += "1 2 3 4 5 6 7 8 9 0 12 345 6789 ";
  // A run of digits and spaces is no phone number (more than 15 digits); the one after it is.
  const std::string event = with_member(example_of("CustomerDisabled"), "note", "\"" + text + " - call +44 20 7946 0123.\"");
  const Report report = validate(event, big_events());
  const auto found = with_code(report, "privacy.contact_data_in_text");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->pointer, "/payload/note");
  EXPECT_NE(found[0]->message.find("phone number"), std::string::npos);
  EXPECT_EQ(found[0]->message.find("7946"), std::string::npos) << "the number is never echoed";
}

// The scan as it was before runs of digits were skipped (every start tried in turn, each cut off
// past 15 digits or 24 separators): the oracle the skipping scan must agree with.
bool naive_finds_phone(std::string_view text) {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  for (size_t at = 0; at < text.size(); ++at) {
    const bool boundary = at == 0 || !(alpha(text[at - 1]) || digit(text[at - 1]));
    if (!boundary || !(text[at] == '+' || text[at] == '(' || digit(text[at]))) continue;
    const bool plus = text[at] == '+';
    size_t i = plus ? at + 1 : at, digits = 0, separators = 0, end = i;
    bool last_separator = true, capped = false;
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (digit(c)) {
        if (++digits > 15) { capped = true; break; }
        last_separator = false;
        end = i + 1;
      } else if ((c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') && !(last_separator && c != '(')) {
        if (++separators > 24) { capped = true; break; }
        last_separator = c != ')';
      } else {
        break;
      }
    }
    if (capped || (end < text.size() && (alpha(text[end]) || text[end] == '_'))) continue;
    if (plus ? digits >= 8 && digits <= 15 : separators > 0 && digits >= 10 && digits <= 15) return true;
  }
  return false;
}

TEST(Hardening, PhoneScanThatSkipsLongRunsAgreesWithTryingEveryStart) {
  std::mt19937 rng(20261201);
  const std::string alphabet = "0123456789012345678901234567890123456789 -.()+a_";
  for (int round = 0; round < 200000; ++round) {
    std::string text(1 + rng() % (round % 10 == 0 ? 400 : 60), ' ');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    ASSERT_EQ(detail::find_contact_data(text).has_value(), naive_finds_phone(text)) << '"' << text << '"';
  }
}

TEST(Hardening, FreeTextFullOfAtSignsIsScannedInLinearTime) {
  std::string text;
  while (text.size() < 4 * kMiB) text += "x@y@z@";
  std::string event = with_member(example_of("CustomerDisabled"), "note", "\"" + text + "\"");
  EXPECT_TRUE(with_code(validate(event, big_events()), "privacy.contact_data_in_text").empty());
  event = with_member(example_of("CustomerDisabled"), "note", "\"" + text + " mail ops@example.org\"");
  EXPECT_EQ(with_code(validate(event, big_events()), "privacy.contact_data_in_text").size(), 1u);
}

TEST(Hardening, PhoneScanKeepsItsVerdictsOnOrdinaryText) {
  EXPECT_EQ(detail::find_contact_data("call me on +44 20 7946 0123 tomorrow"), std::optional<std::string_view>("phone number"));
  EXPECT_EQ(detail::find_contact_data("(555) 123-4567"), std::optional<std::string_view>("phone number"));
  EXPECT_EQ(detail::find_contact_data("write to jane.doe@example.com."), std::optional<std::string_view>("e-mail address"));
  EXPECT_EQ(detail::find_contact_data("order 1234567890123456789 shipped"), std::nullopt);  // too many digits
  EXPECT_EQ(detail::find_contact_data("a@b, @example.com, x@y.z"), std::nullopt);
}

TEST(Hardening, AHugeArrayOfBadItemsListsTheFirstHundredWithTheirPointers) {
  std::string items = "[";
  constexpr size_t kItems = 1000000;
  for (size_t i = 0; i < kItems; ++i) items += i ? ",1" : "1";
  items += "]";
  const std::string event = with_member(example_of("CustomerUpdated"), "changed_fields", items);
  const Report report = validate(event, big_events());
  const auto items_found = with_code(report, "payload.items");
  ASSERT_EQ(items_found.size(), 100u);
  EXPECT_EQ(items_found.front()->pointer, "/payload/changed_fields/0");
  EXPECT_EQ(items_found.back()->pointer, "/payload/changed_fields/99");
  const auto truncated = with_code(report, "event.findings_truncated");
  ASSERT_EQ(truncated.size(), 1u);
  EXPECT_NE(truncated[0]->message.find("1000000 findings"), std::string::npos) << truncated[0]->message;
  EXPECT_EQ(report.summary.error, kItems + 1);  // every item counted, plus the truncation itself
  EXPECT_EQ(report.summary.findings_omitted, kItems - 100);
  EXPECT_TRUE(report.summary.incomplete());
  EXPECT_NE(summary_to_json(report.summary).find("\"incomplete\":true"), std::string::npos);
}

// 1 MiB of `{}` lines has 2.8 million findings: the run lists the first 100,000 and then one
// input.findings_limit where it stopped, and counts the rest; the report says it is incomplete.
TEST(Hardening, ARunListsAtMostItsLimitOfFindingsAndCountsTheRest) {
  std::string input;
  while (input.size() < kMiB) input += "{}\n";
  const uint64_t events = input.size() / 3;
  const Report report = validate(input, Options());
  ASSERT_EQ(report.findings.size(), 100001u);
  const Finding& notice = report.findings.back();
  EXPECT_EQ(notice.code, "input.findings_limit");
  EXPECT_EQ(notice.severity, Severity::Error);
  EXPECT_NE(notice.message.find("more than 100000 findings"), std::string::npos) << notice.message;
  // Where the 100,001st finding is: the 12,501st event (8 findings each), its first finding.
  EXPECT_EQ(notice.event_index, 12500);
  EXPECT_EQ(notice.line, 12501u);
  EXPECT_EQ(notice.column, 1u);
  EXPECT_EQ(report.summary.events, events);
  EXPECT_EQ(report.summary.critical, 8 * events);  // every finding counted
  EXPECT_EQ(report.summary.error, 1u);             // the notice
  EXPECT_EQ(report.summary.findings_omitted, 8 * events - 100000);
  EXPECT_TRUE(report.summary.incomplete());

  // The same counts, listing only a few, without the fast path, and pushed in small pieces.
  Options options;
  options.max_findings = 3;
  options.fast_path = false;
  Validator validator(options);
  for (size_t at = 0; at < input.size(); at += 4096) validator.push(std::string_view(input).substr(at, 4096));
  const Report small = validator.finish();
  ASSERT_EQ(small.findings.size(), 4u);
  EXPECT_EQ(small.findings[3].code, "input.findings_limit");
  EXPECT_EQ(small.findings[3].line, 1u);
  EXPECT_EQ(small.findings[3].column, 1u);
  EXPECT_EQ(small.summary.critical, report.summary.critical);
  EXPECT_EQ(small.summary.findings_omitted, 8 * events - 3);
}

TEST(Hardening, TheFindingsListedAreTheFirstInPositionOrderWhateverOrderTheyAreFoundIn) {
  // The unknown fields come first in the text, a bad event_id last: the payload findings are
  // found after the envelope's, but the first hundred by position are the ones listed.
  std::string event = example_of("CustomerCreated");
  std::string extra;
  for (int i = 0; i < 150; ++i) extra += "\"extra_" + std::to_string(i) + "\": 1, ";
  event.insert(1, extra);
  event = with_member(event, "event_id", "\"not-an-id\"");
  const Report report = validate(event, big_events());
  ASSERT_EQ(report.findings.size(), 101u);
  EXPECT_EQ(report.findings[0].pointer, "/extra_0");
  EXPECT_EQ(report.findings[99].pointer, "/extra_99");
  EXPECT_EQ(report.findings[100].code, "event.findings_truncated");
  EXPECT_TRUE(with_code(report, "envelope.event_id.format").empty());
  EXPECT_EQ(report.summary.warning, 150u);
  EXPECT_EQ(report.summary.error, 2u);  // the event_id, counted though not listed, and the truncation
  EXPECT_EQ(report.summary.findings_omitted, 51u);
}

TEST(Hardening, DeepCredentialNamesBuildPointersOnlyForTheFindingsListed) {
  Options options = big_events();
  options.max_depth = 1000000;
  std::string event;
  constexpr int kDepth = 200000;
  for (int i = 0; i < kDepth; ++i) event += "{\"token\":";
  event += "1";
  event.append(kDepth, '}');
  const Report report = validate(event, options);
  // The eight missing envelope fields sit at the root's first byte, before every member.
  const auto secrets = with_code(report, "privacy.secret_field");
  ASSERT_EQ(secrets.size(), 100u - 8);
  EXPECT_EQ(secrets[0]->pointer, "/token");
  EXPECT_EQ(secrets[1]->pointer, "/token/token");
  EXPECT_EQ(report.summary.critical, 8u + kDepth);
}

// Integers are judged by their digit count (no strtod each, which made an object of huge numbers
// slow); the verdicts at every boundary are those of the conversion.
TEST(Hardening, NumberRangeVerdictsAtTheBoundaries) {
  using detail::NumberRange;
  EXPECT_EQ(detail::number_range("900719925474099"), NumberRange::Fits);
  EXPECT_EQ(detail::number_range("9007199254740991"), NumberRange::Fits);            // 2^53 - 1
  EXPECT_EQ(detail::number_range("-9007199254740991"), NumberRange::Fits);
  EXPECT_EQ(detail::number_range("9007199254740992"), NumberRange::BeyondSafeInteger);  // 2^53
  EXPECT_EQ(detail::number_range("-9007199254740992"), NumberRange::BeyondSafeInteger);
  EXPECT_EQ(detail::number_range("1000000000000000"), NumberRange::Fits);            // 16 digits
  EXPECT_EQ(detail::number_range("10000000000000000"), NumberRange::BeyondSafeInteger);
  EXPECT_EQ(detail::number_range("1" + std::string(307, '0')), NumberRange::BeyondSafeInteger);  // 1e307
  EXPECT_EQ(detail::number_range("1" + std::string(308, '0')), NumberRange::BeyondSafeInteger);  // 1e308
  EXPECT_EQ(detail::number_range("2" + std::string(308, '0')), NumberRange::NotFinite);          // 2e308
  EXPECT_EQ(detail::number_range("-2" + std::string(308, '0')), NumberRange::NotFinite);
  EXPECT_EQ(detail::number_range("9007199254740993.5"), NumberRange::Fits);  // not an integer: rounding is expected
  EXPECT_EQ(detail::number_range("1e400"), NumberRange::NotFinite);
  EXPECT_EQ(detail::number_range("1.5e300"), NumberRange::Fits);
}

TEST(Hardening, ManyVersionGapsAndLateDeliveriesCostLogTimeEach) {
  const std::string example = example_of("CustomerUpdated");
  std::string input;
  constexpr uint64_t kPairs = 60000;
  for (uint64_t v = 1; v <= kPairs; ++v) input += with_member(example, "version", std::to_string(2 * v + 1)) + "\n";
  for (uint64_t v = 1; v <= kPairs; ++v) input += with_member(example, "version", std::to_string(2 * v)) + "\n";
  Options options = big_events();
  options.max_findings = 1000000;  // 120,000 findings, every one listed and counted here
  Validator validator(options);
  validator.push(input);
  const Report report = validator.finish();
  size_t gaps = 0, late = 0, conflicts = 0;
  for (const auto& f : report.findings) {
    gaps += f.code == "stream.version_gap";
    late += f.code == "stream.late_delivery";
    conflicts += f.code == "stream.version_conflict";
  }
  EXPECT_EQ(gaps, kPairs - 1);  // 5 after 3, 7 after 5, ...; the first, 3, starts the aggregate
  EXPECT_EQ(late, kPairs);
  EXPECT_EQ(conflicts, 0u);
}

TEST(Hardening, CompatOfACatalogWithTensOfThousandsOfFieldsIsLinear) {
  std::string source = catalog_to_json(builtin_catalog());
  const std::string anchor = "\"fields\": [";
  const size_t at = source.find(anchor);
  ASSERT_NE(at, std::string::npos);
  std::string extra;
  constexpr int kFields = 40000;
  for (int i = 0; i < kFields; ++i) {
    extra += "{\"name\":\"extra_" + std::to_string(i) + "\",\"type\":\"string\",\"required\":false,\"privacy\":\"internal\",\"description\":\"x\"},";
  }
  source.insert(at + anchor.size(), extra);
  std::string error;
  const auto before = parse_catalog(catalog_to_json(builtin_catalog()), &error);
  const auto after = parse_catalog(source, &error);
  ASSERT_TRUE(before && after) << error;
  const CompatReport report = compare_catalogs(*before, *after);
  size_t added = 0;
  for (const auto& ev : report.events) {
    for (const auto& change : ev.changes) added += change.kind == "field.added_optional";
  }
  EXPECT_EQ(added, static_cast<size_t>(kFields));
}

TEST(Hardening, RedeliveryHashesAreKeyedPerRun) {
  detail::EventParser parser;
  detail::ParseError error;
  ASSERT_TRUE(parser.parse(example_of("CustomerCreated"), 64, &error));
  const uint64_t a = parser.content_hash(0, {1, 2});
  EXPECT_EQ(a, parser.content_hash(0, {1, 2}));
  EXPECT_NE(a, parser.content_hash(0, {1, 3}));
  EXPECT_NE(detail::random_sip_key().k0, detail::random_sip_key().k0);
  // Whatever the key, the findings are the same: a redelivery is still one.
  const std::string event = example_of("CustomerCreated");
  for (int run = 0; run < 3; ++run) {
    const Report report = validate(event + "\n" + event + "\n");
    ASSERT_EQ(report.findings.size(), 1u);
    EXPECT_EQ(report.findings[0].code, "stream.duplicate");
  }
}

TEST(Hardening, SipStreamInAnyPiecesIsSipHashOfTheWhole) {
  // Arrays hash as one message fed item by item: it must be exactly SipHash-1-3 of the bytes.
  const detail::SipKey key{0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};
  std::string message;
  for (int i = 0; i < 70; ++i) message.push_back(static_cast<char>(i * 37 + 11));
  for (size_t size = 0; size <= message.size(); ++size) {
    const std::string_view whole = std::string_view(message).substr(0, size);
    for (size_t piece = 1; piece <= 9; ++piece) {
      detail::SipStream13 by_words, by_bytes;
      by_words.reset(key);
      by_bytes.reset(key);
      for (size_t at = 0; at < size; at += piece) {
        const std::string_view part = whole.substr(at, piece);
        uint64_t word = 0;
        if (part.size() <= 8) {
          for (size_t i = 0; i < part.size(); ++i) word |= static_cast<uint64_t>(static_cast<unsigned char>(part[i])) << (8 * i);
          by_words.add_word(word, static_cast<unsigned>(part.size()));
        } else {
          by_words.add(part);
        }
        by_bytes.add(whole.substr(at, piece + 3).substr(0, piece));
      }
      EXPECT_EQ(by_words.finish(), detail::siphash13(key, whole)) << size << " bytes in pieces of " << piece;
      EXPECT_EQ(by_bytes.finish(), detail::siphash13(key, whole)) << size << " bytes in pieces of " << piece;
    }
  }
}

uint64_t content_hash_of(std::string_view json) {
  detail::EventParser parser;
  detail::ParseError error;
  EXPECT_TRUE(parser.parse(json, 64, &error)) << json << ": " << error.message;
  return parser.content_hash(0, {0x1234, 0x5678});
}

TEST(Hardening, ArraysHashByTheirItemsInOrderHoweverTheyAreStored) {
  // Numbers and literals in arrays are packed, not nodes, and a run of them at the start of an
  // array is read ahead of RapidJSON: none of that may change what counts as the same content.
  const std::pair<const char*, const char*> same[] = {
      {R"({"a":[1,2,true,false,null,"x",[3],{"k":4},-0,5.5,6e2]})", R"({ "a" : [ 1 , 2,true ,false, null,"x",[ 3 ],{ "k":4 },-0,5.5,6e2 ] })"},
      {R"({"a":[1,1,1,1,1,1,1,1,1,1,1,1]})", "{\"a\":[1,\n1,\t1,\r\n1 ,1, 1,1,1,1,1,1,1]}"},
      {R"({"b":[[1,2],[3]],"a":[]})", R"({"a":[],"b":[[1,2],[3]]})"},
      {R"({"a":[1,"\u0041",2]})", R"({"a":[1,"A",2]})"},
      {R"({"a":[true,false,null,-1,0,12345678,1.5e3]})", R"({"a":[ true, false ,null , -1,0, 12345678 ,1.5e3 ]})"},
      {R"({"a":[[true,1],[2]]})", R"({"a":[[true, 1],[ 2]]})"},
  };
  for (const auto& [a, b] : same) EXPECT_EQ(content_hash_of(a), content_hash_of(b)) << a << "\n" << b;
  const char* different[] = {
      R"({"a":[1,2]})",        R"({"a":[2,1]})",         R"({"a":[12]})",         R"({"a":["1",2]})",     R"({"a":[1,"2"]})",
      R"({"a":[true]})",       R"({"a":[false]})",       R"({"a":[null]})",       R"({"a":[]})",          R"({"a":[[]]})",
      R"({"a":[[1],2]})",      R"({"a":[[1,2]]})",       R"({"a":[1,[2]]})",      R"({"a":[1.0,2]})",     R"({"a":[1,2,3]})",
      R"({"a":[1],"b":[2]})",  R"({"a":[1,2],"b":[]})",  R"({"a":{"0":1,"1":2}})", R"({"a":[-1,2]})",     R"({"a":["",1,2]})",
  };
  for (const char* a : different) {
    for (const char* b : different) {
      if (a != b) EXPECT_NE(content_hash_of(a), content_hash_of(b)) << a << "\n" << b;
    }
  }
}

TEST(Hardening, PackedArrayItemsKeepTheirKindTextAndPosition) {
  const std::string text = R"({"a":[ 7,-0 ,true, null,false,"s",12345678901234567890,1.5,[8,9],123456789012345678901,{"k":1},-3]})";
  detail::EventParser parser;
  detail::ParseError error;
  ASSERT_TRUE(parser.parse(text, 64, &error)) << error.message;
  const uint32_t array = parser.member(0, "a");
  ASSERT_NE(array, detail::kNoNode);
  EXPECT_EQ(parser.node(array).child_count, 12u);
  std::vector<std::string> seen;
  parser.for_each_item(array, [&](const detail::Node& item, uint32_t node) {
    EXPECT_EQ(item.position, seen.size());
    EXPECT_EQ(item.parent, array);
    if (item.kind == detail::NodeKind::Number) EXPECT_EQ(item.value, text.substr(item.begin, item.end - item.begin));
    seen.push_back(std::string(detail::kind_name(item.kind)) + (node == detail::kNoNode ? " packed " : " node ") +
                   text.substr(item.begin, item.kind == detail::NodeKind::String ? 3 : item.end - item.begin));
  });
  const std::vector<std::string> expected = {
      "a number packed 7", "a number packed -0", "a boolean packed true", "null packed null", "a boolean packed false",
      "a string node \"s\"", "a number packed 12345678901234567890", "a number packed 1.5", "an array node [8,9]",
      "a number packed 123456789012345678901", "an object node {\"k\":1}", "a number packed -3"};
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(parser.item_pointer(array, 4), "/a/4");
  // The nested array's items are its own, in its own order.
  std::vector<std::string> nested;
  parser.for_each_item(array + 2, [&](const detail::Node& item, uint32_t) { nested.push_back(std::string(item.value)); });
  EXPECT_EQ(nested, (std::vector<std::string>{"8", "9"}));
}

TEST(Hardening, ARunOfPlainItemsIsReportedAsRapidJsonWouldReportIt) {
  // The message and column of the syntax error, or "" when the event parses: as before runs of
  // plain items were read ahead of RapidJSON (the bytes it skips are only ever valid JSON).
  const std::pair<const char*, std::string> cases[] = {
      {R"({"a":[1,1,]})", "1:11 invalid value: expected an object, array, string, number, true, false or null"},
      {R"({"a":[1,1,1})", "1:12 expected ',' or ']' after an array element"},
      {R"({"a":[1,1,1)", "1:12 unexpected end of the event: expected ',' or ']' after an array element"},
      {R"({"a":[1,1,,1]})", "1:11 invalid value: expected an object, array, string, number, true, false or null"},
      {R"({"a":[0,0,01]})", "1:12 expected ',' or ']' after an array element"},
      {R"({"a":[1,-,1]})", "1:10 invalid value: expected an object, array, string, number, true, false or null"},
      {R"({"a":[1,1 1]})", "1:11 expected ',' or ']' after an array element"},
      {R"({"a":[true,true,tru]})", "1:20 invalid value: expected an object, array, string, number, true, false or null"},
      {R"({"a":[-0,-1,1,nul]})", "1:18 invalid value: expected an object, array, string, number, true, false or null"},
      {R"({"a":[falsey,1]})", "1:12 expected ',' or ']' after an array element"},
      {R"({"a":[1,1,1e]})", "1:13 invalid number: expected a digit in the exponent"},
      {R"({"a":[1,1,-01]})", "1:13 expected ',' or ']' after an array element"},
      {R"({"a":[1,1,99999999999999999999,9007199254740993,1e400]})", "1:49 number too large to represent"},
      {R"({"a":[1,1,1],})", "1:14 expected a member name in double quotes"},
      {R"({"a":[1,1,1.5,1e5,2E-3,[1,1,[]],1,{"b":1},"x",true]})", ""},
  };
  for (const auto& [event, expected] : cases) {
    const Report report = validate(event);
    std::string found;
    for (const auto& f : report.findings) {
      if (f.code == "json.syntax") found = std::to_string(f.line) + ":" + std::to_string(f.column) + " " + f.message;
    }
    EXPECT_EQ(found, expected) << event;
  }
}

TEST(Hardening, PackedItemsOfAPayloadArrayHaveTheirOwnFindings) {
  const std::string event = with_member(example_of("CustomerUpdated"), "changed_fields",
                                        R"([1,1,true,null,"display_name",2.5,99999999999999999999,[7],3])");
  const Report report = validate(event);
  std::vector<std::string> found;
  const size_t items_at = event.find("[1,1,true") + 1;  // columns are 1-based
  for (const auto& f : report.findings) {
    found.push_back(f.code + " " + f.pointer + " +" + std::to_string(f.column - items_at) + " " + f.message);
  }
  const std::vector<std::string> expected = {
      "payload.items /payload/changed_fields/0 +1 payload.changed_fields[0] must be a string, found a number",
      "payload.items /payload/changed_fields/1 +3 payload.changed_fields[1] must be a string, found a number",
      "payload.items /payload/changed_fields/2 +5 payload.changed_fields[2] must be a string, found a boolean",
      "payload.items /payload/changed_fields/3 +10 payload.changed_fields[3] must be a string, found null",
      "payload.changed_fields /payload/changed_fields/4 +15 payload.changed_fields[4] \"display_name\" is not an attribute of "
      "Customer: expected one of name, legal_name, country_code, default_language",
      "payload.items /payload/changed_fields/5 +30 payload.changed_fields[5] must be a string, found a number",
      "json.number_range /payload/changed_fields/6 +34 integer 99999999999999999999 is beyond 2^53 and is rounded by JavaScript "
      "and other readers",
      "payload.items /payload/changed_fields/6 +34 payload.changed_fields[6] must be a string, found a number",
      "payload.items /payload/changed_fields/7 +55 payload.changed_fields[7] must be a string, found an array",
      "payload.items /payload/changed_fields/8 +59 payload.changed_fields[8] must be a string, found a number",
  };
  EXPECT_EQ(found, expected);
}

TEST(Hardening, SipHashMatchesTheReferenceVectors) {
  // SipHash-2-4 (github.com/veorq/SipHash vectors.h, key 00..0f, message 00..len-1) checks the
  // rounds; SipHash-1-3 (what the stream checks use) against the published empty-input value.
  const detail::SipKey key{0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};
  std::string message;
  for (int i = 0; i < 64; ++i) message.push_back(static_cast<char>(i));
  EXPECT_EQ((detail::siphash<2, 4>(key, std::string_view(message).substr(0, 0))), 0x726fdb47dd0e0e31ULL);
  EXPECT_EQ((detail::siphash<2, 4>(key, std::string_view(message).substr(0, 1))), 0x74f839c593dc67fdULL);
  EXPECT_EQ((detail::siphash<2, 4>(key, std::string_view(message).substr(0, 63))), 0x958a324ceb064572ULL);
  EXPECT_EQ(detail::siphash13({0, 0}, ""), 0xd1fba762150c532cULL);
  EXPECT_EQ(detail::siphash13({0, 0}, "siphash"), 0x8264ceeccb16bcbeULL);
}

TEST(Hardening, UnicodeEncodingsOtherThanUtf8AreReportedOnce) {
  const std::string event = example_of("CustomerCreated");
  auto widen = [&](bool big_endian, int width) {
    std::string out;
    for (char c : event) {
      std::string unit(static_cast<size_t>(width), '\0');
      unit[big_endian ? static_cast<size_t>(width - 1) : 0] = c;
      out += unit;
    }
    return out;
  };
  const struct {
    std::string input;
    std::string_view name;
  } cases[] = {
      {widen(false, 2), "UTF-16LE"},
      {widen(true, 2), "UTF-16BE"},
      {"\xFE\xFF" + widen(true, 2), "UTF-16BE"},
      {widen(false, 4), "UTF-32LE"},
      {std::string("\x00\x00\xFE\xFF", 4) + widen(true, 4), "UTF-32BE"},
  };
  for (const auto& c : cases) {
    // Whole and byte by byte: the encoding is told from the first four bytes, however they come.
    Validator validator;
    for (char byte : c.input) validator.push(std::string_view(&byte, 1));
    for (const Report& report : {validate(c.input), validator.finish()}) {
      ASSERT_EQ(report.findings.size(), 1u) << c.name;
      EXPECT_EQ(report.findings[0].code, "input.encoding");
      EXPECT_NE(report.findings[0].message.find(c.name), std::string::npos) << report.findings[0].message;
      EXPECT_EQ(report.summary.events, 0u);
      EXPECT_TRUE(report.summary.input_rejected);
    }
  }
}

TEST(Hardening, InputThatIsNotJsonEventsIsReportedOnceWithoutEchoingIt) {
  std::string random_bytes;
  uint64_t state = 7;
  for (int i = 0; i < 100000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    random_bytes.push_back(static_cast<char>(state >> 56));
  }
  random_bytes[0] = '\x89';  // as a PNG starts
  for (const std::string& input : {std::string("id,email\n1,jane@example.com\n"), std::string("<html><body>"), random_bytes}) {
    const Report report = validate(input);
    ASSERT_EQ(report.findings.size(), 1u);
    EXPECT_EQ(report.findings[0].code, "input.not_json");
    EXPECT_EQ(report.findings[0].line, 1u);
    EXPECT_EQ(report.findings[0].column, 1u);
    EXPECT_EQ(report.findings[0].message.find("jane"), std::string::npos);
    EXPECT_NE(summary_to_text("f", report.summary).find("INCOMPLETE: the input is not UTF-8 JSON events"), std::string::npos);
  }
  // JSON that is not an event still reads as JSON (each value gets event.not_object).
  EXPECT_EQ(validate("1\n2\n").findings.size(), 2u);
}

TEST(Hardening, AByteOrderMarkBetweenEventsIsSkippedInEveryForm) {
  const std::string event = example_of("CustomerCreated");
  const std::string bom = "\xEF\xBB\xBF";
  std::string pretty = builtin_catalog().find_event("CustomerCreated")->examples.at(0);
  for (const std::string& input : {bom + event + "\n" + bom + with_member(event, "version", "1"),  // NDJSON
                                   bom + pretty + "\n" + bom + pretty + "\n"}) {            // pretty values
    const Report report = validate(input);
    for (const auto& f : report.findings) EXPECT_EQ(f.code, "stream.duplicate") << f.code << " " << f.message;
    EXPECT_EQ(report.summary.events, 2u);
  }
  // A broken mark is no mark: its bytes are reported as what they are.
  const Report broken = validate(event + "\n\xEF\xBB" + event + "\n");
  EXPECT_FALSE(with_code(broken, "json.invalid_utf8").empty() && with_code(broken, "json.syntax").empty());
}

TEST(Hardening, TextOutputEscapesWhatATerminalWouldObey) {
  EXPECT_EQ(terminal_safe("plain text, \"quotes\" and é"), "plain text, \"quotes\" and é");
  EXPECT_EQ(terminal_safe("a\nb\rc\td\x1b[2Je\x7f"), "a\\nb\\rc\\td\\x1b[2Je\\x7f");
  EXPECT_EQ(terminal_safe("\xC2\x9B" "31m \xE2\x80\xAE" "evil \xE2\x80\xA8"), "\\u009b31m \\u202eevil \\u2028");
  EXPECT_EQ(terminal_safe("bad \xFF byte"), "bad \\xff byte");
  Finding f;
  f.code = "envelope.event_name.unknown";
  f.severity = Severity::Error;
  f.message = "unknown event_name \"X\nevents.ndjson: 0 events, 0 critical\"";
  f.line = 1;
  f.column = 2;
  const std::string line = finding_to_text("in\x1b[31m.ndjson", f);
  EXPECT_EQ(line, "in\\x1b[31m.ndjson:1:2: error envelope.event_name.unknown unknown event_name \"X\\nevents.ndjson: 0 events, 0 critical\"\n");
  EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1);
}

}  // namespace
}  // namespace msgevents
