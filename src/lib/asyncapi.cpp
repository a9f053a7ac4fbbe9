// AsyncAPI 3.0.0 export of the catalog: one channel per aggregate, one message per event type with
// the event's schema as payload and the catalog's examples, one `send` operation per channel.
#include <cctype>
#include <string>

#include "interop_detail.hpp"
#include "msgevents/interop.hpp"

namespace msgevents {
namespace {

using detail::json_string;
using detail::JsonAllocator;
using rapidjson::Value;

void add(Value& object, std::string_view key, Value& value, JsonAllocator& a) {
  object.AddMember(json_string(key, a), value, a);
}
void add(Value& object, std::string_view key, Value&& value, JsonAllocator& a) { add(object, key, value, a); }
void add(Value& object, std::string_view key, std::string_view text, JsonAllocator& a) {
  add(object, key, json_string(text, a), a);
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Value ref(const std::string& target, JsonAllocator& a) {
  Value object(rapidjson::kObjectType);
  add(object, "$ref", target, a);
  return object;
}

Value message(const Catalog& catalog, const EventSpec& event, JsonAllocator& a) {
  Value msg(rapidjson::kObjectType);
  add(msg, "name", event.name, a);
  add(msg, "title", event.name, a);
  add(msg, "summary", event.purpose, a);
  add(msg, "contentType", "application/json", a);
  // The message is the whole event (envelope + payload), as producers put it on the wire.
  add(msg, "payload", detail::event_schema_value(catalog, event, SchemaOptions{}, true, a), a);
  Value examples(rapidjson::kArrayType);
  Value parsed = detail::example_values(event, a);
  int index = 0;
  for (auto& example : parsed.GetArray()) {
    Value item(rapidjson::kObjectType);
    add(item, "name", event.name + "-" + std::to_string(++index), a);
    add(item, "payload", example, a);
    examples.PushBack(item, a);
  }
  if (!examples.Empty()) add(msg, "examples", examples, a);
  Value tags(rapidjson::kArrayType);
  Value tag(rapidjson::kObjectType);
  add(tag, "name", event.aggregate, a);
  tags.PushBack(tag, a);
  add(msg, "tags", tags, a);
  add(msg, "x-schema-version",
      std::to_string(event.schema_version.major) + "." + std::to_string(event.schema_version.minor), a);
  return msg;
}

}  // namespace

std::string asyncapi_document(const Catalog& catalog, bool pretty) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  add(doc, "asyncapi", "3.0.0", a);
  Value info(rapidjson::kObjectType);
  add(info, "title", catalog.title.empty() ? std::string("msgevents domain events") : catalog.title, a);
  add(info, "version", catalog.catalog_version.empty() ? std::string("0.0.0") : catalog.catalog_version, a);
  add(info, "description",
      (catalog.description.empty() ? std::string() : catalog.description + "\n\n") +
          "Generated from the msgevents catalog. One channel per aggregate; the channel addresses "
          "(`msgevents.<aggregate>`) are a naming convention, the broker topics are the deployment's. "
          "Validate events with msgevents for the rules JSON Schema cannot express.",
      a);
  add(doc, "info", info, a);
  add(doc, "defaultContentType", "application/json", a);

  Value channels(rapidjson::kObjectType);
  Value operations(rapidjson::kObjectType);
  Value messages(rapidjson::kObjectType);
  for (const auto& aggregate : catalog.aggregates) {
    const std::string channel_id = lower(aggregate.name);
    Value channel(rapidjson::kObjectType);
    add(channel, "address", "msgevents." + channel_id, a);
    add(channel, "title", aggregate.name + " events", a);
    std::string description = aggregate.description;
    if (!aggregate.id_field.empty())
      description += (description.empty() ? "" : " ") + std::string("Ordered per aggregate by ") +
                     aggregate.id_field + " and version.";
    add(channel, "description", description, a);
    Value channel_messages(rapidjson::kObjectType);
    Value operation_messages(rapidjson::kArrayType);
    for (const auto& event : catalog.events) {
      if (event.aggregate != aggregate.name) continue;
      add(channel_messages, event.name, ref("#/components/messages/" + event.name, a), a);
      operation_messages.PushBack(ref("#/channels/" + channel_id + "/messages/" + event.name, a), a);
    }
    add(channel, "messages", channel_messages, a);
    add(channels, channel_id, channel, a);

    Value operation(rapidjson::kObjectType);
    add(operation, "action", "send", a);
    add(operation, "channel", ref("#/channels/" + channel_id, a), a);
    add(operation, "summary", "The platform publishes every " + aggregate.name + " event here.", a);
    add(operation, "messages", operation_messages, a);
    add(operations, "publish" + aggregate.name + "Events", operation, a);
  }
  for (const auto& event : catalog.events) add(messages, event.name, message(catalog, event, a), a);
  add(doc, "channels", channels, a);
  add(doc, "operations", operations, a);
  Value components(rapidjson::kObjectType);
  add(components, "messages", messages, a);
  add(doc, "components", components, a);
  return detail::write_json(doc, pretty);
}

std::string asyncapi_document() { return asyncapi_document(builtin_catalog()); }

}  // namespace msgevents
