// Reading and writing typed events (<msgevents/events.hpp>): the pieces the generated events.cpp
// is written with, so that the code generated per event type is a list of its fields and nothing
// more. Internal: RapidJSON stays out of the public headers.
//
// Reading only ever sees an event the validator has passed (no error or critical finding), so the
// members have the catalog's types; a false from a reader means the C++ type cannot hold the
// value, and `*where` says which member (a JSON Pointer).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <rapidjson/document.h>

#include "json_writer.hpp"
#include "rule_table.hpp"
#include "msgevents/event_support.hpp"
#include "msgevents/validator.hpp"

namespace msgevents::detail {

// A finding of the typed layer's own rules (the registry's "Typed events": parse.not_one_event,
// parse.wrong_event_type, parse.unrepresentable), next to the validator's; at line 1, column 1
// (the typed layer reads one event, and its findings are about the event as a whole or a member).
Finding typed_finding(RuleId rule, std::string message, std::string pointer = "");

// Validates `json`; when the validator found no error or critical finding and the input is one
// event object, parses it into *doc and returns true. *findings gets the validator's findings
// and, when the input is not one event object, a parse.not_one_event finding.
bool validated_document(std::string_view json, const Options& options, rapidjson::Document* doc,
                        std::vector<Finding>* findings);

std::string_view member_string(const rapidjson::Value& object, const char* name);

inline bool read_value(const rapidjson::Value& in, std::string& out) {
  if (!in.IsString()) return false;
  out.assign(in.GetString(), in.GetStringLength());
  return true;
}

inline bool read_value(const rapidjson::Value& in, bool& out) {
  if (!in.IsBool()) return false;
  out = in.GetBool();
  return true;
}

inline bool read_value(const rapidjson::Value& in, int64_t& out) {
  if (!in.IsInt64()) return false;
  out = in.GetInt64();
  return true;
}

inline bool read_value(const rapidjson::Value& in, double& out) {
  if (!in.IsNumber()) return false;
  out = in.GetDouble();
  return true;
}

template <class Enum, std::enable_if_t<std::is_enum_v<Enum>, int> = 0>
bool read_value(const rapidjson::Value& in, Enum& out) {
  if (!in.IsString()) return false;
  const std::optional<Enum> value = events::parse<Enum>(std::string_view(in.GetString(), in.GetStringLength()));
  if (!value) return false;
  out = *value;
  return true;
}

template <class T>
bool read_value(const rapidjson::Value& in, std::vector<T>& out) {
  if (!in.IsArray()) return false;
  out.clear();
  out.reserve(in.Size());
  for (const auto& item : in.GetArray()) {
    T value{};
    if (!read_value(item, value)) return false;
    out.push_back(std::move(value));
  }
  return true;
}

// A required member: it must be there. `base` is the object's JSON Pointer, for *where.
template <class T>
bool read_member(const rapidjson::Value& object, const char* name, T& out, std::string_view base, std::string* where) {
  const auto member = object.FindMember(name);
  if (member != object.MemberEnd() && read_value(member->value, out)) return true;
  *where = std::string(base) + "/" + name;
  return false;
}

// An optional member: absent (or null) leaves it empty.
template <class T>
bool read_member(const rapidjson::Value& object, const char* name, std::optional<T>& out, std::string_view base,
                 std::string* where) {
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd() || member->value.IsNull()) {
    out.reset();
    return true;
  }
  T value{};
  if (!read_value(member->value, value)) {
    *where = std::string(base) + "/" + name;
    return false;
  }
  out = std::move(value);
  return true;
}

bool read_envelope(const rapidjson::Value& event, events::Envelope& out, std::string* where);

inline void write_value(JsonWriter& out, const std::string& value) { out.string(value); }
inline void write_value(JsonWriter& out, bool value) { out.boolean(value); }
inline void write_value(JsonWriter& out, int64_t value) { out.number(value); }
inline void write_value(JsonWriter& out, double value) { out.number(value); }

template <class Enum, std::enable_if_t<std::is_enum_v<Enum>, int> = 0>
void write_value(JsonWriter& out, Enum value) {
  out.string(to_string(value));  // found by argument-dependent lookup in msgevents::events
}

template <class T>
void write_value(JsonWriter& out, const std::vector<T>& values) {
  out.begin_array();
  for (const T& value : values) write_value(out, value);
  out.end_array();
}

template <class T>
void write_member(JsonWriter& out, std::string_view name, const T& value) {
  out.key(name);
  write_value(out, value);
}

// Absent optionals are omitted, not written as null.
template <class T>
void write_member(JsonWriter& out, std::string_view name, const std::optional<T>& value) {
  if (value) write_member(out, name, *value);
}

// Opens the event object and writes the envelope in the catalog's order, up to the payload:
// event_name, event_id, aggregate_type, aggregate_id, occurred_at, actor, version,
// idempotency_key, schema_version. The caller writes "payload" and closes the object.
void write_envelope(JsonWriter& out, std::string_view event_name, std::string_view aggregate_type,
                    const events::Envelope& envelope);

}  // namespace msgevents::detail
