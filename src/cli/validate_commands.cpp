// `msgevents validate`, `catalog` and `checklist`.
//
// validate maps each regular file into memory (mapped_file.hpp) and reads other input (standard
// input, pipes) in 1 MiB chunks, into a streaming validator, and hands the findings to
// the core's report writer (msgevents/report.hpp) as they are produced, so memory stays bounded
// whatever the file's size and every face (this CLI, the npm CLI, the page's downloads) writes the
// same bytes. JUnit cannot be written in order (a suite's counts open it): its parts go through
// temporary files and are put together at the end.
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include "commands.hpp"
#include "mapped_file.hpp"
#include "msgevents/catalog.hpp"
#include "msgevents/report.hpp"
#include "msgevents/rules.hpp"
#include "msgevents/validator.hpp"

namespace msgevents::cli {
namespace {

constexpr size_t kChunkBytes = 1 << 20;
// Each chunk is pushed in slices and the findings written after each: input as dense in findings
// as `{}` lines (8 findings in 3 bytes) then holds a few MB of findings at a time, not a GB.
constexpr size_t kSliceBytes = 16 << 10;
// A mapped file's pages are let go this far behind the bytes pushed, every kMappedStep: far more
// than the batches in flight hold (2 a checking thread, 128 at 64 jobs, of 128 KiB), so a page is
// seldom read twice.
constexpr size_t kMappedBehind = 32 << 20;
constexpr size_t kMappedStep = kMappedBehind / 8;

constexpr const char* kValidateUsage =
    "usage: msgevents validate [--profile internal|public] [--strict] [--now RFC3339]\n"
    "                          [--format text|json|sarif|junit|github] [--fail-on critical|error|warning|info]\n"
    "                          [--max-event-bytes N] [--max-findings N] [--jobs N] [--site-url URL] FILE... | -\n"
    "  --max-findings N: findings listed in all (default 100000); the summary counts the rest.\n"
    "  --jobs N: threads that check events (1 to 64; default one per core, and 1 for the npm CLI below 3 cores); the report is the same for any N.\n"
    "  exit status 1 when a finding is at or above --fail-on (default error), 2 for usage or I/O errors.\n"
    "  SOURCE_DATE_EPOCH (seconds), when set, is read instead of the system clock (reproducible reports).\n";

struct ValidateArgs {
  Options options = [] {
    Options defaults;
    defaults.jobs = 0;  // one worker per core
    return defaults;
  }();
  ReportFormat format = ReportFormat::Text;
  Severity fail_on = Severity::Error;
  std::string clock = "system";
  std::string site_url = std::string(kDefaultSiteUrl);
  std::vector<std::string> files;
};

bool is_site_url(const std::string& url) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) return false;
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F || c == '#' || c == '"' || c == '<' || c == '>' || c == '\\') return false;
  }
  return true;
}

// The clock: SOURCE_DATE_EPOCH when set (reproducible-builds.org's convention), else the system's.
std::optional<int64_t> clock_ms(std::string* problem) {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) {
    const std::string v = epoch;
    if (v.empty() || v.size() > 12 || v.find_first_not_of("0123456789") != std::string::npos) {
      *problem = "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not '" + v + "'";
      return std::nullopt;
    }
    return static_cast<int64_t>(std::stoll(v)) * 1000;
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Parses the arguments; returns an error message, or "" when they are valid.
std::string parse_args(const Args& args, ValidateArgs* parsed) {
  bool now_given = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    std::string v;
    if (arg == "--profile") {
      if (!value(&v)) return "--profile needs a value (internal or public)";
      const auto profile = parse_profile(v);
      if (!profile) return "--profile must be internal or public, not '" + v + "'";
      parsed->options.profile = *profile;
    } else if (arg == "--strict") {
      parsed->options.strict = true;
    } else if (arg == "--now") {
      if (!value(&v)) return "--now needs an RFC 3339 date-time";
      const auto now = parse_rfc3339_ms(v);
      if (!now) return "--now must be an RFC 3339 date-time such as 2025-11-05T14:03:27Z, not '" + v + "'";
      parsed->options.now_unix_ms = *now;
      now_given = true;
    } else if (arg == "--format") {
      if (!value(&v)) return "--format needs a value (" + std::string(report_format_names()) + ")";
      const auto format = parse_report_format(v);
      if (!format) return "--format must be one of " + std::string(report_format_names()) + ", not '" + v + "'";
      parsed->format = *format;
    } else if (arg == "--fail-on") {
      if (!value(&v)) return "--fail-on needs a severity (critical, error, warning or info)";
      const auto severity = parse_severity(v);
      if (!severity) return "--fail-on must be critical, error, warning or info, not '" + v + "'";
      parsed->fail_on = *severity;
    } else if (arg == "--site-url") {
      if (!value(&v) || !is_site_url(v)) return "--site-url needs an http:// or https:// URL without spaces, quotes or '#'";
      parsed->site_url = v;
    } else if (arg == "--max-event-bytes") {
      if (!value(&v) || v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 12 ||
          std::stoull(v) == 0) {
        return "--max-event-bytes needs a positive whole number of bytes";
      }
      parsed->options.max_event_bytes = std::stoull(v);
    } else if (arg == "--max-findings") {
      if (!value(&v) || v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 15 ||
          std::stoull(v) == 0) {
        return "--max-findings needs a positive whole number of findings";
      }
      parsed->options.max_findings = std::stoull(v);
    } else if (arg == "--jobs") {
      if (!value(&v) || v.empty() || v.size() > 2 || v.find_first_not_of("0123456789") != std::string::npos ||
          std::stoul(v) == 0 || std::stoul(v) > 64) {
        return "--jobs needs a whole number of threads from 1 to 64";
      }
      parsed->options.jobs = static_cast<uint32_t>(std::stoul(v));
    } else if (arg == "-" || (!arg.empty() && arg[0] != '-')) {
      parsed->files.push_back(arg);
    } else {
      return "unknown option '" + arg + "'";
    }
  }
  if (parsed->files.empty()) return "no input: give one or more FILEs, or - for standard input";
  if (now_given) parsed->clock = "--now";
  else if (std::getenv("SOURCE_DATE_EPOCH")) parsed->clock = "SOURCE_DATE_EPOCH";
  return {};
}

// One part of the report: written straight to the output, or kept in a temporary file when the
// format holds its parts back (JUnit), to be copied in place later.
class Part {
 public:
  explicit Part(std::ostream* out) : out_(out) {}
  Part(const Part&) = delete;
  Part& operator=(const Part&) = delete;
  ~Part() {
    if (file_) std::fclose(file_);
  }
  // Turns this part into a temporary file; false when none can be made.
  bool hold() {
    file_ = std::tmpfile();
    out_ = nullptr;
    return file_ != nullptr;
  }
  bool ok() const { return file_ ? !std::ferror(file_) : static_cast<bool>(*out_); }
  void write(std::string_view text) {
    if (text.empty()) return;
    if (file_) std::fwrite(text.data(), 1, text.size(), file_);
    else out_->write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  // Appends what this part holds to `to` and empties it (nothing to do when it writes through).
  void move_to(Part& to) {
    if (!file_) return;
    std::rewind(file_);
    std::vector<char> buffer(1 << 16);
    for (size_t got; (got = std::fread(buffer.data(), 1, buffer.size(), file_)) > 0;) to.write(std::string_view(buffer.data(), got));
    std::fclose(file_);
    file_ = std::tmpfile();
  }

 private:
  std::ostream* out_;
  std::FILE* file_ = nullptr;
};

// What the report says about the run.
RunInfo run_info(const ValidateArgs& parsed, int64_t started) {
  RunInfo run;
  run.options = parsed.options;
  run.clock = parsed.clock;
  for (const auto& file : parsed.files) run.inputs.push_back(file == "-" ? "<stdin>" : file);
  run.started_unix_ms = started;
  run.site_url = parsed.site_url;
  return run;
}

// One input, a mapped file or a stream, through a validator of its own, its findings written as
// they come: into input_part, its summary around them into report_part. False on a read error
// (reported to err).
bool validate_input(MappedFile* mapped, std::istream& in, const std::string& label, const Options& options,
                    ReportWriter& writer, Part& report_part, Part& input_part, std::vector<char>& chunk, std::ostream& err) {
  bool read_ok = true;
  input_part.write(writer.begin_input(label));
  Validator validator(options);
  auto push_in_slices = [&](std::string_view bytes, bool lasting) {
    for (size_t at = 0; at < bytes.size(); at += kSliceBytes) {
      if (lasting) validator.push_lasting(bytes.substr(at, kSliceBytes));
      else validator.push(bytes.substr(at, kSliceBytes));
      input_part.write(writer.write(validator.drain(), validator.drain_events()));
    }
  };
  if (mapped) {
    const std::string_view bytes = mapped->bytes();
    for (size_t at = 0; at < bytes.size(); at += kMappedStep) {
      push_in_slices(bytes.substr(at, kMappedStep), true);
      if (at > kMappedBehind) mapped->release_before(at - kMappedBehind);
    }
  } else {
    while (in) {
      in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      const std::streamsize got = in.gcount();
      if (got <= 0) break;
      push_in_slices(std::string_view(chunk.data(), static_cast<size_t>(got)), false);
    }
    if (in.bad()) {
      err << "msgevents validate: " << label << ": read error\n";
      read_ok = false;
    }
  }
  const Report report = validator.finish();
  const ReportParts parts = writer.end_input(report, validator.drain_events());
  report_part.write(parts.head);
  input_part.move_to(report_part);
  report_part.write(parts.tail);
  return read_ok;
}

}  // namespace

int run_validate(const Args& args, std::ostream& out, std::ostream& err) {
  for (const auto& arg : args) {
    if (arg == "--help" || arg == "-h") {
      out << kValidateUsage;
      return 0;
    }
  }
  ValidateArgs parsed;
  if (const std::string problem = parse_args(args, &parsed); !problem.empty()) {
    err << "msgevents validate: " << problem << '\n' << kValidateUsage;
    return 2;
  }
  std::string clock_problem;
  const std::optional<int64_t> started = clock_ms(&clock_problem);
  if (!started) {
    err << "msgevents validate: " << clock_problem << '\n';
    return 2;
  }
  // The core never reads the clock; the CLI passes the machine's (or SOURCE_DATE_EPOCH's).
  if (!parsed.options.now_unix_ms) parsed.options.now_unix_ms = *started;

  const RunInfo run = run_info(parsed, *started);
  ReportWriter writer(parsed.format, run);
  Options options = parsed.options;
  options.list_events = writer.wants_events();

  Part output(&out), report_part(&out), input_part(&out);
  if (writer.holds_back() && (!report_part.hold() || !input_part.hold())) {
    err << "msgevents validate: cannot make a temporary file for the " << to_string(parsed.format) << " report: " << std::strerror(errno) << '\n';
    return 2;
  }

  bool io_error = false;
  std::vector<char> chunk(kChunkBytes);
  report_part.write(writer.begin());
  for (size_t n = 0; n < parsed.files.size(); ++n) {
    const std::string& file = parsed.files[n];
    std::optional<MappedFile> mapped = file == "-" ? std::nullopt : MappedFile::open(file);
    std::ifstream stream;
    std::istream* in = &std::cin;
    if (file != "-" && !mapped) {
      stream.open(file, std::ios::binary);
      if (!stream) {
        err << "msgevents validate: " << file << ": " << std::strerror(errno) << '\n';
        io_error = true;
        continue;
      }
      in = &stream;
    }
    if (!validate_input(mapped ? &*mapped : nullptr, *in, run.inputs[n], options, writer, report_part, input_part, chunk, err)) io_error = true;
  }
  const std::optional<int64_t> ended = clock_ms(&clock_problem);
  const ReportParts parts = writer.finish(ended.value_or(*started));
  output.write(parts.head);
  report_part.move_to(output);
  output.write(parts.tail);
  if (!report_part.ok() || !input_part.ok()) {
    err << "msgevents validate: cannot write the temporary file of the " << to_string(parsed.format) << " report\n";
    return 2;
  }
  if (io_error) return 2;
  return fails(writer.totals(), parsed.fail_on) ? 1 : 0;
}

int run_catalog(const Args& args, std::ostream& out, std::ostream& err) {
  if (!args.empty()) {
    err << "usage: msgevents catalog\n";
    return 2;
  }
  out << catalog_to_json(builtin_catalog()) << '\n';
  return 0;
}

int run_checklist(const Args& args, std::ostream& out, std::ostream& err) {
  if (!args.empty()) {
    err << "usage: msgevents checklist\n";
    return 2;
  }
  out << checklist_markdown();
  return 0;
}

}  // namespace msgevents::cli
