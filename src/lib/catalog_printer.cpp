// The catalog printer: msgevents::Catalog -> the JSON of `msgevents catalog`, which is the
// source file's own form, byte for byte (tests/catalog_test.cpp), so that catalog.json round-trips.
#include "msgevents/catalog.hpp"

#include <cmath>

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

template <typename Writer>
void write_field(Writer& w, const FieldSpec& f) {
  w.StartObject();
  write_key(w, "name");
  write_text(w, f.name);
  write_key(w, "type");
  write_text(w, to_string(f.type));
  write_key(w, "required");
  w.Bool(f.required);
  write_key(w, "privacy");
  write_text(w, to_string(f.privacy));
  if (!f.format.empty()) {
    write_key(w, "format");
    write_text(w, f.format);
  }
  if (!f.enum_values.empty()) write_strings(w, "enum", f.enum_values);
  if (f.min_length) {
    write_key(w, "min_length");
    w.Uint64(*f.min_length);
  }
  if (f.max_length) {
    write_key(w, "max_length");
    w.Uint64(*f.max_length);
  }
  if (f.minimum) {
    write_key(w, "minimum");
    write_number(w, *f.minimum);
  }
  if (f.maximum) {
    write_key(w, "maximum");
    write_number(w, *f.maximum);
  }
  if (f.free_text) {
    write_key(w, "free_text");
    w.Bool(true);
  }
  if (f.item_type) {
    write_key(w, "items");
    w.StartObject();
    write_key(w, "type");
    write_text(w, to_string(*f.item_type));
    if (!f.item_format.empty()) {
      write_key(w, "format");
      write_text(w, f.item_format);
    }
    if (!f.item_enum.empty()) write_strings(w, "enum", f.item_enum);
    if (f.items_are_aggregate_fields) {
      write_key(w, "aggregate_attributes");
      w.Bool(true);
    }
    w.EndObject();
  }
  if (f.min_items) {
    write_key(w, "min_items");
    w.Uint64(*f.min_items);
  }
  if (f.max_items) {
    write_key(w, "max_items");
    w.Uint64(*f.max_items);
  }
  if (f.unique_items) {
    write_key(w, "unique_items");
    w.Bool(true);
  }
  write_key(w, "description");
  write_text(w, f.description);
  w.EndObject();
}

template <typename Writer>
void write_catalog(Writer& w, const Catalog& c) {
  w.StartObject();
  write_key(w, "catalog_version");
  write_text(w, c.catalog_version);
  write_key(w, "title");
  write_text(w, c.title);
  write_key(w, "description");
  write_text(w, c.description);

  write_key(w, "envelope");
  w.StartArray();
  for (const EnvelopeFieldDoc& doc : c.envelope) {
    w.StartObject();
    write_key(w, "name");
    write_text(w, doc.name);
    write_key(w, "type");
    write_text(w, doc.type);
    write_key(w, "required");
    w.Bool(doc.required);
    write_key(w, "description");
    write_text(w, doc.description);
    w.EndObject();
  }
  w.EndArray();

  write_key(w, "decisions");
  w.StartArray();
  for (const Decision& decision : c.decisions) {
    w.StartObject();
    write_key(w, "topic");
    write_text(w, decision.topic);
    write_key(w, "text");
    write_text(w, decision.text);
    w.EndObject();
  }
  w.EndArray();
  write_strings(w, "change_policy", c.change_policy);

  write_key(w, "aggregates");
  w.StartArray();
  for (const AggregateSpec& a : c.aggregates) {
    w.StartObject();
    write_key(w, "name");
    write_text(w, a.name);
    write_key(w, "id_field");
    write_text(w, a.id_field);
    write_key(w, "description");
    write_text(w, a.description);
    write_strings(w, "states", a.states);
    write_key(w, "transitions");
    w.StartArray();
    for (const Transition& t : a.transitions) {
      w.StartObject();
      write_key(w, "from");
      if (t.from.empty()) {
        w.Null();
      } else {
        write_text(w, t.from);
      }
      write_key(w, "to");
      write_text(w, t.to);
      write_key(w, "event");
      write_text(w, t.event);
      w.EndObject();
    }
    w.EndArray();
    write_strings(w, "attributes", a.attributes);
    w.EndObject();
  }
  w.EndArray();

  write_key(w, "events");
  w.StartArray();
  for (const EventSpec& e : c.events) {
    w.StartObject();
    write_key(w, "name");
    write_text(w, e.name);
    write_key(w, "aggregate");
    write_text(w, e.aggregate);
    write_key(w, "schema_version");
    write_text(w, schema_version_text(e.schema_version));
    write_key(w, "creates");
    w.Bool(e.creates);
    write_key(w, "purpose");
    write_text(w, e.purpose);
    write_key(w, "fields");
    w.StartArray();
    for (const FieldSpec& f : e.fields) write_field(w, f);
    w.EndArray();
    write_strings(w, "invariants", e.invariants);
    write_strings(w, "preconditions", e.preconditions);
    write_strings(w, "postconditions", e.postconditions);
    write_strings(w, "traceability", e.traceability);
    write_key(w, "delivery");
    w.StartObject();
    write_key(w, "ordering_key");
    write_text(w, e.delivery.ordering_key);
    write_key(w, "idempotency_key");
    write_text(w, e.delivery.idempotency_key);
    write_key(w, "duplicates");
    write_text(w, e.delivery.duplicates);
    w.EndObject();
    write_key(w, "examples");
    w.StartArray();
    for (const std::string& example : e.examples) {
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
    w.EndObject();
  }
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
