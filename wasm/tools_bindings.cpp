// The tools module's Embind boundary (msgevents_tools): the exports a validating page never calls,
// JSON Schema, CloudEvents and the change-policy check, kept out of the validator module
// (bindings.cpp) so that what `createValidator()` downloads stays small. The npm wrapper loads
// this module the first time one of its methods is called (npm/src/tools.js). The calling
// convention and the calls both modules bind are boundary.hpp's.
//
// Adding an export is one function here and one line in EMSCRIPTEN_BINDINGS below.
#include <emscripten/bind.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "boundary.hpp"
#include "msgevents/catalog.hpp"
#include "msgevents/compat.hpp"
#include "msgevents/interop.hpp"

namespace msgevents::wasm {
namespace {

// One event type's JSON Schema (2020-12), or the bundle of all of them for an empty name.
std::string json_schema(uintptr_t name_pointer, size_t name_length, bool strict) {
  return guarded("jsonSchema", [&] {
    const std::string event_name(bytes_at(name_pointer, name_length));
    SchemaOptions options;
    options.strict = strict;
    options.pretty = true;
    if (event_name.empty()) return json_schema_bundle(builtin_catalog(), options);
    std::optional<std::string> schema = event_json_schema(event_name, builtin_catalog(), options);
    if (!schema) throw std::invalid_argument("no event type named \"" + event_name + "\" in the catalog");
    return *schema;
  });
}

std::string to_cloud_event_json(uintptr_t event_pointer, size_t event_length, uintptr_t prefix_pointer, size_t prefix_length) {
  return guarded("toCloudEvent", [&] {
    CloudEventOptions options;
    options.type_prefix = std::string(bytes_at(prefix_pointer, prefix_length));
    CloudEventResult result = to_cloud_event(bytes_at(event_pointer, event_length), options);
    if (!result.ok) throw std::invalid_argument(result.error);
    return result.json;
  });
}

// The change-policy report (compat_report_json) for two catalogs, each in its source form or as
// `msgevents catalog` prints it: what the docs site's compare page shows.
std::string compat_json(uintptr_t old_pointer, size_t old_length, uintptr_t new_pointer, size_t new_length) {
  return guarded("compat", [&] {
    std::string error;
    std::optional<Catalog> old_catalog = parse_catalog(bytes_at(old_pointer, old_length), &error);
    if (!old_catalog) throw std::invalid_argument("the old catalog: " + error);
    std::optional<Catalog> new_catalog = parse_catalog(bytes_at(new_pointer, new_length), &error);
    if (!new_catalog) throw std::invalid_argument("the new catalog: " + error);
    return compat_report_json(compare_catalogs(*old_catalog, *new_catalog), false);
  });
}

}  // namespace
}  // namespace msgevents::wasm

EMSCRIPTEN_BINDINGS(msgevents_tools) {
  using namespace emscripten;
  using namespace msgevents::wasm;

  function("jsonSchema", &json_schema);
  function("toCloudEvent", &to_cloud_event_json);
  function("compatJson", &compat_json);
}
