// The JUnit XML report: one testsuite per input, one testcase per event (held back until the
// input ends, when the counts are known).
#include "report_format.hpp"

#include <string>

#include "msgevents/catalog.hpp"

namespace msgevents::detail {
namespace {

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

}  // namespace

std::unique_ptr<Format> make_junit_format(const RunInfo& run) { return std::make_unique<JunitFormat>(run); }

}  // namespace msgevents::detail
