// The catalog loader: src/catalog/catalog.json (or any catalog text) -> msgevents::Catalog.
//
// parse_catalog() is strict on purpose: the catalog is the single source of truth for the
// validator, the CLI and every generated artefact, so a typo in it ("requried", an unknown privacy
// class, a transition naming a missing state) must fail loudly, with the JSON Pointer of the
// problem, instead of silently weakening validation. It collects every problem it finds, one per
// line, so that an author fixes a broken catalog in one pass. The library's own catalog is read
// from its build-time image instead (catalog_image.hpp, catalog_builtin.cpp): this file runs for
// catalogs given at run time and in the build's generators.
#include "msgevents/catalog.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "catalog_image.hpp"
#include "catalog_reader.hpp"
#include "formats.hpp"
#include "text_util.hpp"

namespace msgevents {

namespace {

using detail::child;
using detail::quoted;
using rapidjson::Value;

// The enum value whose name (to_string, catalog.cpp: the one list of names) is `text`; the last
// value is the image's (catalog_image.hpp), which refuses anything beyond it.
template <typename Enum>
std::optional<Enum> parse_named(std::string_view text) {
  for (uint64_t i = 0; i <= detail::enum_last(Enum{}); ++i) {
    if (to_string(static_cast<Enum>(i)) == text) return static_cast<Enum>(i);
  }
  return std::nullopt;
}
std::optional<JsonType> parse_json_type(std::string_view text) { return parse_named<JsonType>(text); }
std::optional<Privacy> parse_privacy(std::string_view text) { return parse_named<Privacy>(text); }

// Named formats: the table is formats.cpp (one list for the loader, both validation paths and the export).
bool is_known_format(std::string_view format) { return detail::find_format(format).has_value(); }

std::optional<SchemaVersion> parse_schema_version(std::string_view text) {
  SchemaVersion version{0, 0};
  uint32_t* part = &version.major;
  size_t digits = 0;
  for (char c : text) {
    if (c == '.') {
      if (digits == 0 || part == &version.minor) return std::nullopt;
      part = &version.minor;
      digits = 0;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (digits > 0 && *part == 0) return std::nullopt;  // no leading zeros: "01.0" is not canonical
    uint64_t next = uint64_t{*part} * 10 + static_cast<uint64_t>(c - '0');
    if (next > UINT32_MAX) return std::nullopt;
    *part = static_cast<uint32_t>(next);
    ++digits;
  }
  if (digits == 0 || part != &version.minor) return std::nullopt;
  return version;
}

// Reads the JSON into the structs and checks every rule that does not need the whole catalog;
// cross-references (transitions -> events, events -> aggregates) are checked afterwards.
class Loader : public detail::CatalogReader {
 public:
  void load(const Value& root, Catalog* catalog) {
    if (!expect_object(root, "", "the catalog")) return;
    check_keys(root, "", {"catalog_version", "title", "description", "envelope", "decisions", "change_policy",
                          "aggregates", "events"});
    get_string(root, "", "catalog_version", &catalog->catalog_version, true);
    get_string(root, "", "title", &catalog->title, false);
    get_string(root, "", "description", &catalog->description, false);
    load_envelope(root, catalog);
    load_decisions(root, catalog);
    get_string_array(root, "", "change_policy", &catalog->change_policy, false);

    if (const Value* aggregates = array_member(root, "", "aggregates")) {
      for (rapidjson::SizeType i = 0; i < aggregates->Size(); ++i) {
        AggregateSpec aggregate;
        load_aggregate((*aggregates)[i], child("/aggregates", i), &aggregate);
        catalog->aggregates.push_back(std::move(aggregate));
      }
    }
    if (const Value* events = array_member(root, "", "events")) {
      for (rapidjson::SizeType i = 0; i < events->Size(); ++i) {
        EventSpec event;
        load_event((*events)[i], child("/events", i), &event);
        catalog->events.push_back(std::move(event));
      }
    }
    cross_check(*catalog);
  }

 private:
  void load_envelope(const Value& root, Catalog* catalog) {
    const Value* envelope = array_member(root, "", "envelope", false);
    if (envelope == nullptr) return;
    for (rapidjson::SizeType i = 0; i < envelope->Size(); ++i) {
      const Value& item = (*envelope)[i];
      std::string pointer = child("/envelope", i);
      if (!expect_object(item, pointer, "an envelope field")) continue;
      check_keys(item, pointer, {"name", "type", "required", "description"});
      EnvelopeFieldDoc doc;
      get_string(item, pointer, "name", &doc.name, true);
      if (get_string(item, pointer, "type", &doc.type, true) && !parse_json_type(doc.type)) {
        error(child(pointer, "type"), "unknown type " + quoted(doc.type) +
                                          " (expected string, integer, number, boolean, object or array)");
      }
      get_bool(item, pointer, "required", &doc.required, true);
      get_string(item, pointer, "description", &doc.description, false);
      for (const EnvelopeFieldDoc& other : catalog->envelope) {
        if (other.name == doc.name && !doc.name.empty()) error(child(pointer, "name"), "duplicate envelope field " + quoted(doc.name));
      }
      catalog->envelope.push_back(std::move(doc));
    }
  }

  void load_decisions(const Value& root, Catalog* catalog) {
    const Value* decisions = array_member(root, "", "decisions", false);
    if (decisions == nullptr) return;
    for (rapidjson::SizeType i = 0; i < decisions->Size(); ++i) {
      const Value& item = (*decisions)[i];
      std::string pointer = child("/decisions", i);
      if (!expect_object(item, pointer, "a decision")) continue;
      check_keys(item, pointer, {"topic", "text"});
      Decision decision;
      get_string(item, pointer, "topic", &decision.topic, true);
      get_string(item, pointer, "text", &decision.text, true);
      catalog->decisions.push_back(std::move(decision));
    }
  }

  void load_aggregate(const Value& item, const std::string& pointer, AggregateSpec* aggregate) {
    if (!expect_object(item, pointer, "an aggregate")) return;
    check_keys(item, pointer, {"name", "id_field", "description", "states", "transitions", "attributes"});
    get_string(item, pointer, "name", &aggregate->name, true);
    get_string(item, pointer, "id_field", &aggregate->id_field, true);
    get_string(item, pointer, "description", &aggregate->description, false);
    get_string_array(item, pointer, "states", &aggregate->states, true, true);
    get_string_array(item, pointer, "attributes", &aggregate->attributes, false, true);
    const Value* transitions = array_member(item, pointer, "transitions");
    if (transitions == nullptr) return;
    std::string transitions_pointer = child(pointer, "transitions");
    const std::unordered_set<std::string_view> states(aggregate->states.begin(), aggregate->states.end());
    std::set<std::pair<std::string, std::string>> from_event;  // (from, event) of each transition so far
    for (rapidjson::SizeType i = 0; i < transitions->Size(); ++i) {
      const Value& t = (*transitions)[i];
      std::string here = child(transitions_pointer, i);
      if (!expect_object(t, here, "a transition")) continue;
      check_keys(t, here, {"from", "to", "event"});
      Transition transition;
      const Value* from = member(t, here, "from", true);
      if (from != nullptr) {
        if (from->IsString() && from->GetStringLength() > 0) {
          transition.from.assign(from->GetString(), from->GetStringLength());
        } else if (!from->IsNull()) {
          error(child(here, "from"), "from must be a state name, or null for the creating transition");
        }
      }
      get_string(t, here, "to", &transition.to, true);
      get_string(t, here, "event", &transition.event, true);
      for (const std::string* state : {&transition.from, &transition.to}) {
        if (!state->empty() && states.count(*state) == 0) {
          error(child(here, state == &transition.from ? "from" : "to"),
                "unknown state " + quoted(*state) + " (not in the states of " + aggregate->name + ")");
        }
      }
      if (!transition.event.empty() && !from_event.emplace(transition.from, transition.event).second) {
        error(here, "a second transition for " + transition.event + " from " +
                        (transition.from.empty() ? std::string("null") : quoted(transition.from)) +
                        ": a lifecycle must say exactly which state an event leads to");
      }
      aggregate->transitions.push_back(std::move(transition));
    }
  }

  void load_items(const Value& items, const std::string& pointer, FieldSpec* field) {
    if (!expect_object(items, pointer, "items")) return;
    check_keys(items, pointer, {"type", "format", "enum", "aggregate_attributes"});
    std::string type;
    if (get_string(items, pointer, "type", &type, true)) {
      std::optional<JsonType> parsed = parse_json_type(type);
      if (!parsed || (*parsed != JsonType::String && *parsed != JsonType::Integer)) {
        error(child(pointer, "type"), "items.type must be \"string\" or \"integer\", not " + quoted(type));
      } else {
        field->item_type = parsed;
      }
    }
    bool string_items = field->item_type == JsonType::String;
    if (get_string(items, pointer, "format", &field->item_format, false)) {
      if (!is_known_format(field->item_format)) error(child(pointer, "format"), "unknown format " + quoted(field->item_format));
      if (!string_items) error(child(pointer, "format"), "a format applies to string items only");
    }
    if (get_string_array(items, pointer, "enum", &field->item_enum, false, true)) {
      if (field->item_enum.empty()) error(child(pointer, "enum"), "enum must list at least one value");
      if (!string_items) error(child(pointer, "enum"), "an enum applies to string items only");
    }
    if (get_bool(items, pointer, "aggregate_attributes", &field->items_are_aggregate_fields, false) &&
        field->items_are_aggregate_fields && !string_items) {
      error(child(pointer, "aggregate_attributes"), "aggregate_attributes applies to string items only");
    }
  }

  void load_field(const Value& item, const std::string& pointer, FieldSpec* field) {
    if (!expect_object(item, pointer, "a field")) return;
    check_keys(item, pointer, {"name", "type", "required", "privacy", "format", "enum", "min_length", "max_length",
                               "minimum", "maximum", "free_text", "items", "min_items", "max_items", "unique_items",
                               "description"});
    get_string(item, pointer, "name", &field->name, true);
    std::string text;
    bool typed = false;
    if (get_string(item, pointer, "type", &text, true)) {
      if (std::optional<JsonType> type = parse_json_type(text)) {
        field->type = *type;
        typed = true;
      } else {
        error(child(pointer, "type"), "unknown type " + quoted(text) + " (expected string, integer, number, boolean, object or array)");
      }
    }
    get_bool(item, pointer, "required", &field->required, true);
    if (get_string(item, pointer, "privacy", &text, true)) {
      if (std::optional<Privacy> privacy = parse_privacy(text)) {
        field->privacy = *privacy;
      } else {
        error(child(pointer, "privacy"), "unknown privacy class " + quoted(text) + " (expected identifier, internal, pii or secret)");
      }
    }
    if (field->privacy == Privacy::Secret && field->required) {
      error(child(pointer, "required"), "a secret field documents what must never be sent, so it cannot be required");
    }
    get_string(item, pointer, "description", &field->description, false);

    bool is_string = typed && field->type == JsonType::String;
    bool is_numeric = typed && (field->type == JsonType::Integer || field->type == JsonType::Number);
    bool is_array = typed && field->type == JsonType::Array;
    auto only_for = [&](bool present, bool applies, std::string_view key, std::string_view kind) {
      if (present && typed && !applies) error(child(pointer, key), std::string(key) + " applies to " + std::string(kind) + " fields only");
    };

    bool has = get_string(item, pointer, "format", &field->format, false);
    if (has && !is_known_format(field->format)) error(child(pointer, "format"), "unknown format " + quoted(field->format));
    only_for(has, is_string, "format", "string");
    has = get_string_array(item, pointer, "enum", &field->enum_values, false, true);
    if (has && field->enum_values.empty()) error(child(pointer, "enum"), "enum must list at least one value");
    only_for(has, is_string, "enum", "string");
    only_for(get_count(item, pointer, "min_length", &field->min_length), is_string, "min_length", "string");
    only_for(get_count(item, pointer, "max_length", &field->max_length), is_string, "max_length", "string");
    if (field->min_length && field->max_length && *field->min_length > *field->max_length) {
      error(child(pointer, "min_length"), "min_length is greater than max_length");
    }
    only_for(get_bool(item, pointer, "free_text", &field->free_text, false) && field->free_text, is_string, "free_text", "string");
    only_for(get_number(item, pointer, "minimum", &field->minimum), is_numeric, "minimum", "integer and number");
    only_for(get_number(item, pointer, "maximum", &field->maximum), is_numeric, "maximum", "integer and number");
    if (field->minimum && field->maximum && *field->minimum > *field->maximum) {
      error(child(pointer, "minimum"), "minimum is greater than maximum");
    }

    const Value* items = member(item, pointer, "items", false);
    if (items != nullptr) {
      only_for(true, is_array, "items", "array");
      load_items(*items, child(pointer, "items"), field);
    } else if (is_array) {
      error(pointer, "an array field must describe its items");
    }
    only_for(get_count(item, pointer, "min_items", &field->min_items), is_array, "min_items", "array");
    only_for(get_count(item, pointer, "max_items", &field->max_items), is_array, "max_items", "array");
    if (field->min_items && field->max_items && *field->min_items > *field->max_items) {
      error(child(pointer, "min_items"), "min_items is greater than max_items");
    }
    only_for(get_bool(item, pointer, "unique_items", &field->unique_items, false) && field->unique_items, is_array,
             "unique_items", "array");
  }

  void load_delivery(const Value& event, const std::string& pointer, DeliverySpec* delivery) {
    const Value* value = member(event, pointer, "delivery", false);
    if (value == nullptr) return;
    std::string here = child(pointer, "delivery");
    if (!expect_object(*value, here, "delivery")) return;
    check_keys(*value, here, {"ordering_key", "idempotency_key", "duplicates"});
    get_string(*value, here, "ordering_key", &delivery->ordering_key, true);
    get_string(*value, here, "idempotency_key", &delivery->idempotency_key, true);
    get_string(*value, here, "duplicates", &delivery->duplicates, true);
  }

  void load_event(const Value& item, const std::string& pointer, EventSpec* event) {
    if (!expect_object(item, pointer, "an event")) return;
    check_keys(item, pointer, {"name", "aggregate", "schema_version", "creates", "purpose", "fields", "invariants",
                               "preconditions", "postconditions", "traceability", "delivery", "examples"});
    get_string(item, pointer, "name", &event->name, true);
    get_string(item, pointer, "aggregate", &event->aggregate, true);
    std::string version;
    if (get_string(item, pointer, "schema_version", &version, true)) {
      if (std::optional<SchemaVersion> parsed = parse_schema_version(version)) {
        event->schema_version = *parsed;
      } else {
        error(child(pointer, "schema_version"), "schema_version must be \"MAJOR.MINOR\" (e.g. \"1.0\"), not " + quoted(version));
      }
    }
    get_bool(item, pointer, "creates", &event->creates, false);
    get_string(item, pointer, "purpose", &event->purpose, false);
    get_string_array(item, pointer, "invariants", &event->invariants, false);
    get_string_array(item, pointer, "preconditions", &event->preconditions, false);
    get_string_array(item, pointer, "postconditions", &event->postconditions, false);
    get_string_array(item, pointer, "traceability", &event->traceability, false);
    load_delivery(item, pointer, &event->delivery);

    if (const Value* fields = array_member(item, pointer, "fields")) {
      std::string fields_pointer = child(pointer, "fields");
      std::unordered_set<std::string> names;  // a set, so that a catalog of many fields loads in linear time
      for (rapidjson::SizeType i = 0; i < fields->Size(); ++i) {
        FieldSpec field;
        std::string here = child(fields_pointer, i);
        load_field((*fields)[i], here, &field);
        if (!field.name.empty() && !names.insert(field.name).second) {
          error(child(here, "name"), "duplicate field " + quoted(field.name) + " in " + event->name);
        }
        event->fields.push_back(std::move(field));
      }
      // channel_address is E.164 or e-mail depending on the sibling `kind`, which must exist.
      const bool has_kind = names.count("kind") > 0;
      for (size_t i = 0; i < event->fields.size(); ++i) {
        if (event->fields[i].format == "channel_address" && !has_kind) {
          error(child(child(fields_pointer, i), "format"), "the channel_address format needs a sibling field \"kind\"");
        }
      }
    }

    if (const Value* examples = array_member(item, pointer, "examples", false)) {
      for (rapidjson::SizeType i = 0; i < examples->Size(); ++i) {
        const Value& example = (*examples)[i];
        if (!expect_object(example, child(child(pointer, "examples"), i), "an example")) continue;
        rapidjson::StringBuffer buffer;
        rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
        writer.SetIndent(' ', 2);
        example.Accept(writer);
        event->examples.emplace_back(buffer.GetString(), buffer.GetSize());
      }
    }
  }

  void cross_check(const Catalog& catalog) {
    // Indexes (first of each name), so that a catalog of any size is checked in linear time.
    std::unordered_map<std::string_view, const EventSpec*> events_by_name;
    for (const EventSpec& event : catalog.events) events_by_name.emplace(event.name, &event);
    std::unordered_map<std::string_view, const AggregateSpec*> aggregates_by_name;
    for (const AggregateSpec& aggregate : catalog.aggregates) aggregates_by_name.emplace(aggregate.name, &aggregate);
    auto find_event = [&](std::string_view name) -> const EventSpec* {
      const auto found = events_by_name.find(name);
      return found == events_by_name.end() ? nullptr : found->second;
    };
    for (size_t a = 0; a < catalog.aggregates.size(); ++a) {
      const AggregateSpec& aggregate = catalog.aggregates[a];
      std::string pointer = child("/aggregates", a);
      if (!aggregate.name.empty() && aggregates_by_name.at(aggregate.name) != &aggregate) {
        error(child(pointer, "name"), "duplicate aggregate " + quoted(aggregate.name));
      }
      bool has_creation = false;
      for (size_t t = 0; t < aggregate.transitions.size(); ++t) {
        const Transition& transition = aggregate.transitions[t];
        has_creation = has_creation || transition.from.empty();
        std::string here = child(child(child(pointer, "transitions"), t), "event");
        const EventSpec* event = find_event(transition.event);
        if (transition.event.empty()) continue;
        if (event == nullptr) {
          error(here, "unknown event " + quoted(transition.event));
        } else if (event->aggregate != aggregate.name) {
          error(here, "event " + quoted(transition.event) + " belongs to " + event->aggregate + ", not " + aggregate.name);
        }
      }
      if (!has_creation && !aggregate.transitions.empty()) {
        error(child(pointer, "transitions"), "no creating transition (\"from\": null): no state of " + aggregate.name + " is reachable");
      }
    }

    for (size_t e = 0; e < catalog.events.size(); ++e) {
      const EventSpec& event = catalog.events[e];
      std::string pointer = child("/events", e);
      if (event.name.empty()) continue;
      if (find_event(event.name) != &event) error(child(pointer, "name"), "duplicate event " + quoted(event.name));
      const auto found_aggregate = aggregates_by_name.find(event.aggregate);
      const AggregateSpec* aggregate = found_aggregate == aggregates_by_name.end() ? nullptr : found_aggregate->second;
      if (aggregate == nullptr) {
        if (!event.aggregate.empty()) error(child(pointer, "aggregate"), "unknown aggregate " + quoted(event.aggregate));
        continue;
      }
      // The validator checks aggregate_id against this field, so every event must carry it.
      const FieldSpec* id_field = event.find_field(aggregate->id_field);
      if (id_field == nullptr || !id_field->required || id_field->type != JsonType::String) {
        error(child(pointer, "fields"), event.name + " must declare " + aggregate->name + "'s id field " +
                                            quoted(aggregate->id_field) + " as a required string");
      }
      bool created_by_transition = std::any_of(aggregate->transitions.begin(), aggregate->transitions.end(),
                                               [&](const Transition& t) { return t.from.empty() && t.event == event.name; });
      if (event.creates != created_by_transition) {
        error(child(pointer, "creates"), event.creates ? event.name + " is marked creates but no transition from null names it"
                                                       : event.name + " has a transition from null but is not marked creates");
      }
    }
  }
};

}  // namespace

std::optional<Catalog> parse_catalog(std::string_view json, std::string* error) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(json.data(), json.size());
  if (doc.HasParseError()) {
    if (error != nullptr) {
      size_t offset = std::min(doc.GetErrorOffset(), json.size());
      size_t line = 1;
      size_t column = 1;
      for (size_t i = 0; i < offset; ++i) {
        if (json[i] == '\n') {
          ++line;
          column = 1;
        } else if ((static_cast<unsigned char>(json[i]) & 0xC0) != 0x80) {
          ++column;
        }
      }
      *error = "line " + std::to_string(line) + ", column " + std::to_string(column) +
               ": not valid JSON: " + rapidjson::GetParseError_En(doc.GetParseError());
    }
    return std::nullopt;
  }
  Loader loader;
  loader.check_duplicate_keys(doc, "");
  Catalog catalog;
  if (loader.errors.empty()) loader.load(doc, &catalog);
  if (!loader.errors.empty()) {
    if (error != nullptr) {
      error->clear();
      for (const std::string& message : loader.errors) {
        if (!error->empty()) *error += '\n';
        *error += message;
      }
    }
    return std::nullopt;
  }
  if (error != nullptr) error->clear();
  return catalog;
}

}  // namespace msgevents
