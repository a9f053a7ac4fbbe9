// Options::jobs and `validate --jobs`: checking events on worker threads changes nothing a user
// sees. Every fixture, and streams long enough to span many batches (with redeliveries, identity
// and version conflicts and lifecycle errors across batch borders, framing errors, events over the
// size limit, capped events), give the same findings, order, positions, summary, aggregates and
// event records with 1, 2 or 4 jobs, pushed whole or in chunks, drained as they come or at the end.
#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <string>

#include "../bench/corpus.hpp"
#include "event_batch.hpp"
#include "msgevents/validator.hpp"
#include "test_support.hpp"

namespace msgevents {
namespace {

// How run() pushes the input's pieces: copied by the validator (push), read where they are
// (push_lasting: in place, as the CLI's mapped files), lasting but each in a buffer of its own
// (not one after another in memory), or lasting and copied in turn.
enum class Feed { Copied, Lasting, LastingApart, Mixed };

// The report as the CLI's JSON lines would show it, plus the event records (the JUnit writer's).
std::string run(std::string_view input, Options options, uint32_t jobs, size_t chunk = 0, Feed feed = Feed::Copied) {
  options.jobs = jobs;
  options.list_events = true;
  Validator validator(options);
  std::string out, records;  // two streams, drained at the same times
  auto take = [&](const std::vector<Finding>& findings) {
    for (const Finding& f : findings) out += finding_to_json(f) + "\n";
    for (const EventRecord& e : validator.drain_events()) {
      records += "event " + std::to_string(e.index) + " " + e.event_name + " " + std::to_string(e.line) + ":" + std::to_string(e.column) + "\n";
    }
  };
  if (chunk == 0) chunk = input.size() + 1;
  std::deque<std::string> apart;  // the LastingApart pieces, kept until finish()
  for (size_t at = 0, n = 0; at < input.size(); at += chunk, ++n) {
    const std::string_view piece = input.substr(at, chunk);
    if (feed == Feed::Lasting || (feed == Feed::Mixed && n % 2 == 0)) validator.push_lasting(piece);
    else if (feed == Feed::LastingApart) validator.push_lasting(apart.emplace_back(piece));
    else validator.push(piece);
    take(validator.drain());
  }
  const Report report = validator.finish();
  take(report.findings);
  return out + records + summary_to_json(report.summary) + "\n" + aggregates_to_json(report.aggregates) + " omitted " +
         std::to_string(report.aggregates_omitted) + "\n";
}

Options at_a_fixed_time() {
  Options options;
  options.now_unix_ms = 1798761600000;
  return options;
}

// Clean streams, the broken corpus, a redelivery of the first event and a conflicting copy of it
// (different content, same idempotency_key), all thousands of events apart.
std::string mixed_stream() {
  const std::string clean = bench::make_clean_corpus(3000, 11);
  const std::string first = clean.substr(0, clean.find('\n') + 1);
  std::string conflicting = first;
  conflicting.replace(conflicting.find("\"occurred_at\":\"") + 15, 4, "2019");
  return clean + bench::make_corpus(1500, 7) + first + conflicting + bench::make_clean_corpus(1200, 12) + first;
}

TEST(ParallelValidation, EveryFixtureGivesTheSameReportWithAnyNumberOfJobs) {
  size_t fixtures = 0;
  for (const std::string& name : testing::fixture_names()) {
    const testing::FixtureCase fixture = testing::load_fixture(name);
    const std::string input = testing::read_bytes(fixture.input);
    const std::string one = run(input, fixture.options, 1);
    EXPECT_EQ(run(input, fixture.options, 2), one) << name;
    EXPECT_EQ(run(input, fixture.options, 3, 7), one) << name << " in chunks";
    ++fixtures;
  }
  EXPECT_GT(fixtures, 90u);
}

TEST(ParallelValidation, LongStreamsGiveTheSameReportWithAnyNumberOfJobsAndChunking) {
  const std::string stream = mixed_stream();
  ASSERT_GT(stream.size(), 4 * (128u << 10));  // many batches
  const std::string one = run(stream, at_a_fixed_time(), 1);
  ASSERT_NE(one.find("\"code\":\"stream.duplicate\""), std::string::npos);
  ASSERT_NE(one.find("\"code\":\"stream.id_conflict\""), std::string::npos);
  ASSERT_NE(one.find("\"code\":\"json.syntax\""), std::string::npos);
  EXPECT_EQ(run(stream, at_a_fixed_time(), 2), one);
  EXPECT_EQ(run(stream, at_a_fixed_time(), 4, 4099), one);
  EXPECT_EQ(run(stream, at_a_fixed_time(), 2, 100000), one);
}

TEST(ParallelValidation, StreamFindingsAcrossBatchesPointAtTheRightLineAndColumn) {
  const std::string clean = bench::make_clean_corpus(2000, 21);
  const std::string first = clean.substr(0, clean.find('\n') + 1);
  const std::string stream = clean + first;  // event 2000 redelivers event 0, batches apart
  Options options = at_a_fixed_time();
  options.jobs = 2;
  const Report report = validate(stream, options);
  const Finding* redelivery = nullptr;
  for (const Finding& f : report.findings) {
    if (f.code == "stream.duplicate" && f.event_index == 2000) redelivery = &f;
  }
  ASSERT_NE(redelivery, nullptr);
  EXPECT_EQ(redelivery->line, 2001u);
  EXPECT_EQ(redelivery->pointer, "/idempotency_key");
  EXPECT_EQ(redelivery->column, first.find("\"idempotency_key\":") + 19);  // the value, 1-based
  EXPECT_NE(redelivery->message.find("line 1 (event index 0)"), std::string::npos) << redelivery->message;
  EXPECT_EQ(report.summary.events, 2001u);
}

TEST(ParallelValidation, FramingErrorsLimitsAndOtherFormsKeepTheirPlace) {
  const std::string events = bench::make_clean_corpus(1500, 31) + bench::make_corpus(800, 32);
  // NDJSON with garbage lines, a byte order mark between events and an unfinished last event.
  std::string ndjson = "\xEF\xBB\xBF" + events.substr(0, events.size() / 2) + "not json\n]\n\xEF\xBB\xBF" +
                       events.substr(events.size() / 2) + "{\"event_name\":";
  // The array form, with a missing comma halfway.
  std::string array = "[";
  size_t at = 0, n = 0;
  for (size_t next; (next = events.find('\n', at)) != std::string::npos; at = next + 1, ++n) {
    if (n > 0) array += n == 1000 ? "\n" : ",\n";
    array += events.substr(at, next - at);
  }
  array += "]";
  Options options = at_a_fixed_time();
  Options small = options;
  small.max_event_bytes = 560;  // some events skipped unread
  small.max_findings_per_event = 2;
  for (const Options& o : {options, small}) {
    for (const std::string* input : {&ndjson, &array}) {
      const std::string one = run(*input, o, 1);
      EXPECT_EQ(run(*input, o, 2), one);
      EXPECT_EQ(run(*input, o, 3, 65536), one);
    }
  }
  EXPECT_NE(run(ndjson, small, 2).find("\"incomplete\":true"), std::string::npos);
  // The run's limit on findings listed falls on the same finding whatever the threads, chunks
  // and per-event limit; the limit reached at a framing error, an event's finding, a stream one.
  for (const uint64_t limit : {1, 37, 2500}) {
    for (const Options& base : {options, small}) {
      Options o = base;
      o.max_findings = limit;
      for (const std::string* input : {&ndjson, &array}) {
        const std::string one = run(*input, o, 1);
        EXPECT_EQ(one.find("input.findings_limit") != std::string::npos, limit < 2500) << limit;
        EXPECT_EQ(run(*input, o, 2), one) << limit;
        EXPECT_EQ(run(*input, o, 3, 65536), one) << limit;
      }
    }
  }
  EXPECT_NE(run(array, options, 2).find("\"code\":\"json.syntax\""), std::string::npos);
}

TEST(ParallelValidation, ZeroJobsMeansOnePerCore) {
  const std::string stream = bench::make_clean_corpus(1500, 41);
  EXPECT_EQ(run(stream, at_a_fixed_time(), 0), run(stream, at_a_fixed_time(), 1));
}

TEST(ParallelValidation, TheCliWritesTheSameBytesWithAnyJobs) {
  // The same name in two folders: a regular file (which the CLI maps into memory) and a FIFO
  // (which it reads in chunks), so that the reports, which name their inputs, can be compared.
  const std::filesystem::path mapped = std::filesystem::temp_directory_path() / "msgevents_parallel_test_mapped";
  const std::filesystem::path piped = std::filesystem::temp_directory_path() / "msgevents_parallel_test_piped";
  for (const auto& folder : {mapped, piped}) {
    std::filesystem::remove_all(folder);
    std::filesystem::create_directory(folder);
  }
  {
    std::ofstream out(mapped / "events.ndjson", std::ios::binary);
    out << mixed_stream();
  }
  const std::string cli = std::string(MSGEVENTS_CLI_PATH) + " validate --now 2027-01-01T00:00:00Z ";
  for (const std::string format : {"text", "json", "sarif", "junit"}) {
    // The report names its run's times: SOURCE_DATE_EPOCH fixes them.
    const std::string command = "cd " + mapped.string() + " && SOURCE_DATE_EPOCH=1790000000 " + cli + "--format " + format + " ";
    const auto one = testing::run_command(command + "--jobs 1 events.ndjson");
    const auto two = testing::run_command(command + "--jobs 2 events.ndjson");
    const auto cores = testing::run_command(command + "events.ndjson");
    EXPECT_EQ(one.status, 1) << format;
    EXPECT_GT(one.out.size(), 100000u) << format;
    EXPECT_EQ(two.status, one.status) << format;
    EXPECT_TRUE(two.out == one.out) << format << ": --jobs 2 differs from --jobs 1";
    EXPECT_TRUE(cores.out == one.out) << format << ": the default differs from --jobs 1";
    for (const std::string jobs : {"1", "2"}) {
      const auto fifo = testing::run_command("cd " + piped.string() + " && rm -f events.ndjson && mkfifo events.ndjson && (cat " +
                                             (mapped / "events.ndjson").string() + " > events.ndjson &) && SOURCE_DATE_EPOCH=1790000000 " +
                                             cli + "--format " + format + " --jobs " + jobs + " events.ndjson");
      EXPECT_EQ(fifo.status, one.status) << format;
      EXPECT_TRUE(fifo.out == one.out) << format << ": a FIFO read in chunks differs from the mapped file, --jobs " << jobs;
    }
  }
  std::filesystem::remove_all(mapped);
  std::filesystem::remove_all(piped);
  for (const std::string bad : {"0", "65", "two", ""}) {
    const auto result = testing::run_command(cli + "--jobs " + (bad.empty() ? "" : bad + " ") + "x.json 2>&1");
    EXPECT_EQ(result.status, 2) << bad;
    EXPECT_NE(result.out.find("--jobs needs a whole number of threads from 1 to 64"), std::string::npos) << bad << result.out;
  }
}

// Validator::handing_out_batches, as the page's Web Workers use it: batches cross as bytes to checkers
// that share nothing with the session, and come back in order, some only after others were taken.
std::string run_handed_out(std::string_view input, Options options, size_t chunk, size_t hold) {
  options.list_events = true;
  Validator validator = Validator::handing_out_batches(options);
  BatchChecker checkers[2];  // the batches carry the options
  std::vector<std::string> waiting;  // results not merged yet, oldest first
  size_t turn = 0;
  std::string out, records;
  auto take = [&](const std::vector<Finding>& findings) {
    for (const Finding& f : findings) out += finding_to_json(f) + "\n";
    for (const EventRecord& e : validator.drain_events()) {
      records += "event " + std::to_string(e.index) + " " + e.event_name + " " + std::to_string(e.line) + ":" + std::to_string(e.column) + "\n";
    }
  };
  auto exchange = [&](size_t keep) {
    while (std::optional<std::string> batch = validator.take_batch()) {
      const std::optional<std::string> results = checkers[turn++ % 2].check(*batch);
      EXPECT_TRUE(results.has_value());
      waiting.push_back(results.value_or(""));
    }
    while (waiting.size() > keep) {
      EXPECT_TRUE(validator.merge_batch(waiting.front()));
      waiting.erase(waiting.begin());
    }
    take(validator.drain());
  };
  for (size_t at = 0; at < input.size(); at += chunk) {
    validator.push(input.substr(at, chunk));
    exchange(hold);
  }
  validator.close_input();
  exchange(0);
  const Report report = validator.finish();
  take(report.findings);
  return out + records + summary_to_json(report.summary) + "\n" + aggregates_to_json(report.aggregates) + " omitted " +
         std::to_string(report.aggregates_omitted) + "\n";
}

TEST(ParallelValidation, BatchesHandedOutAsBytesGiveTheSameReport) {
  const std::string stream = mixed_stream();
  const std::string one = run(stream, at_a_fixed_time(), 1);
  EXPECT_EQ(run_handed_out(stream, at_a_fixed_time(), 1 << 20, 0), one);
  EXPECT_EQ(run_handed_out(stream, at_a_fixed_time(), 16 << 10, 3), one);
  for (const std::string& name : testing::fixture_names()) {
    const testing::FixtureCase fixture = testing::load_fixture(name);
    const std::string input = testing::read_bytes(fixture.input);
    EXPECT_EQ(run_handed_out(input, fixture.options, 5, 1), run(input, fixture.options, 1)) << name;
  }
}

// What a batch handed out as bytes comes back with: its events and the findings it lists.
struct Results {
  size_t events = 0;
  size_t findings = 0;
};
Results results_of(const std::string& batch, const std::string& results) {
  detail::Batch decoded;
  detail::SipKey key;
  Options options;
  EXPECT_TRUE(detail::decode_batch_events(batch, &decoded, &key, &options));
  EXPECT_TRUE(detail::decode_batch_results(results, builtin_catalog(), &decoded));
  return {decoded.events.size(), decoded.findings.size()};
}

// A batch in flight holds a bounded number of events and findings, whatever the lines: a range's
// checker frames at most kRangeEvents events (the session checks the lines after them as it
// merges) and lists at most kBatchListCap findings (a batch that had more to list while the run
// could list them is checked again as it merges). A file of `{}` lines with --jobs 2 peaked at
// 180 MB (10 MiB of them: 245 MB), against 40 MB with one thread. Once the session has listed
// all the run may (Options::max_findings), the batches it hands out are only counted: their
// checkers build no finding (those 10 MiB took 14 s where one thread took 4). The report is
// still one thread's.
TEST(ParallelValidation, BatchesInFlightHoldBoundedEventsAndFindings) {
  std::string dense;
  for (int i = 0; i < 100000; ++i) dense += "{}\n";  // 8 findings an event, 43,690 events to 128 KiB
  for (const uint64_t limit : {uint64_t{10}, uint64_t{100000}, UINT64_MAX}) {
    Options options = at_a_fixed_time();
    options.max_findings = limit;
    Validator validator = Validator::handing_out_batches(options);
    validator.push(dense);
    BatchChecker checker;
    // The lines the session frames until it knows the input is NDJSON, then ranges of 128 KiB.
    for (int n = 0; n < 3; ++n) {
      const std::optional<std::string> batch = validator.take_batch();
      ASSERT_TRUE(batch.has_value()) << n;
      const std::string results = checker.check(*batch).value_or("");
      const Results got = results_of(*batch, results);
      if (n == 0) {
        EXPECT_LE(got.events, 2u);
        EXPECT_EQ(got.findings, limit == 10 ? 11 : 8 * got.events) << limit;  // 10 to list, and the first left out
      } else {
        EXPECT_EQ(got.events, detail::kRangeEvents) << limit << " " << n;
        // None once the session has listed all it may (10: with the first batch; 100000: as it
        // merged the first range, whose rest it checked itself), else as many as a batch may.
        const bool past_the_limit = limit == 10 || (limit == 100000 && n > 1);
        EXPECT_EQ(got.findings, past_the_limit ? 0 : detail::kBatchListCap) << limit << " " << n;
      }
      ASSERT_TRUE(validator.merge_batch(results)) << n;
    }
    validator.close_input();
    while (std::optional<std::string> batch = validator.take_batch()) ASSERT_TRUE(validator.merge_batch(checker.check(*batch).value_or("")));
    const Report report = validator.finish();
    const Report expected = validate(dense, options);
    EXPECT_EQ(summary_to_json(report.summary), summary_to_json(expected.summary)) << limit;
    EXPECT_EQ(report.summary.findings_omitted, limit == UINT64_MAX ? 0 : 100000u * 8 - limit);
    ASSERT_EQ(report.findings.size(), expected.findings.size()) << limit;
    if (limit == UINT64_MAX) continue;  // 800,000 findings: the short lines' test below has them all compared
    for (size_t i = 0; i < report.findings.size(); ++i) EXPECT_EQ(finding_to_json(report.findings[i]), finding_to_json(expected.findings[i])) << i;
    const std::string one = run(dense, options, 1);
    EXPECT_EQ(run_handed_out(dense, options, 4 << 10, 1), one) << limit;
    EXPECT_EQ(run(dense, options, 2), one) << limit;
  }
}

// Once the input is NDJSON, the session cuts it into ranges of whole lines, which the checkers
// frame (event_batch.hpp): nothing an event needs crosses a cut, and the checkers' line numbers,
// event indexes and offsets are shifted as the ranges merge. The same report as one thread's,
// whatever falls at or near a cut, pushed whole or in pieces, on threads or handed out.
void expect_one_threads_report(const std::string& input, const Options& options, const std::string& what) {
  const std::string one = run(input, options, 1);
  EXPECT_EQ(run(input, options, 2), one) << what;
  EXPECT_EQ(run(input, options, 3, 4099), one) << what << " in pieces";
  // Pieces larger than a range are cut where they lie, after the lines begun in the piece before.
  EXPECT_EQ(run(input, options, 2, (128u << 10) + 4099), one) << what << " in pieces larger than a range";
  // Pushes that last are read in place: one view while each follows the last in memory (a mapped
  // file in slices), copied when one does not, or when a plain push comes between.
  EXPECT_EQ(run(input, options, 2, 16u << 10, Feed::Lasting), one) << what << " pushed to last";
  EXPECT_EQ(run(input, options, 2, (128u << 10) + 4099, Feed::Lasting), one) << what << " pushed to last in large pieces";
  EXPECT_EQ(run(input, options, 3, 4099, Feed::LastingApart), one) << what << " pushed to last, apart";
  EXPECT_EQ(run(input, options, 2, 997, Feed::Mixed), one) << what << " pushed to last and copied in turn";
  // validate() lends its input to the checkers, uncopied.
  Options two = options, single = options;
  two.jobs = 2;
  single.jobs = 1;
  EXPECT_EQ(report_to_json(validate(input, two)), report_to_json(validate(input, single))) << what << " by validate()";
  EXPECT_EQ(run_handed_out(input, options, 1 << 20, 0), one) << what << " handed out";
  EXPECT_EQ(run_handed_out(input, options, 997, 3), one) << what << " handed out in pieces";
  EXPECT_EQ(run_handed_out(input, options, (128u << 10) + 997, 3), one) << what << " handed out in large pieces";
}

// NDJSON events (the broken corpus among clean ones) with `eol` line ends, and after the first
// line, whose end is where the ranges begin, a blank line whose line break is `delta` bytes from
// the end of the first range's 128 KiB; two more ranges follow.
std::string lines_near_a_cut(std::string_view eol, long delta) {
  const std::string events = bench::make_clean_corpus(600, 61) + bench::make_corpus(300, 62) + bench::make_clean_corpus(600, 63);
  std::vector<std::string> lines;
  for (size_t at = 0, next; (next = events.find('\n', at)) != std::string::npos; at = next + 1) lines.push_back(events.substr(at, next - at));
  std::string out = lines[0] + std::string(eol);
  const size_t first_cut = out.size() + (128u << 10);
  size_t i = 1;
  while (out.size() + lines[i].size() + eol.size() + 600 < first_cut) out += lines[i++] + std::string(eol);
  const size_t line_break_at = static_cast<size_t>(static_cast<long>(first_cut) - 1 + delta);  // where the '\n' goes
  out += std::string(line_break_at + 1 - eol.size() - out.size(), ' ') + std::string(eol);
  for (; i < lines.size(); ++i) out += lines[i] + std::string(i % 97 == 0 ? "\n\n  \n" : "") + std::string(eol);
  return out;
}

TEST(ParallelValidation, LineEndsAtOrNearARangeCutGiveOneThreadsReport) {
  for (const std::string_view eol : {std::string_view("\n"), std::string_view("\r\n")}) {
    for (const long delta : {-2L, -1L, 0L, 1L, 2L}) {
      const std::string input = lines_near_a_cut(eol, delta);
      ASSERT_GT(input.size(), 3 * (128u << 10));
      expect_one_threads_report(input, at_a_fixed_time(), (eol.size() == 2 ? "CRLF" : "LF") + std::string(" delta ") + std::to_string(delta));
    }
  }
}

TEST(ParallelValidation, NdjsonIsHandedOutInRangesOfWholeLines) {
  const std::string input = lines_near_a_cut("\n", 0);
  Validator validator = Validator::handing_out_batches(at_a_fixed_time());
  validator.push(input);
  std::vector<std::string> batches;
  while (std::optional<std::string> batch = validator.take_batch()) batches.push_back(*batch);
  validator.close_input();
  while (std::optional<std::string> batch = validator.take_batch()) batches.push_back(*batch);
  // The first line (framed by the session: it tells the input is NDJSON), then ranges of 128 KiB
  // and the rest: the lines' bytes and a few bytes of options, nothing per event.
  ASSERT_GE(batches.size(), 4u);
  const size_t first_line = input.find('\n') + 1;
  EXPECT_LT(batches[0].size(), first_line + 128);
  EXPECT_LT(batches[1].size(), (128u << 10) + 64);
  EXPECT_GE(batches[1].size(), 128u << 10);
  size_t total = 0;
  for (size_t i = 1; i < batches.size(); ++i) total += batches[i].size();
  EXPECT_LT(total, input.size() - first_line + (batches.size() - 1) * 96);  // the header: the key and the options
  BatchChecker checker;
  for (const std::string& batch : batches) ASSERT_TRUE(validator.merge_batch(checker.check(batch).value_or("")));
  EXPECT_EQ(report_to_json(validator.finish()), report_to_json(validate(input, at_a_fixed_time())));
}

TEST(ParallelValidation, ByteOrderMarksBlankLinesAndFramingErrorsInRangesGiveOneThreadsReport) {
  const std::string events = bench::make_clean_corpus(1500, 71) + bench::make_corpus(700, 72);
  const std::string bom = "\xEF\xBB\xBF";
  // A mark that opens the input, marks that open lines (`cat a.ndjson b.ndjson`), a line of a
  // mark and spaces, blank lines, CRLF, a first line with a second value on it (a framing error),
  // a line that is not JSON and an unfinished last event.
  std::string input = bom + events.substr(0, events.find('\n')) + " {\"event_name\":1}\n";
  size_t n = 0;
  for (size_t at = events.find('\n') + 1, next; (next = events.find('\n', at)) != std::string::npos; at = next + 1, ++n) {
    if (n % 401 == 5) input += bom;
    if (n % 389 == 7) input += bom + "   \n\n\t\r\n";
    if (n == 999) input += "not json\n";
    input += events.substr(at, next - at) + (n % 3 == 0 ? "\r\n" : "\n");
  }
  input += bom + "{\"event_name\":";
  expect_one_threads_report(input, at_a_fixed_time(), "marks, blank lines, framing errors");
  // Input the checkers cannot be given in ranges: an array, a sequence of pretty-printed events,
  // and bytes that are not JSON at all, framed by the session as before.
  std::string pretty = "{\n  \"event_name\": \"CustomerCreated\"\n}\n" + events;
  expect_one_threads_report(pretty, at_a_fixed_time(), "a pretty-printed first event");
  expect_one_threads_report("PK\x03\x04" + events, at_a_fixed_time(), "not JSON");
}

TEST(ParallelValidation, LinesTooLargeToKeepAreSkippedInRangesAsByOneThread) {
  const std::string events = bench::make_clean_corpus(1200, 81) + bench::make_corpus(600, 82);
  Options small = at_a_fixed_time();
  small.max_event_bytes = 700;
  const std::string big(5000, 'x');
  std::string input = "{" + big + "}\n" + events.substr(0, 20000);  // the first line itself too large
  size_t n = 0;
  for (size_t at = 20000, next; (next = events.find('\n', at)) != std::string::npos; at = next + 1, ++n) {
    input += events.substr(at, next - at + 1);
    if (n % 150 == 3) input += "   {\"event_name\":\"" + big + "\"}\n";  // indented
    if (n % 150 == 9) input += std::string(3000, ' ') + "\r\n";              // only whitespace
    if (n % 150 == 20) input += "[" + big + "]\n{" + big + "}\n";          // two in a row
    if (n % 150 == 40) input += std::string(200000, 'y') + "\n";             // longer than a range
    if (n % 150 == 41) input += std::string(701, 'z') + "\n" + std::string(700, ' ') + "1\n";  // just over, and 701 with its indent
  }
  expect_one_threads_report(input, small, "lines too large");
  expect_one_threads_report(input + std::string(9000, 'q'), small, "ending in a line too large");
  const std::string one = run(input, small, 1);
  EXPECT_NE(one.find("input.event_too_large"), std::string::npos);
  // At the default limit, the same lines are events (the long ones are not JSON).
  expect_one_threads_report(input, at_a_fixed_time(), "the same at the default limit");
}

TEST(ParallelValidation, FindingsLimitsFallingInsideARangeGiveOneThreadsReport) {
  const std::string input = lines_near_a_cut("\n", 1);
  const uint64_t findings = validate(input, at_a_fixed_time()).findings.size();
  ASSERT_GT(findings, 200u);
  for (const uint64_t limit : {uint64_t{1}, uint64_t{2}, findings / 3, findings - 1}) {
    Options o = at_a_fixed_time();
    o.max_findings = limit;
    o.max_findings_per_event = 3;
    expect_one_threads_report(input, o, "max_findings " + std::to_string(limit));
    EXPECT_NE(run(input, o, 1).find("input.findings_limit"), std::string::npos) << limit;
  }
}

// Short lines of every kind, many more than kRangeEvents to a range, among real events whose
// stream findings (a redelivery, a conflict) cross the places where the ranges' checkers stop.
TEST(ParallelValidation, RangesOfShortLinesAreCheckedPastTheirFirstEventsAsByOneThread) {
  const std::string stream = mixed_stream();
  const char* const shorts[] = {"{}", "1", "", "  ", "[", "not json", "{\"a\":1}", "\t{}\r", "\xEF\xBB\xBF{}", "null"};
  std::string input;
  size_t n = 0;
  for (size_t at = 0, next; (next = stream.find('\n', at)) != std::string::npos; at = next + 1, ++n) {
    input += stream.substr(at, next - at + 1);
    if (n % 1500 == 10) {
      for (int i = 0; i < 5000; ++i) input += std::string(shorts[(i * 7 + n) % 10]) + "\n";
    }
  }
  input += "{}";  // an unended last line
  expect_one_threads_report(input, at_a_fixed_time(), "short lines");
  for (const uint64_t limit : {uint64_t{1}, uint64_t{5000}, UINT64_MAX}) {
    Options o = at_a_fixed_time();
    o.max_findings = limit;
    const std::string one = run(input, o, 1);
    EXPECT_EQ(run(input, o, 2), one) << limit;
    EXPECT_EQ(run(input, o, 2, 16u << 10, Feed::Lasting), one) << limit << " pushed to last";
    EXPECT_EQ(run_handed_out(input, o, 997, 3), one) << limit << " handed out in pieces";
  }
}

TEST(ParallelValidation, FinishChecksTheBatchesNeverTakenOrNeverMerged) {
  const std::string stream = mixed_stream();
  Validator validator = Validator::handing_out_batches(at_a_fixed_time());
  validator.push(stream);
  ASSERT_TRUE(validator.take_batch().has_value());  // taken, never merged
  ASSERT_TRUE(validator.take_batch().has_value());
  EXPECT_EQ(validator.summary().events, 0u);  // push() checked nothing itself
  Report report = validator.finish();
  std::vector<Finding> findings = std::move(report.findings);
  Options plain = at_a_fixed_time();
  const Report expected = validate(stream, plain);
  ASSERT_EQ(findings.size(), expected.findings.size());
  for (size_t i = 0; i < findings.size(); ++i) EXPECT_EQ(finding_to_json(findings[i]), finding_to_json(expected.findings[i])) << i;
  EXPECT_EQ(summary_to_json(report.summary), summary_to_json(expected.summary));
}

TEST(ParallelValidation, BytesThatAreNotABatchOrItsResultsAreRefused) {
  const Options options = at_a_fixed_time();
  Validator validator = Validator::handing_out_batches(options);
  validator.push(bench::make_clean_corpus(1100, 51));
  const std::optional<std::string> first = validator.take_batch(), second = validator.take_batch();
  ASSERT_TRUE(first && second);
  BatchChecker checker;
  EXPECT_FALSE(checker.check("not a batch").has_value());
  EXPECT_FALSE(checker.check(first->substr(0, first->size() - 1)).has_value());
  EXPECT_FALSE(checker.check(*first + "x").has_value());
  const std::string first_results = checker.check(*first).value_or("");
  const std::string second_results = checker.check(*second).value_or("");
  EXPECT_FALSE(validator.merge_batch(second_results));  // the results of the wrong batch
  EXPECT_FALSE(validator.merge_batch(first_results.substr(0, first_results.size() / 2)));
  EXPECT_FALSE(validator.merge_batch(""));
  EXPECT_TRUE(validator.merge_batch(first_results));
  EXPECT_TRUE(validator.merge_batch(second_results));
  EXPECT_FALSE(validator.merge_batch(second_results));  // nothing taken is left to merge
  Validator plain(options);  // checks its events itself: it hands out nothing
  plain.push(bench::make_clean_corpus(1100, 51));
  EXPECT_FALSE(plain.take_batch().has_value());
  EXPECT_FALSE(plain.merge_batch(first_results));
  EXPECT_EQ(plain.summary().events, 1100u);
  const Report report = validator.finish();
  EXPECT_EQ(report.summary.events, 1100u);
  EXPECT_EQ(summary_to_json(report.summary), summary_to_json(validate(bench::make_clean_corpus(1100, 51), at_a_fixed_time()).summary));
}

TEST(ParallelValidation, OneCheckerServesSessionsOfDifferentOptions) {
  // Each batch carries its session's options: public profile and strict mode change the findings.
  const std::string stream = mixed_stream();
  Options internal = at_a_fixed_time();
  Options strict_public = at_a_fixed_time();
  strict_public.profile = Profile::Public;
  strict_public.strict = true;
  Validator a = Validator::handing_out_batches(internal), b = Validator::handing_out_batches(strict_public);
  a.push(stream);
  b.push(stream);
  a.close_input();
  b.close_input();
  BatchChecker checker;
  for (bool more = true; more;) {
    more = false;
    for (Validator* v : {&a, &b}) {
      if (std::optional<std::string> batch = v->take_batch()) {
        more = true;
        EXPECT_TRUE(v->merge_batch(checker.check(*batch).value_or("")));
      }
    }
  }
  const Report from_a = a.finish(), from_b = b.finish();
  const Report plain_a = validate(stream, internal), plain_b = validate(stream, strict_public);
  EXPECT_NE(summary_to_json(plain_a.summary), summary_to_json(plain_b.summary));
  EXPECT_EQ(summary_to_json(from_a.summary), summary_to_json(plain_a.summary));
  EXPECT_EQ(summary_to_json(from_b.summary), summary_to_json(plain_b.summary));
  EXPECT_EQ(report_to_json(from_b), report_to_json(plain_b));
}

}  // namespace
}  // namespace msgevents
