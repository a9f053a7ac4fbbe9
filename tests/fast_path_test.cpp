// The fast path against the full path: the validator's findings are the same with and without it,
// and for every single event, fast-path "clean" holds exactly when the full path finds nothing
// (where the fast path declines a clean event, it is one of the shapes it leaves to the full path
// on purpose: the payload before event_name); where the fast path makes findings itself, they are
// the full path's (rule, message, pointer, position, order) and so are the facts it hands to the
// stream checks, field by field. Over every fixture, random mutations of them, and both benchmark
// corpora.
#include <gtest/gtest.h>

#include <string>

#include "../bench/corpus.hpp"
#include "event_batch.hpp"
#include "event_parser.hpp"
#include "fast_path.hpp"
#include "rule_table.hpp"
#include "msgevents/catalog.hpp"
#include "msgevents/validator.hpp"
#include "test_support.hpp"

namespace msgevents {
namespace {

std::string describe(const Report& report) {
  std::string out = summary_to_json(report.summary) + "\n";
  for (const auto& f : report.findings) out += finding_to_json(f) + "\n";
  return out + aggregates_to_json(report.aggregates);
}

// The same, pushed from one buffer that is overwritten once each push returns, as a caller that
// reads a file into one buffer does.
Report validate_from_one_buffer(std::string_view input, Options options, size_t chunk) {
  Validator validator(options);
  std::string buffer;
  for (size_t at = 0; at < input.size(); at += chunk) {
    buffer.assign(input.substr(at, chunk));
    validator.push(buffer);
    buffer.assign(buffer.size(), '#');
  }
  return validator.finish();
}

Report validate_with(std::string_view input, Options options, bool fast, size_t chunk = 0) {
  options.fast_path = fast;
  Validator validator(options);
  if (chunk == 0) chunk = input.size() + 1;
  for (size_t at = 0; at < input.size(); at += chunk) validator.push(input.substr(at, chunk));
  return validator.finish();
}

TEST(FastPath, EveryFixtureGivesTheSameReportWithAndWithoutIt) {
  size_t fixtures = 0;
  for (const std::string& name : testing::fixture_names()) {
    const testing::FixtureCase fixture = testing::load_fixture(name);
    const std::string input = testing::read_bytes(fixture.input);
    const std::string full = describe(validate_with(input, fixture.options, false));
    EXPECT_EQ(describe(validate_with(input, fixture.options, true)), full) << name;
    EXPECT_EQ(describe(validate_with(input, fixture.options, true, 7)), full) << name << " in chunks";
    ++fixtures;
  }
  EXPECT_GT(fixtures, 90u);
}

// Per event: the fast path's verdict and content hash against the full path's findings and hash.
struct Verdicts {
  size_t clean_both = 0;
  size_t declined_clean = 0;  // the full path finds nothing, the fast path left it to the full path
  size_t findings_both = 0;   // the fast path made the full path's findings
};

std::string show(const detail::EventFacts& f) {
  auto at = [](const detail::FieldLocation& l) { return std::string(l.pointer) + "@" + std::to_string(l.offset); };
  return "event_name=" + std::string(f.event_name) + " spec=" + (f.spec ? f.spec->name : "-") + " aggregate_type=" +
         std::string(f.aggregate_type) + " aggregate_id=" + std::string(f.aggregate_id) + " event_id=" + std::string(f.event_id) +
         " idempotency_key=" + std::string(f.idempotency_key) + " version=" + (f.version ? std::to_string(*f.version) : "-") +
         " occurred_at_ms=" + (f.occurred_at_ms ? std::to_string(*f.occurred_at_ms) : "-") + " at: " + at(f.event_name_at) + " " +
         at(f.event_id_at) + " " + at(f.idempotency_key_at) + " " + at(f.version_at) + " " + at(f.occurred_at_at) +
         " content_hash=" + std::to_string(f.content_hash);
}

std::string show(const Finding& f) {
  return f.code + " " + f.pointer + " " + std::to_string(f.line) + ":" + std::to_string(f.column) + " " + f.message;
}

// What the fast path says of one framed event, against the full path's findings (positioned, as
// the worker that checked the event listed them) and facts.
void compare_framed(detail::FastPath& fast, const detail::Batch& batch, const detail::BatchEvent& event, const detail::SipKey& key,
                    const std::vector<Finding>& full, const Options& options, Verdicts& verdicts, const std::string& what) {
  const std::string_view text = batch.text_of(event);
  detail::EventFacts facts;
  std::vector<detail::PendingFinding> found;
  const detail::FastVerdict verdict = fast.check(text, key, &facts, &found);
  if (verdict == detail::FastVerdict::FullPath) return;
  std::sort(found.begin(), found.end(), detail::earlier);  // as the session's flush does
  std::vector<Finding> fast_findings;
  for (const detail::PendingFinding& p : found) {
    Finding f;
    f.code = std::string(detail::rule_of(p.rule).code);
    f.message = p.message;
    f.pointer = p.pointer;
    detail::Position at = event.start;
    detail::advance_over(at, text.substr(0, p.offset));
    f.line = at.line;
    f.column = at.column;
    fast_findings.push_back(f);
  }
  // Past the per-event cap, the full path lists the first ones and says how many it left out.
  const uint64_t cap = options.max_findings_per_event;
  const bool capped = fast_findings.size() > cap;
  if (capped) fast_findings.resize(cap);
  ASSERT_EQ(full.size(), fast_findings.size() + (capped ? 1 : 0)) << what << ": the fast path's findings differ in number\n" << text;
  for (size_t i = 0; i < fast_findings.size(); ++i) {
    EXPECT_EQ(show(fast_findings[i]), show(full[i])) << what << ": finding " << i << " differs\n" << text;
  }
  const detail::EventFacts expected = batch.restore(event);
  ASSERT_TRUE(event.has_facts) << what;
  EXPECT_EQ(show(facts), show(expected)) << what << ": the facts for the stream checks differ\n" << text;
  EXPECT_EQ(facts.spec, expected.spec) << what;
  if (verdict == detail::FastVerdict::Clean) {
    EXPECT_TRUE(full.empty()) << what;
    ++verdicts.clean_both;
  } else {
    EXPECT_FALSE(found.empty()) << what;
    ++verdicts.findings_both;
  }
}

// Every event of `input`, framed and checked by the full path as a worker does (a batch, with the
// fast path off), and then by the fast path.
void compare_input(const std::string& input, const Options& options, Verdicts& verdicts, const std::string& what) {
  Options full_options = options;
  full_options.fast_path = false;
  Validator session = Validator::handing_out_batches(full_options);
  session.push(input);
  session.close_input();
  static BatchChecker checker;
  detail::FastPath fast(options, builtin_catalog());
  while (const std::optional<std::string> bytes = session.take_batch()) {
    const std::optional<std::string> results = checker.check(*bytes);
    ASSERT_TRUE(results.has_value()) << what;
    detail::Batch batch;
    detail::SipKey key;
    Options decoded;
    ASSERT_TRUE(detail::decode_batch_events(*bytes, &batch, &key, &decoded)) << what;
    ASSERT_TRUE(detail::decode_batch_results(*results, builtin_catalog(), &batch)) << what;
    // Past the session's findings limit a batch lists fewer than it counts: compare none of it.
    const bool listed_all = batch.findings.size() + 1 < batch.list_budget;
    size_t begin = 0;
    for (const detail::BatchEvent& event : batch.events) {
      const std::vector<Finding> full(batch.findings.begin() + begin, batch.findings.begin() + event.findings_end);
      begin = event.findings_end;
      if (!event.too_large && listed_all) compare_framed(fast, batch, event, key, full, options, verdicts, what);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

TEST(FastPath, OnEveryFixtureEventItsFindingsAndFactsAreTheFullPaths) {
  Verdicts verdicts;
  for (const std::string& name : testing::fixture_names()) {
    const testing::FixtureCase fixture = testing::load_fixture(name);
    compare_input(testing::read_bytes(fixture.input), fixture.options, verdicts, name);
    if (::testing::Test::HasFatalFailure()) return;
  }
  EXPECT_GT(verdicts.clean_both, 20u);
  EXPECT_GT(verdicts.findings_both, 20u);
}

// Shapes the corpora and the mutations seldom make, each taken by the fast path with the full
// path's findings: missing and mistyped actor members, every occurred_at and version finding,
// other members with arrays and credentials, escapes (the RapidJSON reading), an event over
// several lines, several findings in one event, and the per-event cap.
TEST(FastPath, HandMadeBrokenEventsGetTheFullPathsFindingsAndFacts) {
  const std::string clean =
      R"({"event_name":"ProviderConfigured","event_id":"019e807a-edda-7e22-8767-535987d8b111","aggregate_type":"Provider",)"
      R"("aggregate_id":"pro_1","occurred_at":"2026-06-01T00:00:00.474Z","actor":{"type":"user","id":"usr_01JC3Y7R1T3V5X7Z9B1D3F5H7K"},)"
      R"("version":1,"idempotency_key":"pro_1:1","schema_version":"1.0","payload":{"provider_id":"pro_1",)"
      R"("customer_id":"cus_01JC3Z8W5Q2M4N6P8R0T2V4X6Y","kind":"twilio","status":"enabled","display_name":"UK SMS primary",)"
      R"("channel_kinds":["phone"],"credentials_ref":"vault_cred_01JC3ZB9X1Z3B5D7F9H1K3M5P7","region":"uk",)"
      R"("webhook_url":"https://hooks.example.com/msg/twilio/inbound"}})";
  auto with = [&](std::initializer_list<std::pair<std::string, std::string>> edits) {
    std::string event = clean;
    for (const auto& [from, to] : edits) {
      const size_t at = event.find(from);
      EXPECT_NE(at, std::string::npos) << from;
      if (at != std::string::npos) event.replace(at, from.size(), to);
    }
    return event;
  };
  const std::string actor_id = R"("id":"usr_01JC3Y7R1T3V5X7Z9B1D3F5H7K")";
  const std::string at = R"("2026-06-01T00:00:00.474Z")";
  const std::vector<std::string> broken = {
      with({{R"("type":"user",)", ""}}),
      with({{R"("type":"user",)", ""}, {actor_id, ""}}),
      with({{R"("type":"user")", R"("type":null)"}, {actor_id, R"("id":42)"}}),
      with({{actor_id, R"("id":"a b")"}}),
      with({{actor_id, R"("id":"jane@example.com")"}}),
      with({{R"("version":1)", R"("version":1.5)"}}),
      with({{R"("version":1)", R"("version":"1")"}}),
      with({{R"("version":1)", R"("version":true)"}}),
      with({{R"("version":1)", R"("version":0)"}}),
      with({{at, R"("2026-06-01T00:00:00+00:00")"}}),
      with({{at, R"("2030-01-01T00:00:00Z")"}}),
      with({{at, R"("yesterday")"}}),
      with({{at, R"("2026-06-01T00:00:00+02:00")"}}),
      with({{R"("occurred_at":)" + at + ",", ""}}),
      with({{"019e807a-edda-7e22-8767-535987d8b111", "019E807A-EDDA-7E22-8767-535987D8B111"}}),
      with({{"019e807a-edda-7e22-8767-535987d8b111", "019e807a"}}),
      with({{R"("schema_version":"1.0",)", R"("schema_version":"1.0","trace":"x","api_key":"k","n":null,)"}}),
      with({{R"("payload":{)", R"("payload":{"notes":[1,2,"x",true],"password":"p",)"}}),
      with({{"ProviderConfigured", "ProviderConfigurd"}, {R"("payload":{)", R"("payload":{"client_secret":"s","extra":[1],)"}}),
      with({{"ProviderConfigured", "Zzz"}}),
      with({{R"("display_name":"UK SMS primary")", R"("display_name":"UK \u0053MS")"}, {at, R"("2026-06-01T00:00:00+02:00")"}}),
      with({{R"("schema_version":"1.0",)", R"("schema_version":"1.0","tr\u0061ce":1,)"}}),
      with({{R"("schema_version":"1.0",)", R"("schema_version":"1.0","x":1,)"}, {"019e807a-edda", "019e807a-XXXX"}, {at, R"("2026-06-01T00:00:00+02:00")"},
            {R"("type":"user")", R"("type":"robot")"}, {R"("version":1)", R"("version":"1")"}}),
  };
  Options options;
  options.now_unix_ms = 1798761600000;  // 2027-01-01
  Verdicts base;
  compare_input(clean, options, base, "clean");
  ASSERT_EQ(base.clean_both, 1u);
  for (size_t i = 0; i < broken.size(); ++i) {
    Verdicts verdicts;
    compare_input(broken[i], options, verdicts, "variant " + std::to_string(i));
    EXPECT_EQ(verdicts.findings_both, 1u) << "the fast path left variant " << i << " to the full path\n" << broken[i];
    // The same over several lines (positions past the first line), and with at most two listed.
    std::string lines = broken[i];
    for (size_t comma = lines.find(",\""); comma != std::string::npos; comma = lines.find(",\"", comma + 3)) lines.replace(comma, 1, ",\n ");
    Verdicts spread;
    compare_input(lines, options, spread, "variant " + std::to_string(i) + " over lines");
    EXPECT_EQ(spread.findings_both, 1u) << "over lines, the fast path left variant " << i << " to the full path\n" << lines;
    Options capped = options;
    capped.max_findings_per_event = 2;
    compare_input(broken[i], capped, verdicts, "variant " + std::to_string(i) + " capped");
    if (::testing::Test::HasFatalFailure()) return;
  }
}

void compare_event(const std::string& event, const Options& options, Verdicts& verdicts, const std::string& what) {
  Options full_options = options;
  full_options.fast_path = false;
  full_options.stream_checks = false;
  const Report full = validate(event, full_options);
  detail::FastPath fast(options, builtin_catalog());
  detail::EventFacts facts;
  const detail::SipKey key{0x0123456789abcdefULL, 0xfedcba9876543210ULL};
  std::vector<detail::PendingFinding> found;
  const detail::FastVerdict verdict = fast.check(event, key, &facts, &found);
  const bool clean = verdict == detail::FastVerdict::Clean;
  if (verdict != detail::FastVerdict::FullPath) {
    // The identities' hashes the fast path hands on are what the stream checks would make.
    const detail::IdentityHashes expected = detail::identity_hashes(facts, key);
    EXPECT_TRUE(facts.hashed) << what;
    EXPECT_EQ(facts.hashes.event_id, expected.event_id) << what << ": event_id " << facts.event_id << "\n" << event;
    EXPECT_EQ(facts.hashes.idempotency_key, expected.idempotency_key) << what << ": idempotency_key " << facts.idempotency_key << "\n" << event;
    EXPECT_EQ(facts.hashes.aggregate_id, expected.aggregate_id) << what << ": aggregate_id " << facts.aggregate_id << "\n" << event;
  }
  if (clean) {
    ASSERT_TRUE(full.findings.empty()) << what << ": the fast path passed an event with " << full.findings[0].code << "\n" << event;
    detail::EventParser parser;
    detail::ParseError error;
    ASSERT_TRUE(parser.parse(event, options.max_depth, &error));
    EXPECT_EQ(facts.content_hash, parser.content_hash(0, key)) << what << ": the two paths hash the content differently\n" << event;
    ++verdicts.clean_both;
  } else if (verdict == detail::FastVerdict::FullPath && full.findings.empty() && full.summary.events == 1) {
    // Only a payload before event_name is left to the full path while clean.
    const size_t payload = event.find("\"payload\"");
    const size_t name = event.find("\"event_name\"");
    EXPECT_TRUE(payload != std::string::npos && name != std::string::npos && payload < name)
        << what << ": the fast path declined a clean event\n" << event;
    ++verdicts.declined_clean;
  }
  Verdicts framed;
  compare_input(event, options, framed, what);
  verdicts.findings_both += framed.findings_both;
}

void compare_lines(const std::string& corpus, const Options& options, Verdicts& verdicts, const std::string& what) {
  size_t at = 0;
  while (at < corpus.size()) {
    size_t end = corpus.find('\n', at);
    if (end == std::string::npos) end = corpus.size();
    if (end > at) compare_event(corpus.substr(at, end - at), options, verdicts, what);
    at = end + 1;
  }
}

TEST(FastPath, AgreesEventByEventOnBothBenchmarkCorpora) {
  Options options;
  options.now_unix_ms = 1798761600000;  // 2027-01-01
  for (const Profile profile : {Profile::Internal, Profile::Public}) {
    options.profile = profile;
    Verdicts clean, broken;
    compare_lines(bench::make_clean_corpus(3000), options, clean, "clean corpus");
    compare_lines(bench::make_corpus(3000), options, broken, "broken corpus");
    if (profile == Profile::Internal) EXPECT_GT(clean.clean_both, 2900u);  // the fast path takes nearly all
    EXPECT_EQ(clean.declined_clean + broken.declined_clean, 0u);
    // One event in ten is broken, most of them in the ways the fast path reports itself.
    EXPECT_GT(broken.findings_both, 200u) << to_string(profile);
  }
}

TEST(FastPath, AgreesOnEveryCatalogExampleAndOnRandomMutationsOfThem) {
  testing::Mutator mutator(99, std::string("{}[]\",:\\ \n\t0-1e.tfnZ@+A") + '\0' + "\xC3\xA9\xFF\xED\xA0\x80");
  Verdicts verdicts;
  for (const Profile profile : {Profile::Internal, Profile::Public}) {
    Options options;
    options.profile = profile;
    options.now_unix_ms = 1798761600000;
    for (const EventSpec& spec : builtin_catalog().events) {
      for (const std::string& example : spec.examples) {
        compare_event(example, options, verdicts, spec.name);
        for (int m = 0; m < 150; ++m) {
          compare_event(mutator.mutate(example), options, verdicts, spec.name + " mutated");
          if (::testing::Test::HasFatalFailure()) return;
        }
      }
    }
  }
  EXPECT_GT(verdicts.clean_both, 40u);
  EXPECT_GT(verdicts.findings_both, 300u);
}

TEST(FastPath, AgreesOnStringsAtAndPastTheirMaximumLength) {
  // Each string field with a maximum length, in each example: that many characters and one more,
  // of one byte each and of two (the fast path counts code points only when the size does not
  // tell).
  Options options;
  options.now_unix_ms = 1798761600000;
  Verdicts verdicts;
  for (const EventSpec& spec : builtin_catalog().events) {
    const std::string& example = spec.examples.front();
    for (const FieldSpec& field : spec.fields) {
      if (field.type != JsonType::String || !field.max_length || !field.enum_values.empty()) continue;
      const std::string key = "\"" + field.name + "\":";
      const size_t payload = example.find("\"payload\"");
      size_t at = example.find(key, payload);
      if (at == std::string::npos) continue;
      at = example.find('"', at + key.size());
      const size_t end = example.find('"', at + 1);
      for (const uint64_t length : {*field.max_length, *field.max_length + 1}) {
        for (const std::string_view character : {std::string_view("x"), std::string_view("\xC3\xA9")}) {
          std::string value;
          for (uint64_t i = 0; i < length; ++i) value += character;
          compare_event(example.substr(0, at + 1) + value + example.substr(end), options, verdicts,
                        spec.name + "." + field.name + " of " + std::to_string(length));
        }
      }
    }
  }
  // The values one past the maximum have findings, which the fast path leaves to the full path
  // (compare_event fails if it calls one clean); those at it are clean on both.
  EXPECT_GT(verdicts.clean_both, 10u);
}

TEST(FastPath, RandomStreamsGiveTheSameReportWithAndWithoutIt) {
  // Redeliveries (some with keys reordered and other spacing), conflicts, gaps and lifecycle
  // errors across events taking either path.
  std::string stream = bench::make_clean_corpus(4000, 3);
  const std::string reordered = "{\"payload\":{\"customer_id\":\"cus_1\",\"status\":\"active\",\"name\":\"N\",\"legal_name\":\"N Ltd\","
                                "\"country_code\":\"GB\",\"default_language\":\"en-GB\"},\"event_name\":\"CustomerCreated\"}";
  stream += bench::make_corpus(2000, 5) + reordered + "\n" + stream.substr(0, stream.find('\n') + 1);
  Options options;
  options.now_unix_ms = 1798761600000;
  const std::string full = describe(validate_with(stream, options, false));
  EXPECT_EQ(describe(validate_with(stream, options, true)), full);
  EXPECT_EQ(describe(validate_with(stream, options, true, 4099)), full);
}

TEST(FastPath, StreamChecksHeldBackKeepTheirPlaceInTheReport) {
  // The session holds the stream checks of clean events back and runs them a few at a time
  // (Validator::Impl::observe_deferred). Here they meet everything that must not overtake them:
  // redeliveries (stream findings of held-back events), events with findings of their own, an
  // event too large to read, events with an escape in a string (read from a copy, so not held
  // back), a JSON array whose framing fails, and the findings limit, reached at different places.
  // The report must be the one without the fast path, which holds nothing back, in one push, in
  // chunks, and in chunks from one buffer the caller overwrites after each push.
  const std::string clean = bench::make_clean_corpus(80, 11);
  const std::string broken = bench::make_corpus(40, 13);
  std::vector<std::string> lines, broken_lines;
  for (size_t at = 0, end; (end = clean.find('\n', at)) != std::string::npos; at = end + 1) lines.push_back(clean.substr(at, end - at));
  for (size_t at = 0, end; (end = broken.find('\n', at)) != std::string::npos; at = end + 1) broken_lines.push_back(broken.substr(at, end - at));
  ASSERT_EQ(lines.size(), 80u);
  std::string stream;
  for (size_t i = 0; i < lines.size(); ++i) {
    stream += lines[i] + "\n";
    if (i % 5 == 2) stream += lines[i - 1] + "\n";
    if (i % 7 == 4) stream += broken_lines[i % broken_lines.size()] + "\n";
    if (i == 22) stream += "{\"event_name\":\"" + std::string(5000, 'x') + "\"}\n";  // after a redelivery
    if (i % 13 == 9) {
      // Two earlier events again, each with an escape in its aggregate_id (the same id, decoded)
      // and another occurred_at: identity and version conflicts, whose messages quote the ids
      // the fast path decoded into its copy, which the second overwrites.
      for (const size_t earlier : {i - 3, i - 2}) {
        std::string copy = lines[earlier];
        const size_t id = copy.find("\"aggregate_id\":\"");
        const size_t ms = copy.find('.', copy.find("\"occurred_at\":\""));
        ASSERT_NE(id, std::string::npos);
        ASSERT_NE(ms, std::string::npos);
        copy[ms + 1] = static_cast<char>('0' + (copy[ms + 1] - '0' + 1) % 10);
        const char hex[] = "0123456789abcdef";
        const char c = copy[id + 16];
        copy.replace(id + 16, 1, std::string("\\u00") + hex[(c >> 4) & 15] + hex[c & 15]);
        stream += copy + "\n";
      }
    }
  }
  Options options;
  options.now_unix_ms = 1798761600000;
  options.max_event_bytes = 4096;
  const std::string unlimited = describe(validate_with(stream, options, false));
  ASSERT_NE(unlimited.find("stream.duplicate"), std::string::npos);
  ASSERT_NE(unlimited.find("input.event_too_large"), std::string::npos);
  ASSERT_NE(unlimited.find("stream.version_conflict"), std::string::npos);
  for (const uint64_t limit : {uint64_t{1}, uint64_t{3}, uint64_t{6}, uint64_t{10}, uint64_t{25}, uint64_t{100000}}) {
    options.max_findings = limit;
    const std::string full = describe(validate_with(stream, options, false));
    for (const size_t chunk : {size_t{0}, size_t{7}, size_t{1000}, size_t{4099}}) {
      EXPECT_EQ(describe(validate_with(stream, options, true, chunk)), full) << "limit " << limit << ", chunks of " << chunk;
    }
    EXPECT_EQ(describe(validate_from_one_buffer(stream, options, 65536)), full) << "limit " << limit << ", one buffer";
  }
  // A JSON array whose framing fails after a redelivery: the framer's finding comes after the
  // redelivery's.
  std::string array = "[";
  for (size_t i = 0; i < 30; ++i) array += lines[i] + ",\n" + (i % 5 == 2 ? lines[i - 1] + ",\n" : "");
  array += lines[30] + ",\n" + lines[29] + ",,\n" + lines[31] + "]\n";
  options.max_findings = 100000;
  const std::string full = describe(validate_with(array, options, false));
  ASSERT_NE(full.find("json.syntax"), std::string::npos) << full;
  EXPECT_EQ(describe(validate_with(array, options, true)), full);
  EXPECT_EQ(describe(validate_with(array, options, true, 1000)), full);
}

TEST(FastPath, ARedeliveryIsOneWhicheverPathEachCopyTakes) {
  // The first copy is clean and takes the fast path; the second, the same content with the
  // payload first (which the fast path leaves to the full path), must hash alike: a redelivery,
  // not an identity conflict.
  const std::string first = bench::make_clean_corpus(1).substr(0, bench::make_clean_corpus(1).find('\n'));
  const size_t payload = first.find(",\"payload\":");
  ASSERT_NE(payload, std::string::npos);
  const std::string reordered = "{" + first.substr(payload + 1, first.size() - payload - 2) + "," + first.substr(1, payload - 1) + "}";
  for (const bool fast : {true, false}) {
    Options options;
    options.now_unix_ms = 1798761600000;
    const Report report = validate_with(first + "\n" + reordered + "\n", options, fast);
    ASSERT_EQ(report.findings.size(), 1u) << describe(report);
    EXPECT_EQ(report.findings[0].code, "stream.duplicate");
    EXPECT_EQ(report.findings[0].line, 2u);
  }
}

}  // namespace
}  // namespace msgevents
