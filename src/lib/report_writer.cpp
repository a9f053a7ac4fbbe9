// The report writer: text, json, sarif, junit and github, streamed (see msgevents/report.hpp).
//
// Each format is a small class with the writer's five steps (report_format.hpp), in a file of its
// own: report_line_formats.cpp (text, github, json), report_sarif.cpp, report_junit.cpp. What
// they share: the findings' text line and JSON (report_text.cpp, report_json.cpp), the totals, and
// the run metadata, written here.
#include "msgevents/report.hpp"

#include <cstdio>
#include <string>
#include <utility>

#include "finding_factory.hpp"
#include "json_writer.hpp"
#include "report_format.hpp"
#include "msgevents/catalog.hpp"

#ifndef MSGEVENTS_VERSION
#error "MSGEVENTS_VERSION must be defined (the project's version, set by CMake)"
#endif

namespace msgevents {

std::string_view version() { return MSGEVENTS_VERSION; }

std::optional<ReportFormat> parse_report_format(std::string_view text) {
  if (text == "text") return ReportFormat::Text;
  if (text == "json") return ReportFormat::Json;
  if (text == "sarif") return ReportFormat::Sarif;
  if (text == "junit") return ReportFormat::Junit;
  if (text == "github") return ReportFormat::Github;
  return std::nullopt;
}

std::string_view to_string(ReportFormat format) {
  switch (format) {
    case ReportFormat::Text: return "text";
    case ReportFormat::Json: return "json";
    case ReportFormat::Sarif: return "sarif";
    case ReportFormat::Junit: return "junit";
    case ReportFormat::Github: return "github";
  }
  return "text";
}

std::string_view report_format_names() { return "text|json|sarif|junit|github"; }

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "critical") return Severity::Critical;
  if (text == "error") return Severity::Error;
  if (text == "warning") return Severity::Warning;
  if (text == "info") return Severity::Info;
  return std::nullopt;
}

bool fails(const Summary& s, Severity threshold) {
  uint64_t n = s.critical;
  if (threshold <= Severity::Error) n += s.error;
  if (threshold <= Severity::Warning) n += s.warning;
  if (threshold <= Severity::Info) n += s.info;
  return n > 0;
}

std::string format_rfc3339_ms(int64_t unix_ms) {
  // Floor division, so times before 1970 come out right too.
  int64_t days = unix_ms / 86400000;
  int64_t ms = unix_ms % 86400000;
  if (ms < 0) {
    ms += 86400000;
    --days;
  }
  // Civil date from days since the epoch (H. Hinnant's algorithm, proleptic Gregorian).
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(year),
                static_cast<long long>(month), static_cast<long long>(day), static_cast<long long>(ms / 3600000),
                static_cast<long long>(ms / 60000 % 60), static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
  return buffer;
}

namespace detail {

std::string now_text(const RunInfo& run) {
  return run.options.now_unix_ms ? format_rfc3339_ms(*run.options.now_unix_ms) : std::string("none");
}

std::string run_line(const RunInfo& run, int64_t ended) {
  const size_t n = run.inputs.size();
  return "run: msgevents " + std::string(version()) + ", catalog " + builtin_catalog().catalog_version + ", profile " +
         std::string(to_string(run.options.profile)) + ", strict " + (run.options.strict ? "on" : "off") + ", clock " +
         terminal_safe(run.clock) + " " + now_text(run) + ", " + std::to_string(n) + (n == 1 ? " input" : " inputs") + ", " +
         format_rfc3339_ms(run.started_unix_ms) + " to " + format_rfc3339_ms(ended) + "\n";
}

std::string run_json(const RunInfo& run, int64_t ended) {
  detail::JsonWriter json;
  json.begin_object();
  json.key("tool").string("msgevents");
  json.key("version").string(version());
  json.key("catalog_version").string(builtin_catalog().catalog_version);
  json.key("profile").string(to_string(run.options.profile));
  json.key("strict").boolean(run.options.strict);
  json.key("clock").string(run.clock);
  json.key("now");
  if (run.options.now_unix_ms) json.string(format_rfc3339_ms(*run.options.now_unix_ms));
  else json.null();
  json.key("inputs").begin_array();
  for (const auto& input : run.inputs) json.string(input);
  json.end_array();
  json.key("started_at").string(format_rfc3339_ms(run.started_unix_ms));
  json.key("ended_at").string(format_rfc3339_ms(ended));
  json.end_object();
  return json.take();
}

}  // namespace detail

namespace {

std::unique_ptr<detail::Format> make_format(ReportFormat format, const RunInfo& run) {
  switch (format) {
    case ReportFormat::Json: return detail::make_json_format(run);
    case ReportFormat::Sarif: return detail::make_sarif_format(run);
    case ReportFormat::Junit: return detail::make_junit_format(run);
    case ReportFormat::Github: return detail::make_github_format(run);
    case ReportFormat::Text: break;
  }
  return detail::make_text_format(run);
}

}  // namespace

struct ReportWriter::Impl {
  Impl(ReportFormat f, RunInfo r) : format(f), run(std::move(r)), writer(make_format(f, run)) {}
  ReportFormat format;
  RunInfo run;
  std::unique_ptr<detail::Format> writer;  // refers to run
  Summary totals;
};

ReportWriter::ReportWriter(ReportFormat format, RunInfo run) : impl_(std::make_unique<Impl>(format, std::move(run))) {}
ReportWriter::~ReportWriter() = default;
ReportWriter::ReportWriter(ReportWriter&&) noexcept = default;
ReportWriter& ReportWriter::operator=(ReportWriter&&) noexcept = default;

ReportFormat ReportWriter::format() const { return impl_->format; }
bool ReportWriter::holds_back() const { return impl_->writer->holds_back(); }
bool ReportWriter::wants_events() const { return impl_->writer->wants_events(); }
std::string ReportWriter::begin() { return impl_->writer->begin(); }
std::string ReportWriter::begin_input(std::string_view label) { return impl_->writer->begin_input(label); }
std::string ReportWriter::write(const std::vector<Finding>& findings, const std::vector<EventRecord>& events) {
  return impl_->writer->write(findings, events);
}
ReportParts ReportWriter::end_input(const Report& report, const std::vector<EventRecord>& events) {
  detail::add_to(impl_->totals, report.summary);
  return impl_->writer->end_input(report, events);
}
ReportParts ReportWriter::finish(int64_t ended_unix_ms) { return impl_->writer->finish(impl_->totals, ended_unix_ms); }
const Summary& ReportWriter::totals() const { return impl_->totals; }

}  // namespace msgevents
