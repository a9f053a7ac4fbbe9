// The tools module's Embind boundary (msgevents_tools): what a validating page never calls, the
// report writer in every format (createReport), JSON Schema, CloudEvents, the change-policy
// check and table, and validation in a pool of Web Workers (sessions that hand out batches and
// the checker of those batches, wasm/session.hpp), kept out of the validator module (bindings.cpp) so that what `createValidator()`
// downloads stays small. The npm wrapper loads this module the first time one of these methods
// is called. The calling convention and the calls both modules bind are boundary.hpp's; the
// validation options (for the reports) are options.hpp's. Built with -fexceptions: guarded()
// turns an exception (a refusal below, or out of memory) into last_error().
//
// Adding an export is one function here and one line in EMSCRIPTEN_BINDINGS below.
#include <emscripten/bind.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "boundary.hpp"
#include "options.hpp"
#include "session.hpp"
#include "msgevents/catalog.hpp"
#include "msgevents/compat.hpp"
#include "msgevents/interop.hpp"
#include "msgevents/report.hpp"
#include "msgevents/validator.hpp"

namespace msgevents::wasm {
namespace {

// One event type's JSON Schema (2020-12), or the bundle of all of them for an empty name.
std::string json_schema(uintptr_t name_pointer, size_t name_length, bool strict) {
  return guarded("jsonSchema", [&] {
    const std::string event_name(bytes_at(name_pointer, name_length));
    SchemaOptions options;
    options.strict = strict;
    options.pretty = true;
    if (event_name.empty()) return json_schema_bundle(builtin_catalog(), options);
    std::optional<std::string> schema = event_json_schema(event_name, builtin_catalog(), options);
    if (!schema) throw std::invalid_argument("no event type named \"" + event_name + "\" in the catalog");
    return *schema;
  });
}

std::string to_cloud_event_json(uintptr_t event_pointer, size_t event_length, uintptr_t prefix_pointer, size_t prefix_length) {
  return guarded("toCloudEvent", [&] {
    CloudEventOptions options;
    options.type_prefix = std::string(bytes_at(prefix_pointer, prefix_length));
    CloudEventResult result = to_cloud_event(bytes_at(event_pointer, event_length), options);
    if (!result.ok) throw std::invalid_argument(result.error);
    return result.json;
  });
}

// The change-policy report (compat_report_json) for two catalogs, each in its source form or as
// `msgevents catalog` prints it: what the docs site's compare page shows.
std::string compat_json(uintptr_t old_pointer, size_t old_length, uintptr_t new_pointer, size_t new_length,
                        const std::string& mode, bool strict_consumers) {
  return guarded("compat", [&] {
    CompatOptions options;
    const std::optional<CompatMode> parsed_mode = parse_compat_mode(mode);
    if (!parsed_mode) throw std::invalid_argument("mode must be backward, forward, full or none");
    options.mode = *parsed_mode;
    options.strict_consumers = strict_consumers;
    std::string error;
    std::optional<Catalog> old_catalog = parse_catalog(bytes_at(old_pointer, old_length), &error);
    if (!old_catalog) throw std::invalid_argument("the old catalog: " + error);
    std::optional<Catalog> new_catalog = parse_catalog(bytes_at(new_pointer, new_length), &error);
    if (!new_catalog) throw std::invalid_argument("the new catalog: " + error);
    return compat_report_json(compare_catalogs(*old_catalog, *new_catalog, options), false);
  });
}

// The change policy's table (policy_table_json), as `msgevents compat --policy --format json` prints it.
std::string compat_policy_json() {
  return guarded("compatPolicy", [] { return policy_table_json(false); });
}

// A report over one or more inputs, written by the core's report writer (msgevents/report.hpp)
// in any format: what the npm CLI prints and the page downloads, byte for byte the native CLI's.
// Here rather than in the validator module: a page that only validates never writes SARIF or
// JUnit, and the writer is a good part of the core's size.
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
      if (!within_date_range(started_ms)) throw std::invalid_argument("startedAt must be within the JS Date range");
      RunInfo run;
      const std::optional<Options> options = to_options(js, "report");
      if (!options) return std::string();  // to_options() said why, in last_error()
      run.options = *options;
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

  // From the next input on, its events are checked by Checkers in other workers (the npm CLI's
  // --jobs): push() only frames, and take_batch() / merge_batch() / close_input() carry the batches.
  void hand_out_batches() { hand_out_ = true; }

  double begin_input(uintptr_t pointer, size_t length) {
    return call("beginInput", [&] {
      validator_.emplace(hand_out_ ? Validator::handing_out_batches(options_) : Validator(options_));
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

  // The next batch of the current input to check (its bytes), or nothing (0) when none is ready.
  double take_batch() {
    if (!validator_ || spent_) return 0;
    return stash_next_batch(*validator_);
  }

  // The results of the oldest batch taken and not merged; returns the report text they completed.
  double merge_batch(uintptr_t pointer, size_t length) {
    return call("mergeBatch", [&] {
      if (!validator_) throw std::logic_error("mergeBatch before beginInput");
      if (!validator_->merge_batch(bytes_at(pointer, length))) {
        throw std::invalid_argument(kNotTheOldestBatch);
      }
      return writer_->write(validator_->drain(), validator_->drain_events());
    });
  }

  // No more bytes of the current input: frames the rest (the last batches then come out of
  // take_batch()); returns the report text it completed.
  double close_input() {
    return call("closeInput", [&] {
      if (!validator_) throw std::logic_error("closeInput before beginInput");
      validator_->close_input();
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
      if (!within_date_range(ended_ms)) throw std::invalid_argument("endedAt must be within the JS Date range");
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
  bool hand_out_ = false;
  bool spent_ = false;
  std::string start_error_;
};

// A session whose events are checked by Checkers in other Web Workers.
Session* batch_session(const JsOptions& js) { return new Session(js, &Validator::handing_out_batches, SIZE_MAX); }

}  // namespace
}  // namespace msgevents::wasm

EMSCRIPTEN_BINDINGS(msgevents_tools) {
  using namespace emscripten;
  using namespace msgevents::wasm;

  // The calls every module has (boundary.hpp).
  function("version", &version);
  function("lastError", &last_error);
  function("resultPointer", &result_pointer);
  function("releaseResult", &release_result);

  value_object<JsOptions>("Options")
      .field("publicProfile", &JsOptions::public_profile)
      .field("strict", &JsOptions::strict)
      .field("hasNow", &JsOptions::has_now)
      .field("nowMs", &JsOptions::now_ms)
      .field("maxEventBytes", &JsOptions::max_event_bytes)
      .field("maxDepth", &JsOptions::max_depth)
      .field("maxFindings", &JsOptions::max_findings);

  function("jsonSchema", &json_schema);
  function("toCloudEvent", &to_cloud_event_json);
  function("compatJson", &compat_json);
  function("compatPolicyJson", &compat_policy_json);

  class_<ReportSession>("ReportSession")
      .constructor<const JsOptions&, double, uintptr_t, size_t>()
      .function("holdsBack", &ReportSession::holds_back)
      .function("begin", &ReportSession::begin)
      .function("beginInput", &ReportSession::begin_input)
      .function("push", &ReportSession::push)
      .function("endInput", &ReportSession::end_input)
      .function("finish", &ReportSession::finish)
      .function("totals", &ReportSession::totals)
      .function("handOutBatches", &ReportSession::hand_out_batches)
      .function("takeBatch", &ReportSession::take_batch)
      .function("mergeBatch", &ReportSession::merge_batch)
      .function("closeInput", &ReportSession::close_input);

  class_<Session>("BatchSession")
      .constructor(&batch_session, allow_raw_pointers())
      .function("push", &Session::push)
      .function("taken", &Session::taken)
      .function("finish", &Session::finish)
      .function("progress", &Session::progress)
      .function("mute", &Session::mute)
      .function("takeBatch", &Session::take_batch)
      .function("mergeBatch", &Session::merge_batch)
      .function("closeInput", &Session::close_input);

  class_<Checker>("Checker")
      .constructor<>()
      .function("check", &Checker::check);
}
