// Time per MiB of adversarial inputs next to ordinary events: every input must cost linear time,
// so each class is measured at two sizes (the time per MiB must not grow with the size) and
// compared with ordinary events (target: under 3x their time per MiB).
//
//   adversarial_bench [--quick] [--cli PATH]
//   adversarial_bench --write DIR   writes each class's inputs (both sizes) to DIR, to profile one
//                                   of them alone (valgrind --tool=callgrind msgevents validate F)
//
// With --cli, also the peak resident memory of `PATH validate --jobs J -` (the native CLI, a
// process of its own, reading its standard input) on the inputs that make the most findings and
// events a byte, at two sizes each: it must not grow with the input where nothing is remembered
// per event.
//
// Each input is validated as the CLI does it (pushed in slices, findings drained and written as
// JSON to a discarded buffer), so the cost of making and writing findings counts. Redaction and
// the change-policy checker are measured on their own worst cases the same way.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rapidjson/document.h>
#include <rapidjson/writer.h>

#include "corpus.hpp"
#include "msgevents/catalog.hpp"
#include "msgevents/compat.hpp"
#include "msgevents/redact.hpp"
#include "msgevents/validator.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kMiB = 1024.0 * 1024.0;

double best_seconds(int rounds, const std::function<void()>& run) {
  double best = 1e300;
  for (int r = 0; r < rounds; ++r) {
    const auto start = Clock::now();
    run();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
  }
  return best;
}

// As `msgevents validate --format json`: slices of the input, each slice's findings written out.
volatile size_t g_bytes_written = 0;

// Validates and writes each finding as JSON, as the CLI does; returns the events read.
uint64_t validate_like_cli(const std::string& input, const msgevents::Options& options) {
  msgevents::Validator validator(options);
  size_t written = 0;
  constexpr size_t kSlice = 64 * 1024;
  for (size_t at = 0; at < input.size(); at += kSlice) {
    validator.push(std::string_view(input).substr(at, kSlice));
    for (const auto& f : validator.drain()) written += msgevents::finding_to_json(f).size();
  }
  const msgevents::Report report = validator.finish();
  for (const auto& f : report.findings) written += msgevents::finding_to_json(f).size();
  g_bytes_written = written;  // so that the writing is not optimised away
  return report.summary.events;
}

std::string example_of(const char* event_name) {
  const msgevents::EventSpec* spec = msgevents::builtin_catalog().find_event(event_name);
  return spec->examples.at(0);
}

std::string to_text(const rapidjson::Document& doc) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// One event of about `bytes` bytes: `edit` fills one payload member of an example event.
std::string one_big_event(const char* event_name, size_t bytes, const std::function<void(rapidjson::Document&, size_t)>& edit) {
  rapidjson::Document doc;
  const std::string example = example_of(event_name);
  doc.Parse(example.data(), example.size());
  edit(doc, bytes);
  return to_text(doc);
}

// Free text of digits and spaces: every digit could start a phone number.
std::string long_free_text(size_t bytes) {
  return one_big_event("CustomerDisabled", bytes, [](rapidjson::Document& doc, size_t n) {
    std::string text;
    while (text.size() < n) text += "1 2 3 4 5 6 7 8 9 0 12 345 6789 ";
    doc["payload"]["note"].SetString(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), doc.GetAllocator());
  });
}

// Free text of '@' between letters: every '@' could be an e-mail address.
std::string long_at_signs(size_t bytes) {
  return one_big_event("CustomerDisabled", bytes, [](rapidjson::Document& doc, size_t n) {
    std::string text;
    while (text.size() < n) text += "aaaaaaa@bbbbbbb.c ";
    doc["payload"]["note"].SetString(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), doc.GetAllocator());
  });
}

// An array of items of the wrong type: a finding for each.
std::string huge_bad_array(size_t bytes) {
  return one_big_event("CustomerUpdated", bytes, [](rapidjson::Document& doc, size_t n) {
    rapidjson::Value& items = doc["payload"]["changed_fields"];
    items.SetArray();
    for (size_t i = 0; i < n / 2; ++i) items.PushBack(1, doc.GetAllocator());
  });
}

// Many members no catalog defines, half of them named like credentials, and huge numbers.
std::string wide_object(size_t bytes) {
  return one_big_event("CustomerCreated", bytes, [](rapidjson::Document& doc, size_t n) {
    rapidjson::Value& payload = doc["payload"];
    for (size_t i = 0; i * 24 < n; ++i) {
      const std::string name = (i % 2 ? "token_" : "extra_") + std::to_string(i);
      rapidjson::Value key(name.c_str(), static_cast<rapidjson::SizeType>(name.size()), doc.GetAllocator());
      payload.AddMember(key, rapidjson::Value(int64_t{9007199254740993}), doc.GetAllocator());  // beyond 2^53
    }
  });
}

// Objects nested past the depth limit, one after another.
std::string deep_objects(size_t bytes) {
  std::string out;
  while (out.size() < bytes) {
    std::string event;
    for (int d = 0; d < 200; ++d) event += "{\"token\":";
    event += "1";
    event.append(200, '}');
    out += event + "\n";
  }
  return out;
}

// One aggregate, every other version first (a gap each), then the missing ones (a late delivery each).
std::string many_gaps(size_t bytes) {
  rapidjson::Document doc;
  const std::string example = example_of("CustomerUpdated");
  doc.Parse(example.data(), example.size());
  auto with_version = [&doc](uint64_t v) {
    doc["version"].SetUint64(v);
    return to_text(doc) + "\n";
  };
  const size_t line_size = with_version(2).size();
  const uint64_t pairs = bytes / line_size / 2 + 1;
  std::string out;
  for (uint64_t i = 1; i <= pairs; ++i) out += with_version(2 * i);      // 2, 4, 6, ...: a gap each
  for (uint64_t i = 1; i <= pairs; ++i) out += with_version(2 * i + 1);  // 3, 5, 7, ...: each fills a hole
  return out;
}

std::string empty_objects(size_t bytes) {
  std::string out;
  while (out.size() < bytes) out += "{}\n";
  return out;
}

std::string ordinary(size_t bytes) {
  std::string corpus = msgevents::bench::make_corpus(bytes / 400 + 100);
  corpus.resize(std::min(corpus.size(), bytes));
  corpus.resize(corpus.rfind('\n') + 1);
  return corpus;
}

// A catalog whose first event type has `fields` extra optional fields.
std::string catalog_with_extra_fields(size_t fields) {
  rapidjson::Document doc;
  const std::string catalog = msgevents::catalog_to_json(msgevents::builtin_catalog());
  doc.Parse(catalog.data(), catalog.size());
  rapidjson::Value& list = doc["events"][0]["fields"];
  for (size_t i = 0; i < fields; ++i) {
    rapidjson::Value field(rapidjson::kObjectType);
    const std::string name = "extra_" + std::to_string(i);
    field.AddMember("name", rapidjson::Value(name.c_str(), static_cast<rapidjson::SizeType>(name.size()), doc.GetAllocator()), doc.GetAllocator());
    field.AddMember("type", "string", doc.GetAllocator());
    field.AddMember("required", false, doc.GetAllocator());
    field.AddMember("privacy", "internal", doc.GetAllocator());
    field.AddMember("description", "An extra field.", doc.GetAllocator());
    list.PushBack(field, doc.GetAllocator());
  }
  return to_text(doc);
}

// A class of input: its name and what makes it at a size.
struct Case {
  const char* name;
  std::function<std::string(size_t)> make;
};

// The peak resident memory (MB) of `cli validate --jobs J -` reading FILE on its standard input
// (a mapped file's pages would count too, up to 32 MiB of them: validate_commands.cpp), its output
// discarded, or -1 if it could not run or exited with a status other than 0 or 1 (findings).
double cli_peak_mb(const std::string& cli, const std::string& file, int jobs) {
  const std::string jobs_text = std::to_string(jobs);
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    const int in = open(file.c_str(), O_RDONLY), null = open("/dev/null", O_WRONLY);
    if (in < 0 || null < 0) _exit(127);
    dup2(in, 0);
    dup2(null, 1);
    dup2(null, 2);
    execl(cli.c_str(), cli.c_str(), "validate", "--jobs", jobs_text.c_str(), "-", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  struct rusage usage {};
  if (wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status) || WEXITSTATUS(status) > 1) return -1;
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

// The CLI's peak memory on `{}` lines and on ordinary events, two sizes each, one and two threads.
// A forked child inherits its parent's resident size, which the kernel counts in the child's peak
// even after exec: so the inputs are written by a child of their own, and the CLI is started from
// this process while it is still small (before any timing input is made).
int print_cli_memory(const std::string& cli, const std::vector<Case>& inputs) {
  // Sizes where a pile-up would show: `{}` lines are 3 bytes an event, each with findings; the
  // ordinary corpus remembers each event's identities (the stream state, ~48 bytes an event).
  const size_t sizes[2] = {size_t{4} << 20, size_t{16} << 20};  // 16 MiB of `{}` lines: 5.6 million events
  std::vector<std::string> paths;
  for (size_t i = 0; i < inputs.size() * 2; ++i) {
    char path[] = "/tmp/msgevents-bench-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) return 1;
    close(fd);
    paths.push_back(path);
  }
  const pid_t writer = fork();
  if (writer < 0) return 1;
  if (writer == 0) {
    for (size_t i = 0; i < paths.size(); ++i) std::ofstream(paths[i], std::ios::binary) << inputs[i / 2].make(sizes[i % 2]);
    _exit(0);
  }
  int status = 0;
  if (waitpid(writer, &status, 0) != writer || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
  std::printf("%-52s %9s %9s %9s %9s\n", "CLI peak RSS, MB (`validate --jobs J - <FILE`)", "J=1 small", "J=1 large", "J=2 small",
              "J=2 large");
  bool measured = true;
  for (size_t i = 0; i < inputs.size() && measured; ++i) {
    std::printf("%-52.52s", inputs[i].name);
    for (int jobs = 1; jobs <= 2; ++jobs) {
      for (int size = 0; size < 2; ++size) {
        const double peak = cli_peak_mb(cli, paths[i * 2 + size], jobs);
        measured = measured && peak >= 0;
        std::printf(" %9.1f", peak);
      }
    }
    std::printf("\n");
  }
  for (const std::string& path : paths) std::remove(path.c_str());
  if (!measured) return 1;  // the CLI did not run, or failed: -1 above
  std::printf("(small = %zu MiB, large = %zu MiB; `{}` lines must not grow from small to large)\n\n", sizes[0] >> 20, sizes[1] >> 20);
  return 0;
}

struct Row {
  std::string name;
  double small_s_per_mib;
  double large_s_per_mib;
  double large_s_per_event = 0;
};

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  std::string cli;  // --cli PATH: the native CLI whose peak memory is measured
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) quick = true;
    if (std::strcmp(argv[i], "--cli") == 0 && i + 1 < argc) cli = argv[++i];
  }
  const int rounds = quick ? 1 : 3;
  const size_t small = quick ? 256 * 1024 : 512 * 1024;
  const size_t large = quick ? 1024 * 1024 : 2 * 1024 * 1024;

  msgevents::Options options;
  options.now_unix_ms = 1798761600000;  // 2027-01-01: no catalog example is future-dated
  options.max_event_bytes = 4 << 20;    // single huge events are the point of some classes

  const std::vector<Case> cases = {
      {"ordinary events (generated corpus)", ordinary},
      {"one event, free text of digits and spaces", long_free_text},
      {"one event, free text of '@' between words", long_at_signs},
      {"one event, array of wrong-type items", huge_bad_array},
      {"one event, wide object (unknown, credential-named, huge numbers)", wide_object},
      {"objects nested past the depth limit", deep_objects},
      {"one aggregate, a gap per event, then each hole filled late", many_gaps},
      {"`{}` lines (8 findings each; 100,000 listed in all)", empty_objects},
  };

  if (!cli.empty() && print_cli_memory(cli, {cases.back(), cases.front()}) != 0) {  // `{}` lines, ordinary events
    std::fprintf(stderr, "adversarial_bench: could not measure the peak memory of %s\n", cli.c_str());
    return 1;
  }

  if (argc > 2 && std::strcmp(argv[1], "--write") == 0) {
    int number = 0;
    for (const Case& c : cases) {
      ++number;
      for (const size_t size : {small, large}) {
        const std::string path = std::string(argv[2]) + "/" + std::to_string(number) + "-" + std::to_string(size / 1024) + "k.ndjson";
        std::ofstream(path, std::ios::binary) << c.make(size);
        std::printf("%s  %s\n", path.c_str(), c.name);
      }
    }
    return 0;
  }

  std::vector<Row> rows;
  for (const Case& c : cases) {
    Row row{c.name, 0, 0};
    for (const size_t size : {small, large}) {
      const std::string input = c.make(size);
      uint64_t events = 0;
      const double s = best_seconds(rounds, [&] { events = validate_like_cli(input, options); });
      (size == small ? row.small_s_per_mib : row.large_s_per_mib) = s / (static_cast<double>(input.size()) / kMiB);
      if (size == large) row.large_s_per_event = s / static_cast<double>(std::max<uint64_t>(events, 1));
    }
    rows.push_back(row);
  }
  // Redaction of the worst free text, the same two sizes.
  {
    Row row{"redact: one event, free text of digits and spaces (public)", 0, 0};
    msgevents::RedactOptions redact_options;
    redact_options.profile = msgevents::Profile::Public;
    for (const size_t size : {small, large}) {
      const std::string input = long_free_text(size);
      const double s = best_seconds(rounds, [&] { (void)msgevents::redact(input, "bench-key", redact_options); });
      (size == small ? row.small_s_per_mib : row.large_s_per_mib) = s / (static_cast<double>(input.size()) / kMiB);
    }
    rows.push_back(row);
  }

  const double base = rows[0].large_s_per_mib;
  std::printf("%-66s %12s %12s %8s\n", "input", "ms/MiB small", "ms/MiB large", "vs ordinary");
  for (const Row& r : rows) {
    std::printf("%-66s %12.1f %12.1f %7.2fx\n", r.name.c_str(), r.small_s_per_mib * 1e3, r.large_s_per_mib * 1e3,
                r.large_s_per_mib / base);
  }
  std::printf("(small = %zu KiB, large = %zu KiB; best of %d; ms/MiB must not grow from small to large)\n", small / 1024,
              large / 1024, rounds);
  // A MiB of `{}` lines is 175 times as many events as a MiB of ordinary ones: per event it is the cheaper.
  const Row& empty = rows[rows.size() - 2];  // before the redaction row
  std::printf("per event: `{}` lines %.2f us, ordinary events %.2f us (%.2fx)\n", empty.large_s_per_event * 1e6,
              rows[0].large_s_per_event * 1e6, empty.large_s_per_event / rows[0].large_s_per_event);

  // The change-policy checker: time per extra field must not grow with their number.
  std::printf("\n%-66s %12s %12s\n", "compat: catalog with N extra fields", "N", "us/field");
  const std::string base_catalog = msgevents::catalog_to_json(msgevents::builtin_catalog());
  for (const size_t n : {size_t{10000}, size_t{40000}}) {
    const std::string bigger = catalog_with_extra_fields(n);
    const double s = best_seconds(rounds, [&] {
      std::string error;
      auto before = msgevents::parse_catalog(base_catalog, &error);
      auto after = msgevents::parse_catalog(bigger, &error);
      if (before && after) (void)msgevents::compare_catalogs(*before, *after);
    });
    std::printf("%-66s %12zu %12.2f\n", "parse both + compare", n, s / static_cast<double>(n) * 1e6);
  }
  return 0;
}
