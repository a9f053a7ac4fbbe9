// The JSON of the report's parts: what `--format json` is made of, and what the JS API returns.
// The report writer (report_writer.cpp) streams these; report_to_json() puts one report together.
#include <string>

#include "json_writer.hpp"
#include "msgevents/validator.hpp"

namespace msgevents {
namespace {
void write_finding(detail::JsonWriter& json, const Finding& f) {
  json.begin_object();
  json.key("code").string(f.code);
  json.key("severity").string(to_string(f.severity));
  json.key("message").string(f.message);
  json.key("pointer").string(f.pointer);
  json.key("line").number(f.line);
  json.key("column").number(f.column);
  json.key("event_index").number(f.event_index);
  json.end_object();
}
}  // namespace

std::string finding_to_json(const Finding& finding) {
  detail::JsonWriter json;
  write_finding(json, finding);
  return json.take();
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
  detail::JsonWriter json;
  json.begin_object();
  json.key("summary").raw(summary_to_json(report.summary));
  json.key("findings").begin_array();
  for (const auto& f : report.findings) write_finding(json, f);
  json.end_array();
  json.key("aggregates").raw(aggregates_to_json(report.aggregates));
  json.key("aggregates_omitted").number(report.aggregates_omitted);
  json.end_object();
  return json.take();
}

}  // namespace msgevents
