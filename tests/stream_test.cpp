// Stream checks across events: what the fixtures cannot show (aggregate summaries, messages that
// name lines, version holes filled out of order) and the property that chunking never matters.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include <algorithm>

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "msgevents/catalog.hpp"
#include "msgevents/validator.hpp"
#include "test_support.hpp"

namespace msgevents {
namespace {

using testing::read_bytes;
using testing::source_path;

// One event of the given type as compact JSON, made from the catalog's first example.
std::string make_event(const std::string& name, const std::string& aggregate_id, uint64_t version, const std::string& time,
                       const std::string& idempotency_key = "", const std::string& event_id = "") {
  static int counter = 0;
  const EventSpec* spec = builtin_catalog().find_event(name);
  EXPECT_NE(spec, nullptr) << name;
  rapidjson::Document doc;
  doc.Parse(spec->examples.at(0).data(), spec->examples.at(0).size());
  auto& a = doc.GetAllocator();
  char id[40];
  ++counter;
  std::snprintf(id, sizeof id, "019b%04x-0000-7000-8000-%012x", counter, counter);
  const std::string eid = event_id.empty() ? std::string(id) : event_id;
  const std::string key = idempotency_key.empty() ? aggregate_id + ":" + std::to_string(version) : idempotency_key;
  doc["event_id"].SetString(eid.c_str(), a);
  doc["aggregate_id"].SetString(aggregate_id.c_str(), a);
  doc["version"].SetUint64(version);
  doc["occurred_at"].SetString(time.c_str(), a);
  doc["idempotency_key"].SetString(key.c_str(), a);
  const AggregateSpec* aggregate = builtin_catalog().find_aggregate(spec->aggregate);
  doc["payload"][aggregate->id_field.c_str()].SetString(aggregate_id.c_str(), a);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  return buffer.GetString();
}

std::vector<std::string> codes_at(const Report& report, uint64_t line) {
  std::vector<std::string> codes;
  for (const Finding& f : report.findings) {
    if (f.line == line) codes.push_back(f.code);
  }
  return codes;
}

const Finding* find_code(const Report& report, const std::string& code) {
  for (const Finding& f : report.findings) {
    if (f.code == code) return &f;
  }
  return nullptr;
}

TEST(StreamChecks, SummarisesEachAggregateInFirstSeenOrder) {
  const Report report = validate(read_bytes(source_path("tests/fixtures/stream_lifecycle.ndjson")));
  ASSERT_EQ(report.aggregates.size(), 4u);
  const AggregateSummary& contact = report.aggregates[0];
  EXPECT_EQ(contact.aggregate_type, "Contact");
  EXPECT_EQ(contact.aggregate_id, "con_01JD0LIF0000000000000000JJ");
  EXPECT_EQ(contact.events, 4u);
  EXPECT_EQ(contact.first_version, 1u);
  EXPECT_EQ(contact.last_version, 4u);
  EXPECT_EQ(contact.final_state, "deleted");  // rejected events leave the state alone
  EXPECT_EQ(contact.problems, 2u);            // two lifecycle errors; consistency.create_version is not a stream finding
  EXPECT_EQ(report.aggregates[1].aggregate_type, "Customer");
  EXPECT_EQ(report.aggregates[1].final_state, "active");
  EXPECT_EQ(report.aggregates[1].problems, 1u);
  EXPECT_EQ(report.aggregates[2].aggregate_type, "Conversation");
  EXPECT_EQ(report.aggregates[2].final_state, "archived");
  EXPECT_EQ(report.aggregates[3].aggregate_type, "Channel");
  EXPECT_EQ(report.aggregates[3].events, 4u);
  EXPECT_EQ(report.aggregates[3].final_state, "mapped");
  EXPECT_EQ(report.aggregates[3].problems, 1u);
}

TEST(StreamChecks, RedeliveriesCountOnceAndInfoIsNoProblem) {
  const Report report = validate(read_bytes(source_path("tests/fixtures/stream_duplicate.ndjson")));
  ASSERT_EQ(report.aggregates.size(), 2u);
  EXPECT_EQ(report.aggregates[0].events, 3u);
  EXPECT_EQ(report.aggregates[0].last_version, 3u);
  EXPECT_EQ(report.aggregates[0].final_state, "deleted");
  EXPECT_EQ(report.aggregates[0].problems, 0u);
  EXPECT_EQ(report.aggregates[1].events, 1u);
  const Finding* dup = find_code(report, "stream.duplicate");
  ASSERT_NE(dup, nullptr);
  EXPECT_NE(dup->message.find("line 1 (event index 0)"), std::string::npos) << dup->message;
}

TEST(StreamChecks, MidLifeAggregatesStartFromAnAssumedState) {
  const Report report = validate(read_bytes(source_path("tests/fixtures/stream_mid_life.ndjson")));
  ASSERT_EQ(report.aggregates.size(), 5u);
  // The one aggregate with a problem is listed first, then the others in first-seen order.
  EXPECT_GT(report.aggregates[0].problems, 0u);
  EXPECT_EQ(report.aggregates[1].first_version, 4u);
  EXPECT_EQ(report.aggregates[1].final_state, "deleted");
  EXPECT_EQ(report.aggregates[2].final_state, "unmapped");
  EXPECT_EQ(report.aggregates[3].final_state, "mapped");  // ChannelMapped at version 3: a re-mapping
  EXPECT_EQ(report.aggregates[4].final_state, "active");  // a lone event: assumed, and not noted
  const Finding* mid = find_code(report, "lifecycle.mid_life");
  ASSERT_NE(mid, nullptr);
  EXPECT_EQ(mid->severity, Severity::Info);
  EXPECT_EQ(mid->line, 2u);  // said where the assumption is first relied on
  EXPECT_NE(mid->message.find("ContactUpdated at version 4 (line 1)"), std::string::npos) << mid->message;
  EXPECT_NE(mid->message.find("assumed to be active"), std::string::npos) << mid->message;
  EXPECT_EQ(codes_at(report, 9), std::vector<std::string>{});
}

TEST(StreamChecks, MessagesNameBothLinesTheStateAndTheAllowedEvents) {
  const Report conflicts = validate(read_bytes(source_path("tests/fixtures/stream_id_conflict.ndjson")));
  const Finding* conflict = find_code(conflicts, "stream.id_conflict");
  ASSERT_NE(conflict, nullptr);
  EXPECT_EQ(conflict->severity, Severity::Critical);
  EXPECT_NE(conflict->message.find("(line 2)"), std::string::npos) << conflict->message;
  EXPECT_NE(conflict->message.find("line 1 (event index 0)"), std::string::npos) << conflict->message;

  const Report lifecycle = validate(read_bytes(source_path("tests/fixtures/stream_lifecycle.ndjson")));
  const Finding* transition = find_code(lifecycle, "lifecycle.transition");
  ASSERT_NE(transition, nullptr);
  EXPECT_NE(transition->message.find("in state deleted"), std::string::npos) << transition->message;
  std::vector<std::string> enabled;
  for (const Finding& f : lifecycle.findings) {
    if (f.line == 5) enabled.push_back(f.message);
  }
  ASSERT_EQ(enabled.size(), 1u);
  EXPECT_NE(enabled[0].find("in state active; allowed from active: CustomerUpdated, CustomerDisabled"), std::string::npos)
      << enabled[0];
}

TEST(StreamChecks, LateDeliveriesFillHolesAndARepeatedVersionIsAConflict) {
  const std::string id = "cus_01JD0HOLE000000000000000AA";
  std::string input;
  input += make_event("CustomerCreated", id, 1, "2025-11-10T10:00:00Z") + "\n";     // line 1
  input += make_event("CustomerUpdated", id, 5, "2025-11-10T10:05:00Z") + "\n";     // 2: gap 2-4
  input += make_event("CustomerUpdated", id, 3, "2025-11-10T10:03:00Z") + "\n";     // 3: late
  input += make_event("CustomerUpdated", id, 2, "2025-11-10T10:02:00Z") + "\n";     // 4: late
  input += make_event("CustomerUpdated", id, 4, "2025-11-10T10:04:00Z") + "\n";     // 5: late
  input += make_event("CustomerUpdated", id, 3, "2025-11-10T10:03:30Z", id + ":3b") + "\n";  // 6: conflict
  input += make_event("CustomerUpdated", id, 6, "2025-11-10T10:06:00Z") + "\n";     // 7: in order
  input += make_event("CustomerUpdated", id, 6, "2025-11-10T10:06:30Z", id + ":6b") + "\n";  // 8: conflict at the top
  const Report report = validate(input);
  EXPECT_EQ(codes_at(report, 1), std::vector<std::string>{});
  EXPECT_EQ(codes_at(report, 2), std::vector<std::string>{"stream.version_gap"});
  EXPECT_EQ(codes_at(report, 3), std::vector<std::string>{"stream.late_delivery"});
  EXPECT_EQ(codes_at(report, 4), std::vector<std::string>{"stream.late_delivery"});
  EXPECT_EQ(codes_at(report, 5), std::vector<std::string>{"stream.late_delivery"});
  EXPECT_EQ(codes_at(report, 6), std::vector<std::string>{"stream.version_conflict"});
  EXPECT_EQ(codes_at(report, 7), std::vector<std::string>{});
  EXPECT_EQ(codes_at(report, 8), std::vector<std::string>{"stream.version_conflict"});
  const Finding* gap = find_code(report, "stream.version_gap");
  ASSERT_NE(gap, nullptr);
  EXPECT_NE(gap->message.find("versions 2 to 4 are missing"), std::string::npos) << gap->message;
  EXPECT_EQ(gap->pointer, "/version");
  ASSERT_EQ(report.aggregates.size(), 1u);
  EXPECT_EQ(report.aggregates[0].events, 8u);
  EXPECT_EQ(report.aggregates[0].first_version, 1u);
  EXPECT_EQ(report.aggregates[0].last_version, 6u);
  EXPECT_EQ(report.aggregates[0].problems, 6u);
}

TEST(StreamChecks, OneIdInTwoAggregateTypesIsTwoAggregates) {
  // The key is aggregate_type + aggregate_id: a Customer and a Contact may share an id string.
  const std::string id = "shared_01JD0SAME00000000000000";
  const std::string input = make_event("CustomerCreated", id, 1, "2025-11-10T10:00:00Z") + "\n" +
                            make_event("ContactCreated", id, 1, "2025-11-10T10:00:01Z") + "\n";
  const Report report = validate(input);
  EXPECT_EQ(find_code(report, "stream.version_conflict"), nullptr);
  EXPECT_EQ(report.aggregates.size(), 2u);
}

TEST(StreamChecks, CanBeTurnedOff) {
  Options options;
  options.stream_checks = false;
  const Report report = validate(read_bytes(source_path("tests/fixtures/stream_lifecycle.ndjson")), options);
  EXPECT_EQ(find_code(report, "lifecycle.transition"), nullptr);
  EXPECT_TRUE(report.aggregates.empty());
  EXPECT_NE(find_code(report, "consistency.create_version"), nullptr);  // the per-event rules still run
}

// ---- same findings whatever the chunking --------------------------------------------------

std::string describe(const Finding& f) {
  return f.code + " " + std::string(to_string(f.severity)) + " " + f.pointer + " " + std::to_string(f.line) + ":" +
         std::to_string(f.column) + " #" + std::to_string(f.event_index) + " " + f.message;
}

std::string describe(const Report& report) {
  std::string out = std::to_string(report.summary.events) + " events, " + std::to_string(report.summary.critical) + "/" +
                    std::to_string(report.summary.error) + "/" + std::to_string(report.summary.warning) + "/" +
                    std::to_string(report.summary.info) + "\n";
  for (const Finding& f : report.findings) out += describe(f) + "\n";
  for (const AggregateSummary& a : report.aggregates) {
    out += a.aggregate_type + " " + a.aggregate_id + " " + std::to_string(a.events) + " v" + std::to_string(a.first_version) +
           "-" + std::to_string(a.last_version) + " " + a.final_state + " " + std::to_string(a.problems) + "\n";
  }
  return out;
}

// A stream with every stream case in it, and text far from ASCII (2-, 3- and 4-byte characters).
std::string mixed_stream() {
  std::string input;
  for (const char* name : {"stream_duplicate", "stream_id_conflict", "stream_version_conflict", "stream_late_delivery",
                           "stream_version_gap", "stream_time_backwards", "stream_lifecycle", "stream_mid_life",
                           "stream_unknown_event"}) {
    input += read_bytes(source_path(std::string("tests/fixtures/") + name + ".ndjson"));
  }
  const std::string id = "con_01JD0UTF8000000000000000ZZ";
  std::string created = make_event("ContactCreated", id, 1, "2025-11-10T10:00:00Z");
  const std::string needle = "\"Alex Example\"";
  created.replace(created.find(needle), needle.size(), "\"Zoë Ünal-Øster 山田 🙂\"");
  input += created + "\n";
  input += created + "\n";  // a redelivery of the event with multi-byte characters
  std::string bad_name = make_event("ContactUpdated", id, 3, "2025-11-10T09:00:00Z");
  bad_name.replace(bad_name.find("\"ContactUpdated\""), 16, "\"ContäctUpdated\"");
  input += bad_name + "\n";
  return input;
}

Report push_in_chunks(const std::string& input, const Options& options, std::mt19937& rng, size_t max_chunk,
                      bool drain_sometimes) {
  Validator validator(options);
  std::vector<Finding> drained;
  std::uniform_int_distribution<size_t> size(1, max_chunk);
  for (size_t at = 0; at < input.size();) {
    const size_t n = std::min(size(rng), input.size() - at);
    validator.push(std::string_view(input).substr(at, n));
    at += n;
    if (drain_sometimes && rng() % 7 == 0) {
      for (Finding& f : validator.drain()) drained.push_back(std::move(f));
    }
  }
  Report report = validator.finish();
  drained.insert(drained.end(), report.findings.begin(), report.findings.end());
  report.findings = std::move(drained);
  return report;
}

void expect_chunking_irrelevant(const std::string& input, const Options& options, int seeds) {
  const std::string whole = describe(validate(input, options));
  for (int seed = 0; seed < seeds; ++seed) {
    std::mt19937 rng(static_cast<uint32_t>(seed));
    const size_t max_chunk = seed % 4 == 0 ? 1 : seed % 4 == 1 ? 7 : seed % 4 == 2 ? 100 : 5000;
    const std::string chunked = describe(push_in_chunks(input, options, rng, max_chunk, seed % 2 == 1));
    ASSERT_EQ(chunked, whole) << "seed " << seed << ", chunks of 1 to " << max_chunk << " bytes";
  }
}

TEST(StreamChunking, NdjsonGivesTheSameFindingsWhateverTheChunks) {
  const std::string input = mixed_stream();
  ASSERT_NE(input.find("🙂"), std::string::npos);
  const Report whole = validate(input);
  // The stream must exercise every stream rule, or the property proves little.
  for (const char* code : {"stream.duplicate", "stream.id_conflict", "stream.version_conflict", "stream.late_delivery",
                           "stream.version_gap", "stream.time_backwards", "lifecycle.transition", "lifecycle.mid_life"}) {
    EXPECT_NE(find_code(whole, code), nullptr) << code;
  }
  expect_chunking_irrelevant(input, Options{}, 60);
}

TEST(StreamChunking, ArrayAndPrettyFormsGiveTheSameFindingsWhateverTheChunks) {
  // The same events as one pretty-printed JSON array (events span many lines) and as a sequence
  // of pretty-printed values, under the public profile (pii findings carry columns after é and 山).
  std::string events = mixed_stream();
  std::string array = "[\n";
  std::string sequence;
  size_t start = 0;
  bool first = true;
  while (start < events.size()) {
    size_t end = events.find('\n', start);
    if (end == std::string::npos) end = events.size();
    std::string line = events.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    std::string pretty;
    for (size_t i = 0; i < line.size(); ++i) {  // a line break after each member (outside strings is enough here)
      pretty += line[i];
      if (line[i] == ',' && i + 1 < line.size() && line[i + 1] == '"') pretty += "\n    ";
    }
    array += (first ? "  " : ",\n  ") + pretty;
    sequence += pretty + "\n\n";
    first = false;
  }
  array += "\n]\n";
  Options options;
  options.profile = Profile::Public;
  const Report whole = validate(array, options);
  EXPECT_NE(find_code(whole, "privacy.pii_in_public"), nullptr);
  EXPECT_NE(find_code(whole, "stream.id_conflict"), nullptr);
  expect_chunking_irrelevant(array, options, 40);
  expect_chunking_irrelevant(sequence, options, 40);
}

TEST(StreamChecks, TheReportListsAtMostTheLimitOfAggregatesProblemsFirst) {
  Options options;
  options.max_aggregate_summaries = 2;
  const Report report = validate(read_bytes(source_path("tests/fixtures/stream_mid_life.ndjson")), options);
  ASSERT_EQ(report.aggregates.size(), 2u);
  EXPECT_EQ(report.aggregates_omitted, 3u);
  EXPECT_GT(report.aggregates[0].problems, 0u);
  EXPECT_NE(report_to_json(report).find("\"aggregates_omitted\":3"), std::string::npos);
}

// ---- what the stream remembers, far back and beyond the narrow fields ------------------------

// Compact JSON spread over lines (a pretty printer's), as a stream of a JSON array has it.
std::string pretty(const std::string& compact) {
  rapidjson::Document doc;
  doc.Parse(compact.data(), compact.size());
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  return buffer.GetString();
}

const Finding* find_message(const Report& report, const std::string& code, const std::string& part) {
  for (const Finding& f : report.findings) {
    if (f.code == code && f.message.find(part) != std::string::npos) return &f;
  }
  return nullptr;
}

TEST(StreamChecks, MessagesNameLinesAndIndicesOfEventsFarBack) {
  // A JSON array of 3,000 events of about 25 lines each, with runs of blank lines and of
  // redeliveries (events the stream does not remember) between them: the lines and indices a
  // message names are those of events thousands of lines and indices back.
  struct Placed {
    uint64_t line;
    int64_t index;
  };
  std::string input = "[\n";
  uint64_t line = 2;
  int64_t index = 0;
  std::vector<std::string> events;
  std::vector<Placed> placed;
  auto add = [&](const std::string& event) {
    if (index > 0) {
      input += ",\n";
      ++line;
    }
    if (index % 7 == 3) {
      input += std::string(20 + index % 50, '\n');  // more blank lines than one byte can say
      line += 20 + static_cast<uint64_t>(index % 50);
    }
    const std::string text = pretty(event);
    placed.push_back({line, index});
    input += text;
    line += static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n'));
    ++index;
  };
  for (int i = 0; i < 3000; ++i) {
    const std::string id = "cus_far" + std::to_string(i);
    events.push_back(make_event("CustomerCreated", id, 1, "2025-11-10T10:00:00Z"));
    add(events.back());
    if (i % 500 == 499) {
      for (int r = 0; r < 40; ++r) add(events[static_cast<size_t>(i)]);  // 40 indices nobody remembers
    }
  }
  const size_t redelivered = 1234, reused = 2222;
  const Placed first = placed[redelivered + 2 * 40];  // two runs of 40 redeliveries before it
  const Placed owner = placed[reused + 4 * 40];
  add(events[redelivered]);
  // Another event with the idempotency_key of an earlier one.
  add(make_event("CustomerCreated", "cus_other", 1, "2025-11-10T10:00:00Z", "cus_far" + std::to_string(reused) + ":1"));
  input += "\n]\n";

  for (const uint32_t jobs : {1u, 2u}) {
    Options options;
    options.jobs = jobs;
    const Report report = validate(input, options);
    const std::string at = "line " + std::to_string(first.line) + " (event index " + std::to_string(first.index) + ")";
    const Finding* duplicate = find_message(report, "stream.duplicate", at);
    ASSERT_NE(duplicate, nullptr) << "jobs " << jobs << ": no redelivery naming " << at;
    EXPECT_EQ(duplicate->event_index, index - 2);
    const std::string owner_at = "line " + std::to_string(owner.line) + " (event index " + std::to_string(owner.index) + ")";
    EXPECT_NE(find_message(report, "stream.id_conflict", "is already used by the event at " + owner_at), nullptr)
        << "jobs " << jobs << ": no conflict naming " << owner_at;
  }
}

TEST(StreamChecks, VersionsTimesAndCountsBeyondNarrowFieldsStayExact) {
  // Versions past 2^32, spans past 2^16, times weeks apart and more than 65,535 events of one
  // aggregate: values the stream keeps in narrowed fields until they no longer fit.
  const std::string id = "con_01JD0WIDE000000000000000ZZ";
  std::string input = make_event("ContactCreated", id, 1, "2025-11-10T10:00:00Z") + "\n";
  input += make_event("ContactUpdated", id, 5000000000ULL, "2025-12-30T10:00:00Z") + "\n";  // line 2
  input += make_event("ContactUpdated", id, 3, "2025-12-30T10:00:01Z") + "\n";           // late
  input += make_event("ContactUpdated", id, 5000000001ULL, "2025-10-01T10:00:00Z") + "\n";  // 90 d back
  const Report report = validate(input);
  EXPECT_NE(find_message(report, "stream.version_gap", "versions 2 to 4999999999 are missing"), nullptr);
  EXPECT_NE(find_message(report, "stream.late_delivery", "Version 3 of Contact " + id + " arrives after version 5000000000 (line 2)"),
            nullptr);
  EXPECT_NE(find_message(report, "stream.time_backwards", "occurred 90 d before version 5000000000 (line 2)"), nullptr);
  ASSERT_EQ(report.aggregates.size(), 1u);
  EXPECT_EQ(report.aggregates[0].first_version, 1u);
  EXPECT_EQ(report.aggregates[0].last_version, 5000000001ULL);
  EXPECT_EQ(report.aggregates[0].events, 4u);
  EXPECT_EQ(report.aggregates[0].problems, 3u);

  // One aggregate of 70,000 versions: its count, its span and the line of its last version.
  const std::string many = "cus_01JD0MANY00000000000000ZZ";
  std::string stream = make_event("CustomerCreated", many, 1, "2025-11-10T10:00:00Z") + "\n";
  for (uint64_t v = 2; v <= 70000; ++v) stream += make_event("CustomerUpdated", many, v, "2025-11-10T10:00:01Z") + "\n";
  stream += make_event("CustomerUpdated", many, 69999, "2025-11-10T10:00:02Z") + "\n";
  const Report long_lived = validate(stream);
  ASSERT_EQ(long_lived.aggregates.size(), 1u);
  EXPECT_EQ(long_lived.aggregates[0].events, 70001u);
  EXPECT_EQ(long_lived.aggregates[0].first_version, 1u);
  EXPECT_EQ(long_lived.aggregates[0].last_version, 70000u);
  EXPECT_NE(find_message(long_lived, "stream.version_conflict", "Version 69999 of Customer " + many + " is already recorded by an earlier event"),
            nullptr);
}

TEST(StreamChecks, SummariesBeyondTheLimitListProblemsFirstInFirstSeenOrder) {
  // 400 aggregates, a limit of 50, and problems that come late, to aggregates seen late and
  // early in no order: the list is the first 50 with problems in first-seen order (with their
  // ids), then, if room is left, the first without.
  for (const size_t with_problems : {30u, 120u}) {
    Options options;
    options.max_aggregate_summaries = 50;
    std::string input;
    std::vector<std::string> ids;
    for (int i = 0; i < 400; ++i) {
      ids.push_back("cus_sum" + std::to_string(i));
      input += make_event("CustomerCreated", ids.back(), 1, "2025-11-10T10:00:00Z") + "\n";
    }
    std::vector<size_t> order(ids.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::mt19937 rng(7);
    std::shuffle(order.begin(), order.end(), rng);
    order.resize(with_problems);
    for (const size_t i : order) {
      input += make_event("CustomerCreated", ids[i], 2, "2025-11-10T10:00:01Z") + "\n";  // creates it again
    }
    std::vector<size_t> expected = order;
    std::sort(expected.begin(), expected.end());
    if (expected.size() > 50) expected.resize(50);
    for (size_t i = 0; expected.size() < 50; ++i) {
      if (std::find(order.begin(), order.end(), i) == order.end()) expected.push_back(i);
    }
    const Report report = validate(input, options);
    ASSERT_EQ(report.aggregates.size(), 50u);
    EXPECT_EQ(report.aggregates_omitted, 350u);
    for (size_t k = 0; k < expected.size(); ++k) {
      const AggregateSummary& a = report.aggregates[k];
      EXPECT_EQ(a.aggregate_id, ids[expected[k]]) << "place " << k << " with " << with_problems << " aggregates with problems";
      EXPECT_EQ(a.problems > 0, k < std::min<size_t>(with_problems, 50)) << a.aggregate_id;
      EXPECT_EQ(a.events, a.problems > 0 ? 2u : 1u) << a.aggregate_id;
    }
  }
}

// The event without one member (a top-level one), as compact JSON.
std::string without(const std::string& compact, const char* member) {
  rapidjson::Document doc;
  doc.Parse(compact.data(), compact.size());
  doc.RemoveMember(member);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  return buffer.GetString();
}

struct Placed {
  uint64_t line;
  std::string code;
  std::string pointer;
  bool operator==(const Placed& o) const { return line == o.line && code == o.code && pointer == o.pointer; }
};

std::ostream& operator<<(std::ostream& os, const Placed& p) { return os << p.line << " " << p.code << " " << p.pointer; }

TEST(StreamChecks, AggregatesOutgrowingTheirOneEventFormKeepEveryFinding) {
  // The stream holds an aggregate of one event (created at version 1 or without a version, no
  // problem, a time near the stream's first) in a short form, and anything else in a record or a
  // full one: aggregates that leave the short form each way, thousands of events before the
  // events that show what was kept of them (their versions, times, states, lines and problems).
  const std::string t0 = "2025-11-10T10:00:00Z";
  std::vector<std::string> lines;
  auto add = [&](const std::string& event) {
    lines.push_back(event);
    return static_cast<uint64_t>(lines.size());
  };
  const uint64_t a = add(make_event("CustomerCreated", "cus_young", 1, "2025-11-10T10:00:05Z"));
  add(without(make_event("CustomerCreated", "cus_noversion", 1, t0), "version"));
  const uint64_t c = add(make_event("CustomerUpdated", "cus_midlife7", 7, t0));   // mid-life, version 7
  const uint64_t d = add(make_event("CustomerCreated", "cus_far", 1, "2026-01-09T10:00:00Z"));  // 60 d on
  // A problem at its first event: it takes the idempotency_key of cus_young's.
  const uint64_t e = add(make_event("CustomerCreated", "cus_problem", 1, t0, "cus_young:1"));
  const uint64_t f = add(make_event("CustomerUpdated", "cus_midlife1", 1, t0));   // mid-life, version 1
  const uint64_t g = add(make_event("CustomerCreated", "cus_many", 1, t0));
  for (int i = 0; i < 300; ++i) add(make_event("CustomerCreated", "cus_many", 1, t0, "cus_many:again" + std::to_string(i)));
  for (int i = 0; i < 3000; ++i) add(make_event("ContactCreated", "con_filler" + std::to_string(i), 1, t0));
  std::vector<Placed> expected = {{e, "stream.id_conflict", "/idempotency_key"}};
  for (int i = 0; i < 300; ++i) expected.push_back({g + 1 + static_cast<uint64_t>(i), "stream.version_conflict", "/version"});
  uint64_t at = add(make_event("CustomerUpdated", "cus_young", 3, t0));  // 5 s back, version 2 skipped
  expected.push_back({at, "stream.version_gap", "/version"});
  expected.push_back({at, "stream.time_backwards", "/occurred_at"});
  at = add(make_event("CustomerCreated", "cus_noversion", 1, t0, "again:cus_noversion"));
  expected.push_back({at, "lifecycle.transition", "/event_name"});
  at = add(make_event("CustomerUpdated", "cus_midlife7", 7, t0, "again:cus_midlife7"));
  expected.push_back({at, "stream.version_conflict", "/version"});
  at = add(make_event("CustomerUpdated", "cus_midlife7", 8, t0));
  expected.push_back({at, "lifecycle.mid_life", "/event_name"});
  at = add(make_event("CustomerUpdated", "cus_far", 2, "2026-01-08T10:00:00Z"));
  expected.push_back({at, "stream.time_backwards", "/occurred_at"});
  at = add(make_event("CustomerCreated", "cus_problem", 1, t0, "again:cus_problem"));
  expected.push_back({at, "stream.version_conflict", "/version"});
  at = add(make_event("CustomerUpdated", "cus_midlife1", 2, t0));
  expected.push_back({at, "lifecycle.mid_life", "/event_name"});
  at = add(make_event("CustomerUpdated", "cus_many", 1, t0, "again:cus_many"));
  expected.push_back({at, "stream.version_conflict", "/version"});
  // In line order; within a line, by code (the columns are the example's member order).
  auto by_place = [](const Placed& x, const Placed& y) { return x.line != y.line ? x.line < y.line : x.code < y.code; };
  std::sort(expected.begin(), expected.end(), by_place);

  std::string input;
  for (const std::string& line : lines) input += line + "\n";
  for (const uint32_t jobs : {1u, 2u}) {
    Options options;
    options.jobs = jobs;
    options.max_aggregate_summaries = 10000;
    const Report report = validate(input, options);
    std::vector<Placed> stream;
    for (const Finding& finding : report.findings) {
      if (finding.code.rfind("stream.", 0) == 0 || finding.code.rfind("lifecycle.", 0) == 0) {
        stream.push_back({finding.line, finding.code, finding.pointer});
      }
    }
    std::sort(stream.begin(), stream.end(), by_place);
    EXPECT_EQ(stream, expected) << "jobs " << jobs;
    EXPECT_NE(find_message(report, "stream.time_backwards", "occurred 5 s before version 1 (line " + std::to_string(a) + ")"), nullptr);
    EXPECT_NE(find_message(report, "stream.time_backwards", "occurred 1 d before version 1 (line " + std::to_string(d) + ")"), nullptr);
    EXPECT_NE(find_message(report, "stream.version_conflict", "Version 7 of Customer cus_midlife7 is already recorded by the event at line " + std::to_string(c)),
              nullptr);
    EXPECT_NE(find_message(report, "lifecycle.mid_life", "its first event, CustomerUpdated at version 7 (line " + std::to_string(c) + ")"), nullptr);
    EXPECT_NE(find_message(report, "lifecycle.mid_life", "its first event, CustomerUpdated at version 1 (line " + std::to_string(f) + ")"), nullptr);
    EXPECT_NE(find_message(report, "stream.version_conflict", "Version 1 of Customer cus_problem is already recorded by the event at line " + std::to_string(e)),
              nullptr);
    EXPECT_NE(find_message(report, "lifecycle.transition", "CustomerCreated creates Customer cus_noversion, which already exists (state active)"),
              nullptr);

    ASSERT_EQ(report.aggregates.size(), 3007u);
    auto summary = [&](const std::string& id) -> const AggregateSummary& {
      for (const AggregateSummary& s : report.aggregates) {
        if (s.aggregate_id == id) return s;
      }
      static const AggregateSummary none;
      ADD_FAILURE() << "no summary of " << id;
      return none;
    };
    // Problems first, each group in first-seen order.
    const std::vector<std::string> first = {"cus_young", "cus_noversion", "cus_midlife7", "cus_far", "cus_problem", "cus_many"};
    for (size_t k = 0; k < first.size(); ++k) EXPECT_EQ(report.aggregates[k].aggregate_id, first[k]) << k;
    EXPECT_EQ(report.aggregates[6].aggregate_id, "cus_midlife1");
    EXPECT_EQ(report.aggregates[7].aggregate_id, "con_filler0");
    const AggregateSummary& young = summary("cus_young");
    EXPECT_EQ(young.events, 2u);
    EXPECT_EQ(young.first_version, 1u);
    EXPECT_EQ(young.last_version, 3u);
    EXPECT_EQ(young.problems, 2u);
    EXPECT_EQ(young.final_state, "active");
    const AggregateSummary& noversion = summary("cus_noversion");
    EXPECT_EQ(noversion.events, 2u);
    EXPECT_EQ(noversion.first_version, 1u);
    EXPECT_EQ(noversion.problems, 1u);
    EXPECT_EQ(summary("cus_midlife7").first_version, 7u);
    EXPECT_EQ(summary("cus_midlife7").last_version, 8u);
    EXPECT_EQ(summary("cus_midlife7").problems, 1u);  // the conflict; lifecycle.mid_life is info
    EXPECT_EQ(summary("cus_far").problems, 1u);
    EXPECT_EQ(summary("cus_problem").problems, 2u);
    EXPECT_EQ(summary("cus_problem").events, 2u);
    EXPECT_EQ(summary("cus_midlife1").problems, 0u);
    EXPECT_EQ(summary("cus_midlife1").last_version, 2u);
    EXPECT_EQ(summary("cus_many").events, 302u);
    EXPECT_EQ(summary("cus_many").problems, 301u);  // past what a record's byte holds
    const AggregateSummary& filler = summary("con_filler2999");
    EXPECT_EQ(filler.events, 1u);
    EXPECT_EQ(filler.first_version, 1u);
    EXPECT_EQ(filler.last_version, 1u);
    EXPECT_EQ(filler.final_state, "active");
  }
}

}  // namespace
}  // namespace msgevents
