// The report writer: text, json, sarif, junit and github, streamed (see msgevents/report.hpp).
//
// Each format is a small class with the writer's five steps. What they share: the findings'
// text line and JSON (report_text.cpp, report_json.cpp), the totals, and the run metadata.
#include "msgevents/report.hpp"

#include <cstdio>
#include <string>
#include <unordered_map>
#include <utility>

#include "finding_factory.hpp"
#include "json_writer.hpp"
#include "report_json.hpp"
#include "msgevents/catalog.hpp"
#include "msgevents/rules.hpp"

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

namespace {

std::string quoted(std::string_view text) { return json_quote(text); }

std::string now_text(const RunInfo& run) {
  return run.options.now_unix_ms ? format_rfc3339_ms(*run.options.now_unix_ms) : std::string("none");
}

// The run in one line, for text and github: "run: msgevents 2.0.0, catalog 1.0.0, ...".
std::string run_line(const RunInfo& run, int64_t ended) {
  const size_t n = run.inputs.size();
  return "run: msgevents " + std::string(version()) + ", catalog " + builtin_catalog().catalog_version + ", profile " +
         std::string(to_string(run.options.profile)) + ", strict " + (run.options.strict ? "on" : "off") + ", clock " +
         terminal_safe(run.clock) + " " + now_text(run) + ", " + std::to_string(n) + (n == 1 ? " input" : " inputs") + ", " +
         format_rfc3339_ms(run.started_unix_ms) + " to " + format_rfc3339_ms(ended) + "\n";
}

// The run as a JSON object: the json format's "run".
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

class Format {
 public:
  explicit Format(const RunInfo& run) : run_(run) {}
  virtual ~Format() = default;
  virtual bool holds_back() const { return false; }
  virtual bool wants_events() const { return false; }
  virtual std::string begin() { return {}; }
  virtual std::string begin_input(std::string_view label) = 0;
  virtual std::string write(const std::vector<Finding>& findings, const std::vector<EventRecord>& events) = 0;
  virtual ReportParts end_input(const Report& report, const std::vector<EventRecord>& events) = 0;
  virtual ReportParts finish(const Summary& totals, int64_t ended) = 0;

 protected:
  bool several() const { return run_.inputs.size() > 1; }
  const RunInfo& run_;
};

// ---- text -------------------------------------------------------------------------------------

class TextFormat : public Format {
 public:
  using Format::Format;
  std::string begin_input(std::string_view label) override {
    label_ = label;
    return {};
  }
  std::string write(const std::vector<Finding>& findings, const std::vector<EventRecord>&) override {
    std::string out;
    for (const auto& f : findings) out += finding_to_text(label_, f);
    return out;
  }
  ReportParts end_input(const Report& report, const std::vector<EventRecord>& events) override {
    return {{}, write(report.findings, events) + summary_to_text(label_, report.summary)};
  }
  ReportParts finish(const Summary& totals, int64_t ended) override {
    return {{}, (several() ? summary_to_text("total", totals) : std::string()) + run_line(run_, ended)};
  }

 private:
  std::string label_;
};

// ---- github: workflow commands ----------------------------------------------------------------

// The escaping of GitHub's toolkit (command data: %, CR, LF; properties also ':' and ','), after
// terminal_safe, so that nothing in an event can start another command or reach the log raw.
std::string github_escape(std::string_view text, bool property) {
  std::string out;
  for (const char c : terminal_safe(text)) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else if (property && c == ':') out += "%3A";
    else if (property && c == ',') out += "%2C";
    else out.push_back(c);
  }
  return out;
}

class GithubFormat : public Format {
 public:
  using Format::Format;
  std::string begin_input(std::string_view label) override {
    file_ = github_escape(label, true);
    label_ = label;
    return {};
  }
  std::string write(const std::vector<Finding>& findings, const std::vector<EventRecord>&) override {
    std::string out;
    for (const auto& f : findings) {
      const char* command = f.severity >= Severity::Error ? "error" : f.severity == Severity::Warning ? "warning" : "notice";
      out += "::";
      out += command;
      out += " file=" + file_ + ",line=" + std::to_string(f.line) + ",col=" + std::to_string(f.column) + ",title=" +
             github_escape(f.code, true) + "::" + github_escape(std::string(to_string(f.severity)) + ": " + f.message, false) + "\n";
    }
    return out;
  }
  ReportParts end_input(const Report& report, const std::vector<EventRecord>& events) override {
    // Plain lines are shown in the log as they are; "msgevents: " first, so that no file name
    // can make one a command.
    return {{}, write(report.findings, events) + "msgevents: " + summary_to_text(label_, report.summary)};
  }
  ReportParts finish(const Summary& totals, int64_t ended) override {
    return {{}, (several() ? "msgevents: " + summary_to_text("total", totals) : std::string()) + "msgevents: " + run_line(run_, ended)};
  }

 private:
  std::string file_;
  std::string label_;
};

// ---- json -------------------------------------------------------------------------------------

class JsonFormat : public Format {
 public:
  using Format::Format;
  std::string begin() override { return several() ? "{\"files\":[" : std::string(); }
  std::string begin_input(std::string_view label) override {
    first_finding_ = true;
    std::string out = several() ? std::string(inputs_++ ? "," : "") + "{\"file\":" + quoted(label) + "," : "{";
    if (!several()) ++inputs_;
    return out + "\"findings\":[";
  }
  std::string write(const std::vector<Finding>& findings, const std::vector<EventRecord>&) override {
    std::string out;
    size_t size = 0;
    for (const auto& f : findings) size += 97 + f.code.size() + f.message.size() + f.pointer.size();
    out.reserve(size);
    for (const auto& f : findings) {
      if (!first_finding_) out.push_back(',');
      first_finding_ = false;
      detail::append_finding_json(out, f);
    }
    return out;
  }
  ReportParts end_input(const Report& report, const std::vector<EventRecord>& events) override {
    std::string out = write(report.findings, events) + "],\"summary\":" + summary_to_json(report.summary) +
                      ",\"aggregates\":" + aggregates_to_json(report.aggregates) +
                      ",\"aggregates_omitted\":" + std::to_string(report.aggregates_omitted);
    if (several()) out.push_back('}');  // one input: the object stays open for "run"
    return {{}, std::move(out)};
  }
  ReportParts finish(const Summary& totals, int64_t ended) override {
    if (several()) return {{}, "],\"summary\":" + summary_to_json(totals) + ",\"run\":" + run_json(run_, ended) + "}\n"};
    return {{}, std::string(inputs_ ? "," : "{") + "\"run\":" + run_json(run_, ended) + "}\n"};
  }

 private:
  size_t inputs_ = 0;
  bool first_finding_ = true;
};

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
    uri_ = quoted(uri_reference(label));
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
  std::string help_uri(std::string_view code) const { return run_.site_url + "#/checklist/" + std::string(code); }

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

// ---- junit ------------------------------------------------------------------------------------

// Text for XML: terminal_safe first (XML 1.0 cannot carry control characters at all, not even
// as character references), then the five markup characters, and U+FFFE and U+FFFF, which XML
// does not allow either.
std::string xml_text(std::string_view text) {
  const std::string safe = terminal_safe(text);
  std::string out;
  out.reserve(safe.size());
  for (size_t i = 0; i < safe.size(); ++i) {
    const char c = safe[i];
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else if (c == '\'') out += "&apos;";
    else if (c == '\xEF' && i + 2 < safe.size() && safe[i + 1] == '\xBF' && (safe[i + 2] == '\xBE' || safe[i + 2] == '\xBF')) {
      out += safe[i + 2] == '\xBE' ? "\\ufffe" : "\\uffff";
      i += 2;
    } else out.push_back(c);
  }
  return out;
}

class JunitFormat : public Format {
 public:
  using Format::Format;
  bool holds_back() const override { return true; }
  bool wants_events() const override { return true; }
  std::string begin_input(std::string_view label) override {
    label_ = label;
    classname_ = xml_text(label);
    tests_ = failures_ = 0;
    open_ = false;
    return {};
  }
  std::string write(const std::vector<Finding>& findings, const std::vector<EventRecord>& events) override {
    // Events and findings come in input order, an event's findings after it: merged, each event
    // is one test case, closed when the next one opens. Input-level findings are test cases of
    // their own.
    std::string out;
    size_t e = 0;
    for (const Finding& f : findings) {
      if (f.event_index < 0) {
        out += testcase("input " + std::to_string(f.line) + ":" + std::to_string(f.column), {f});
        continue;
      }
      while (!(open_ && open_event_.index == f.event_index) && e < events.size()) open_next(events[e++], out);
      if (open_ && open_event_.index == f.event_index) open_findings_.push_back(f);
      // A finding of an event not listed (cannot happen: every event is recorded) is dropped
      // rather than attached to the wrong test case.
    }
    while (e < events.size()) open_next(events[e++], out);
    return out;
  }
  ReportParts end_input(const Report& report, const std::vector<EventRecord>& events) override {
    std::string out = write(report.findings, events);
    close(out);
    out += "    <system-out>" + xml_text(summary_to_text(label_, report.summary)) + "</system-out>\n  </testsuite>\n";
    total_tests_ += tests_;
    total_failures_ += failures_;
    std::string head = "  <testsuite name=\"" + classname_ + "\" tests=\"" + std::to_string(tests_) + "\" failures=\"" +
                       std::to_string(failures_) + "\" errors=\"0\" skipped=\"0\" timestamp=\"" +
                       format_rfc3339_ms(run_.started_unix_ms) + "\">\n    <properties>\n";
    auto property = [&](std::string_view name, std::string_view value) {
      head += "      <property name=\"" + std::string(name) + "\" value=\"" + xml_text(value) + "\"/>\n";
    };
    property("tool", "msgevents");
    property("tool_version", version());
    property("catalog_version", builtin_catalog().catalog_version);
    property("profile", to_string(run_.options.profile));
    property("strict", run_.options.strict ? "true" : "false");
    property("clock", run_.clock);
    property("now", now_text(run_));
    for (const auto& input : run_.inputs) property("input", input);
    property("started_at", format_rfc3339_ms(run_.started_unix_ms));
    property("events", std::to_string(report.summary.events));
    head += "    </properties>\n";
    return {std::move(head), std::move(out)};
  }
  ReportParts finish(const Summary&, int64_t ended) override {
    const int64_t ms = ended - run_.started_unix_ms;
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%lld.%03lld", static_cast<long long>(ms / 1000), static_cast<long long>(ms % 1000));
    return {"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"msgevents\" tests=\"" + std::to_string(total_tests_) +
                "\" failures=\"" + std::to_string(total_failures_) + "\" errors=\"0\" skipped=\"0\" time=\"" + seconds +
                "\" timestamp=\"" + format_rfc3339_ms(run_.started_unix_ms) + "\">\n",
            "</testsuites>\n"};
  }

 private:
  void open_next(const EventRecord& event, std::string& out) {
    close(out);
    open_ = true;
    open_event_ = event;
  }
  void close(std::string& out) {
    if (!open_) return;
    open_ = false;
    out += testcase(std::to_string(open_event_.index) + " " + (open_event_.event_name.empty() ? "(no event_name)" : open_event_.event_name),
                    open_findings_);
    open_findings_.clear();
  }
  // One test case: failed when a finding is error or critical (the first such one is the
  // failure's message; the body lists them all), otherwise passed with its findings on system-out.
  std::string testcase(const std::string& name, const std::vector<Finding>& findings) {
    ++tests_;
    std::string out = "    <testcase name=\"" + xml_text(name) + "\" classname=\"" + classname_ + "\"";
    if (findings.empty()) return out + "/>\n";
    const Finding* failure = nullptr;
    std::string lines;
    for (const auto& f : findings) {
      if (!failure && f.severity >= Severity::Error) failure = &f;
      lines += xml_text(std::to_string(f.line) + ":" + std::to_string(f.column) + ": " + std::string(to_string(f.severity)) + " " + f.code +
                        " " + f.message) +
               "\n";
    }
    out += ">\n";
    if (failure) {
      ++failures_;
      out += "      <failure type=\"" + xml_text(failure->code) + "\" message=\"" + xml_text(failure->message) + "\">" + lines + "</failure>\n";
    } else {
      out += "      <system-out>" + lines + "</system-out>\n";
    }
    return out + "    </testcase>\n";
  }

  std::string label_;
  std::string classname_;
  uint64_t tests_ = 0, failures_ = 0, total_tests_ = 0, total_failures_ = 0;
  bool open_ = false;
  EventRecord open_event_;
  std::vector<Finding> open_findings_;  // at most an event's listed findings and its stream findings
};

std::unique_ptr<Format> make_format(ReportFormat format, const RunInfo& run) {
  switch (format) {
    case ReportFormat::Json: return std::make_unique<JsonFormat>(run);
    case ReportFormat::Sarif: return std::make_unique<SarifFormat>(run);
    case ReportFormat::Junit: return std::make_unique<JunitFormat>(run);
    case ReportFormat::Github: return std::make_unique<GithubFormat>(run);
    case ReportFormat::Text: break;
  }
  return std::make_unique<TextFormat>(run);
}

}  // namespace

struct ReportWriter::Impl {
  Impl(ReportFormat f, RunInfo r) : format(f), run(std::move(r)), writer(make_format(f, run)) {}
  ReportFormat format;
  RunInfo run;
  std::unique_ptr<Format> writer;  // refers to run
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
