// Internal helpers shared by the interoperability exports (json_schema.cpp, asyncapi.cpp,
// cloudevents.cpp): building RapidJSON values from the catalog and writing them out.
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "msgevents/catalog.hpp"
#include "msgevents/interop.hpp"

namespace msgevents::detail {

using JsonAllocator = rapidjson::MemoryPoolAllocator<>;

// A copied string value (the catalog's strings outlive nothing we hand out).
rapidjson::Value json_string(std::string_view text, JsonAllocator& allocator);

// The schema of one event type (envelope + payload), without `$schema`; with `$id` when with_id.
// It uses only keywords that draft-07 also has, so AsyncAPI's default schema format reads it too.
rapidjson::Value event_schema_value(const Catalog& catalog, const EventSpec& event,
                                    const SchemaOptions& options, bool with_id,
                                    JsonAllocator& allocator);

// The catalog examples of an event, parsed (examples that do not parse are skipped: the catalog
// tests catch them).
rapidjson::Value example_values(const EventSpec& event, JsonAllocator& allocator);

std::string write_json(const rapidjson::Value& value, bool pretty);

}  // namespace msgevents::detail
