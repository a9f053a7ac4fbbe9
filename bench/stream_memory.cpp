// Peak memory of a validation stream: does it grow with distinct ids and aggregates only?
//
// stream_memory [--no-stream-checks] [--events-per-aggregate K] [EVENTS...] (default: both shapes at
// 1000000 and 10000000, and 1000000 with the stream checks off). Each run generates its NDJSON
// events on the fly (never holding the input), pushes them through msgevents::Validator in 64 KiB
// chunks, drains the findings as it goes, and prints the peak resident set size (VmHWM) and the
// bytes per event above the process's baseline. The stream has one distinct idempotency_key and
// event_id per event and one aggregate per K events (CustomerCreated, then CustomerUpdated versions
// 2 to K; K is 5 unless told, and 1 makes every event a new aggregate), 1,000 aggregates interleaved
// at a time, so every stream check runs on every event. Each size runs in a child process, so each
// peak is its own. The run with the stream checks off shows what the rest of the validator costs.
// The options apply to the sizes after them.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "msgevents/validator.hpp"

namespace {

uint64_t status_kib(const char* field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  const size_t n = std::strlen(field);
  while (std::getline(status, line)) {
    if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':') return std::strtoull(line.c_str() + n + 1, nullptr, 10);
  }
  return 0;
}

void append_event(std::string& out, uint64_t i, uint64_t kVersions) {
  constexpr uint64_t kActive = 1000;   // aggregates in flight at a time
  const uint64_t block = i / (kActive * kVersions);
  const uint64_t aggregate = block * kActive + i % kActive;
  const uint64_t version = (i % (kActive * kVersions)) / kActive + 1;
  const uint64_t ms = 1762340000000ULL + i * 7;  // 2025-11-05, 7 ms apart
  const uint64_t seconds = ms / 1000;
  const int day_seconds = static_cast<int>(seconds % 86400);
  const int day = 5 + static_cast<int>((seconds - 1762300800ULL) / 86400);  // stays within November for 10M events
  char time[40];
  std::snprintf(time, sizeof time, "2025-11-%02dT%02d:%02d:%02d.%03dZ", day, day_seconds / 3600, day_seconds / 60 % 60,
                day_seconds % 60, static_cast<int>(ms % 1000));
  char buffer[1024];
  int n;
  if (version == 1) {
    n = std::snprintf(buffer, sizeof buffer,
                      "{\"event_name\":\"CustomerCreated\",\"event_id\":\"019a%04x-%04x-7000-8000-%012llx\","
                      "\"aggregate_type\":\"Customer\",\"aggregate_id\":\"cus_%llu\",\"occurred_at\":\"%s\","
                      "\"actor\":{\"type\":\"system\",\"id\":\"svc_bench\"},\"version\":1,"
                      "\"idempotency_key\":\"cus_%llu:1\",\"schema_version\":\"1.0\",\"payload\":{\"customer_id\":\"cus_%llu\","
                      "\"status\":\"active\",\"name\":\"Customer %llu\",\"country_code\":\"GB\",\"default_language\":\"en-GB\"}}\n",
                      static_cast<unsigned>((i >> 48) & 0xffff), static_cast<unsigned>((i >> 32) & 0xffff),
                      static_cast<unsigned long long>(i), static_cast<unsigned long long>(aggregate), time,
                      static_cast<unsigned long long>(aggregate), static_cast<unsigned long long>(aggregate),
                      static_cast<unsigned long long>(aggregate));
  } else {
    n = std::snprintf(buffer, sizeof buffer,
                      "{\"event_name\":\"CustomerUpdated\",\"event_id\":\"019a%04x-%04x-7000-8000-%012llx\","
                      "\"aggregate_type\":\"Customer\",\"aggregate_id\":\"cus_%llu\",\"occurred_at\":\"%s\","
                      "\"actor\":{\"type\":\"system\",\"id\":\"svc_bench\"},\"version\":%llu,"
                      "\"idempotency_key\":\"cus_%llu:%llu\",\"schema_version\":\"1.0\",\"payload\":{\"customer_id\":\"cus_%llu\","
                      "\"status\":\"active\",\"changed_fields\":[\"name\"],\"name\":\"Customer %llu v%llu\"}}\n",
                      static_cast<unsigned>((i >> 48) & 0xffff), static_cast<unsigned>((i >> 32) & 0xffff),
                      static_cast<unsigned long long>(i), static_cast<unsigned long long>(aggregate), time,
                      static_cast<unsigned long long>(version), static_cast<unsigned long long>(aggregate),
                      static_cast<unsigned long long>(version), static_cast<unsigned long long>(aggregate),
                      static_cast<unsigned long long>(aggregate), static_cast<unsigned long long>(version));
  }
  out.append(buffer, static_cast<size_t>(n));
}

int run(uint64_t events, bool stream_checks, uint64_t per_aggregate) {
  const uint64_t baseline_kib = status_kib("VmHWM");
  const auto start = std::chrono::steady_clock::now();
  msgevents::Options options;
  options.stream_checks = stream_checks;
  msgevents::Validator validator(options);
  std::string chunk;
  chunk.reserve(1 << 17);
  uint64_t bytes = 0, findings = 0;
  for (uint64_t i = 0; i < events; ++i) {
    append_event(chunk, i, per_aggregate);
    if (chunk.size() >= (1 << 16) || i + 1 == events) {
      validator.push(chunk);
      bytes += chunk.size();
      chunk.clear();
      findings += validator.drain().size();
    }
  }
  const uint64_t peak_before_finish_kib = status_kib("VmHWM");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const msgevents::Report report = validator.finish();
  findings += report.findings.size();
  const uint64_t peak_kib = status_kib("VmHWM");
  const double per_event = static_cast<double>(peak_before_finish_kib - baseline_kib) * 1024.0 / static_cast<double>(events);
  std::printf("%10llu events  %llu per aggregate  %6.0f MB input  stream checks %-3s  %6.1f s  %8.0f events/s  findings %llu  aggregates %zu\n"
              "           peak RSS %7.1f MB while streaming (%.1f bytes/event above the %0.1f MB baseline), "
              "%7.1f MB after finish() built %zu aggregate summaries\n",
              static_cast<unsigned long long>(events), static_cast<unsigned long long>(per_aggregate), static_cast<double>(bytes) / 1e6, stream_checks ? "on" : "off", seconds,
              static_cast<double>(events) / seconds, static_cast<unsigned long long>(findings), report.aggregates.size(),
              static_cast<double>(peak_before_finish_kib) / 1024.0, per_event, static_cast<double>(baseline_kib) / 1024.0,
              static_cast<double>(peak_kib) / 1024.0, report.aggregates.size());
  std::fflush(stdout);
  return findings == 0 ? 0 : 1;  // the generated stream is clean: a finding is a bug in the generator or the checks
}

}  // namespace

int main(int argc, char** argv) {
  struct Run {
    uint64_t events;
    bool checks;
    uint64_t per_aggregate;
  };
  std::vector<Run> runs;
  bool checks = true;
  uint64_t per_aggregate = 5;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--no-stream-checks") == 0) checks = false;
    else if (std::strcmp(argv[i], "--events-per-aggregate") == 0 && i + 1 < argc) per_aggregate = std::strtoull(argv[++i], nullptr, 10);
    else runs.push_back({std::strtoull(argv[i], nullptr, 10), checks, per_aggregate});
  }
  for (Run& r : runs) r.per_aggregate = r.per_aggregate < 1 ? 1 : r.per_aggregate;
  if (runs.empty()) runs = {{1000000, false, 5}, {1000000, true, 5}, {10000000, true, 5}, {1000000, true, 1}, {10000000, true, 1}};
  int status = 0;
  for (const Run& r : runs) {
    std::fflush(stdout);
    const pid_t child = fork();
    if (child == 0) _exit(run(r.events, r.checks, r.per_aggregate));
    int child_status = 0;
    waitpid(child, &child_status, 0);
    if (!WIFEXITED(child_status) || WEXITSTATUS(child_status) != 0) status = 1;
  }
  return status;
}
