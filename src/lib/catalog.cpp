// The catalog model's own functions (msgevents/catalog.hpp): names of its enums, and lookups.
// Loading is catalog_loader.cpp, printing catalog_printer.cpp, the built-in catalog
// catalog_builtin.cpp.
#include "msgevents/catalog.hpp"

namespace msgevents {

std::string_view to_string(JsonType type) {
  switch (type) {
    case JsonType::String: return "string";
    case JsonType::Integer: return "integer";
    case JsonType::Number: return "number";
    case JsonType::Boolean: return "boolean";
    case JsonType::Object: return "object";
    case JsonType::Array: return "array";
  }
  return "string";
}

std::string_view to_string(Privacy privacy) {
  switch (privacy) {
    case Privacy::Identifier: return "identifier";
    case Privacy::Internal: return "internal";
    case Privacy::Pii: return "pii";
    case Privacy::Secret: return "secret";
  }
  return "internal";
}

const FieldSpec* EventSpec::find_field(std::string_view field_name) const {
  for (const FieldSpec& field : fields) {
    if (field.name == field_name) return &field;
  }
  return nullptr;
}

const EventSpec* Catalog::find_event(std::string_view name) const {
  for (const EventSpec& event : events) {
    if (event.name == name) return &event;
  }
  return nullptr;
}

const AggregateSpec* Catalog::find_aggregate(std::string_view name) const {
  for (const AggregateSpec& aggregate : aggregates) {
    if (aggregate.name == name) return &aggregate;
  }
  return nullptr;
}

}  // namespace msgevents
