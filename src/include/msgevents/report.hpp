// The report writer: one streaming writer for every face (native CLI, npm CLI, page downloads),
// so every face writes the same bytes. Formats: text, json, sarif (SARIF 2.1.0), junit (JUnit XML)
// and github (GitHub Actions workflow commands).
//
//   msgevents::RunInfo run;                      // what produced the report
//   run.options = options; run.clock = "system"; run.inputs = {"a.ndjson"}; run.started_unix_ms = t0;
//   msgevents::ReportWriter writer(msgevents::ReportFormat::Sarif, run);
//   out(writer.begin());
//   out(writer.begin_input("a.ndjson"));         // for each input
//   validator.push(bytes); out(writer.write(validator.drain(), validator.drain_events()));
//   Report r = validator.finish(); auto input = writer.end_input(r, validator.drain_events());
//   auto report = writer.finish(t1);
//
// Findings are written as they come and nothing is kept but counts, so memory stays bounded
// whatever the input. One format cannot stream: JUnit puts the counts of a test suite in its
// opening tag, known only at the end. So the output is always assembled as
//
//   finish.head + begin + for each input (end_input.head + begin_input + write... + end_input.tail)
//   + finish.tail
//
// For every format but JUnit the heads are empty (holds_back() is false), so the parts can be
// written in the order they come. For JUnit a caller keeps the parts aside (a temporary file,
// Blobs) and writes them in that order.
//
// Text from events and file names is made safe for where it goes: terminal_safe() for text and
// github, JSON escaping for json and sarif, XML escaping (control characters as visible escapes,
// which XML 1.0 cannot carry) for junit. No format's output ever holds a NUL byte.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "msgevents/validator.hpp"

namespace msgevents {

enum class ReportFormat { Text, Json, Sarif, Junit, Github };

std::optional<ReportFormat> parse_report_format(std::string_view text);
std::string_view to_string(ReportFormat format);
// The names every face accepts, for usage and error messages: "text|json|sarif|junit|github".
std::string_view report_format_names();
// The severity names for --fail-on: "critical", "error", "warning" or "info".
std::optional<Severity> parse_severity(std::string_view text);
// Whether the summary has a finding of `threshold` or worse (the exit status of --fail-on).
bool fails(const Summary& summary, Severity threshold);

// The tool's version (the project's).
std::string_view version();
// Where the site's checklist lives, for SARIF's helpUri: the address `npm start` serves.
inline constexpr std::string_view kDefaultSiteUrl = "http://127.0.0.1:8080/";

// What produced a report, written in every format.
struct RunInfo {
  Options options;                  // profile, strict and the clock's reading (now_unix_ms)
  std::string clock;                // where now_unix_ms came from: "system", "--now", "SOURCE_DATE_EPOCH"
  std::vector<std::string> inputs;  // the input names as given ("<stdin>" for standard input)
  int64_t started_unix_ms = 0;
  // Base of the site, ending in '/': a rule's helpUri is SITEchecklist/#CODE (the static checklist page).
  std::string site_url = std::string(kDefaultSiteUrl);
};

struct ReportParts {
  std::string head;  // goes before the part (empty unless holds_back())
  std::string tail;  // goes after it
};

class ReportWriter {
 public:
  ReportWriter(ReportFormat format, RunInfo run);
  ~ReportWriter();
  ReportWriter(ReportWriter&&) noexcept;
  ReportWriter& operator=(ReportWriter&&) noexcept;

  ReportFormat format() const;
  // True when the parts must be assembled in the order above (JUnit) rather than written as they come.
  bool holds_back() const;
  // True when write() needs the event records (set Options::list_events on the validator).
  bool wants_events() const;

  std::string begin();
  std::string begin_input(std::string_view label);
  // The findings (and, for JUnit, the events) drained since the last call.
  std::string write(const std::vector<Finding>& findings, const std::vector<EventRecord>& events = {});
  // The end of the input: its remaining findings and events, its summary and aggregates.
  ReportParts end_input(const Report& report, const std::vector<EventRecord>& events = {});
  // The end of the run: totals and what produced the report.
  ReportParts finish(int64_t ended_unix_ms);

  // The totals of the inputs ended so far.
  const Summary& totals() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The Unix time in ms as RFC 3339 UTC with milliseconds: "2025-11-05T14:03:27.000Z".
std::string format_rfc3339_ms(int64_t unix_ms);

}  // namespace msgevents
