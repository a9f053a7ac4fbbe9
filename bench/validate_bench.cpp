// Native throughput: RapidJSON parse-only against full msgevents validation, on one corpus, in
// one run. validate_bench [--json] [FILE] (default: the generated 100,000-event corpus).
// Target (issue 2): validation at no less than half the parse-only throughput, single thread.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <fstream>
#include <iterator>
#include <string>

#include <rapidjson/document.h>

#include "corpus.hpp"
#include "msgevents/validator.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_of(const std::function<void()>& run) {
  const auto start = Clock::now();
  run();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  bool json = false;
  std::string file;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0) json = true;
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
  constexpr int kRounds = 7;

  // Parse-only baseline: RapidJSON's DOM parse of each NDJSON line, default flags.
  size_t parse_errors = 0;
  auto parse_only = [&] {
    parse_errors = 0;
    rapidjson::Document doc;
    const char* at = corpus.data();
    const char* end = at + corpus.size();
    while (at < end) {
      const char* newline = static_cast<const char*>(std::memchr(at, '\n', static_cast<size_t>(end - at)));
      const char* line_end = newline ? newline : end;
      doc.Parse(at, static_cast<size_t>(line_end - at));
      parse_errors += doc.HasParseError();
      at = line_end + 1;
    }
  };
  msgevents::Report report;
  msgevents::Options options;
  options.now_unix_ms = 1798761600000;  // 2027-01-01, after every catalog example: fixed, so every run checks the same
  auto full_validation = [&] { report = msgevents::validate(corpus, options); };
  msgevents::Options per_event_options = options;
  per_event_options.stream_checks = false;
  auto per_event_validation = [&] { msgevents::validate(corpus, per_event_options); };

  // The two alternate round by round, so a busy neighbour slows both alike; best of each counts.
  double parse_s = 1e30;
  double validate_s = 1e30;
  double per_event_s = 1e30;
  for (int round = 0; round < kRounds; ++round) {
    parse_s = std::min(parse_s, seconds_of(parse_only));
    validate_s = std::min(validate_s, seconds_of(full_validation));
    per_event_s = std::min(per_event_s, seconds_of(per_event_validation));
  }

  const double parse_eps = static_cast<double>(lines) / parse_s;
  const double validate_eps = static_cast<double>(report.summary.events) / validate_s;
  if (json) {
    std::printf("{\"events\":%zu,\"bytes\":%zu,\"parse_only\":{\"seconds\":%.6f,\"events_per_s\":%.0f,\"mb_per_s\":%.1f},"
                "\"validate\":{\"seconds\":%.6f,\"events_per_s\":%.0f,\"mb_per_s\":%.1f,\"findings\":%zu},\"ratio\":%.3f,"
                "\"per_event_only\":{\"seconds\":%.6f,\"events_per_s\":%.0f}}\n",
                lines, corpus.size(), parse_s, parse_eps, megabytes / parse_s, validate_s, validate_eps, megabytes / validate_s,
                report.findings.size(), parse_s / validate_s, per_event_s, static_cast<double>(lines) / per_event_s);
    return 0;
  }
  std::printf("corpus: %zu events, %.1f MB, %zu findings (%llu critical, %llu error, %llu warning, %llu info), %zu lines RapidJSON rejects\n",
              lines, megabytes, report.findings.size(), static_cast<unsigned long long>(report.summary.critical),
              static_cast<unsigned long long>(report.summary.error), static_cast<unsigned long long>(report.summary.warning),
              static_cast<unsigned long long>(report.summary.info), parse_errors);
  std::printf("%-34s %12s %10s\n", "best of 7, single thread", "events/s", "MB/s");
  std::printf("%-34s %12.0f %10.1f\n", "RapidJSON parse only (DOM)", parse_eps, megabytes / parse_s);
  std::printf("%-34s %12.0f %10.1f\n", "msgevents full validation", validate_eps, megabytes / validate_s);
  std::printf("%-34s %12.0f %10.1f\n", "  of which per-event rules only", static_cast<double>(lines) / per_event_s, megabytes / per_event_s);
  std::printf("validation / parse-only throughput: %.2f full, %.2f without stream checks (target >= 0.50)\n", parse_s / validate_s,
              parse_s / per_event_s);
  return 0;
}
