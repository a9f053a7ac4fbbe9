// The catalog printer: msgevents::Catalog -> the JSON of `msgevents catalog`, which is the
// source file's own form, byte for byte (tests/catalog_test.cpp), so that catalog.json round-trips.
#include "msgevents/catalog.hpp"

#include <cmath>
#include <optional>

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace msgevents {

namespace {

std::string schema_version_text(const SchemaVersion& version) {
  return std::to_string(version.major) + "." + std::to_string(version.minor);
}

template <typename Writer>
void write_key(Writer& w, std::string_view key) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}

template <typename Writer>
void write_text(Writer& w, std::string_view text) {
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

template <typename Writer>
void write_strings(Writer& w, std::string_view key, const std::vector<std::string>& values) {
  write_key(w, key);
  w.StartArray();
  for (const std::string& value : values) write_text(w, value);
  w.EndArray();
}

template <typename Writer>
void write_number(Writer& w, double value) {
  // Integral bounds print as integers, so "maximum": 50 round-trips as 50, not 50.0.
  if (std::floor(value) == value && std::fabs(value) < 9007199254740992.0) {
    w.Int64(static_cast<int64_t>(value));
  } else {
    w.Double(value);
  }
}

// "key": "text", the most common member.
template <typename Writer>
void write_member(Writer& w, std::string_view key, std::string_view text) {
  write_key(w, key);
  write_text(w, text);
}

// A member written only when it is set (or, for a flag, true), as the source leaves it out.
template <typename Writer>
void write_optional_count(Writer& w, std::string_view key, const std::optional<uint64_t>& count) {
  if (!count) return;
  write_key(w, key);
  w.Uint64(*count);
}

template <typename Writer>
void write_optional_number(Writer& w, std::string_view key, const std::optional<double>& value) {
  if (!value) return;
  write_key(w, key);
  write_number(w, *value);
}

template <typename Writer>
void write_true_flag(Writer& w, std::string_view key, bool flag) {
  if (!flag) return;
  write_key(w, key);
  w.Bool(true);
}

// The "items" object of an array field.
template <typename Writer>
void write_items(Writer& w, const FieldSpec& f) {
  write_key(w, "items");
  w.StartObject();
  write_member(w, "type", to_string(*f.item_type));
  if (!f.item_format.empty()) write_member(w, "format", f.item_format);
  if (!f.item_enum.empty()) write_strings(w, "enum", f.item_enum);
  write_true_flag(w, "aggregate_attributes", f.items_are_aggregate_fields);
  w.EndObject();
}

template <typename Writer>
void write_field(Writer& w, const FieldSpec& f) {
  w.StartObject();
  write_member(w, "name", f.name);
  write_member(w, "type", to_string(f.type));
  write_key(w, "required");
  w.Bool(f.required);
  write_member(w, "privacy", to_string(f.privacy));
  if (!f.format.empty()) write_member(w, "format", f.format);
  if (!f.enum_values.empty()) write_strings(w, "enum", f.enum_values);
  write_optional_count(w, "min_length", f.min_length);
  write_optional_count(w, "max_length", f.max_length);
  write_optional_number(w, "minimum", f.minimum);
  write_optional_number(w, "maximum", f.maximum);
  write_true_flag(w, "free_text", f.free_text);
  if (f.item_type) write_items(w, f);
  write_optional_count(w, "min_items", f.min_items);
  write_optional_count(w, "max_items", f.max_items);
  write_true_flag(w, "unique_items", f.unique_items);
  write_member(w, "description", f.description);
  w.EndObject();
}

template <typename Writer>
void write_envelope_docs(Writer& w, const std::vector<EnvelopeFieldDoc>& envelope) {
  write_key(w, "envelope");
  w.StartArray();
  for (const EnvelopeFieldDoc& doc : envelope) {
    w.StartObject();
    write_member(w, "name", doc.name);
    write_member(w, "type", doc.type);
    write_key(w, "required");
    w.Bool(doc.required);
    write_member(w, "description", doc.description);
    w.EndObject();
  }
  w.EndArray();
}

template <typename Writer>
void write_decisions(Writer& w, const std::vector<Decision>& decisions) {
  write_key(w, "decisions");
  w.StartArray();
  for (const Decision& decision : decisions) {
    w.StartObject();
    write_member(w, "topic", decision.topic);
    write_member(w, "text", decision.text);
    w.EndObject();
  }
  w.EndArray();
}

template <typename Writer>
void write_transition(Writer& w, const Transition& t) {
  w.StartObject();
  write_key(w, "from");
  if (t.from.empty()) {
    w.Null();  // the creating transition
  } else {
    write_text(w, t.from);
  }
  write_member(w, "to", t.to);
  write_member(w, "event", t.event);
  w.EndObject();
}

template <typename Writer>
void write_aggregate(Writer& w, const AggregateSpec& a) {
  w.StartObject();
  write_member(w, "name", a.name);
  write_member(w, "id_field", a.id_field);
  write_member(w, "description", a.description);
  write_strings(w, "states", a.states);
  write_key(w, "transitions");
  w.StartArray();
  for (const Transition& t : a.transitions) write_transition(w, t);
  w.EndArray();
  write_strings(w, "attributes", a.attributes);
  w.EndObject();
}

template <typename Writer>
void write_delivery(Writer& w, const DeliverySpec& delivery) {
  write_key(w, "delivery");
  w.StartObject();
  write_member(w, "ordering_key", delivery.ordering_key);
  write_member(w, "idempotency_key", delivery.idempotency_key);
  write_member(w, "duplicates", delivery.duplicates);
  w.EndObject();
}

template <typename Writer>
void write_examples(Writer& w, const std::vector<std::string>& examples) {
  write_key(w, "examples");
  w.StartArray();
  for (const std::string& example : examples) {
    // Examples are stored as text; re-emit each as a JSON object, not as a string.
    rapidjson::Document doc;
    doc.Parse(example.data(), example.size());
    if (doc.HasParseError()) {
      w.Null();  // only reachable for a hand-built Catalog with a broken example
    } else {
      doc.Accept(w);
    }
  }
  w.EndArray();
}

template <typename Writer>
void write_event(Writer& w, const EventSpec& e) {
  w.StartObject();
  write_member(w, "name", e.name);
  write_member(w, "aggregate", e.aggregate);
  write_member(w, "schema_version", schema_version_text(e.schema_version));
  write_key(w, "creates");
  w.Bool(e.creates);
  write_member(w, "purpose", e.purpose);
  write_key(w, "fields");
  w.StartArray();
  for (const FieldSpec& f : e.fields) write_field(w, f);
  w.EndArray();
  write_strings(w, "invariants", e.invariants);
  write_strings(w, "preconditions", e.preconditions);
  write_strings(w, "postconditions", e.postconditions);
  write_strings(w, "traceability", e.traceability);
  write_delivery(w, e.delivery);
  write_examples(w, e.examples);
  w.EndObject();
}

// The members in the source file's order.
template <typename Writer>
void write_catalog(Writer& w, const Catalog& c) {
  w.StartObject();
  write_member(w, "catalog_version", c.catalog_version);
  write_member(w, "title", c.title);
  write_member(w, "description", c.description);
  write_envelope_docs(w, c.envelope);
  write_decisions(w, c.decisions);
  write_strings(w, "change_policy", c.change_policy);
  write_key(w, "aggregates");
  w.StartArray();
  for (const AggregateSpec& a : c.aggregates) write_aggregate(w, a);
  w.EndArray();
  write_key(w, "events");
  w.StartArray();
  for (const EventSpec& e : c.events) write_event(w, e);
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::string catalog_to_json(const Catalog& catalog, bool pretty) {
  rapidjson::StringBuffer buffer;
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
    writer.SetIndent(' ', 2);
    write_catalog(writer, catalog);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    write_catalog(writer, catalog);
  }
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace msgevents
