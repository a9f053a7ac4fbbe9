// The report formats that stream each finding as it comes: text (one line each), github (workflow
// commands) and json (the findings array, then the summary and the run).
#include "report_format.hpp"

#include <string>

#include "report_json.hpp"

namespace msgevents::detail {
namespace {

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
    std::string out = several() ? std::string(inputs_++ ? "," : "") + "{\"file\":" + json_quote(label) + "," : "{";
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

}  // namespace

std::unique_ptr<Format> make_text_format(const RunInfo& run) { return std::make_unique<TextFormat>(run); }
std::unique_ptr<Format> make_github_format(const RunInfo& run) { return std::make_unique<GithubFormat>(run); }
std::unique_ptr<Format> make_json_format(const RunInfo& run) { return std::make_unique<JsonFormat>(run); }

}  // namespace msgevents::detail
