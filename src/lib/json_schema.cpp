// JSON Schema (draft 2020-12) export of the catalog: the envelope, one schema per event type and a
// bundle. See msgevents/interop.hpp for what the schemas check and what they leave to msgevents.
#include <string>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "interop_detail.hpp"
#include "json_schema_detail.hpp"
#include "msgevents/interop.hpp"

namespace msgevents {
namespace {

using detail::json_string;
using detail::JsonAllocator;
using detail::json_schema::add;
using detail::json_schema::envelope_properties;
using detail::json_schema::envelope_required;
using detail::json_schema::payload_schema;
using detail::json_schema::version_text;
using rapidjson::Value;

constexpr const char* kDialect = "https://json-schema.org/draft/2020-12/schema";

std::string unknown_fields_note(const SchemaOptions& options) {
  return options.strict ? " Strict variant: unknown fields are rejected, as `msgevents validate --strict` does."
                        : " Unknown fields are allowed here; msgevents reports them as warnings (errors with --strict).";
}

// Variants get their own $id, so one ajv instance can hold them all.
std::string variant_suffix(const SchemaOptions& options) {
  return std::string(options.strict ? ":strict" : "") + (options.public_profile ? ":public" : "");
}

std::string catalog_version_or_default(const Catalog& catalog) {
  return catalog.catalog_version.empty() ? std::string("0.0.0") : catalog.catalog_version;
}

}  // namespace

namespace detail {

Value json_string(std::string_view text, JsonAllocator& allocator) {
  return Value(text.data(), static_cast<rapidjson::SizeType>(text.size()), allocator);
}

std::string write_json(const Value& value, bool pretty) {
  rapidjson::StringBuffer buffer;
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
    writer.SetIndent(' ', 2);
    value.Accept(writer);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
  }
  return std::string(buffer.GetString(), buffer.GetSize());
}

Value example_values(const EventSpec& event, JsonAllocator& allocator) {
  Value examples(rapidjson::kArrayType);
  for (const auto& text : event.examples) {
    rapidjson::Document parsed(&allocator);
    parsed.Parse(text.data(), text.size());
    if (parsed.HasParseError()) continue;
    Value copy(parsed, allocator);
    examples.PushBack(copy, allocator);
  }
  return examples;
}

Value event_schema_value(const Catalog& catalog, const EventSpec& event, const SchemaOptions& options,
                         bool with_id, JsonAllocator& a) {
  Value schema(rapidjson::kObjectType);
  if (with_id) add(schema, "$id", event_schema_id(event), a);
  add(schema, "title", event.name, a);
  add(schema, "description",
      event.purpose + " Aggregate: " + event.aggregate + ". Schema version " + version_text(event.schema_version) +
          ". JSON Schema cannot express the cross-field, privacy, lifecycle and stream rules; "
          "validate with msgevents for those." +
          unknown_fields_note(options),
      a);
  add(schema, "type", "object", a);
  Value properties = envelope_properties(catalog, &event, options, a);
  add(properties, "payload", payload_schema(catalog, event, options, a), a);
  add(schema, "properties", properties, a);
  add(schema, "required", envelope_required(a), a);
  if (options.strict) add(schema, "additionalProperties", Value(false), a);
  add(schema, "x-aggregate", event.aggregate, a);
  add(schema, "x-schema-version", version_text(event.schema_version), a);
  Value examples = example_values(event, a);
  if (!examples.Empty()) add(schema, "examples", examples, a);
  return schema;
}

}  // namespace detail

std::string event_schema_id(const EventSpec& event) {
  return "urn:msgevents:schema:event:" + event.name + ":" + version_text(event.schema_version);
}

std::string envelope_json_schema(const Catalog& catalog, const SchemaOptions& options) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  add(doc, "$schema", kDialect, a);
  add(doc, "$id", "urn:msgevents:schema:envelope:" + catalog_version_or_default(catalog) + variant_suffix(options), a);
  add(doc, "title", "msgevents event envelope", a);
  add(doc, "description",
      "The envelope every msgevents event carries; the payload is checked by the per-event schemas." +
          unknown_fields_note(options),
      a);
  add(doc, "type", "object", a);
  Value properties = envelope_properties(catalog, nullptr, options, a);
  Value payload(rapidjson::kObjectType);
  add(payload, "type", "object", a);
  add(payload, "description", "The event type's own fields; see the schema of that event type.", a);
  add(properties, "payload", payload, a);
  add(doc, "properties", properties, a);
  add(doc, "required", envelope_required(a), a);
  if (options.strict) add(doc, "additionalProperties", Value(false), a);
  return detail::write_json(doc, options.pretty);
}

std::string envelope_json_schema() { return envelope_json_schema(builtin_catalog()); }

std::optional<std::string> event_json_schema(std::string_view event_name, const Catalog& catalog,
                                             const SchemaOptions& options) {
  const EventSpec* event = catalog.find_event(event_name);
  if (event == nullptr) return std::nullopt;
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  add(doc, "$schema", kDialect, a);
  Value body = detail::event_schema_value(catalog, *event, options, true, a);
  if (!variant_suffix(options).empty()) {
    std::string id = event_schema_id(*event) + variant_suffix(options);
    body["$id"].SetString(id.data(), static_cast<rapidjson::SizeType>(id.size()), a);
  }
  for (auto& member : body.GetObject()) doc.AddMember(member.name, member.value, a);
  return detail::write_json(doc, options.pretty);
}

std::optional<std::string> event_json_schema(std::string_view event_name) {
  return event_json_schema(event_name, builtin_catalog());
}

std::string json_schema_bundle(const Catalog& catalog, const SchemaOptions& options) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  add(doc, "$schema", kDialect, a);
  add(doc, "$id", "urn:msgevents:schema:bundle:" + catalog_version_or_default(catalog) + variant_suffix(options), a);
  add(doc, "title", "msgevents events (catalog " + catalog_version_or_default(catalog) + ")", a);
  add(doc, "description",
      "Any event of the msgevents catalog: event_name selects the event type's schema under $defs." +
          unknown_fields_note(options),
      a);
  add(doc, "type", "object", a);
  Value event_name(rapidjson::kObjectType);
  Value names(rapidjson::kArrayType);
  for (const auto& e : catalog.events) names.PushBack(json_string(e.name, a), a);
  add(event_name, "enum", names, a);
  Value properties(rapidjson::kObjectType);
  add(properties, "event_name", event_name, a);
  add(doc, "properties", properties, a);
  Value required(rapidjson::kArrayType);
  required.PushBack(json_string("event_name", a), a);
  add(doc, "required", required, a);
  // if/then rather than oneOf: an event is checked against its own type only, so the errors speak
  // of that type instead of listing every branch that failed.
  Value all_of(rapidjson::kArrayType);
  Value defs(rapidjson::kObjectType);
  for (const auto& e : catalog.events) {
    Value name_const(rapidjson::kObjectType);
    add(name_const, "const", e.name, a);
    Value if_properties(rapidjson::kObjectType);
    add(if_properties, "event_name", name_const, a);
    Value if_schema(rapidjson::kObjectType);
    add(if_schema, "properties", if_properties, a);
    Value then_schema(rapidjson::kObjectType);
    add(then_schema, "$ref", "#/$defs/" + e.name, a);
    Value rule(rapidjson::kObjectType);
    add(rule, "if", if_schema, a);
    add(rule, "then", then_schema, a);
    all_of.PushBack(rule, a);
    add(defs, e.name, detail::event_schema_value(catalog, e, options, false, a), a);
  }
  add(doc, "allOf", all_of, a);
  add(doc, "$defs", defs, a);
  return detail::write_json(doc, options.pretty);
}

std::string json_schema_bundle() { return json_schema_bundle(builtin_catalog()); }

}  // namespace msgevents
