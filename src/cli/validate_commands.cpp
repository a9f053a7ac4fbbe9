// `msgevents validate`, `catalog` and `checklist`.
//
// validate reads each file in 1 MiB chunks into a streaming validator and writes findings as they
// are produced, so memory stays bounded whatever the file's size. JSON output therefore lists the
// findings before the summary: {"findings": [...], "summary": {...}, "aggregates": [...]} for one
// file; for several, {"files": [{"file": NAME, "findings", "summary", "aggregates"}, ...],
// "summary": totals}. Key order carries no meaning; the keys are those of the library's report.
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <vector>

#include "commands.hpp"
#include "msgevents/catalog.hpp"
#include "msgevents/rules.hpp"
#include "msgevents/validator.hpp"

namespace msgevents::cli {
namespace {

constexpr size_t kChunkBytes = 1 << 20;
// Each chunk is pushed in slices and the findings written after each: input as dense in findings
// as `{}` lines (8 findings in 3 bytes) then holds a few MB of findings at a time, not a GB.
constexpr size_t kSliceBytes = 16 << 10;

constexpr const char* kValidateUsage =
    "usage: msgevents validate [--profile internal|public] [--strict] [--now RFC3339] [--format text|json]\n"
    "                          [--max-event-bytes N] FILE... | -\n";

struct ValidateArgs {
  Options options;
  bool json = false;
  std::vector<std::string> files;
};

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
      if (!value(&v)) return "--format needs a value (text or json)";
      if (v != "text" && v != "json") return "--format must be text or json, not '" + v + "'";
      parsed->json = v == "json";
    } else if (arg == "--max-event-bytes") {
      if (!value(&v) || v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 12 ||
          std::stoull(v) == 0) {
        return "--max-event-bytes needs a positive whole number of bytes";
      }
      parsed->options.max_event_bytes = std::stoull(v);
    } else if (arg == "-" || (!arg.empty() && arg[0] != '-')) {
      parsed->files.push_back(arg);
    } else {
      return "unknown option '" + arg + "'";
    }
  }
  if (parsed->files.empty()) return "no input: give one or more FILEs, or - for standard input";
  if (!now_given) {
    // The core never reads the clock; the CLI passes the machine's.
    parsed->options.now_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count();
  }
  return {};
}

void add_to(Summary& total, const Summary& s) {
  total.events += s.events;
  total.critical += s.critical;
  total.error += s.error;
  total.warning += s.warning;
  total.info += s.info;
  total.findings_omitted += s.findings_omitted;
  total.events_skipped += s.events_skipped;
  total.input_rejected = total.input_rejected || s.input_rejected;
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
  const bool several = parsed.files.size() > 1;
  Summary total;
  bool io_error = false;
  std::vector<char> chunk(kChunkBytes);
  if (parsed.json && several) out << "{\"files\":[";
  bool first_file = true;
  for (const std::string& file : parsed.files) {
    std::ifstream stream;
    std::istream* in = &std::cin;
    if (file != "-") {
      stream.open(file, std::ios::binary);
      if (!stream) {
        err << "msgevents validate: " << file << ": " << std::strerror(errno) << '\n';
        io_error = true;
        continue;
      }
      in = &stream;
    }
    const std::string label = file == "-" ? "<stdin>" : file;
    if (parsed.json) {
      if (several) {
        out << (first_file ? "" : ",") << "{\"file\":" << json_quote(label) << ',';
      } else {
        out << '{';
      }
      out << "\"findings\":[";
    }
    first_file = false;
    bool first_finding = true;
    auto emit = [&](const std::vector<Finding>& findings) {
      for (const Finding& f : findings) {
        if (parsed.json) {
          out << (first_finding ? "" : ",") << finding_to_json(f);
          first_finding = false;
        } else {
          out << finding_to_text(label, f);
        }
      }
    };
    Validator validator(parsed.options);
    while (*in) {
      in->read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      const std::streamsize got = in->gcount();
      if (got <= 0) break;
      const std::string_view bytes(chunk.data(), static_cast<size_t>(got));
      for (size_t at = 0; at < bytes.size(); at += kSliceBytes) {
        validator.push(bytes.substr(at, kSliceBytes));
        emit(validator.drain());
      }
    }
    if (in->bad()) {
      err << "msgevents validate: " << label << ": read error\n";
      io_error = true;
    }
    const Report report = validator.finish();
    emit(report.findings);
    add_to(total, report.summary);
    if (parsed.json) {
      out << "],\"summary\":" << summary_to_json(report.summary) << ",\"aggregates\":" << aggregates_to_json(report.aggregates)
          << ",\"aggregates_omitted\":" << report.aggregates_omitted << '}';
    } else {
      out << summary_to_text(label, report.summary);
    }
  }
  if (parsed.json && several) out << "],\"summary\":" << summary_to_json(total) << '}';
  if (parsed.json) out << '\n';
  if (!parsed.json && several) out << summary_to_text("total", total);
  if (io_error) return 2;
  return total.critical + total.error > 0 ? 1 : 0;
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
