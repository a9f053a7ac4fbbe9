// The interoperability exports: JSON Schema (draft 2020-12), AsyncAPI 3.0 and the CloudEvents 1.0
// mapping, each checked against the catalog it is generated from, plus the CLI subcommands.
// (Independent tools cross-check the same exports in tests/node/interop.test.mjs: ajv compiles
// the schemas and accepts the examples, the cloudevents SDK accepts the converted events.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>
#include <string>

#include <rapidjson/document.h>

#include "msgevents/catalog.hpp"
#include "msgevents/interop.hpp"
#include "test_support.hpp"

namespace msgevents {
namespace {

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  EXPECT_FALSE(doc.HasParseError()) << text.substr(0, 200);
  return doc;
}

std::string str(const rapidjson::Value& v) { return std::string(v.GetString(), v.GetStringLength()); }

std::set<std::string> strings(const rapidjson::Value& array) {
  std::set<std::string> out;
  for (const auto& v : array.GetArray()) out.insert(str(v));
  return out;
}

const Catalog& catalog() { return builtin_catalog(); }

TEST(JsonSchema, EveryEventSchemaFixesItsNameAndAggregate) {
  for (const auto& event : catalog().events) {
    std::optional<std::string> text = event_json_schema(event.name);
    ASSERT_TRUE(text) << event.name;
    rapidjson::Document schema = parse(*text);
    EXPECT_EQ(str(schema["$schema"]), "https://json-schema.org/draft/2020-12/schema");
    EXPECT_EQ(str(schema["$id"]), "urn:msgevents:schema:event:" + event.name + ":" +
                                      std::to_string(event.schema_version.major) + "." +
                                      std::to_string(event.schema_version.minor));
    EXPECT_EQ(str(schema["properties"]["event_name"]["const"]), event.name);
    EXPECT_EQ(str(schema["properties"]["aggregate_type"]["const"]), event.aggregate);
    EXPECT_EQ(strings(schema["required"]),
              (std::set<std::string>{"event_name", "event_id", "aggregate_type", "aggregate_id", "occurred_at", "actor",
                                     "version", "payload"}));
    EXPECT_FALSE(schema.HasMember("additionalProperties")) << "unknown fields are allowed by default";
    EXPECT_EQ(schema["examples"].Size(), event.examples.size()) << event.name;
  }
}

TEST(JsonSchema, PayloadPropertiesFollowTheCatalogFields) {
  for (const auto& event : catalog().events) {
    rapidjson::Document schema = parse(*event_json_schema(event.name));
    const rapidjson::Value& payload = schema["properties"]["payload"];
    std::set<std::string> required;
    for (const auto& field : event.fields) {
      SCOPED_TRACE(event.name + "." + field.name);
      ASSERT_TRUE(payload["properties"].HasMember(field.name.c_str()));
      const rapidjson::Value& property = payload["properties"][field.name.c_str()];
      EXPECT_EQ(str(property["x-privacy"]), std::string(to_string(field.privacy)));
      EXPECT_NE(str(property["description"]).find(field.description.substr(0, 20)), std::string::npos);
      if (field.privacy == Privacy::Secret) {
        EXPECT_TRUE(property["not"].IsObject() && property["not"].ObjectEmpty()) << "a secret field is never allowed";
        continue;
      }
      if (field.required) required.insert(field.name);
      EXPECT_EQ(str(property["type"]), std::string(to_string(field.type)));
      // Personal data: its value's constraints, or a redaction token.
      const rapidjson::Value& c = field.privacy == Privacy::Pii && property.HasMember("anyOf") ? property["anyOf"][0] : property;
      if (!field.enum_values.empty()) {
        std::set<std::string> expected(field.enum_values.begin(), field.enum_values.end());
        EXPECT_EQ(strings(c["enum"]), expected);
      }
      if (field.min_length) EXPECT_EQ(c["minLength"].GetUint64(), *field.min_length);
      if (field.max_length) EXPECT_EQ(c["maxLength"].GetUint64(), *field.max_length);
      if (field.minimum) EXPECT_EQ(c["minimum"].GetDouble(), *field.minimum);
      if (field.maximum) EXPECT_EQ(c["maximum"].GetDouble(), *field.maximum);
      if (field.min_items) EXPECT_EQ(c["minItems"].GetUint64(), *field.min_items);
      if (field.max_items) EXPECT_EQ(c["maxItems"].GetUint64(), *field.max_items);
      if (field.unique_items) EXPECT_TRUE(c["uniqueItems"].GetBool());
      if (field.format == "identifier") EXPECT_EQ(str(c["pattern"]), "^[^\\u0000-\\u0020\\u007F]+$");
    }
    EXPECT_EQ(strings(payload["required"]), required) << event.name;
  }
}

TEST(JsonSchema, ChangedFieldsItemsAreTheAggregateAttributes) {
  rapidjson::Document schema = parse(*event_json_schema("CustomerUpdated"));
  const rapidjson::Value& items = schema["properties"]["payload"]["properties"]["changed_fields"]["items"];
  const AggregateSpec* customer = catalog().find_aggregate("Customer");
  ASSERT_NE(customer, nullptr);
  EXPECT_EQ(strings(items["enum"]), std::set<std::string>(customer->attributes.begin(), customer->attributes.end()));
}

TEST(JsonSchema, ChannelAddressIsE164ForPhonesAndAnEmailForEmail) {
  rapidjson::Document schema = parse(*event_json_schema("ChannelMapped"));
  const rapidjson::Value& all_of = schema["properties"]["payload"]["allOf"];
  ASSERT_EQ(all_of.Size(), 2u);
  EXPECT_EQ(str(all_of[0]["if"]["properties"]["kind"]["const"]), "phone");
  const rapidjson::Value& phone = all_of[0]["then"]["properties"]["address"]["anyOf"];
  EXPECT_EQ(str(phone[0]["pattern"]), "^\\+[1-9][0-9]{7,14}$");
  EXPECT_EQ(str(phone[1]["pattern"]), "^redacted:[0-9a-f]{32}$") << "a redacted address is valid too";
  EXPECT_EQ(str(all_of[1]["if"]["properties"]["kind"]["const"]), "email");
  const rapidjson::Value& email = all_of[1]["then"]["properties"]["address"]["anyOf"];
  EXPECT_EQ(str(email[0]["format"]), "email");
  EXPECT_EQ(str(email[0]["pattern"]), "^[^A-Z]*$") << "msgevents wants lower case";
  EXPECT_EQ(str(email[1]["pattern"]), "^redacted:[0-9a-f]{32}$");
}

TEST(JsonSchema, PersonalDataIsItsValueOrARedactionToken) {
  rapidjson::Document schema = parse(*event_json_schema("ContactCreated"));
  const rapidjson::Value& name = schema["properties"]["payload"]["properties"]["display_name"];
  EXPECT_EQ(str(name["x-privacy"]), "pii");
  ASSERT_TRUE(name["anyOf"].IsArray());
  EXPECT_EQ(name["anyOf"][0]["maxLength"].GetInt(), 200);
  EXPECT_EQ(str(name["anyOf"][1]["pattern"]), "^redacted:[0-9a-f]{32}$");

  SchemaOptions public_profile;
  public_profile.public_profile = true;
  rapidjson::Document pub = parse(*event_json_schema("ContactCreated", catalog(), public_profile));
  const rapidjson::Value& public_name = pub["properties"]["payload"]["properties"]["display_name"];
  EXPECT_EQ(str(public_name["pattern"]), "^redacted:[0-9a-f]{32}$");
  EXPECT_FALSE(public_name.HasMember("anyOf"));
  EXPECT_EQ(str(pub["$id"]), "urn:msgevents:schema:event:ContactCreated:1.0:public");
  rapidjson::Document mapped = parse(*event_json_schema("ChannelMapped", catalog(), public_profile));
  EXPECT_FALSE(mapped["properties"]["payload"].HasMember("allOf")) << "a token has no kind-specific shape";
}

TEST(JsonSchema, EnvelopePatternsAreExact) {
  rapidjson::Document schema = parse(envelope_json_schema());
  const rapidjson::Value& p = schema["properties"];
  EXPECT_EQ(str(p["occurred_at"]["format"]), "date-time");
  EXPECT_EQ(p["version"]["minimum"].GetInt(), 1);
  EXPECT_EQ(str(p["schema_version"]["pattern"]), "^(?:0|[1-9][0-9]{0,8})\\.(?:0|[1-9][0-9]{0,8})$");
  EXPECT_EQ(p["version"]["maximum"].GetUint64(), 9007199254740991u);
  EXPECT_EQ(p["aggregate_id"]["maxLength"].GetInt(), 128);
  EXPECT_EQ(p["idempotency_key"]["maxLength"].GetInt(), 255);
  std::set<std::string> names;
  for (const auto& e : catalog().events) names.insert(e.name);
  EXPECT_EQ(strings(p["event_name"]["enum"]), names);
  std::set<std::string> aggregates;
  for (const auto& a : catalog().aggregates) aggregates.insert(a.name);
  EXPECT_EQ(strings(p["aggregate_type"]["enum"]), aggregates);
  EXPECT_EQ(str(p["actor"]["properties"]["type"]["enum"][0]), "user");
}

TEST(JsonSchema, OnlyACreatingEventIsFixedAtVersionOne) {
  rapidjson::Document created = parse(*event_json_schema("CustomerCreated"));
  EXPECT_EQ(created["properties"]["version"]["const"].GetInt(), 1);
  EXPECT_EQ(str(created["properties"]["schema_version"]["pattern"]), "^1\\.(?:0|[1-9][0-9]{0,8})$");
  // ChannelMapped also re-maps an unmapped channel, so its version goes on counting.
  rapidjson::Document mapped = parse(*event_json_schema("ChannelMapped"));
  EXPECT_FALSE(mapped["properties"]["version"].HasMember("const"));
  EXPECT_EQ(mapped["properties"]["version"]["minimum"].GetInt(), 1);
}

TEST(JsonSchema, StrictVariantRejectsUnknownFieldsEverywhere) {
  SchemaOptions strict;
  strict.strict = true;
  rapidjson::Document schema = parse(*event_json_schema("ContactCreated", catalog(), strict));
  EXPECT_FALSE(schema["additionalProperties"].GetBool());
  EXPECT_FALSE(schema["properties"]["actor"]["additionalProperties"].GetBool());
  EXPECT_FALSE(schema["properties"]["payload"]["additionalProperties"].GetBool());
  EXPECT_EQ(str(schema["$id"]).substr(str(schema["$id"]).size() - 7), ":strict");
}

TEST(JsonSchema, BundleSelectsEachEventTypeByName) {
  rapidjson::Document bundle = parse(json_schema_bundle());
  EXPECT_EQ(str(bundle["$id"]), "urn:msgevents:schema:bundle:" + catalog().catalog_version);
  ASSERT_EQ(bundle["allOf"].Size(), catalog().events.size());
  for (size_t i = 0; i < catalog().events.size(); ++i) {
    const std::string& name = catalog().events[i].name;
    const rapidjson::Value& rule = bundle["allOf"][static_cast<rapidjson::SizeType>(i)];
    EXPECT_EQ(str(rule["if"]["properties"]["event_name"]["const"]), name);
    EXPECT_EQ(str(rule["then"]["$ref"]), "#/$defs/" + name);
    ASSERT_TRUE(bundle["$defs"].HasMember(name.c_str()));
    EXPECT_EQ(str(bundle["$defs"][name.c_str()]["properties"]["event_name"]["const"]), name);
    EXPECT_FALSE(bundle["$defs"][name.c_str()].HasMember("$id")) << "one $id per document";
  }
}

TEST(JsonSchema, UnknownEventHasNoSchema) {
  EXPECT_FALSE(event_json_schema("CustomerDeleted"));
  EXPECT_FALSE(event_json_schema("customercreated"));
}

TEST(AsyncApi, EveryEventIsAMessageOnItsAggregatesChannel) {
  rapidjson::Document doc = parse(asyncapi_document());
  EXPECT_EQ(str(doc["asyncapi"]), "3.0.0");
  EXPECT_EQ(str(doc["info"]["version"]), catalog().catalog_version);
  EXPECT_EQ(doc["channels"].MemberCount(), catalog().aggregates.size());
  EXPECT_EQ(doc["components"]["messages"].MemberCount(), catalog().events.size());
  for (const auto& event : catalog().events) {
    SCOPED_TRACE(event.name);
    const rapidjson::Value& message = doc["components"]["messages"][event.name.c_str()];
    EXPECT_EQ(str(message["payload"]["properties"]["event_name"]["const"]), event.name);
    EXPECT_FALSE(message["payload"].HasMember("$schema"));
    EXPECT_EQ(message["examples"].Size(), event.examples.size());
    EXPECT_EQ(str(message["examples"][0]["payload"]["event_name"]), event.name);
    std::string channel = event.aggregate;
    for (char& c : channel) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const rapidjson::Value& channel_messages = doc["channels"][channel.c_str()]["messages"];
    ASSERT_TRUE(channel_messages.HasMember(event.name.c_str()));
    EXPECT_EQ(str(channel_messages[event.name.c_str()]["$ref"]), "#/components/messages/" + event.name);
    const std::string operation = "publish" + event.aggregate + "Events";
    bool listed = false;
    for (const auto& ref : doc["operations"][operation.c_str()]["messages"].GetArray())
      listed |= str(ref["$ref"]) == "#/channels/" + channel + "/messages/" + event.name;
    EXPECT_TRUE(listed);
    EXPECT_EQ(str(doc["operations"][operation.c_str()]["action"]), "send");
  }
}

TEST(CloudEvents, EveryCatalogExampleMapsAndMapsBack) {
  for (const auto& event : catalog().events) {
    for (const auto& example : event.examples) {
      SCOPED_TRACE(event.name);
      CloudEventResult ce = to_cloud_event(example);
      ASSERT_TRUE(ce.ok) << ce.error;
      rapidjson::Document original = parse(example);
      rapidjson::Document mapped = parse(ce.json);
      EXPECT_EQ(str(mapped["specversion"]), "1.0");
      EXPECT_EQ(str(mapped["id"]), str(original["event_id"]));
      EXPECT_EQ(str(mapped["type"]), "msgevents." + event.name);
      EXPECT_EQ(str(mapped["source"]), "/msgevents/" + event.aggregate);
      EXPECT_EQ(str(mapped["subject"]), str(original["aggregate_id"]));
      EXPECT_EQ(str(mapped["time"]), str(original["occurred_at"]));
      EXPECT_EQ(str(mapped["datacontenttype"]), "application/json");
      EXPECT_EQ(str(mapped["aggregatetype"]), event.aggregate);
      EXPECT_EQ(str(mapped["aggregateversion"]), std::to_string(original["version"].GetUint64()));
      EXPECT_EQ(str(mapped["actortype"]), str(original["actor"]["type"]));
      EXPECT_EQ(str(mapped["actorid"]), str(original["actor"]["id"]));
      EXPECT_TRUE(mapped["data"] == original["payload"]);
      EXPECT_EQ(str(mapped["dataschema"]).rfind("urn:msgevents:schema:event:" + event.name + ":", 0), 0u);
      for (const auto& member : mapped.GetObject()) {
        std::string name = str(member.name);
        EXPECT_LE(name.size(), 20u) << name;
        for (char c : name) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) << name;
      }

      CloudEventResult back = from_cloud_event(ce.json);
      ASSERT_TRUE(back.ok) << back.error;
      rapidjson::Document round_trip = parse(back.json);
      EXPECT_TRUE(round_trip == original) << back.json;
    }
  }
}

TEST(CloudEvents, OptionalEnvelopeFieldsBecomeExtensions) {
  const std::string event =
      R"({"event_name":"CustomerEnabled","event_id":"01HZX3K8Q4V7N2B5C9D0E1F2G3","aggregate_type":"Customer",)"
      R"("aggregate_id":"cus_1","occurred_at":"2025-01-01T00:00:00Z","actor":{"type":"system","id":"svc"},)"
      R"("version":9007199254740991,"idempotency_key":"k-1","schema_version":"1.0","payload":{}})";
  CloudEventOptions options;
  options.type_prefix = "com.example.";
  CloudEventResult ce = to_cloud_event(event, options);
  ASSERT_TRUE(ce.ok) << ce.error;
  rapidjson::Document mapped = parse(ce.json);
  EXPECT_EQ(str(mapped["type"]), "com.example.CustomerEnabled");
  EXPECT_EQ(str(mapped["idempotencykey"]), "k-1");
  EXPECT_EQ(str(mapped["schemaversion"]), "1.0");
  EXPECT_EQ(str(mapped["aggregateversion"]), "9007199254740991");
  EXPECT_EQ(str(mapped["dataschema"]), "urn:msgevents:schema:event:CustomerEnabled:1.0");
  CloudEventResult back = from_cloud_event(ce.json, options);
  ASSERT_TRUE(back.ok);
  EXPECT_TRUE(parse(back.json) == parse(event)) << back.json;
}

TEST(CloudEvents, InputThatIsNotAnEventIsAnErrorNotACrash) {
  CloudEventResult array = to_cloud_event("[1, 2]");
  EXPECT_FALSE(array.ok);
  EXPECT_EQ(array.error, "the input is not a JSON object: a CloudEvent maps one msgevents event");
  CloudEventResult broken = to_cloud_event("{\"event_id\":");
  EXPECT_FALSE(broken.ok);
  EXPECT_EQ(broken.error, "the input is not valid JSON (run `msgevents validate` for details)");
  CloudEventResult no_id = to_cloud_event(R"({"event_name":"CustomerCreated","aggregate_type":"Customer"})");
  EXPECT_FALSE(no_id.ok);
  EXPECT_EQ(no_id.error, "the event has no string `event_id`, which the CloudEvent needs");
  EXPECT_FALSE(to_cloud_event("").ok);
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CloudEventResult too_deep = to_cloud_event(R"({"event_id":"x","event_name":"A","aggregate_type":"B","payload":)" + deep + "}");
  EXPECT_FALSE(too_deep.ok);
  EXPECT_EQ(too_deep.error, "the input nests deeper than 64 levels (run `msgevents validate` for details)");
  EXPECT_FALSE(to_cloud_events(deep).ok);
  EXPECT_FALSE(from_cloud_event(deep).ok);
  EXPECT_FALSE(from_cloud_event(R"({"specversion":"0.3","type":"x"})").ok);
}

TEST(CloudEvents, BatchesKeepTheirForm) {
  const std::string& first = catalog().events[0].examples[0];
  const std::string& second = catalog().events[1].examples[0];
  CloudEventResult array = to_cloud_events("[" + first + "," + second + "]");
  ASSERT_TRUE(array.ok) << array.error;
  rapidjson::Document batch = parse(array.json);
  ASSERT_TRUE(batch.IsArray());
  EXPECT_EQ(batch.Size(), 2u);

  std::string ndjson;
  for (const std::string* e : {&first, &second}) {
    std::string line = *e;
    for (char& c : line)
      if (c == '\n' || c == '\r') c = ' ';
    ndjson += line + "\n";
  }
  CloudEventResult lines = to_cloud_events(ndjson);
  ASSERT_TRUE(lines.ok) << lines.error;
  EXPECT_EQ(std::count(lines.json.begin(), lines.json.end(), '\n'), 2);

  CloudEventResult partly = to_cloud_events("[" + first + ", 7]");
  EXPECT_FALSE(partly.ok);
  EXPECT_EQ(partly.error, "event 1: the input is not a JSON object: a CloudEvent maps one msgevents event");
  EXPECT_EQ(parse(partly.json).Size(), 1u) << "the events that did map are kept";
}

TEST(CloudEvents, MappingTableDocumentsEveryAttribute) {
  std::string md = cloudevents_mapping_markdown();
  for (const char* row : {"| `event_id` | `id` |", "| `event_name` | `type` |", "| `aggregate_type` | `source` |",
                          "| `aggregate_id` | `subject` |", "| `occurred_at` | `time` |", "| `payload` | `data` |",
                          "| `version` | `aggregateversion` (extension) |", "| `actor.type` | `actortype` (extension) |",
                          "| `actor.id` | `actorid` (extension) |", "| `idempotency_key` | `idempotencykey` (extension) |",
                          "| `schema_version` | `schemaversion` (extension) |"})
    EXPECT_NE(md.find(row), std::string::npos) << row;
}

// --- The CLI ------------------------------------------------------------------------------------

// The CLI as a user runs it (tests/test_support.hpp).
testing::CommandResult run_cli(const std::string& args) {
  return testing::run_command(std::string(MSGEVENTS_CLI_PATH) + " " + args);
}

std::string write_temp(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + "msgevents_interop_" + name;
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  return path;
}

TEST(InteropCli, SchemaPrintsTheLibrarysSchemas) {
  testing::CommandResult bundle = run_cli("schema");
  EXPECT_EQ(bundle.status, 0);
  EXPECT_EQ(bundle.out, json_schema_bundle() + "\n");
  testing::CommandResult one = run_cli("schema ContactDeleted");
  EXPECT_EQ(one.status, 0);
  EXPECT_EQ(one.out, *event_json_schema("ContactDeleted") + "\n");
  testing::CommandResult envelope = run_cli("schema --envelope");
  EXPECT_EQ(envelope.status, 0);
  EXPECT_EQ(envelope.out, envelope_json_schema() + "\n");
  SchemaOptions strict;
  strict.strict = true;
  EXPECT_EQ(run_cli("schema --strict ContactDeleted").out, *event_json_schema("ContactDeleted", catalog(), strict) + "\n");
}

TEST(InteropCli, SchemaOfAnUnknownEventIsAUsageError) {
  testing::CommandResult unknown = run_cli("schema ContactRemoved 2>&1");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_EQ(unknown.out,
            "msgevents schema: unknown event type \"ContactRemoved\" (`msgevents catalog` lists them; names are "
            "case-sensitive)\n");
  EXPECT_EQ(run_cli("schema --envelope ContactDeleted 2>/dev/null").status, 2);
  EXPECT_EQ(run_cli("schema --bogus 2>/dev/null").status, 2);
}

TEST(InteropCli, AsyncapiAndCloudevent) {
  testing::CommandResult asyncapi = run_cli("asyncapi");
  EXPECT_EQ(asyncapi.status, 0);
  EXPECT_EQ(asyncapi.out, asyncapi_document() + "\n");

  testing::CommandResult mapping = run_cli("cloudevent --mapping");
  EXPECT_EQ(mapping.status, 0);
  EXPECT_EQ(mapping.out, cloudevents_mapping_markdown());

  const std::string example = catalog().events[0].examples[0];
  testing::CommandResult ce = run_cli("cloudevent " + write_temp("event.json", example));
  EXPECT_EQ(ce.status, 0);
  EXPECT_EQ(ce.out, to_cloud_event(example).json + "\n");

  testing::CommandResult bad = run_cli("cloudevent " + write_temp("numbers.json", "[1]") + " 2>&1");
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.out.find("numbers.json: event 0: the input is not a JSON object"), std::string::npos) << bad.out;
  testing::CommandResult empty = run_cli("cloudevent - 2>&1 < /dev/null");
  EXPECT_EQ(empty.status, 1);
  EXPECT_NE(empty.out.find("msgevents cloudevent: -: the input holds no event"), std::string::npos) << empty.out;
  EXPECT_EQ(run_cli("cloudevent /nonexistent/event.json 2>/dev/null").status, 2);
}

}  // namespace
}  // namespace msgevents
