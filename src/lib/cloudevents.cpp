// The CloudEvents 1.0 mapping (structured content mode, JSON event format) and its inverse. The
// table in cloudevents_mapping_markdown() is the documentation; the code below follows it.
#include <algorithm>
#include <cstdint>
#include <string>

#include "interop_detail.hpp"
#include "msgevents/interop.hpp"

namespace msgevents {
namespace {

using detail::json_string;
using detail::JsonAllocator;
using rapidjson::Value;

constexpr const char* kSourcePrefix = "/msgevents/";
// As deep as the validator allows (Options::max_depth): RapidJSON's DOM copy and writer recurse,
// so deeper input is refused before it is parsed rather than risking the stack.
constexpr int kMaxDepth = 64;

int nesting_depth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

void add(Value& object, std::string_view key, Value& value, JsonAllocator& a) {
  object.AddMember(json_string(key, a), value, a);
}
void add(Value& object, std::string_view key, Value&& value, JsonAllocator& a) { add(object, key, value, a); }

const Value* member(const Value& object, const char* name) {
  auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::string_view text(const Value& value) {
  return std::string_view(value.GetString(), value.GetStringLength());
}

CloudEventResult failure(std::string message) {
  CloudEventResult result;
  result.error = std::move(message);
  return result;
}

// Copies a string member under a new name; other types are not what the mapping promises, so they
// are left out rather than passed on mistyped.
void copy_string(const Value& from, const char* from_name, Value& to, const char* to_name, JsonAllocator& a) {
  if (const Value* v = member(from, from_name); v != nullptr && v->IsString()) add(to, to_name, json_string(text(*v), a), a);
}

}  // namespace

CloudEventResult to_cloud_event(std::string_view event_json, const CloudEventOptions& options) {
  if (nesting_depth(event_json) > kMaxDepth)
    return failure("the input nests deeper than " + std::to_string(kMaxDepth) + " levels (run `msgevents validate` for details)");
  rapidjson::Document event;
  event.Parse<rapidjson::kParseIterativeFlag>(event_json.data(), event_json.size());
  if (event.HasParseError()) return failure("the input is not valid JSON (run `msgevents validate` for details)");
  if (!event.IsObject()) return failure("the input is not a JSON object: a CloudEvent maps one msgevents event");
  for (const char* required : {"event_id", "event_name", "aggregate_type"}) {
    const Value* v = member(event, required);
    if (v == nullptr || !v->IsString() || v->GetStringLength() == 0)
      return failure(std::string("the event has no string `") + required + "`, which the CloudEvent needs");
  }
  const std::string event_name(text(event["event_name"]));
  const std::string aggregate_type(text(event["aggregate_type"]));

  rapidjson::Document ce(rapidjson::kObjectType);
  auto& a = ce.GetAllocator();
  add(ce, "specversion", json_string("1.0", a), a);
  copy_string(event, "event_id", ce, "id", a);
  add(ce, "source", json_string(kSourcePrefix + aggregate_type, a), a);
  add(ce, "type", json_string(options.type_prefix + event_name, a), a);
  copy_string(event, "aggregate_id", ce, "subject", a);
  copy_string(event, "occurred_at", ce, "time", a);
  add(ce, "datacontenttype", json_string("application/json", a), a);

  std::string schema_version;
  if (const Value* v = member(event, "schema_version"); v != nullptr && v->IsString()) schema_version = text(*v);
  if (const EventSpec* spec = builtin_catalog().find_event(event_name); spec != nullptr) {
    std::string id = schema_version.empty()
                         ? event_schema_id(*spec)
                         : "urn:msgevents:schema:event:" + event_name + ":" + schema_version;
    add(ce, "dataschema", json_string(id, a), a);
  }

  add(ce, "aggregatetype", json_string(aggregate_type, a), a);
  if (const Value* version = member(event, "version"); version != nullptr) {
    // A string: CloudEvents' Integer is 32-bit, aggregate versions go up to 2^53 - 1.
    if (version->IsUint64()) add(ce, "aggregateversion", json_string(std::to_string(version->GetUint64()), a), a);
  }
  if (const Value* actor = member(event, "actor"); actor != nullptr && actor->IsObject()) {
    copy_string(*actor, "type", ce, "actortype", a);
    copy_string(*actor, "id", ce, "actorid", a);
  }
  copy_string(event, "idempotency_key", ce, "idempotencykey", a);
  copy_string(event, "schema_version", ce, "schemaversion", a);
  if (const Value* payload = member(event, "payload"); payload != nullptr) add(ce, "data", Value(*payload, a), a);

  CloudEventResult result;
  result.ok = true;
  result.json = detail::write_json(ce, options.pretty);
  return result;
}

CloudEventResult to_cloud_events(std::string_view input, const CloudEventOptions& options) {
  CloudEventResult result;
  result.ok = true;
  auto map_one = [&](std::string_view event_text, size_t index, std::string* out) {
    CloudEventResult one = to_cloud_event(event_text, options);
    if (one.ok) {
      *out += one.json;
      return true;
    }
    if (!result.error.empty()) result.error += '\n';
    result.error += "event " + std::to_string(index) + ": " + one.error;
    result.ok = false;
    return false;
  };
  rapidjson::Document whole;
  // Too deep to take whole: read it as NDJSON, where each line is refused on its own.
  const bool parsed = nesting_depth(input) <= kMaxDepth + 1 &&
                      !whole.Parse<rapidjson::kParseIterativeFlag>(input.data(), input.size()).HasParseError();
  if (parsed && whole.IsArray()) {
    std::string out = "[";
    size_t index = 0;
    for (const auto& element : whole.GetArray()) {
      std::string element_text = detail::write_json(element, false);
      std::string mapped;
      if (map_one(element_text, index, &mapped)) out += (out.size() > 1 ? "," : "") + mapped;
      ++index;
    }
    result.json = out + "]";
    return result;
  }
  if (parsed) {
    map_one(input, 0, &result.json);
    return result;
  }
  // NDJSON: one event a line; blank lines are skipped.
  size_t index = 0, start = 0;
  while (start < input.size()) {
    size_t end = input.find('\n', start);
    if (end == std::string_view::npos) end = input.size();
    std::string_view line = input.substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    std::string mapped;
    if (map_one(line, index, &mapped)) result.json += mapped + "\n";
    ++index;
  }
  if (index == 0) {
    result.ok = false;
    result.error = "the input holds no event";
  }
  return result;
}

CloudEventResult from_cloud_event(std::string_view cloud_event_json, const CloudEventOptions& options) {
  if (nesting_depth(cloud_event_json) > kMaxDepth)
    return failure("the input nests deeper than " + std::to_string(kMaxDepth) + " levels");
  rapidjson::Document ce;
  ce.Parse<rapidjson::kParseIterativeFlag>(cloud_event_json.data(), cloud_event_json.size());
  if (ce.HasParseError() || !ce.IsObject()) return failure("the input is not a JSON object");
  const Value* specversion = member(ce, "specversion");
  if (specversion == nullptr || !specversion->IsString() || text(*specversion) != "1.0")
    return failure("not a CloudEvents 1.0 event: `specversion` must be \"1.0\"");
  const Value* type = member(ce, "type");
  if (type == nullptr || !type->IsString()) return failure("the CloudEvent has no string `type`");
  std::string_view event_name = text(*type);
  if (event_name.substr(0, options.type_prefix.size()) == options.type_prefix)
    event_name.remove_prefix(options.type_prefix.size());

  std::string aggregate_type;
  if (const Value* v = member(ce, "aggregatetype"); v != nullptr && v->IsString()) {
    aggregate_type = text(*v);
  } else if (const Value* source = member(ce, "source"); source != nullptr && source->IsString()) {
    std::string_view s = text(*source);
    if (s.substr(0, std::string_view(kSourcePrefix).size()) == kSourcePrefix) aggregate_type = s.substr(std::string_view(kSourcePrefix).size());
  }

  rapidjson::Document event(rapidjson::kObjectType);
  auto& a = event.GetAllocator();
  add(event, "event_name", json_string(event_name, a), a);
  copy_string(ce, "id", event, "event_id", a);
  if (!aggregate_type.empty()) add(event, "aggregate_type", json_string(aggregate_type, a), a);
  copy_string(ce, "subject", event, "aggregate_id", a);
  copy_string(ce, "time", event, "occurred_at", a);
  const Value* actor_type = member(ce, "actortype");
  const Value* actor_id = member(ce, "actorid");
  if (actor_type != nullptr || actor_id != nullptr) {
    Value actor(rapidjson::kObjectType);
    copy_string(ce, "actortype", actor, "type", a);
    copy_string(ce, "actorid", actor, "id", a);
    add(event, "actor", actor, a);
  }
  if (const Value* v = member(ce, "aggregateversion"); v != nullptr) {
    if (v->IsUint64()) {
      add(event, "version", Value(v->GetUint64()), a);
    } else if (v->IsString()) {
      std::string_view digits = text(*v);
      uint64_t version = 0;
      bool numeric = !digits.empty() && digits.size() <= 20;  // every uint64, overflow checked
      for (char c : digits) {
        const uint64_t digit = static_cast<uint64_t>(c - '0');
        if (c < '0' || c > '9' || version > (UINT64_MAX - digit) / 10) {
          numeric = false;
          break;
        }
        version = version * 10 + digit;
      }
      if (numeric) add(event, "version", Value(version), a);
      else add(event, "version", json_string(digits, a), a);  // left for the validator to report
    }
  }
  copy_string(ce, "idempotencykey", event, "idempotency_key", a);
  copy_string(ce, "schemaversion", event, "schema_version", a);
  if (const Value* data = member(ce, "data"); data != nullptr) add(event, "payload", Value(*data, a), a);

  CloudEventResult result;
  result.ok = true;
  result.json = detail::write_json(event, options.pretty);
  return result;
}

std::string cloudevents_mapping_markdown(const CloudEventOptions& options) {
  const std::string& prefix = options.type_prefix;
  std::string md;
  md += "# msgevents events as CloudEvents 1.0\n\n";
  md += "`msgevents cloudevent FILE` (and `toCloudEvent()` in the npm package) turns a msgevents event into a "
        "CloudEvent in structured content mode (`application/cloudevents+json`). Validate the event with "
        "msgevents first: the mapping copies, it does not check. `from_cloud_event` reverses it losslessly "
        "for every field in the table.\n\n";
  md += "| msgevents event | CloudEvents attribute | notes |\n";
  md += "| --- | --- | --- |\n";
  md += "| (constant) | `specversion` | `\"1.0\"` |\n";
  md += "| `event_id` | `id` | unchanged; with `source` it is unique, as CloudEvents requires |\n";
  md += "| `event_name` | `type` | prefixed with `" + prefix +
        "` (CloudEvents asks for a namespace prefix; set your organisation's reverse-DNS one with `--type-prefix`), e.g. `" +
        prefix + "CustomerCreated` |\n";
  md += "| `aggregate_type` | `source` | `/msgevents/<aggregate_type>`, e.g. `/msgevents/Customer` |\n";
  md += "| `aggregate_type` | `aggregatetype` (extension) | unchanged, so consumers need not parse `source` |\n";
  md += "| `aggregate_id` | `subject` | unchanged: the aggregate instance the event is about |\n";
  md += "| `occurred_at` | `time` | unchanged (RFC 3339, UTC) |\n";
  md += "| (constant) | `datacontenttype` | `\"application/json\"` |\n";
  md += "| `event_name` + `schema_version` | `dataschema` | `urn:msgevents:schema:event:<event_name>:<MAJOR.MINOR>`, the `$id` of "
        "`msgevents schema <event_name>`; the catalog's current version when the event has no `schema_version`; "
        "left out for an event type the catalog does not know |\n";
  md += "| `version` | `aggregateversion` (extension) | a String holding the decimal integer: a CloudEvents Integer "
        "is 32-bit, aggregate versions go up to 2^53 - 1 |\n";
  md += "| `actor.type` | `actortype` (extension) | `user` or `system` |\n";
  md += "| `actor.id` | `actorid` (extension) | unchanged |\n";
  md += "| `idempotency_key` | `idempotencykey` (extension) | only when present |\n";
  md += "| `schema_version` | `schemaversion` (extension) | only when present |\n";
  md += "| `payload` | `data` | the payload object, unchanged |\n";
  md += "| unknown top-level fields | (dropped) | msgevents reports them as warnings; they have no CloudEvents home |\n";
  md += "\nExtension names follow CloudEvents: lower-case letters and digits, at most 20 characters.\n";
  return md;
}

}  // namespace msgevents
