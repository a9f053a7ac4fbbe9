// JSON Schema (draft 2020-12) export of the catalog: the envelope, one schema per event type and a
// bundle. See msgevents/interop.hpp for what the schemas check and what they leave to msgevents.
#include <cmath>
#include <string>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "formats.hpp"
#include "interop_detail.hpp"
#include "msgevents/interop.hpp"

namespace msgevents {
namespace {

using detail::json_string;
using detail::JsonAllocator;
using rapidjson::Value;

constexpr const char* kDialect = "https://json-schema.org/draft/2020-12/schema";

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
void add(Value& object, std::string_view key, Value& value, JsonAllocator& a) {
  object.AddMember(json_string(key, a), value, a);
}
void add(Value& object, std::string_view key, Value&& value, JsonAllocator& a) { add(object, key, value, a); }
void add(Value& object, std::string_view key, std::string_view text, JsonAllocator& a) {
  add(object, key, json_string(text, a), a);
}

Value string_array(const std::vector<std::string>& items, JsonAllocator& a) {
  Value array(rapidjson::kArrayType);
  for (const auto& item : items) array.PushBack(json_string(item, a), a);
  return array;
}

Value number(double value) {
  if (std::floor(value) == value && std::fabs(value) < 9.2e18) return Value(static_cast<int64_t>(value));
  return Value(value);
}


std::string version_text(const SchemaVersion& v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor);
}

// Adds the keywords for one of the validator's named formats to a string schema and returns what
// JSON Schema cannot say about it, for the description.
std::string apply_format(std::string_view name, Value& schema, JsonAllocator& a) {
  if (name.empty()) return {};
  const std::optional<detail::Format> format = detail::find_format(name);
  if (!format) return "Format " + std::string(name) + " (checked by msgevents).";
  switch (*format) {
    case detail::Format::Identifier:
      add(schema, "pattern", kIdentifierPattern, a);
      if (!schema.HasMember("maxLength")) add(schema, "maxLength", Value(128), a);
      return "A stable identifier: 1 to 128 characters, no whitespace; msgevents also rejects one that looks "
             "like an e-mail address or a phone number.";
    case detail::Format::E164:
      add(schema, "pattern", kE164Pattern, a);
      return "An E.164 phone number: '+', country code, subscriber number, digits only.";
    case detail::Format::Email:
      add(schema, "format", "email", a);
      add(schema, "pattern", kNoUpperCasePattern, a);
      return "An e-mail address in lower case.";
    case detail::Format::DateTime:
      add(schema, "format", "date-time", a);
      add(schema, "pattern", kUtcPattern, a);
      return "An RFC 3339 date-time in UTC.";
    case detail::Format::LanguageTag:
      add(schema, "pattern", kLanguageTagPattern, a);
      return "A BCP 47 language tag such as en-GB (msgevents checks the subtags).";
    case detail::Format::CountryCode:
      add(schema, "pattern", kCountryCodePattern, a);
      return "An ISO 3166-1 alpha-2 country code (msgevents checks it is assigned).";
    case detail::Format::Url:
      add(schema, "pattern", kHttpsUrlPattern, a);
      return "An https URL.";
    case detail::Format::ChannelAddress:
      return "An E.164 phone number when kind is \"phone\", a lower-cased e-mail address when kind is "
             "\"email\".";
  }
  return {};
}

std::string privacy_note(Privacy privacy) {
  switch (privacy) {
    case Privacy::Identifier: return "Privacy: identifier (a stable id, safe to share).";
    case Privacy::Internal: return "Privacy: internal (safe inside the platform).";
    case Privacy::Pii:
      return "Privacy: pii (personal data; must be redacted in the public profile, which msgevents "
             "checks).";
    case Privacy::Secret: return "Privacy: secret (never allowed in any event).";
  }
  return {};
}

Value field_schema(const FieldSpec& field, const AggregateSpec* aggregate, const SchemaOptions& options,
                   JsonAllocator& a) {
  Value schema(rapidjson::kObjectType);
  std::string notes;
  auto note = [&notes](const std::string& text) {
    if (text.empty()) return;
    if (!notes.empty()) notes += ' ';
    notes += text;
  };
  if (field.privacy == Privacy::Secret) {
    // Present in the catalog only to say it must never travel: any value is rejected.
    add(schema, "description", field.description + " " + privacy_note(field.privacy), a);
    add(schema, "x-privacy", to_string(field.privacy), a);
    add(schema, "not", Value(rapidjson::kObjectType), a);
    return schema;
  }
  add(schema, "type", to_string(field.type), a);
  if (field.type == JsonType::String) {
    // Personal data may travel as a redaction token instead (msgevents redact), which the value's
    // own constraints do not describe; on a public stream it must.
    const bool pii = field.privacy == Privacy::Pii;
    Value plain(rapidjson::kObjectType);
    Value& target = pii ? plain : schema;
    if (!field.enum_values.empty()) add(target, "enum", string_array(field.enum_values, a), a);
    if (field.min_length) add(target, "minLength", Value(static_cast<uint64_t>(*field.min_length)), a);
    if (field.max_length) add(target, "maxLength", Value(static_cast<uint64_t>(*field.max_length)), a);
    if (field.format == "identifier" && !field.min_length) add(target, "minLength", Value(1), a);
    note(apply_format(field.format, target, a));
    if (field.free_text)
      note("Free text: msgevents scans it for e-mail addresses and phone numbers.");
    if (pii && options.public_profile) {
      add(schema, "pattern", kRedactionTokenPattern, a);
      note("Public profile: only a redaction token (msgevents redact) is allowed here.");
    } else if (pii) {
      note("Or a redaction token (msgevents redact).");
      Value token(rapidjson::kObjectType);
      add(token, "pattern", kRedactionTokenPattern, a);
      if (plain.ObjectEmpty()) {
        // Any string is allowed anyway.
      } else {
        Value any_of(rapidjson::kArrayType);
        any_of.PushBack(plain, a).PushBack(token, a);
        add(schema, "anyOf", any_of, a);
      }
    }
  }
  if (field.type == JsonType::Integer || field.type == JsonType::Number) {
    if (field.minimum) add(schema, "minimum", number(*field.minimum), a);
    if (field.maximum) add(schema, "maximum", number(*field.maximum), a);
  }
  if (field.type == JsonType::Array) {
    Value items(rapidjson::kObjectType);
    if (field.item_type) {
      add(items, "type", to_string(*field.item_type), a);
      if (*field.item_type == JsonType::String) {
        std::string item_note = apply_format(field.item_format, items, a);
        if (!item_note.empty()) note("Each item: " + item_note);
      }
    }
    if (!field.item_enum.empty()) {
      add(items, "enum", string_array(field.item_enum, a), a);
    } else if (field.items_are_aggregate_fields && aggregate != nullptr &&
               !aggregate->attributes.empty()) {
      add(items, "enum", string_array(aggregate->attributes, a), a);
      note("Each item names an attribute of the " + aggregate->name + ".");
    }
    add(schema, "items", items, a);
    if (field.min_items) add(schema, "minItems", Value(static_cast<uint64_t>(*field.min_items)), a);
    if (field.max_items) add(schema, "maxItems", Value(static_cast<uint64_t>(*field.max_items)), a);
    if (field.unique_items) add(schema, "uniqueItems", Value(true), a);
  }
  std::string description = field.description;
  if (!notes.empty()) description += (description.empty() ? "" : " ") + notes;
  description += (description.empty() ? "" : " ") + privacy_note(field.privacy);
  add(schema, "description", description, a);
  add(schema, "x-privacy", to_string(field.privacy), a);
  return schema;
}

// `if kind == K then field matches ...` for each channel_address field.
void add_channel_address_conditions(const EventSpec& event, const SchemaOptions& options, Value& payload,
                                    JsonAllocator& a) {
  const FieldSpec* kind = event.find_field("kind");
  if (kind == nullptr || options.public_profile) return;  // public: the address is a token anyway
  Value all_of(rapidjson::kArrayType);
  for (const auto& field : event.fields) {
    if (field.format != "channel_address" || field.type != JsonType::String) continue;
    auto condition = [&](const char* kind_value, const char* keyword, const char* keyword_value,
                         const char* pattern) {
      Value kind_const(rapidjson::kObjectType);
      add(kind_const, "const", kind_value, a);
      Value if_properties(rapidjson::kObjectType);
      add(if_properties, "kind", kind_const, a);
      Value if_schema(rapidjson::kObjectType);
      add(if_schema, "properties", if_properties, a);
      Value required(rapidjson::kArrayType);
      required.PushBack(json_string("kind", a), a);
      add(if_schema, "required", required, a);
      Value plain(rapidjson::kObjectType);
      add(plain, keyword, keyword_value, a);
      if (pattern != nullptr) add(plain, "pattern", pattern, a);
      Value token(rapidjson::kObjectType);
      add(token, "pattern", kRedactionTokenPattern, a);
      Value any_of(rapidjson::kArrayType);
      any_of.PushBack(plain, a).PushBack(token, a);
      Value address(rapidjson::kObjectType);
      add(address, "type", "string", a);
      add(address, "anyOf", any_of, a);
      Value then_properties(rapidjson::kObjectType);
      add(then_properties, field.name, address, a);
      Value then_schema(rapidjson::kObjectType);
      add(then_schema, "properties", then_properties, a);
      Value rule(rapidjson::kObjectType);
      add(rule, "if", if_schema, a);
      add(rule, "then", then_schema, a);
      all_of.PushBack(rule, a);
    };
    condition("phone", "pattern", kE164Pattern, nullptr);
    condition("email", "format", "email", kNoUpperCasePattern);
  }
  if (!all_of.Empty()) add(payload, "allOf", all_of, a);
}

Value payload_schema(const Catalog& catalog, const EventSpec& event, const SchemaOptions& options,
                     JsonAllocator& a) {
  const AggregateSpec* aggregate = catalog.find_aggregate(event.aggregate);
  Value schema(rapidjson::kObjectType);
  add(schema, "type", "object", a);
  std::string description = "The payload of " + event.name + ".";
  if (aggregate != nullptr && !aggregate->id_field.empty())
    description += " Its " + aggregate->id_field + " must equal the envelope's aggregate_id (checked by msgevents).";
  add(schema, "description", description, a);
  Value properties(rapidjson::kObjectType);
  Value required(rapidjson::kArrayType);
  for (const auto& field : event.fields) {
    add(properties, field.name, field_schema(field, aggregate, options, a), a);
    if (field.required && field.privacy != Privacy::Secret) required.PushBack(json_string(field.name, a), a);
  }
  add(schema, "properties", properties, a);
  add(schema, "required", required, a);
  add_channel_address_conditions(event, options, schema, a);
  if (options.strict) add(schema, "additionalProperties", Value(false), a);
  return schema;
}

std::string envelope_description(const Catalog& catalog, std::string_view field, const char* fallback) {
  for (const auto& doc : catalog.envelope)
    if (doc.name == field && !doc.description.empty()) return doc.description;
  return fallback;
}

Value string_schema(const std::string& description, JsonAllocator& a) {
  Value schema(rapidjson::kObjectType);
  add(schema, "type", "string", a);
  add(schema, "description", description, a);
  return schema;
}

// As msgevents decides it: an event whose every lifecycle transition starts from nothing must be
// version 1 (ChannelMapped, which also re-maps an unmapped channel, goes on counting).
bool only_creates_its_aggregate(const Catalog& catalog, const EventSpec& event) {
  const AggregateSpec* aggregate = catalog.find_aggregate(event.aggregate);
  if (aggregate == nullptr) return false;
  bool only_creates = false;
  for (const auto& transition : aggregate->transitions) {
    if (transition.event != event.name) continue;
    if (!transition.from.empty()) return false;
    only_creates = true;
  }
  return only_creates;
}

// The envelope's properties. event_name and aggregate_type are fixed when `event` is given.
Value envelope_properties(const Catalog& catalog, const EventSpec* event, const SchemaOptions& options,
                          JsonAllocator& a) {
  Value properties(rapidjson::kObjectType);

  Value event_name = string_schema(envelope_description(catalog, "event_name", "The event type, exact case."), a);
  if (event != nullptr) {
    add(event_name, "const", event->name, a);
  } else {
    Value names(rapidjson::kArrayType);
    for (const auto& e : catalog.events) names.PushBack(json_string(e.name, a), a);
    add(event_name, "enum", names, a);
  }
  add(properties, "event_name", event_name, a);

  Value event_id = string_schema(
      envelope_description(catalog, "event_id", "The event's unique id: a UUID or a ULID.") +
          " The canonical forms (lower-case UUID, upper-case ULID) are msgevents' to check; this schema "
          "accepts either case.",
      a);
  add(event_id, "pattern", kUuidOrUlidPattern, a);
  add(properties, "event_id", event_id, a);

  Value aggregate_type = string_schema(
      envelope_description(catalog, "aggregate_type", "The aggregate the event belongs to."), a);
  if (event != nullptr) {
    add(aggregate_type, "const", event->aggregate, a);
  } else {
    Value names(rapidjson::kArrayType);
    for (const auto& ag : catalog.aggregates) names.PushBack(json_string(ag.name, a), a);
    add(aggregate_type, "enum", names, a);
  }
  add(properties, "aggregate_type", aggregate_type, a);

  std::string id_note;
  if (event != nullptr)
    if (const AggregateSpec* ag = catalog.find_aggregate(event->aggregate); ag != nullptr)
      id_note = " For " + event->name + " that is payload." + ag->id_field + " (msgevents checks they are equal).";
  Value aggregate_id = string_schema(
      envelope_description(catalog, "aggregate_id", "The id of the aggregate instance.") + id_note, a);
  add(aggregate_id, "minLength", Value(1), a);
  add(aggregate_id, "maxLength", Value(128), a);
  add(aggregate_id, "pattern", kIdentifierPattern, a);
  add(properties, "aggregate_id", aggregate_id, a);

  Value occurred_at = string_schema(
      envelope_description(catalog, "occurred_at", "When the event happened, RFC 3339 in UTC.") +
          " The schema checks the shape; msgevents also checks the calendar date and leap seconds.",
      a);
  add(occurred_at, "format", "date-time", a);
  add(occurred_at, "pattern", kUtcPattern, a);
  add(properties, "occurred_at", occurred_at, a);

  Value actor(rapidjson::kObjectType);
  add(actor, "type", "object", a);
  add(actor, "description",
      envelope_description(catalog, "actor", "Who caused the event.") +
          " msgevents checks that the id does not look like an e-mail address or a phone number.",
      a);
  Value actor_properties(rapidjson::kObjectType);
  Value actor_type = string_schema("\"user\" or \"system\".", a);
  Value actor_types(rapidjson::kArrayType);
  actor_types.PushBack(json_string("user", a), a).PushBack(json_string("system", a), a);
  add(actor_type, "enum", actor_types, a);
  add(actor_properties, "type", actor_type, a);
  Value actor_id = string_schema("A stable identifier of the user or system.", a);
  add(actor_id, "minLength", Value(1), a);
  add(actor_id, "maxLength", Value(128), a);
  add(actor_id, "pattern", kIdentifierPattern, a);
  add(actor_properties, "id", actor_id, a);
  add(actor, "properties", actor_properties, a);
  Value actor_required(rapidjson::kArrayType);
  actor_required.PushBack(json_string("type", a), a).PushBack(json_string("id", a), a);
  add(actor, "required", actor_required, a);
  if (options.strict) add(actor, "additionalProperties", Value(false), a);
  add(properties, "actor", actor, a);

  std::string version_note;
  const bool only_creates = event != nullptr && only_creates_its_aggregate(catalog, *event);
  if (only_creates) version_note = " " + event->name + " creates its aggregate: version 1.";
  Value version(rapidjson::kObjectType);
  add(version, "type", "integer", a);
  if (only_creates) {
    add(version, "const", Value(1), a);
  } else {
    add(version, "minimum", Value(1), a);
    add(version, "maximum", Value(kMaxSafeInteger), a);
  }
  add(version, "description",
      envelope_description(catalog, "version", "The aggregate's version after this event.") + version_note +
          " msgevents checks the order of versions across a stream.",
      a);
  add(properties, "version", version, a);

  Value idempotency_key = string_schema(
      envelope_description(catalog, "idempotency_key", "Optional key that identifies redeliveries."), a);
  add(idempotency_key, "minLength", Value(1), a);
  add(idempotency_key, "maxLength", Value(255), a);
  add(idempotency_key, "pattern", kNoControlCharsPattern, a);
  add(properties, "idempotency_key", idempotency_key, a);

  std::string current;
  std::string version_pattern = kSchemaVersionPattern;
  if (event != nullptr) version_pattern = "^" + std::to_string(event->schema_version.major) + "\\.(?:0|[1-9][0-9]{0,8})$";
  if (event != nullptr) current = " The current version of " + event->name + " is " + version_text(event->schema_version) + ".";
  Value schema_version = string_schema(
      envelope_description(catalog, "schema_version", "Optional MAJOR.MINOR of the event type's definition.") + current, a);
  add(schema_version, "pattern", version_pattern, a);
  add(properties, "schema_version", schema_version, a);
  return properties;
}

Value envelope_required(JsonAllocator& a) {
  Value required(rapidjson::kArrayType);
  for (const char* name : {"event_name", "event_id", "aggregate_type", "aggregate_id", "occurred_at", "actor",
                           "version", "payload"})
    required.PushBack(json_string(name, a), a);
  return required;
}

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
