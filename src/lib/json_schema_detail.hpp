// What the JSON Schema export's files share (json_schema.cpp the documents, json_schema_payload.cpp
// the payload of an event type, json_schema_envelope.cpp the envelope): the patterns that say
// what the validator's rules say, and small builders of RapidJSON values. Internal to the library.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "interop_detail.hpp"

namespace msgevents::detail::json_schema {

using rapidjson::Value;

// Exact where JSON Schema can be exact. UUID: RFC 9562 layout, version 1-8 and variant 8/9/a/b,
// which also rules out the nil and max UUIDs. ULID: 26 Crockford base-32 characters (no I, L, O, U),
// the first 0-7 so the 128-bit value does not overflow. Both cases are accepted, as msgevents does
// (it warns about the non-canonical case).
constexpr const char* kUuidOrUlidPattern =
    "^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}"
    "|[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25})$";
constexpr const char* kE164Pattern = "^\\+[1-9][0-9]{7,14}$";
// The validator's identifier rule: no whitespace or control characters (bytes 0x00-0x20, 0x7F).
constexpr const char* kIdentifierPattern = "^[^\\u0000-\\u0020\\u007F]+$";
constexpr const char* kUtcPattern = "(?:[Zz]|\\+00:00)$";
constexpr const char* kSchemaVersionPattern = "^(?:0|[1-9][0-9]{0,8})\\.(?:0|[1-9][0-9]{0,8})$";
// Printable: no C0 or C1 control characters and no DEL.
constexpr const char* kNoControlCharsPattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]+$";
constexpr const char* kLanguageTagPattern = "^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$";
constexpr const char* kCountryCodePattern = "^[A-Z]{2}$";
constexpr const char* kHttpsUrlPattern = "^https://[^\\u0000-\\u0020]+$";
constexpr const char* kNoUpperCasePattern = "^[^A-Z]*$";
constexpr const char* kRedactionTokenPattern = "^redacted:[0-9a-f]{32}$";
constexpr uint64_t kMaxSafeInteger = 9007199254740991ULL;  // 2^53 - 1

// Moves `value` into `object`.
inline void add(Value& object, std::string_view key, Value& value, JsonAllocator& a) {
  object.AddMember(json_string(key, a), value, a);
}
inline void add(Value& object, std::string_view key, Value&& value, JsonAllocator& a) { add(object, key, value, a); }
inline void add(Value& object, std::string_view key, std::string_view text, JsonAllocator& a) {
  add(object, key, json_string(text, a), a);
}

inline Value string_array(const std::vector<std::string>& items, JsonAllocator& a) {
  Value array(rapidjson::kArrayType);
  for (const auto& item : items) array.PushBack(json_string(item, a), a);
  return array;
}

inline Value number(double value) {
  if (std::floor(value) == value && std::fabs(value) < 9.2e18) return Value(static_cast<int64_t>(value));
  return Value(value);
}

inline std::string version_text(const SchemaVersion& v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor);
}

// The payload's schema of one event type: its fields, and the channel_address conditions.
Value payload_schema(const Catalog& catalog, const EventSpec& event, const SchemaOptions& options, JsonAllocator& a);

// The envelope's properties. event_name and aggregate_type are fixed when `event` is given.
Value envelope_properties(const Catalog& catalog, const EventSpec* event, const SchemaOptions& options, JsonAllocator& a);
Value envelope_required(JsonAllocator& a);

}  // namespace msgevents::detail::json_schema
