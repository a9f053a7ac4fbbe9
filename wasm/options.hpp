// The validation options as the wrapper passes them (always in full: it applies the defaults in
// JS), and their conversion into the core's Options. Shared by the validator module (validate,
// Session: as plain arguments) and the tools module (ReportSession: an Embind value_object).
//
// The conversion never throws: the validator module is built without C++ exceptions (see
// boundary.hpp), so a refusal is a std::nullopt with the reason in last_error().
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include "boundary.hpp"
#include "msgevents/validator.hpp"

namespace msgevents::wasm {

struct JsOptions {
  bool public_profile = false;
  bool strict = false;
  bool has_now = false;
  double now_ms = 0;  // a JS number: exact for every millisecond timestamp up to 2^53
  double max_event_bytes = 1 << 20;
  double max_depth = 64;
  double max_findings = 100000;
};

// The JS Date range: 8.64e15 ms either side of the epoch (ECMA-262 21.4.1.22).
constexpr double kMaxDateMs = 8.64e15;
constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 - 1: larger doubles skip integers
constexpr double kMaxDepth = 4294967295.0;               // the core counts depth in 32 bits

// Sets last_error() to "what: message" and returns nothing: the one way a refusal is reported.
inline std::nullopt_t refused(const char* what, const std::string& message) {
  last_error_storage() = std::string(what) + ": " + message;
  return std::nullopt;
}

// `value` when it is a whole number in [1, max]: the wrapper checks options first, and this
// refuses what it let through rather than cast an out-of-range double (undefined behaviour).
inline std::optional<double> whole_number(double value, double max, const char* what, const char* name) {
  if (!(value >= 1 && value <= max) || std::trunc(value) != value) {
    return refused(what, std::string(name) + " must be a whole number from 1 to " + std::to_string(static_cast<uint64_t>(max)));
  }
  return value;
}

inline bool within_date_range(double ms) { return std::fabs(ms) <= kMaxDateMs; }

inline std::optional<Options> to_options(const JsOptions& js, const char* what) {
  Options options;
  options.profile = js.public_profile ? Profile::Public : Profile::Internal;
  options.strict = js.strict;
  if (js.has_now) {
    if (!within_date_range(js.now_ms)) return refused(what, "now must be within the JS Date range (|ms| <= 8.64e15)");
    options.now_unix_ms = static_cast<int64_t>(std::trunc(js.now_ms));
  }
  const std::optional<double> max_event_bytes = whole_number(js.max_event_bytes, kMaxSafeInteger, what, "maxEventBytes");
  if (!max_event_bytes) return std::nullopt;
  const std::optional<double> max_depth = whole_number(js.max_depth, kMaxDepth, what, "maxDepth");
  if (!max_depth) return std::nullopt;
  options.max_event_bytes = static_cast<uint64_t>(*max_event_bytes);
  options.max_depth = static_cast<uint32_t>(*max_depth);
  const std::optional<double> max_findings = whole_number(js.max_findings, kMaxSafeInteger, what, "maxFindings");
  if (!max_findings) return std::nullopt;
  options.max_findings = static_cast<uint64_t>(*max_findings);
  return options;
}

}  // namespace msgevents::wasm
