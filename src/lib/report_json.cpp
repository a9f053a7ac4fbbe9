// The JSON of the report's parts: what `--format json` is made of, and what the JS API returns.
// The report writer (report_writer.cpp) streams these; report_to_json() puts one report together.
#include <charconv>
#include <string>

#include "json_writer.hpp"
#include "report_json.hpp"
#include "msgevents/validator.hpp"

namespace msgevents {
namespace detail {
namespace {

template <typename Integer>
void append_number(std::string& out, Integer value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, static_cast<size_t>(end - digits));
}

// About the bytes append_finding_json writes for `f` (its fixed text and numbers are under 96),
// so a buffer can be sized once, before the findings are written.
size_t finding_json_size_hint(const Finding& f) { return 96 + f.code.size() + f.message.size() + f.pointer.size(); }

}  // namespace

// What a JsonWriter writes for the object (compact), written straight into `out`: the member
// names are constants that need no escaping, and so are the severities.
void append_finding_json(std::string& out, const Finding& f) {
  out += "{\"code\":\"";
  JsonWriter::escape_into(out, f.code);
  out += "\",\"severity\":\"";
  out += to_string(f.severity);
  out += "\",\"message\":\"";
  JsonWriter::escape_into(out, f.message);
  out += "\",\"pointer\":\"";
  JsonWriter::escape_into(out, f.pointer);
  out += "\",\"line\":";
  append_number(out, f.line);
  out += ",\"column\":";
  append_number(out, f.column);
  out += ",\"event_index\":";
  append_number(out, f.event_index);
  out += '}';
}

}  // namespace detail

std::string finding_to_json(const Finding& finding) {
  std::string out;
  out.reserve(detail::finding_json_size_hint(finding));
  detail::append_finding_json(out, finding);
  return out;
}

std::string summary_to_json(const Summary& s) {
  detail::JsonWriter json;
  json.begin_object();
  json.key("events").number(s.events);
  json.key("critical").number(s.critical);
  json.key("error").number(s.error);
  json.key("warning").number(s.warning);
  json.key("info").number(s.info);
  if (s.incomplete()) {
    json.key("incomplete").boolean(true);
    json.key("findings_omitted").number(s.findings_omitted);
    json.key("events_skipped").number(s.events_skipped);
    json.key("input_rejected").boolean(s.input_rejected);
  }
  json.end_object();
  return json.take();
}

std::string aggregates_to_json(const std::vector<AggregateSummary>& aggregates) {
  detail::JsonWriter json;
  json.begin_array();
  for (const auto& a : aggregates) {
    json.begin_object();
    json.key("aggregate_type").string(a.aggregate_type);
    json.key("aggregate_id").string(a.aggregate_id);
    json.key("events").number(a.events);
    json.key("first_version").number(a.first_version);
    json.key("last_version").number(a.last_version);
    json.key("final_state").string(a.final_state);
    json.key("problems").number(a.problems);
    json.end_object();
  }
  json.end_array();
  return json.take();
}

std::string json_quote(std::string_view text) {
  detail::JsonWriter json;
  json.string(text);
  return json.take();
}

std::string report_to_json(const Report& report) {
  // {"summary":...,"findings":[...],"aggregates":[...],"aggregates_omitted":N}, as a JsonWriter
  // writes it, in one buffer sized beforehand: a report of many findings is not copied as it grows.
  const std::string summary = summary_to_json(report.summary);
  const std::string aggregates = aggregates_to_json(report.aggregates);
  size_t size = 80 + summary.size() + aggregates.size();
  for (const auto& f : report.findings) size += detail::finding_json_size_hint(f);
  std::string out;
  out.reserve(size);
  out += "{\"summary\":";
  out += summary;
  out += ",\"findings\":[";
  for (size_t i = 0; i < report.findings.size(); ++i) {
    if (i > 0) out += ',';
    detail::append_finding_json(out, report.findings[i]);
  }
  out += "],\"aggregates\":";
  out += aggregates;
  out += ",\"aggregates_omitted\":";
  detail::append_number(out, report.aggregates_omitted);
  out += '}';
  return out;
}

}  // namespace msgevents
