// Interoperability exports generated from the catalog: JSON Schema (draft 2020-12), an AsyncAPI 3.0
// document and the CloudEvents 1.0 mapping.
//
//   std::string bundle = msgevents::json_schema_bundle();                 // every event type
//   std::optional<std::string> one = msgevents::event_json_schema("CustomerCreated");
//   msgevents::CloudEventResult ce = msgevents::to_cloud_event(event_text);
//   if (ce.ok) send(ce.json); else log(ce.error);
//
// The schemas say what JSON Schema can say exactly (types, enums, lengths, ranges, UUID/ULID and
// E.164 patterns, date-time); what it cannot (real calendar dates, ULID/UUID canonical case,
// cross-field rules such as aggregate_id == the payload's id field, privacy scans, lifecycle and
// stream rules) is stated in each `description` and left to msgevents itself. By default the
// schemas allow unknown fields, as msgevents does (it warns about them); the strict variant
// (SchemaOptions::strict, `msgevents schema --strict`) rejects them, like `validate --strict`.
//
// Everything here is generated from a Catalog (the built-in one by default), returns text, and
// never throws, prints or exits.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "msgevents/catalog.hpp"

namespace msgevents {

struct SchemaOptions {
  bool strict = false;  // additionalProperties: false on the envelope, actor and payload
  // The public profile: every pii field must hold a redaction token (msgevents redact). Otherwise a
  // pii field holds either its value (with the value's constraints) or a token.
  bool public_profile = false;
  bool pretty = true;
};

// The envelope alone: every envelope field, `payload` any object, `event_name` any catalog name.
std::string envelope_json_schema(const Catalog& catalog, const SchemaOptions& options = {});
std::string envelope_json_schema();

// One event type: the envelope with `event_name` and `aggregate_type` fixed, and that type's
// payload. Self-contained (no $ref), so it can be downloaded and used alone. nullopt for a name
// the catalog does not have.
std::optional<std::string> event_json_schema(std::string_view event_name, const Catalog& catalog,
                                             const SchemaOptions& options = {});
std::optional<std::string> event_json_schema(std::string_view event_name);

// Every event type under `$defs`, selected by `event_name` (if/then per type), so one schema
// validates a stream of mixed events and reports errors against the right type.
std::string json_schema_bundle(const Catalog& catalog, const SchemaOptions& options = {});
std::string json_schema_bundle();

// The `$id`s the schemas carry (also used as the CloudEvents `dataschema`).
std::string event_schema_id(const EventSpec& event);

// AsyncAPI 3.0.0 (JSON): one channel per aggregate, every event type a message whose payload is
// the event's schema and whose examples are the catalog's examples, one `send` operation per channel.
std::string asyncapi_document(const Catalog& catalog, bool pretty = true);
std::string asyncapi_document();

// CloudEvents 1.0, structured content mode (JSON). See cloudevents_mapping_markdown() for the table.
struct CloudEventOptions {
  // CloudEvents asks for a reverse-DNS prefix on `type`; set your organisation's. The default keeps
  // msgevents types apart from other producers' on a shared bus while staying readable.
  std::string type_prefix = "msgevents.";
  bool pretty = false;
};

struct CloudEventResult {
  bool ok = false;
  std::string json;   // the CloudEvent when ok
  std::string error;  // what is wrong with the input otherwise
};

// Maps one msgevents event (JSON text of one object) to a CloudEvent. The event is not validated
// here (run msgevents::validate first); the mapping needs only a JSON object with string
// `event_id`, `event_name` and `aggregate_type`, and carries every other envelope field it finds.
CloudEventResult to_cloud_event(std::string_view event_json, const CloudEventOptions& options = {});
// Many events at once: one event object, a JSON array of them, or NDJSON. The output keeps the
// input's form: one CloudEvent, a JSON array (the CloudEvents JSON batch format), or NDJSON.
// `error` names the 0-based index of every event that could not be mapped; ok only when none failed.
CloudEventResult to_cloud_events(std::string_view input, const CloudEventOptions& options = {});
// The inverse: a structured-mode CloudEvent made by to_cloud_event back to the msgevents event.
CloudEventResult from_cloud_event(std::string_view cloud_event_json, const CloudEventOptions& options = {});

// The mapping, as a Markdown table, for the docs.
std::string cloudevents_mapping_markdown(const CloudEventOptions& options = {});

}  // namespace msgevents
