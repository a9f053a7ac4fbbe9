// The validator module's Embind boundary (msgevents_wasm): what a validating page calls, and all
// that `import { createValidator } from 'msgevents'` downloads: validation (whole or in a
// session), the catalog, the checklist and rules, redaction and the report writer. The exports
// (JSON Schema, CloudEvents, compat) live in the tools module, tools_bindings.cpp, which the
// wrapper loads on first use; what both share (the error channel, results kept in the module,
// bytes in) is boundary.hpp, whose header comment describes the calling convention.
//
// Marshalling one string costs a few microseconds; a JS object built
// field by field across the boundary would cost far more than the validation itself.
//
// Adding a function to the module is one line in EMSCRIPTEN_BINDINGS below (a tool that a
// validating page never calls goes in tools_bindings.cpp instead).
#include <emscripten/bind.h>

#include <cmath>
#include <cstdint>
#include <exception>
#include <array>
#include <limits>
#include <map>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "boundary.hpp"
#include "msgevents/catalog.hpp"
#include "msgevents/redact.hpp"
#include "msgevents/report.hpp"
#include "msgevents/rules.hpp"
#include "msgevents/validator.hpp"

namespace msgevents::wasm {
namespace {

// The options object the wrapper always passes in full (it fills the defaults in JS).
struct JsOptions {
  bool public_profile = false;
  bool strict = false;
  bool has_now = false;
  double now_ms = 0;  // a JS number: exact for every millisecond timestamp up to 2^53
  double max_event_bytes = 1 << 20;
  double max_depth = 64;
};

// Redaction's options (its profile defaults to public, and it has no clock and no strict mode).
struct JsRedactOptions {
  bool public_profile = true;
  double max_event_bytes = 1 << 20;
  double max_depth = 64;
};

// The JS Date range: 8.64e15 ms either side of the epoch (ECMA-262 21.4.1.22).
constexpr double kMaxDateMs = 8.64e15;
constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 - 1: larger doubles skip integers

// A whole number in [1, max], or an exception: the wrapper checks options first, and this refuses
// what it let through rather than cast an out-of-range double (undefined behaviour).
double whole_number(double value, double max, const char* name) {
  if (!(value >= 1 && value <= max) || std::trunc(value) != value) {
    throw std::invalid_argument(std::string(name) + " must be a whole number from 1 to " + std::to_string(static_cast<uint64_t>(max)));
  }
  return value;
}

Options to_options(const JsOptions& js) {
  Options options;
  options.profile = js.public_profile ? Profile::Public : Profile::Internal;
  options.strict = js.strict;
  if (js.has_now) {
    if (!(std::fabs(js.now_ms) <= kMaxDateMs)) throw std::invalid_argument("now must be within the JS Date range (|ms| <= 8.64e15)");
    options.now_unix_ms = static_cast<int64_t>(std::trunc(js.now_ms));
  }
  options.max_event_bytes = static_cast<uint64_t>(whole_number(js.max_event_bytes, kMaxSafeInteger, "maxEventBytes"));
  options.max_depth = static_cast<uint32_t>(whole_number(js.max_depth, 4294967295.0, "maxDepth"));
  return options;
}

RedactOptions to_redact_options(const JsRedactOptions& js) {
  RedactOptions options;
  options.profile = js.public_profile ? Profile::Public : Profile::Internal;
  options.max_event_bytes = static_cast<uint64_t>(whole_number(js.max_event_bytes, kMaxSafeInteger, "maxEventBytes"));
  options.max_depth = static_cast<uint32_t>(whole_number(js.max_depth, 4294967295.0, "maxDepth"));
  return options;
}

// The findings as a JSON array, from the same finding_to_json the CLI uses.
std::string findings_to_json(const std::vector<Finding>& findings) {
  std::string out = "[";
  for (size_t i = 0; i < findings.size(); ++i) {
    if (i) out += ',';
    out += finding_to_json(findings[i]);
  }
  out += ']';
  return out;
}

double validate_bytes(uintptr_t pointer, size_t length, const JsOptions& js) {
  return stash(guarded("validate", [&] { return report_to_json(validate(bytes_at(pointer, length), to_options(js))); }));
}

std::string catalog_json(bool pretty) {
  return guarded("catalog", [&] { return catalog_to_json(builtin_catalog(), pretty); });
}

std::string checklist() {
  return guarded("checklist", [] { return checklist_markdown(); });
}

std::string rules_json() {
  return guarded("rules", [] { return rules_to_json(); });
}

// The core's RFC 3339 parser (the one the native CLI's --now uses); NaN when the text is not one.
double parse_date_time(uintptr_t pointer, size_t length) {
  const std::optional<int64_t> ms = parse_rfc3339_ms(bytes_at(pointer, length));
  return ms ? static_cast<double>(*ms) : std::numeric_limits<double>::quiet_NaN();
}

// A streaming session over one input. The JS wrapper owns the handle and delete()s it.
class Session {
 public:
  explicit Session(const JsOptions& js) {
    guarded("session", [&] {
      validator_ = Validator(to_options(js));
      ready_ = true;
      return std::string("ok");
    });
    if (!ready_) start_error_ = last_error_storage();
  }

  // Feeds the next bytes; returns the findings they completed, as a JSON array. The wrapper
  // pushes pieces of at most 16 KiB, so what one call returns stays a few MB at most.
  // A push that fails (out of memory) spends the session: a later finish() must not report the
  // summary of a stream that lost some of its events.
  double push(uintptr_t pointer, size_t length) {
    if (!ready_) return stash(refuse("push"));
    const double result = stash(guarded("push", [&] {
      validator_.push(bytes_at(pointer, length));
      return listed(validator_.drain());
    }));
    if (result == 0) {
      ready_ = false;
      start_error_ = last_error_storage() + " (the session is spent: its findings and summary would be incomplete)";
    }
    return result;
  }

  // Ends the input: the report of what push() has not returned, report_to_json's shape
  // ({"summary", "findings", "aggregates", "aggregates_omitted"}, what validate() returns).
  double finish() {
    if (!ready_) return stash(refuse("finish"));
    ready_ = false;
    return stash(guarded("finish", [&] { return report_to_json(validator_.finish()); }));
  }

  // Counts so far as {"events","critical","error","warning","info","bytes","rules"}: for
  // progress. "rules" counts the findings push() has returned or muted, by code and severity:
  // {"CODE": {"critical": n, "error": n, "warning": n, "info": n}}.
  std::string progress() const {
    return guarded("progress", [&] {
      const Summary& s = validator_.summary();
      std::string rules = "{";
      for (const auto& [code, n] : rules_) {
        rules += (rules.size() > 1 ? "," : "") + json_quote(code) + ":{\"critical\":" + std::to_string(n[3]) +
                 ",\"error\":" + std::to_string(n[2]) + ",\"warning\":" + std::to_string(n[1]) + ",\"info\":" + std::to_string(n[0]) + "}";
      }
      return "{\"events\":" + std::to_string(s.events) + ",\"critical\":" + std::to_string(s.critical) +
             ",\"error\":" + std::to_string(s.error) + ",\"warning\":" + std::to_string(s.warning) +
             ",\"info\":" + std::to_string(s.info) + ",\"bytes\":" + std::to_string(validator_.bytes_pushed()) +
             ",\"rules\":" + rules + "}}";
    });
  }

  // From now on push() counts this rule's findings but does not return them: a caller that
  // lists only the first findings of each rule (the page, on inputs with millions) then never
  // builds the others in JS at all. finish() returns every remaining finding.
  std::string mute(uintptr_t pointer, size_t length) {
    return guarded("mute", [&] {
      muted_.emplace(bytes_at(pointer, length));
      return std::string("ok");
    });
  }

 private:
  std::string refuse(const char* what) const {
    last_error_storage() = start_error_.empty() ? std::string(what) + ": the session is already finished" : start_error_;
    return std::string();
  }

  // The findings as a JSON array, less the muted rules', every one counted in rules_.
  std::string listed(std::vector<Finding> findings) {
    std::string out = "[";
    for (const Finding& f : findings) {
      ++rules_[f.code][static_cast<size_t>(f.severity)];
      if (!muted_.empty() && muted_.count(f.code)) continue;
      if (out.size() > 1) out += ',';
      out += finding_to_json(f);
    }
    return out + ']';
  }

  Validator validator_;
  bool ready_ = false;
  std::string start_error_;  // why the constructor failed, repeated by every later call
  std::map<std::string, std::array<uint64_t, 4>> rules_;  // by Severity (Info = 0 ... Critical = 3)
  std::unordered_set<std::string> muted_;
};

// A redaction of one input, whole (v.redact()) or chunk by chunk (the npm CLI). The events with
// every pii value replaced by redacted:<HMAC-SHA-256(key, value), 128 bits in hex>, the rest byte
// for byte, unreadable events withheld (msgevents/redact.hpp). The key is the caller's bytes: the
// core never draws one. push() and finish() each return the findings (a JSON array), '\0', the
// same findings in the report writer's text format under the label set by set_label() (what
// `msgevents redact` prints on stderr; "" without a label), '\0', then the output text (last, so
// that it may hold anything). A failure returns nothing (0), never the input.
class RedactSession {
 public:
  RedactSession(uintptr_t key_pointer, size_t key_length, const JsRedactOptions& js) {
    guarded("redact", [&] {
      if (key_length == 0) throw std::invalid_argument("the key is empty");
      redactor_.emplace(std::string(bytes_at(key_pointer, key_length)), to_redact_options(js));
      return std::string("ok");
    });
    if (!redactor_) start_error_ = last_error_storage();
  }

  void set_label(uintptr_t pointer, size_t length) { label_ = std::string(bytes_at(pointer, length)); }

  double push(uintptr_t pointer, size_t length) {
    if (!redactor_ || finished_) return stash(refuse());
    return stash(guarded("redact", [&] { return result(redactor_->push(bytes_at(pointer, length))); }));
  }

  double finish() {
    if (!redactor_ || finished_) return stash(refuse());
    finished_ = true;
    return stash(guarded("redact", [&] { return result(redactor_->finish()); }));
  }

 private:
  std::string refuse() const {
    last_error_storage() = start_error_.empty() ? "redact: the redaction is already finished" : start_error_;
    return std::string();
  }

  std::string result(std::string text) {
    const std::vector<Finding> findings = redactor_->drain();
    std::string lines;
    if (label_) {
      for (const Finding& f : findings) lines += finding_to_text(*label_, f);
    }
    return findings_to_json(findings) + '\0' + lines + '\0' + text;
  }

  std::optional<Redactor> redactor_;
  std::optional<std::string> label_;
  bool finished_ = false;
  std::string start_error_;
};

// A report over one or more inputs, written by the core's report writer (msgevents/report.hpp)
// in any format: what the npm CLI prints and the page downloads, byte for byte the native CLI's.
// The JS side only reads the inputs and writes the text that comes back.
//
// The constructor takes the strings as one buffer of NUL-separated UTF-8: the format, the clock,
// the site URL, then the input names. Every call's result begins with '+' (a part may be empty,
// and an empty result means a failure); end_input() and finish() return "+HEAD\0TAIL" (see
// ReportParts: the head goes before the part, which is not empty only for JUnit).
class ReportSession {
 public:
  ReportSession(const JsOptions& js, double started_ms, uintptr_t strings_pointer, size_t strings_length) {
    guarded("report", [&] {
      const std::string_view strings = bytes_at(strings_pointer, strings_length);
      std::vector<std::string> parts;
      for (size_t at = 0;;) {
        const size_t nul = strings.find('\0', at);
        parts.emplace_back(strings.substr(at, nul == std::string_view::npos ? std::string_view::npos : nul - at));
        if (nul == std::string_view::npos) break;
        at = nul + 1;
      }
      if (parts.size() < 4) throw std::invalid_argument("a report needs a format, a clock, a site URL and at least one input");
      const std::optional<ReportFormat> format = parse_report_format(parts[0]);
      if (!format) throw std::invalid_argument("format must be one of " + std::string(report_format_names()) + ", not \"" + parts[0] + "\"");
      if (!(std::fabs(started_ms) <= kMaxDateMs)) throw std::invalid_argument("startedAt must be within the JS Date range");
      RunInfo run;
      run.options = to_options(js);
      run.clock = parts[1];
      run.site_url = parts[2];
      run.inputs.assign(parts.begin() + 3, parts.end());
      run.started_unix_ms = static_cast<int64_t>(std::trunc(started_ms));
      options_ = run.options;
      writer_.emplace(*format, std::move(run));
      options_.list_events = writer_->wants_events();
      return std::string("ok");
    });
    if (!writer_) start_error_ = last_error_storage();
  }

  bool holds_back() const { return writer_ && writer_->holds_back(); }

  double begin() {
    return call("begin", [&] { return writer_->begin(); });
  }

  double begin_input(uintptr_t pointer, size_t length) {
    return call("beginInput", [&] {
      validator_.emplace(options_);
      return writer_->begin_input(bytes_at(pointer, length));
    });
  }

  // The wrapper pushes pieces of at most 16 KiB, so what one call returns stays a few MB at most.
  double push(uintptr_t pointer, size_t length) {
    return call("push", [&] {
      if (!validator_) throw std::logic_error("push before beginInput");
      validator_->push(bytes_at(pointer, length));
      return writer_->write(validator_->drain(), validator_->drain_events());
    });
  }

  double end_input() {
    return call("endInput", [&] {
      if (!validator_) throw std::logic_error("endInput before beginInput");
      const Report report = validator_->finish();
      const ReportParts parts = writer_->end_input(report, validator_->drain_events());
      validator_.reset();
      return parts.head + '\0' + parts.tail;
    });
  }

  double finish(double ended_ms) {
    return call("finish", [&] {
      if (!(std::fabs(ended_ms) <= kMaxDateMs)) throw std::invalid_argument("endedAt must be within the JS Date range");
      const ReportParts parts = writer_->finish(static_cast<int64_t>(std::trunc(ended_ms)));
      spent_ = true;
      return parts.head + '\0' + parts.tail;
    });
  }

  // The totals of the inputs ended so far, as the json format's summary.
  std::string totals() const {
    if (!writer_) return std::string();
    return guarded("totals", [&] { return summary_to_json(writer_->totals()); });
  }

 private:
  // A failure (out of memory) spends the report: what follows would be a report with a hole.
  template <typename Body>
  double call(const char* what, Body&& body) {
    if (!writer_ || spent_) {
      last_error_storage() = !start_error_.empty() ? start_error_ : std::string(what) + ": the report is already finished";
      return stash(std::string());
    }
    const double length = stash(guarded(what, [&] { return '+' + body(); }));
    if (length == 0) {
      spent_ = true;
      start_error_ = last_error_storage() + " (the report is spent: it would be incomplete)";
    }
    return length;
  }

  std::optional<ReportWriter> writer_;
  std::optional<Validator> validator_;
  Options options_;
  bool spent_ = false;
  std::string start_error_;
};

}  // namespace
}  // namespace msgevents::wasm

EMSCRIPTEN_BINDINGS(msgevents) {
  using namespace emscripten;
  using namespace msgevents::wasm;

  value_object<JsOptions>("Options")
      .field("publicProfile", &JsOptions::public_profile)
      .field("strict", &JsOptions::strict)
      .field("hasNow", &JsOptions::has_now)
      .field("nowMs", &JsOptions::now_ms)
      .field("maxEventBytes", &JsOptions::max_event_bytes)
      .field("maxDepth", &JsOptions::max_depth);
  value_object<JsRedactOptions>("RedactOptions")
      .field("publicProfile", &JsRedactOptions::public_profile)
      .field("maxEventBytes", &JsRedactOptions::max_event_bytes)
      .field("maxDepth", &JsRedactOptions::max_depth);

  function("parseDateTime", &parse_date_time);
  function("validateBytes", &validate_bytes);
  function("catalogJson", &catalog_json);
  function("checklistMarkdown", &checklist);
  function("rulesJson", &rules_json);

  class_<Session>("Session")
      .constructor<const JsOptions&>()
      .function("push", &Session::push)
      .function("finish", &Session::finish)
      .function("progress", &Session::progress)
      .function("mute", &Session::mute);

  class_<RedactSession>("RedactSession")
      .constructor<uintptr_t, size_t, const JsRedactOptions&>()
      .function("setLabel", &RedactSession::set_label)
      .function("push", &RedactSession::push)
      .function("finish", &RedactSession::finish);

  class_<ReportSession>("ReportSession")
      .constructor<const JsOptions&, double, uintptr_t, size_t>()
      .function("holdsBack", &ReportSession::holds_back)
      .function("begin", &ReportSession::begin)
      .function("beginInput", &ReportSession::begin_input)
      .function("push", &ReportSession::push)
      .function("endInput", &ReportSession::end_input)
      .function("finish", &ReportSession::finish)
      .function("totals", &ReportSession::totals);
}
