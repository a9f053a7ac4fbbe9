// Native throughput on one corpus, in one run: the RapidJSON limits against full msgevents
// validation. validate_bench [--json] [--rounds N] [FILE] (default: the generated 10% broken corpus).
//
// Sides, each on every NDJSON line of the same bytes in memory, single thread:
//   - RapidJSON SAX, in situ, null handler: the native limit (reads every byte, builds nothing);
//   - RapidJSON DOM parse (default flags): what "parse it first" costs;
//   - msgevents full validation (msgevents::validate on the buffer: every rule, the stream checks);
//   - msgevents per-event rules only (stream checks off);
//   - msgevents with the fast path off (every event through the full path: what the fast path buys);
//   - msgevents full validation with Options::jobs = 2 (two worker threads; the report is the same).
// The sides run on one thread, except the last: jobs 2 against jobs 1 (full validation) is the
// speedup of parallel validation on this machine (target, issue 15: >= 1.7x with two cores).
// Rounds are interleaved (each round runs every side once, so a busy neighbour slows all alike);
// the median of each side counts. Target (issue 9): full validation >= 0.33 of SAX on the clean corpus.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/reader.h>

#include "corpus.hpp"
#include "msgevents/validator.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_of(const std::function<void()>& run) {
  const auto start = Clock::now();
  run();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Calls each(line_begin, line_end) for every non-empty NDJSON line.
template <typename Each>
void for_each_line(char* at, char* end, Each&& each) {
  while (at < end) {
    char* newline = static_cast<char*>(std::memchr(at, '\n', static_cast<size_t>(end - at)));
    char* line_end = newline ? newline : end;
    if (line_end > at) each(at, line_end);
    at = line_end + 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  bool json = false;
  int rounds = 7;
  std::string file;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0) json = true;
    else if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) rounds = std::max(1, std::atoi(argv[++i]));
    else file = argv[i];
  }
  std::string corpus;
  if (file.empty()) {
    corpus = msgevents::bench::make_corpus(100000);
  } else {
    std::ifstream in(file, std::ios::binary);
    corpus.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  size_t lines = 0;
  for (char c : corpus) lines += c == '\n';
  const double megabytes = static_cast<double>(corpus.size()) / 1e6;

  // In-situ parsing writes into the text: each round reads a fresh copy, made outside the timing.
  std::string scratch;
  size_t sax_errors = 0;
  auto sax_in_situ = [&] {
    sax_errors = 0;
    rapidjson::Reader reader;
    rapidjson::BaseReaderHandler<> null_handler;
    for_each_line(scratch.data(), scratch.data() + scratch.size(), [&](char* begin, char* end) {
      const char saved = *end;
      *end = '\0';  // the newline (or the copy's terminator): in-situ reading stops at NUL
      rapidjson::InsituStringStream stream(begin);
      sax_errors += reader.Parse<rapidjson::kParseInsituFlag | rapidjson::kParseIterativeFlag>(stream, null_handler).IsError();
      *end = saved;
    });
  };
  size_t dom_errors = 0;
  auto dom_parse = [&] {
    dom_errors = 0;
    rapidjson::Document doc;
    for_each_line(corpus.data(), corpus.data() + corpus.size(), [&](char* begin, char* end) {
      doc.Parse(begin, static_cast<size_t>(end - begin));
      dom_errors += doc.HasParseError();
    });
  };
  msgevents::Report report;
  msgevents::Options options;
  options.now_unix_ms = 1798761600000;  // 2027-01-01, after every catalog example: fixed, so every run checks the same
  auto full_validation = [&] { report = msgevents::validate(corpus, options); };
  msgevents::Options per_event_options = options;
  per_event_options.stream_checks = false;
  auto per_event_validation = [&] { msgevents::validate(corpus, per_event_options); };
  msgevents::Options full_path_options = options;
  full_path_options.fast_path = false;
  auto full_path_validation = [&] { msgevents::validate(corpus, full_path_options); };
  msgevents::Options two_jobs_options = options;
  two_jobs_options.jobs = 2;
  auto two_jobs_validation = [&] { msgevents::validate(corpus, two_jobs_options); };

  std::vector<double> sax_s, dom_s, validate_s, per_event_s, full_path_s, two_jobs_s;
  for (int round = 0; round < rounds; ++round) {
    scratch = corpus;
    sax_s.push_back(seconds_of(sax_in_situ));
    dom_s.push_back(seconds_of(dom_parse));
    validate_s.push_back(seconds_of(full_validation));
    per_event_s.push_back(seconds_of(per_event_validation));
    full_path_s.push_back(seconds_of(full_path_validation));
    two_jobs_s.push_back(seconds_of(two_jobs_validation));
  }
  const double sax = median(sax_s), dom = median(dom_s), full = median(validate_s), per_event = median(per_event_s),
               full_path = median(full_path_s), two_jobs = median(two_jobs_s);
  const double events = static_cast<double>(lines);
  if (json) {
    auto side = [&](const char* name, double s) {
      std::printf("\"%s\":{\"seconds\":%.6f,\"events_per_s\":%.0f,\"mb_per_s\":%.1f}", name, s, events / s, megabytes / s);
    };
    std::printf("{\"events\":%zu,\"bytes\":%zu,\"rounds\":%d,\"findings\":%zu,", lines, corpus.size(), rounds, report.findings.size());
    side("sax_in_situ", sax);
    std::printf(",");
    side("dom_parse", dom);
    std::printf(",");
    side("validate", full);
    std::printf(",");
    side("per_event_only", per_event);
    std::printf(",");
    side("fast_path_off", full_path);
    std::printf(",");
    side("validate_jobs_2", two_jobs);
    std::printf(",\"validate_vs_sax\":%.3f,\"jobs_2_speedup\":%.3f}\n", sax / full, full / two_jobs);
    return 0;
  }
  std::printf("corpus: %zu events, %.1f MB, %zu findings (%llu critical, %llu error, %llu warning, %llu info), %zu lines RapidJSON rejects\n",
              lines, megabytes, report.findings.size(), static_cast<unsigned long long>(report.summary.critical),
              static_cast<unsigned long long>(report.summary.error), static_cast<unsigned long long>(report.summary.warning),
              static_cast<unsigned long long>(report.summary.info), dom_errors);
  std::printf("median of %d interleaved rounds, one thread    events/s       MB/s   vs SAX\n", rounds);
  const auto row = [&](const char* name, double s) {
    std::printf("%-44s %10.0f %10.1f %8.2f\n", name, events / s, megabytes / s, sax / s);
  };
  row("RapidJSON SAX in situ, null handler (limit)", sax);
  row("RapidJSON DOM parse", dom);
  row("msgevents full validation", full);
  row("msgevents per-event rules only", per_event);
  row("msgevents with the fast path off", full_path);
  row("msgevents full validation, 2 worker threads", two_jobs);
  std::printf("full validation / SAX parse-only: %.2f (target >= 0.33 on the clean corpus)\n", sax / full);
  std::printf("2 worker threads / 1: %.2fx (target >= 1.7x on 2 cores)\n", full / two_jobs);
  return 0;
}
