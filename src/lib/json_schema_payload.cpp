// The JSON Schema of an event type's payload: one schema per field, with the keywords of its
// type, format, bounds and privacy class, and the channel_address conditions on `kind`.
#include <string>

#include "formats.hpp"
#include "json_schema_detail.hpp"

namespace msgevents::detail::json_schema {
namespace {

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

}  // namespace

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

}  // namespace msgevents::detail::json_schema
