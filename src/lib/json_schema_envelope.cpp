// The JSON Schema of the envelope: one schema per envelope field, with the patterns of the
// validator's envelope rules and the catalog's documentation of each field.
#include <string>
#include <vector>

#include "envelope_fields.hpp"  // generated from the catalog
#include "json_schema_detail.hpp"

namespace msgevents::detail::json_schema {
namespace {

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

// `schema` allows only `fixed` when it is given (the schema of one event type), else any name
// of `specs` (the envelope's own schema).
template <typename Spec>
void allow_names(Value& schema, const std::string* fixed, const std::vector<Spec>& specs, JsonAllocator& a) {
  if (fixed != nullptr) {
    add(schema, "const", *fixed, a);
    return;
  }
  Value names(rapidjson::kArrayType);
  for (const auto& spec : specs) names.PushBack(json_string(spec.name, a), a);
  add(schema, "enum", names, a);
}

// The envelope's properties, one schema each, in the order the documents list them.
Value event_name_schema(const Catalog& catalog, const EventSpec* event, JsonAllocator& a) {
  Value event_name = string_schema(envelope_description(catalog, "event_name", "The event type, exact case."), a);
  allow_names(event_name, event != nullptr ? &event->name : nullptr, catalog.events, a);
  return event_name;
}

Value event_id_schema(const Catalog& catalog, JsonAllocator& a) {
  Value event_id = string_schema(
      envelope_description(catalog, "event_id", "The event's unique id: a UUID or a ULID.") +
          " The canonical forms (lower-case UUID, upper-case ULID) are msgevents' to check; this schema "
          "accepts either case.",
      a);
  add(event_id, "pattern", kUuidOrUlidPattern, a);
  return event_id;
}

Value aggregate_type_schema(const Catalog& catalog, const EventSpec* event, JsonAllocator& a) {
  Value aggregate_type = string_schema(
      envelope_description(catalog, "aggregate_type", "The aggregate the event belongs to."), a);
  allow_names(aggregate_type, event != nullptr ? &event->aggregate : nullptr, catalog.aggregates, a);
  return aggregate_type;
}

Value aggregate_id_schema(const Catalog& catalog, const EventSpec* event, JsonAllocator& a) {
  std::string id_note;
  if (event != nullptr)
    if (const AggregateSpec* ag = catalog.find_aggregate(event->aggregate); ag != nullptr)
      id_note = " For " + event->name + " that is payload." + ag->id_field + " (msgevents checks they are equal).";
  Value aggregate_id = string_schema(
      envelope_description(catalog, "aggregate_id", "The id of the aggregate instance.") + id_note, a);
  add(aggregate_id, "minLength", Value(1), a);
  add(aggregate_id, "maxLength", Value(128), a);
  add(aggregate_id, "pattern", kIdentifierPattern, a);
  return aggregate_id;
}

Value occurred_at_schema(const Catalog& catalog, JsonAllocator& a) {
  Value occurred_at = string_schema(
      envelope_description(catalog, "occurred_at", "When the event happened, RFC 3339 in UTC.") +
          " The schema checks the shape; msgevents also checks the calendar date and leap seconds.",
      a);
  add(occurred_at, "format", "date-time", a);
  add(occurred_at, "pattern", kUtcPattern, a);
  return occurred_at;
}

Value actor_schema(const Catalog& catalog, const SchemaOptions& options, JsonAllocator& a) {
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
  return actor;
}

Value version_schema(const Catalog& catalog, const EventSpec* event, JsonAllocator& a) {
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
  return version;
}

Value idempotency_key_schema(const Catalog& catalog, JsonAllocator& a) {
  Value idempotency_key = string_schema(
      envelope_description(catalog, "idempotency_key", "Optional key that identifies redeliveries."), a);
  add(idempotency_key, "minLength", Value(1), a);
  add(idempotency_key, "maxLength", Value(255), a);
  add(idempotency_key, "pattern", kNoControlCharsPattern, a);
  return idempotency_key;
}

Value schema_version_schema(const Catalog& catalog, const EventSpec* event, JsonAllocator& a) {
  std::string current;
  std::string version_pattern = kSchemaVersionPattern;
  if (event != nullptr) version_pattern = "^" + std::to_string(event->schema_version.major) + "\\.(?:0|[1-9][0-9]{0,8})$";
  if (event != nullptr) current = " The current version of " + event->name + " is " + version_text(event->schema_version) + ".";
  Value schema_version = string_schema(
      envelope_description(catalog, "schema_version", "Optional MAJOR.MINOR of the event type's definition.") + current, a);
  add(schema_version, "pattern", version_pattern, a);
  return schema_version;
}

}  // namespace

Value envelope_properties(const Catalog& catalog, const EventSpec* event, const SchemaOptions& options,
                          JsonAllocator& a) {
  Value properties(rapidjson::kObjectType);
  add(properties, "event_name", event_name_schema(catalog, event, a), a);
  add(properties, "event_id", event_id_schema(catalog, a), a);
  add(properties, "aggregate_type", aggregate_type_schema(catalog, event, a), a);
  add(properties, "aggregate_id", aggregate_id_schema(catalog, event, a), a);
  add(properties, "occurred_at", occurred_at_schema(catalog, a), a);
  add(properties, "actor", actor_schema(catalog, options, a), a);
  add(properties, "version", version_schema(catalog, event, a), a);
  add(properties, "idempotency_key", idempotency_key_schema(catalog, a), a);
  add(properties, "schema_version", schema_version_schema(catalog, event, a), a);
  return properties;
}

// The members the validator requires (generated/envelope_fields.hpp: the built-in catalog's
// envelope, which the checks enforce whatever catalog the schema describes).
Value envelope_required(JsonAllocator& a) {
  Value required(rapidjson::kArrayType);
  for (const EnvelopeFieldInfo& field : kEnvelopeFields) {
    if (field.required) required.PushBack(json_string(field.name, a), a);
  }
  return required;
}

}  // namespace msgevents::detail::json_schema
