// The event catalog: the one source of truth for every aggregate, event type and payload field.
//
// The catalog is data (src/catalog/catalog.json), embedded into the library at build time and
// parsed once on first use:
//
//   const msgevents::Catalog& cat = msgevents::builtin_catalog();
//   if (const msgevents::EventSpec* ev = cat.find_event("CustomerCreated")) { ... }
//
// Every face (validator, CLI, JSON Schema export, docs site, TypeScript types) reads these structs
// or the JSON that catalog_to_json() prints from them; nothing restates the catalog by hand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace msgevents {

enum class JsonType { String, Integer, Number, Boolean, Object, Array };
enum class Privacy { Identifier, Internal, Pii, Secret };

std::string_view to_string(JsonType type);
std::string_view to_string(Privacy privacy);

// One payload field of an event type. Constraints that do not apply are left empty.
struct FieldSpec {
  std::string name;
  JsonType type = JsonType::String;
  bool required = false;
  Privacy privacy = Privacy::Internal;
  std::string description;

  // Strings.
  std::vector<std::string> enum_values;  // allowed values, exact case; empty = any
  // Named formats the validator implements: "identifier", "e164", "email", "date-time",
  // "channel_address" (E.164 when the sibling `kind` is "phone", lower-case e-mail when "email"),
  // "language_tag" (BCP 47, e.g. "en-GB"), "country_code" (ISO 3166-1 alpha-2), "url" (https URL).
  std::string format;
  std::optional<uint64_t> min_length;  // in Unicode code points
  std::optional<uint64_t> max_length;
  bool free_text = false;  // scanned for e-mail addresses and phone numbers

  // Integers and numbers.
  std::optional<double> minimum;
  std::optional<double> maximum;

  // Arrays: each item is a string or integer with its own constraints.
  std::optional<JsonType> item_type;
  std::string item_format;
  std::vector<std::string> item_enum;
  bool items_are_aggregate_fields = false;  // items must name attributes of the aggregate
  std::optional<uint64_t> min_items;
  std::optional<uint64_t> max_items;
  bool unique_items = false;
};

struct Transition {
  std::string from;  // empty: the aggregate does not exist yet (a creating event)
  std::string to;
  std::string event;
};

struct AggregateSpec {
  std::string name;
  std::string id_field;  // e.g. "customer_id"; the envelope's aggregate_id must equal it
  std::string description;
  std::vector<std::string> states;
  std::vector<Transition> transitions;
  std::vector<std::string> attributes;  // what `changed_fields` may name
};

struct DeliverySpec {
  std::string ordering_key;     // what orders this event's stream
  std::string idempotency_key;  // how a producer derives idempotency_key
  std::string duplicates;       // what a consumer does with a duplicate
};

struct SchemaVersion {
  uint32_t major = 1;
  uint32_t minor = 0;
};

struct EventSpec {
  std::string name;
  std::string aggregate;
  std::string purpose;
  SchemaVersion schema_version;
  bool creates = false;  // the aggregate's creating event: version 1
  std::vector<FieldSpec> fields;
  std::vector<std::string> invariants;
  std::vector<std::string> preconditions;
  std::vector<std::string> postconditions;
  std::vector<std::string> traceability;
  DeliverySpec delivery;
  std::vector<std::string> examples;  // complete example events, each as pretty-printed JSON text

  const FieldSpec* find_field(std::string_view field_name) const;
};

// A decision the catalog documents (channel kinds, E.164, changed_fields, ...).
struct Decision {
  std::string topic;
  std::string text;
};

// Documentation of one envelope field; the rules themselves live in the rule registry.
struct EnvelopeFieldDoc {
  std::string name;
  std::string type;
  bool required = false;
  std::string description;
};

struct Catalog {
  std::string catalog_version;  // semver of the catalog as a whole, e.g. "1.0.0"
  std::string title;
  std::string description;
  std::vector<EnvelopeFieldDoc> envelope;
  std::vector<Decision> decisions;
  std::vector<std::string> change_policy;
  std::vector<AggregateSpec> aggregates;
  std::vector<EventSpec> events;

  const EventSpec* find_event(std::string_view name) const;
  const AggregateSpec* find_aggregate(std::string_view name) const;
};

// The catalog compiled into the library. Parsed once; a broken embedded catalog is a programmer
// error caught by the tests, so this never fails at run time.
const Catalog& builtin_catalog();

// Parses a catalog in its source form or in the form catalog_to_json() prints (they are the same
// shape). On failure returns nullopt and sets *error to what is wrong and where.
std::optional<Catalog> parse_catalog(std::string_view json, std::string* error);

// The catalog as JSON: {"catalog_version", "aggregates": [...], "events": [...], ...}.
std::string catalog_to_json(const Catalog& catalog, bool pretty = true);

}  // namespace msgevents
