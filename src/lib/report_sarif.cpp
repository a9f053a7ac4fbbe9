// The SARIF 2.1.0 report: one run, the rules of the registry, one result per finding and one
// artifact per input.
#include "report_format.hpp"

#include <string>

#include "msgevents/catalog.hpp"
#include <unordered_map>

#include "json_writer.hpp"
#include "msgevents/rules.hpp"

namespace msgevents::detail {
namespace {

// ---- sarif ------------------------------------------------------------------------------------

// SARIF's level for a severity: critical and error are "error", info is "note".
std::string_view sarif_level(Severity severity) {
  switch (severity) {
    case Severity::Critical:
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "note";
  }
  return "error";
}

// A file name as a URI reference: every byte but unreserved characters and '/' percent-encoded
// (so spaces, quotes, '%', ':' and control characters cannot change what it means); an absolute
// path as a file: URI, since SARIF resolves relative references against a base.
std::string uri_reference(std::string_view name) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out = !name.empty() && name[0] == '/' ? "file://" : "";
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                       c == '_' || c == '~' || c == '/';
    if (plain) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

// "envelope.event_id.format" -> "EnvelopeEventIdFormat": SARIF's rule name, an identifier.
std::string rule_name(std::string_view code) {
  std::string out;
  bool upper = true;
  for (const char c : code) {
    if (c == '.' || c == '_') {
      upper = true;
      continue;
    }
    out.push_back(upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    upper = false;
  }
  return out;
}

class SarifFormat : public Format {
 public:
  using Format::Format;
  std::string begin() override {
    detail::JsonWriter json;
    json.begin_object();
    json.key("name").string("msgevents");
    json.key("version").string(version());
    json.key("semanticVersion").string(version());
    json.key("informationUri").string(run_.site_url);
    json.key("rules").begin_array();
    for (const Rule& rule : rule_registry()) {
      rule_index_.emplace(rule.code, static_cast<uint64_t>(rule_index_.size()));
      json.begin_object();
      json.key("id").string(rule.code);
      json.key("name").string(rule_name(rule.code));
      json.key("shortDescription").begin_object().key("text").string(rule.title).end_object();
      json.key("fullDescription").begin_object().key("text").string(rule.explanation).end_object();
      json.key("helpUri").string(help_uri(rule.code));
      json.key("defaultConfiguration").begin_object().key("level").string(sarif_level(rule.severity)).end_object();
      json.key("properties").begin_object();
      json.key("category").string(rule.category);
      json.key("severity").string(to_string(rule.severity));
      json.key("escalation").string(rule.escalation == Escalation::Strict          ? "strict"
                                    : rule.escalation == Escalation::PublicProfile ? "public_profile"
                                                                                   : "none");
      json.end_object();
      json.end_object();
    }
    json.end_array();
    json.key("properties").begin_object().key("catalog_version").string(builtin_catalog().catalog_version).end_object();
    json.end_object();
    return "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":" +
           json.take() + "},\"columnKind\":\"unicodeCodePoints\",\"results\":[";
  }
  std::string begin_input(std::string_view label) override {
    artifact_ = artifacts_.size();
    uri_ = json_quote(uri_reference(label));
    label_ = label;
    return {};
  }
  std::string write(const std::vector<Finding>& findings, const std::vector<EventRecord>&) override {
    std::string out;
    for (const auto& f : findings) {
      if (results_++) out.push_back(',');
      out += result(f);
    }
    return out;
  }
  ReportParts end_input(const Report& report, const std::vector<EventRecord>& events) override {
    std::string out = write(report.findings, events);
    // The artifact is written at the end (after the results): kept until then, its summary and
    // aggregates (at most Options::max_aggregate_summaries of them).
    detail::JsonWriter json;
    json.begin_object();
    json.key("location").begin_object().key("uri").raw(uri_).end_object();
    json.key("roles").begin_array().string("analysisTarget").end_array();
    json.key("properties").begin_object();
    json.key("name").string(label_);
    json.key("summary").raw(summary_to_json(report.summary));
    json.key("aggregates").raw(aggregates_to_json(report.aggregates));
    json.key("aggregates_omitted").number(report.aggregates_omitted);
    json.end_object();
    json.end_object();
    artifacts_.push_back(json.take());
    return {{}, std::move(out)};
  }
  ReportParts finish(const Summary& totals, int64_t ended) override {
    std::string out = "],\"artifacts\":[";
    for (size_t i = 0; i < artifacts_.size(); ++i) out += (i ? "," : "") + artifacts_[i];
    detail::JsonWriter json;
    json.begin_array().begin_object();
    json.key("executionSuccessful").boolean(true);
    json.key("startTimeUtc").string(format_rfc3339_ms(run_.started_unix_ms));
    json.key("endTimeUtc").string(format_rfc3339_ms(ended));
    json.key("properties").raw(run_json(run_, ended));
    json.end_object().end_array();
    out += "],\"invocations\":" + json.take() + ",\"properties\":{\"summary\":" + summary_to_json(totals) + "}}]}\n";
    return {{}, std::move(out)};
  }

 private:
  // The checklist page itself (a static page, readable without JavaScript), at the rule's anchor.
  std::string help_uri(std::string_view code) const { return run_.site_url + "checklist/#" + std::string(code); }

  std::string result(const Finding& f) const {
    detail::JsonWriter json;
    json.begin_object();
    json.key("ruleId").string(f.code);
    if (const auto found = rule_index_.find(f.code); found != rule_index_.end()) json.key("ruleIndex").number(found->second);
    json.key("level").string(sarif_level(f.severity));
    json.key("message").begin_object().key("text").string(f.message).end_object();
    json.key("locations").begin_array().begin_object();
    json.key("physicalLocation").begin_object();
    json.key("artifactLocation").begin_object().key("uri").raw(uri_).key("index").number(static_cast<uint64_t>(artifact_)).end_object();
    if (f.line > 0) {
      json.key("region").begin_object().key("startLine").number(f.line);
      if (f.column > 0) json.key("startColumn").number(f.column);
      json.end_object();
    }
    json.end_object();
    if (f.event_index >= 0) {
      // The JSON Pointer is inside the event (event_index says which one).
      json.key("logicalLocations").begin_array().begin_object();
      const size_t slash = f.pointer.rfind('/');
      if (!f.pointer.empty()) json.key("name").string(f.pointer.substr(slash + 1));
      json.key("fullyQualifiedName").string(f.pointer);
      json.key("kind").string(f.pointer.empty() ? "object" : "value");
      json.end_object().end_array();
    }
    json.end_object().end_array();
    json.key("properties").begin_object();
    json.key("severity").string(to_string(f.severity));
    json.key("event_index").number(f.event_index);
    json.key("pointer").string(f.pointer);
    json.end_object();
    json.end_object();
    return json.take();
  }

  std::unordered_map<std::string_view, uint64_t> rule_index_;  // code -> index in the rules
  std::vector<std::string> artifacts_;
  size_t artifact_ = 0;
  uint64_t results_ = 0;
  std::string uri_;
  std::string label_;
};

}  // namespace

std::unique_ptr<Format> make_sarif_format(const RunInfo& run) { return std::make_unique<SarifFormat>(run); }

}  // namespace msgevents::detail
