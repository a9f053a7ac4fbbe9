// One report format of the report writer (report_writer.cpp): the writer's five steps, each
// returning the report's next bytes. Each format lives in its own file (report_line_formats.cpp:
// text, github and json; report_sarif.cpp; report_junit.cpp) and is made through its make_*.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "msgevents/report.hpp"

namespace msgevents::detail {

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

// The time the run takes as now (RFC 3339 with milliseconds), or "none".
std::string now_text(const RunInfo& run);
// The run in one line, for text and github: "run: msgevents 2.0.0, catalog 1.0.0, ...".
std::string run_line(const RunInfo& run, int64_t ended);
// The run as a JSON object: the json format's "run", SARIF's invocation properties.
std::string run_json(const RunInfo& run, int64_t ended);

std::unique_ptr<Format> make_text_format(const RunInfo& run);
std::unique_ptr<Format> make_github_format(const RunInfo& run);
std::unique_ptr<Format> make_json_format(const RunInfo& run);
std::unique_ptr<Format> make_sarif_format(const RunInfo& run);
std::unique_ptr<Format> make_junit_format(const RunInfo& run);

}  // namespace msgevents::detail
