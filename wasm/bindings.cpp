// The validator module's boundary (msgevents_wasm): what a validating page calls, and all that
// `import { createValidator } from 'msgevents'` downloads: validation (whole or in a session),
// the catalog, the checklist and rules, and redaction. The report writer and the exports (JSON
// Schema, CloudEvents, compat) live in the tools module, tools_bindings.cpp, which the wrapper
// loads on first use; what both share (the error channel, results kept in the module, bytes in)
// is boundary.hpp, whose header comment describes the calling convention, and the validation
// options are options.hpp.
//
// To keep the download small this module has neither Embind nor C++ exceptions:
// - its calls are the plain C functions at the end of this file (extern "C", msgevents_*),
//   taking numbers and pointers and returning numbers: a result's length (the text stays in the
//   module, see stash()), a handle (a pointer the wrapper owns and passes to *_delete), a NaN.
//   The npm wrapper (npm/src/index.js, validatorCalls()) gives them the shape the tools module's
//   Embind calls have. Embind's JS runtime alone was ~10 KB gzipped of glue.
// - nothing here throws (wasm/CMakeLists.txt builds it without -fexceptions, ~7 KB gzipped): a
//   refusal sets last_error() and returns nothing. What the core cannot survive (out of memory)
//   aborts the module instead: the wrapper then raises a MsgeventsError and the next
//   createValidator() loads a fresh one.
//
// Marshalling one string costs a few microseconds; a JS object built
// field by field across the boundary would cost far more than the validation itself.
//
// Adding a call is a function here, one in the C exports below and one line in the wrapper's
// validatorCalls() (a tool that a validating page never calls goes in tools_bindings.cpp).
#include <emscripten/emscripten.h>

#include <cstdint>
#include <array>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "boundary.hpp"
#include "options.hpp"
#include "session.hpp"
#include "msgevents/catalog.hpp"
#include "msgevents/redact.hpp"
#include "msgevents/report.hpp"
#include "msgevents/rules.hpp"
#include "msgevents/validator.hpp"

namespace msgevents::detail {
extern const std::string_view kCatalogJson;  // generated/catalog_data.cpp
}  // namespace msgevents::detail

namespace msgevents::wasm {
namespace {

// Redaction's options (its profile defaults to public, and it has no clock and no strict mode).
struct JsRedactOptions {
  bool public_profile = true;
  double max_event_bytes = 1 << 20;
  double max_depth = 64;
};

std::optional<RedactOptions> to_redact_options(const JsRedactOptions& js) {
  RedactOptions options;
  options.profile = js.public_profile ? Profile::Public : Profile::Internal;
  const std::optional<double> max_event_bytes = whole_number(js.max_event_bytes, kMaxSafeInteger, "redact", "maxEventBytes");
  if (!max_event_bytes) return std::nullopt;
  const std::optional<double> max_depth = whole_number(js.max_depth, kMaxDepth, "redact", "maxDepth");
  if (!max_depth) return std::nullopt;
  options.max_event_bytes = static_cast<uint64_t>(*max_event_bytes);
  options.max_depth = static_cast<uint32_t>(*max_depth);
  return options;
}

double validate_bytes(uintptr_t pointer, size_t length, const JsOptions& js) {
  return stash(guarded("validate", [&] {
    const std::optional<Options> options = to_options(js, "validate");
    return options ? report_to_json(validate(bytes_at(pointer, length), *options)) : std::string();
  }));
}

// The catalog's text as embedded: the source file, which is byte for byte what the catalog
// printer writes (tests/catalog_test.cpp), less its line breaks and indentation. The wrapper parses
// it for v.catalog and indents it again for v.catalogJson(), so this module carries no printer.
double catalog_text() { return stash(std::string(detail::kCatalogJson)); }

double checklist() {
  return stash(guarded("checklist", [] { return checklist_markdown(); }));
}

double rules_json() {
  return stash(guarded("rules", [] { return rules_to_json(); }));
}

// The core's RFC 3339 parser (the one the native CLI's --now uses); NaN when the text is not one.
double parse_date_time(uintptr_t pointer, size_t length) {
  const std::optional<int64_t> ms = parse_rfc3339_ms(bytes_at(pointer, length));
  return ms ? static_cast<double>(*ms) : std::numeric_limits<double>::quiet_NaN();
}

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
      if (key_length == 0) {
        refused("redact", "the key is empty");
        return std::string();
      }
      const std::optional<RedactOptions> options = to_redact_options(js);
      if (!options) return std::string();
      redactor_.emplace(std::string(bytes_at(key_pointer, key_length)), *options);
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

// The options the exports get as arguments (booleans as 0 or 1), as the struct to_options() reads.
JsOptions js_options(int public_profile, int strict, int has_now, double now_ms, double max_event_bytes, double max_depth,
                     double max_findings) {
  JsOptions js;
  js.public_profile = public_profile != 0;
  js.strict = strict != 0;
  js.has_now = has_now != 0;
  js.now_ms = now_ms;
  js.max_event_bytes = max_event_bytes;
  js.max_depth = max_depth;
  js.max_findings = max_findings;
  return js;
}
Validator plain_validator(const Options& options) { return Validator(options); }

}  // namespace
}  // namespace msgevents::wasm

using namespace msgevents::wasm;

// The module's exports: what validatorCalls() in npm/src/index.js calls. Options come as the
// fields of JsOptions / JsRedactOptions, in order; booleans as 0 or 1.
extern "C" {

EMSCRIPTEN_KEEPALIVE double msgevents_version() { return stash(version()); }
EMSCRIPTEN_KEEPALIVE uintptr_t msgevents_last_error_pointer() { return reinterpret_cast<uintptr_t>(last_error_storage().data()); }
EMSCRIPTEN_KEEPALIVE size_t msgevents_last_error_length() { return last_error_storage().size(); }
EMSCRIPTEN_KEEPALIVE uintptr_t msgevents_result_pointer() { return result_pointer(); }
EMSCRIPTEN_KEEPALIVE void msgevents_release_result() { release_result(); }

EMSCRIPTEN_KEEPALIVE double msgevents_parse_date_time(uintptr_t pointer, size_t length) { return parse_date_time(pointer, length); }
EMSCRIPTEN_KEEPALIVE double msgevents_validate(uintptr_t pointer, size_t length, int public_profile, int strict, int has_now,
                                               double now_ms, double max_event_bytes, double max_depth, double max_findings) {
  return validate_bytes(pointer, length,
                        js_options(public_profile, strict, has_now, now_ms, max_event_bytes, max_depth, max_findings));
}
EMSCRIPTEN_KEEPALIVE double msgevents_catalog_text() { return catalog_text(); }
EMSCRIPTEN_KEEPALIVE double msgevents_checklist() { return checklist(); }
EMSCRIPTEN_KEEPALIVE double msgevents_rules_json() { return rules_json(); }

// A Session the wrapper owns; 0 only when there was no memory for it (then the module aborted).
EMSCRIPTEN_KEEPALIVE Session* msgevents_session_new(int public_profile, int strict, int has_now, double now_ms,
                                                    double max_event_bytes, double max_depth, double max_findings) {
  return new Session(js_options(public_profile, strict, has_now, now_ms, max_event_bytes, max_depth, max_findings),
                     &plain_validator);
}
EMSCRIPTEN_KEEPALIVE double msgevents_session_push(Session* s, uintptr_t pointer, size_t length) { return s->push(pointer, length); }
EMSCRIPTEN_KEEPALIVE double msgevents_session_taken(Session* s) { return s->taken(); }
EMSCRIPTEN_KEEPALIVE double msgevents_session_finish(Session* s) { return s->finish(); }
EMSCRIPTEN_KEEPALIVE double msgevents_session_progress(Session* s) { return stash(s->progress()); }
EMSCRIPTEN_KEEPALIVE double msgevents_session_mute(Session* s, uintptr_t pointer, size_t length) { return stash(s->mute(pointer, length)); }
EMSCRIPTEN_KEEPALIVE void msgevents_session_delete(Session* s) { delete s; }

EMSCRIPTEN_KEEPALIVE RedactSession* msgevents_redact_new(uintptr_t key_pointer, size_t key_length, int public_profile,
                                                         double max_event_bytes, double max_depth) {
  JsRedactOptions js;
  js.public_profile = public_profile != 0;
  js.max_event_bytes = max_event_bytes;
  js.max_depth = max_depth;
  return new RedactSession(key_pointer, key_length, js);
}
EMSCRIPTEN_KEEPALIVE void msgevents_redact_set_label(RedactSession* r, uintptr_t pointer, size_t length) { r->set_label(pointer, length); }
EMSCRIPTEN_KEEPALIVE double msgevents_redact_push(RedactSession* r, uintptr_t pointer, size_t length) { return r->push(pointer, length); }
EMSCRIPTEN_KEEPALIVE double msgevents_redact_finish(RedactSession* r) { return r->finish(); }
EMSCRIPTEN_KEEPALIVE void msgevents_redact_delete(RedactSession* r) { delete r; }

}  // extern "C"
