// The catalog: its content (the five aggregates and twenty-one event types of decisions.md, fully
// documented, with lifecycles that cover every event: SC-001) and its loader/printer (strict
// parsing with JSON Pointers in the errors, a printed form that round-trips).
#include "msgevents/catalog.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "envelope_fields.hpp"  // generated from the catalog at build time

namespace msgevents::detail {
extern const std::string_view kCatalogJson;
}  // namespace msgevents::detail

namespace {

using msgevents::AggregateSpec;
using msgevents::Catalog;
using msgevents::EventSpec;
using msgevents::FieldSpec;
using msgevents::JsonType;
using msgevents::Privacy;
using msgevents::Transition;

const Catalog& catalog() { return msgevents::builtin_catalog(); }

// The state an event leads to from `from` ("" = not yet created), or nullopt if not allowed.
std::optional<std::string> next_state(const AggregateSpec& aggregate, const std::string& from, const std::string& event) {
  for (const Transition& t : aggregate.transitions) {
    if (t.from == from && t.event == event) return t.to;
  }
  return std::nullopt;
}

const AggregateSpec& aggregate(const std::string& name) {
  static const AggregateSpec empty;
  const AggregateSpec* found = catalog().find_aggregate(name);
  return found != nullptr ? *found : empty;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// ------------------------------------------------------------------------------------------------
// Content

TEST(CatalogContent, EmbeddedCatalogParsesWithoutErrors) {
  std::string error = "not cleared";
  std::optional<Catalog> parsed = msgevents::parse_catalog(msgevents::detail::kCatalogJson, &error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ(error, "");
  EXPECT_EQ(parsed->events.size(), catalog().events.size());
}

TEST(CatalogContent, EmbeddedCatalogIsTheSourceFile) {
  std::string source = read_file(std::string(MSGEVENTS_SOURCE_DIR) + "/src/catalog/catalog.json");
  ASSERT_FALSE(source.empty());
  EXPECT_EQ(source, std::string(msgevents::detail::kCatalogJson));
}

// The source file is in the printer's form, byte for byte: `msgevents catalog` prints it as it
// is, and the WebAssembly validator module, which carries no catalog printer, gives the package's
// catalogJson() as its embedded text re-indented in JavaScript (JSON.stringify(..., null, 2)).
// Reformat the file with `msgevents catalog > src/catalog/catalog.json` if this fails.
TEST(CatalogContent, TheSourceFileIsWhatThePrinterWrites) {
  EXPECT_EQ(msgevents::catalog_to_json(catalog(), true) + "\n", std::string(msgevents::detail::kCatalogJson));
}

// The checks read the envelope's members through generated/envelope_fields.hpp: it must be the
// catalog's list, in its order, and find each member by its exact name only.
TEST(CatalogContent, TheChecksEnvelopeMembersAreTheCatalogs) {
  namespace d = msgevents::detail;
  const auto& envelope = msgevents::builtin_catalog().envelope;
  ASSERT_EQ(envelope.size(), static_cast<size_t>(d::kEnvelopeFieldCount));
  std::string names;
  for (int i = 0; i < d::kEnvelopeFieldCount; ++i) {
    const d::EnvelopeFieldInfo& field = d::kEnvelopeFields[i];
    EXPECT_EQ(field.name, envelope[i].name);
    EXPECT_EQ(field.pointer, "/" + envelope[i].name);
    EXPECT_EQ(field.required, envelope[i].required) << field.name;
    EXPECT_EQ(field.is_string, envelope[i].type == "string") << field.name;
    EXPECT_EQ(d::envelope_field_named(envelope[i].name), i);
    EXPECT_EQ(d::envelope_field_named(envelope[i].name + "s"), -1);
    EXPECT_EQ(d::envelope_field_named(envelope[i].name.substr(1)), -1);
    std::string upper = envelope[i].name;
    upper[0] = static_cast<char>(upper[0] - 'a' + 'A');
    EXPECT_EQ(d::envelope_field_named(upper), -1);
    names += (i ? ", " : "") + envelope[i].name;
  }
  EXPECT_EQ(d::kEnvelopeFieldNames, names);
  EXPECT_EQ(d::envelope_field_named(""), -1);
  EXPECT_EQ(d::envelope_field(d::EnvelopeField::Payload).name, "payload");
}

TEST(CatalogContent, HasTheFiveAggregatesOfTheDecisions) {
  std::vector<std::string> names;
  for (const AggregateSpec& a : catalog().aggregates) names.push_back(a.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Customer", "Contact", "Provider", "Channel", "Conversation"}));
  EXPECT_EQ(aggregate("Customer").id_field, "customer_id");
  EXPECT_EQ(aggregate("Contact").id_field, "contact_id");
  EXPECT_EQ(aggregate("Provider").id_field, "provider_id");
  EXPECT_EQ(aggregate("Channel").id_field, "channel_id");
  EXPECT_EQ(aggregate("Conversation").id_field, "conversation_id");
}

TEST(CatalogContent, HasExactlyTheTwentyOneEventTypesOfTheDecisions) {
  const std::map<std::string, std::string> expected = {
      {"CustomerCreated", "Customer"},
      {"CustomerUpdated", "Customer"},
      {"CustomerEnabled", "Customer"},
      {"CustomerDisabled", "Customer"},
      {"ContactCreated", "Contact"},
      {"ContactUpdated", "Contact"},
      {"ContactDeleted", "Contact"},
      {"ProviderConfigured", "Provider"},
      {"ProviderUpdated", "Provider"},
      {"ProviderEnabled", "Provider"},
      {"ProviderDisabled", "Provider"},
      {"ChannelMapped", "Channel"},
      {"ChannelUnmapped", "Channel"},
      {"ChannelUpdated", "Channel"},
      {"ConversationCreated", "Conversation"},
      {"ConversationUpdated", "Conversation"},
      {"ConversationClosed", "Conversation"},
      {"ConversationReopened", "Conversation"},
      {"ConversationParticipantAdded", "Conversation"},
      {"ConversationParticipantRemoved", "Conversation"},
      {"ConversationArchived", "Conversation"},
  };
  std::map<std::string, std::string> actual;
  for (const EventSpec& e : catalog().events) actual[e.name] = e.aggregate;
  EXPECT_EQ(catalog().events.size(), 21u);
  EXPECT_EQ(actual, expected);
}

TEST(CatalogContent, CatalogLevelDocumentationIsPresent) {
  EXPECT_EQ(catalog().catalog_version, "1.0.0");
  EXPECT_FALSE(catalog().title.empty());
  EXPECT_FALSE(catalog().description.empty());
  EXPECT_GE(catalog().change_policy.size(), 3u);

  std::vector<std::string> envelope;
  for (const auto& doc : catalog().envelope) {
    envelope.push_back(doc.name);
    EXPECT_FALSE(doc.description.empty()) << doc.name;
    EXPECT_EQ(doc.required, doc.name != "idempotency_key" && doc.name != "schema_version") << doc.name;
  }
  EXPECT_EQ(envelope, (std::vector<std::string>{"event_name", "event_id", "aggregate_type", "aggregate_id", "occurred_at",
                                                "actor", "version", "idempotency_key", "schema_version", "payload"}));

  // The points decisions.md asks the catalog to settle are each decided in writing.
  std::string topics;
  for (const auto& d : catalog().decisions) {
    EXPECT_GT(d.text.size(), 80u) << d.topic;
    topics += d.topic + "\n";
  }
  for (const char* topic : {"Channel kinds", "E.164", "lower case", "normalized", "changed_fields", "Reasons",
                            "Participants", "redaction"}) {
    EXPECT_NE(topics.find(topic), std::string::npos) << "no decision about " << topic << " in:\n" << topics;
  }
}

TEST(CatalogContent, EveryEventIsFullyDocumented) {
  for (const EventSpec& e : catalog().events) {
    SCOPED_TRACE(e.name);
    EXPECT_GT(e.purpose.size(), 40u);
    EXPECT_EQ(e.schema_version.major, 1u);
    EXPECT_EQ(e.schema_version.minor, 0u);
    EXPECT_FALSE(e.fields.empty());
    EXPECT_FALSE(e.invariants.empty());
    EXPECT_FALSE(e.preconditions.empty());
    EXPECT_FALSE(e.postconditions.empty());
    EXPECT_FALSE(e.traceability.empty());
    EXPECT_FALSE(e.delivery.ordering_key.empty());
    EXPECT_FALSE(e.delivery.idempotency_key.empty());
    EXPECT_FALSE(e.delivery.duplicates.empty());
    EXPECT_FALSE(e.examples.empty());
  }
}

TEST(CatalogContent, EveryEventCarriesItsAggregateIdAndOwningCustomer) {
  for (const EventSpec& e : catalog().events) {
    SCOPED_TRACE(e.name);
    const AggregateSpec* a = catalog().find_aggregate(e.aggregate);
    ASSERT_NE(a, nullptr);
    for (const std::string& id : {a->id_field, std::string("customer_id")}) {
      const FieldSpec* f = e.find_field(id);
      ASSERT_NE(f, nullptr) << id;
      EXPECT_TRUE(f->required) << id;
      EXPECT_EQ(f->type, JsonType::String) << id;
      EXPECT_EQ(f->privacy, Privacy::Identifier) << id;
      EXPECT_EQ(f->format, "identifier") << id;
    }
  }
}

TEST(CatalogContent, EveryFieldIsDescribedAndSecretsAreNeverRequired) {
  int secrets = 0;
  for (const EventSpec& e : catalog().events) {
    for (const FieldSpec& f : e.fields) {
      SCOPED_TRACE(e.name + "." + f.name);
      EXPECT_GT(f.description.size(), 15u);
      if (f.privacy == Privacy::Secret) {
        ++secrets;
        EXPECT_FALSE(f.required);
        EXPECT_NE(f.description.find("credentials_ref"), std::string::npos) << "say what to send instead";
      }
      if (f.type == JsonType::Array) {
        EXPECT_TRUE(f.item_type.has_value());
      }
    }
  }
  EXPECT_GE(secrets, 1) << "the provider's api_key is documented as a secret";
}

TEST(CatalogContent, ChannelAddressIsCanonicalPersonalData) {
  const EventSpec* mapped = catalog().find_event("ChannelMapped");
  ASSERT_NE(mapped, nullptr);
  const FieldSpec* address = mapped->find_field("address");
  ASSERT_NE(address, nullptr);
  EXPECT_EQ(address->privacy, Privacy::Pii);
  EXPECT_EQ(address->format, "channel_address");
  const FieldSpec* kind = mapped->find_field("kind");
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(kind->enum_values, (std::vector<std::string>{"phone", "email"}));
  const FieldSpec* normalized = mapped->find_field("normalized");
  ASSERT_NE(normalized, nullptr);
  EXPECT_EQ(normalized->type, JsonType::Boolean);
}

TEST(CatalogContent, ParticipantEventsCarryParticipantIds) {
  for (const char* name : {"ConversationParticipantAdded", "ConversationParticipantRemoved"}) {
    SCOPED_TRACE(name);
    const EventSpec* e = catalog().find_event(name);
    ASSERT_NE(e, nullptr);
    const FieldSpec* ids = e->find_field("participant_ids");
    ASSERT_NE(ids, nullptr);
    EXPECT_TRUE(ids->required);
    EXPECT_EQ(ids->type, JsonType::Array);
    EXPECT_EQ(ids->item_type, JsonType::String);
    EXPECT_EQ(ids->item_format, "identifier");
    EXPECT_EQ(ids->min_items, 1u);
    EXPECT_TRUE(ids->unique_items);
  }
}

TEST(CatalogContent, DisableAndEnableEventsCarryAReasonCode) {
  for (const char* name : {"CustomerDisabled", "CustomerEnabled", "ProviderDisabled", "ProviderEnabled"}) {
    SCOPED_TRACE(name);
    const EventSpec* e = catalog().find_event(name);
    ASSERT_NE(e, nullptr);
    const FieldSpec* reason = e->find_field("reason");
    ASSERT_NE(reason, nullptr);
    EXPECT_TRUE(reason->required);
    EXPECT_GE(reason->enum_values.size(), 3u);
    const FieldSpec* note = e->find_field("note");
    ASSERT_NE(note, nullptr);
    EXPECT_FALSE(note->required);
    EXPECT_TRUE(note->free_text);
  }
  const FieldSpec* topic = catalog().find_event("ConversationCreated")->find_field("topic");
  ASSERT_NE(topic, nullptr);
  EXPECT_TRUE(topic->free_text);
}

TEST(CatalogContent, ChangedFieldsNameRealAttributes) {
  int updated_events = 0;
  for (const EventSpec& e : catalog().events) {
    const FieldSpec* changed = e.find_field("changed_fields");
    bool is_update = e.name.size() > 7 && e.name.compare(e.name.size() - 7, 7, "Updated") == 0;
    EXPECT_EQ(changed != nullptr, is_update) << e.name;
    if (changed == nullptr) continue;
    ++updated_events;
    SCOPED_TRACE(e.name);
    EXPECT_TRUE(changed->required);
    EXPECT_TRUE(changed->items_are_aggregate_fields);
    EXPECT_EQ(changed->min_items, 1u);
    EXPECT_TRUE(changed->unique_items);
    const AggregateSpec* a = catalog().find_aggregate(e.aggregate);
    ASSERT_NE(a, nullptr);
    ASSERT_FALSE(a->attributes.empty());
    // Each attribute that may be named also has an optional field carrying its new value.
    for (const std::string& attribute : a->attributes) {
      const FieldSpec* f = e.find_field(attribute);
      ASSERT_NE(f, nullptr) << attribute;
      EXPECT_FALSE(f->required) << attribute;
    }
  }
  EXPECT_EQ(updated_events, 5);
}

// ------------------------------------------------------------------------------------------------
// Lifecycles (SC-001)

TEST(CatalogLifecycle, EveryTransitionNamesAnEventOfItsAggregateAndKnownStates) {
  for (const AggregateSpec& a : catalog().aggregates) {
    ASSERT_FALSE(a.transitions.empty()) << a.name;
    for (const Transition& t : a.transitions) {
      SCOPED_TRACE(a.name + ": " + t.from + " -> " + t.to + " by " + t.event);
      const EventSpec* e = catalog().find_event(t.event);
      ASSERT_NE(e, nullptr);
      EXPECT_EQ(e->aggregate, a.name);
      EXPECT_TRUE(t.from.empty() || std::count(a.states.begin(), a.states.end(), t.from) == 1);
      EXPECT_EQ(std::count(a.states.begin(), a.states.end(), t.to), 1);
    }
  }
}

TEST(CatalogLifecycle, EveryEventRecordsAtLeastOneTransition) {
  for (const EventSpec& e : catalog().events) {
    const AggregateSpec* a = catalog().find_aggregate(e.aggregate);
    ASSERT_NE(a, nullptr) << e.name;
    bool covered = std::any_of(a->transitions.begin(), a->transitions.end(),
                               [&](const Transition& t) { return t.event == e.name; });
    EXPECT_TRUE(covered) << e.name << " records no transition of " << a->name;
  }
}

TEST(CatalogLifecycle, EveryStateIsReachableFromCreation) {
  for (const AggregateSpec& a : catalog().aggregates) {
    std::set<std::string> reached;
    std::vector<std::string> frontier;
    for (const Transition& t : a.transitions) {
      if (t.from.empty() && reached.insert(t.to).second) frontier.push_back(t.to);
    }
    while (!frontier.empty()) {
      std::string state = frontier.back();
      frontier.pop_back();
      for (const Transition& t : a.transitions) {
        if (t.from == state && reached.insert(t.to).second) frontier.push_back(t.to);
      }
    }
    EXPECT_EQ(reached, std::set<std::string>(a.states.begin(), a.states.end())) << a.name;
  }
}

TEST(CatalogLifecycle, CreatingEventsAreTheOnesTheDecisionsName) {
  std::set<std::string> creating;
  for (const EventSpec& e : catalog().events) {
    if (e.creates) creating.insert(e.name);
  }
  EXPECT_EQ(creating, (std::set<std::string>{"CustomerCreated", "ContactCreated", "ProviderConfigured", "ChannelMapped",
                                             "ConversationCreated"}));
}

TEST(CatalogLifecycle, StateMachinesEncodeTheDecisions) {
  const std::string none;
  // Customer: enabling needs a disabled customer, disabling an active one; updates in both states.
  EXPECT_EQ(next_state(aggregate("Customer"), none, "CustomerCreated"), "active");
  EXPECT_EQ(next_state(aggregate("Customer"), "active", "CustomerEnabled"), std::nullopt);
  EXPECT_EQ(next_state(aggregate("Customer"), "disabled", "CustomerEnabled"), "active");
  EXPECT_EQ(next_state(aggregate("Customer"), "disabled", "CustomerDisabled"), std::nullopt);
  EXPECT_EQ(next_state(aggregate("Customer"), "disabled", "CustomerUpdated"), "disabled");
  // Contact: deletion is terminal.
  EXPECT_EQ(next_state(aggregate("Contact"), "active", "ContactDeleted"), "deleted");
  EXPECT_EQ(next_state(aggregate("Contact"), "deleted", "ContactUpdated"), std::nullopt);
  EXPECT_EQ(next_state(aggregate("Contact"), "deleted", "ContactDeleted"), std::nullopt);
  // Provider.
  EXPECT_EQ(next_state(aggregate("Provider"), none, "ProviderConfigured"), "enabled");
  EXPECT_EQ(next_state(aggregate("Provider"), "enabled", "ProviderEnabled"), std::nullopt);
  EXPECT_EQ(next_state(aggregate("Provider"), "disabled", "ProviderUpdated"), "disabled");
  // Channel: re-mapping after an unmapping; updates only while mapped.
  EXPECT_EQ(next_state(aggregate("Channel"), none, "ChannelMapped"), "mapped");
  EXPECT_EQ(next_state(aggregate("Channel"), "unmapped", "ChannelMapped"), "mapped");
  EXPECT_EQ(next_state(aggregate("Channel"), "mapped", "ChannelMapped"), std::nullopt);
  EXPECT_EQ(next_state(aggregate("Channel"), "unmapped", "ChannelUpdated"), std::nullopt);
  // Conversation: archive only from closed; participants only while open; archived is terminal.
  EXPECT_EQ(next_state(aggregate("Conversation"), "closed", "ConversationArchived"), "archived");
  EXPECT_EQ(next_state(aggregate("Conversation"), "open", "ConversationArchived"), std::nullopt);
  EXPECT_EQ(next_state(aggregate("Conversation"), "closed", "ConversationReopened"), "open");
  EXPECT_EQ(next_state(aggregate("Conversation"), "closed", "ConversationParticipantAdded"), std::nullopt);
  EXPECT_EQ(next_state(aggregate("Conversation"), "open", "ConversationParticipantRemoved"), "open");
  for (const Transition& t : aggregate("Conversation").transitions) {
    EXPECT_NE(t.from, "archived") << t.event;
  }
}

// ------------------------------------------------------------------------------------------------
// Examples

TEST(CatalogExamples, EveryExampleIsACompleteEventOfItsType) {
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  const std::regex ulid("[0-7][0-9A-HJKMNP-TV-Z]{25}");
  const std::regex utc("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
  std::set<std::string> event_ids;
  for (const EventSpec& e : catalog().events) {
    const AggregateSpec* a = catalog().find_aggregate(e.aggregate);
    ASSERT_NE(a, nullptr);
    for (size_t i = 0; i < e.examples.size(); ++i) {
      SCOPED_TRACE(e.name + " example " + std::to_string(i));
      rapidjson::Document doc;
      doc.Parse(e.examples[i].data(), e.examples[i].size());
      ASSERT_FALSE(doc.HasParseError());
      ASSERT_TRUE(doc.IsObject());
      ASSERT_TRUE(doc.HasMember("payload") && doc["payload"].IsObject());
      const rapidjson::Value& payload = doc["payload"];

      EXPECT_EQ(std::string(doc["event_name"].GetString()), e.name);
      EXPECT_EQ(std::string(doc["aggregate_type"].GetString()), e.aggregate);
      ASSERT_TRUE(payload.HasMember(a->id_field.c_str()));
      EXPECT_EQ(std::string(doc["aggregate_id"].GetString()), payload[a->id_field.c_str()].GetString());
      EXPECT_EQ(std::string(doc["schema_version"].GetString()),
                std::to_string(e.schema_version.major) + "." + std::to_string(e.schema_version.minor));
      std::string event_id = doc["event_id"].GetString();
      EXPECT_TRUE(std::regex_match(event_id, uuid) || std::regex_match(event_id, ulid)) << event_id;
      EXPECT_TRUE(event_ids.insert(event_id).second) << "event_id reused: " << event_id;
      EXPECT_TRUE(std::regex_match(std::string(doc["occurred_at"].GetString()), utc));
      ASSERT_TRUE(doc["actor"].IsObject());
      std::string actor_type = doc["actor"]["type"].GetString();
      EXPECT_TRUE(actor_type == "user" || actor_type == "system") << actor_type;
      ASSERT_TRUE(doc["version"].IsUint64());
      uint64_t version = doc["version"].GetUint64();
      EXPECT_GE(version, 1u);
      EXPECT_EQ(std::string(doc["idempotency_key"].GetString()),
                std::string(doc["aggregate_id"].GetString()) + ":" + std::to_string(version));

      // Creating events have version 1 and nothing else does; a channel's re-mapping continues
      // its version sequence (the "remapped" action).
      bool remap = e.name == "ChannelMapped" && std::string(payload["action"].GetString()) == "remapped";
      if (e.creates && !remap) {
        EXPECT_EQ(version, 1u);
      } else {
        EXPECT_GT(version, 1u);
      }

      for (auto it = payload.MemberBegin(); it != payload.MemberEnd(); ++it) {
        const FieldSpec* f = e.find_field(it->name.GetString());
        ASSERT_NE(f, nullptr) << "undeclared payload field " << it->name.GetString();
        EXPECT_NE(f->privacy, Privacy::Secret) << f->name << " must never appear in an event";
        if (!f->enum_values.empty()) {
          ASSERT_TRUE(it->value.IsString()) << f->name;
          EXPECT_EQ(std::count(f->enum_values.begin(), f->enum_values.end(), it->value.GetString()), 1) << f->name;
        }
      }
      for (const FieldSpec& f : e.fields) {
        if (f.required) {
          EXPECT_TRUE(payload.HasMember(f.name.c_str())) << "missing required " << f.name;
        }
      }
      if (payload.HasMember("changed_fields")) {
        for (const auto& name : payload["changed_fields"].GetArray()) {
          EXPECT_EQ(std::count(a->attributes.begin(), a->attributes.end(), name.GetString()), 1) << name.GetString();
        }
      }
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Loader and printer

TEST(CatalogJson, PrintedCatalogRoundTrips) {
  std::string printed = msgevents::catalog_to_json(catalog());
  std::string error;
  std::optional<Catalog> reparsed = msgevents::parse_catalog(printed, &error);
  ASSERT_TRUE(reparsed.has_value()) << error;
  EXPECT_EQ(msgevents::catalog_to_json(*reparsed), printed);
  EXPECT_EQ(msgevents::catalog_to_json(*reparsed, false), msgevents::catalog_to_json(catalog(), false));
}

TEST(CatalogJson, PrintedCatalogHasTheShapeOfTheSource) {
  rapidjson::Document source;
  source.Parse(msgevents::detail::kCatalogJson.data(), msgevents::detail::kCatalogJson.size());
  ASSERT_FALSE(source.HasParseError());
  for (bool pretty : {true, false}) {
    std::string printed = msgevents::catalog_to_json(catalog(), pretty);
    rapidjson::Document doc;
    doc.Parse(printed.data(), printed.size());
    ASSERT_FALSE(doc.HasParseError());
    EXPECT_TRUE(doc == source) << "catalog_to_json(pretty=" << pretty << ") differs from catalog.json";
  }
}

TEST(CatalogJson, PrintsCreationAsNullAndExamplesAsObjects) {
  std::string compact = msgevents::catalog_to_json(catalog(), false);
  EXPECT_EQ(compact.find('\n'), std::string::npos);
  EXPECT_NE(compact.find(R"({"from":null,"to":"active","event":"CustomerCreated"})"), std::string::npos);
  EXPECT_NE(compact.find(R"("examples":[{"event_name":"CustomerCreated",)"), std::string::npos);
}

TEST(CatalogJson, LookupsAndNames) {
  EXPECT_EQ(catalog().find_event("NoSuchEvent"), nullptr);
  EXPECT_EQ(catalog().find_event("customercreated"), nullptr) << "names are exact case";
  EXPECT_EQ(catalog().find_aggregate("Endpoint"), nullptr);
  ASSERT_NE(catalog().find_event("ProviderConfigured"), nullptr);
  EXPECT_EQ(catalog().find_event("ProviderConfigured")->find_field("password"), nullptr);
  EXPECT_EQ(msgevents::to_string(JsonType::Integer), "integer");
  EXPECT_EQ(msgevents::to_string(JsonType::Array), "array");
  EXPECT_EQ(msgevents::to_string(Privacy::Pii), "pii");
  EXPECT_EQ(msgevents::to_string(Privacy::Secret), "secret");
}

// A small, valid catalog that the rejection tests break one way at a time.
const char* const kMinimal = R"({
  "catalog_version": "0.1.0",
  "aggregates": [
    {"name": "Thing", "id_field": "thing_id", "states": ["live", "gone"],
     "transitions": [{"from": null, "to": "live", "event": "ThingMade"},
                     {"from": "live", "to": "gone", "event": "ThingGone"}]}
  ],
  "events": [
    {"name": "ThingMade", "aggregate": "Thing", "schema_version": "1.0", "creates": true,
     "fields": [{"name": "thing_id", "type": "string", "required": true, "privacy": "identifier", "format": "identifier"}]},
    {"name": "ThingGone", "aggregate": "Thing", "schema_version": "2.13",
     "fields": [{"name": "thing_id", "type": "string", "required": true, "privacy": "identifier"},
                {"name": "size", "type": "integer", "required": false, "privacy": "internal", "minimum": 0, "maximum": 10}],
     "examples": [{"event_name": "ThingGone", "payload": {"thing_id": "t1"}}]}
  ]
})";

std::string broken(std::string_view from, std::string_view to) {
  std::string text = kMinimal;
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string parse_error(const std::string& json) {
  std::string error;
  std::optional<Catalog> parsed = msgevents::parse_catalog(json, &error);
  EXPECT_FALSE(parsed.has_value());
  return error;
}

TEST(CatalogParse, AcceptsTheMinimalCatalog) {
  std::string error;
  std::optional<Catalog> parsed = msgevents::parse_catalog(kMinimal, &error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ(parsed->events[1].schema_version.major, 2u);
  EXPECT_EQ(parsed->events[1].schema_version.minor, 13u);
  EXPECT_EQ(parsed->aggregates[0].transitions[0].from, "");
  EXPECT_EQ(parsed->events[1].fields[1].maximum, 10.0);
  ASSERT_EQ(parsed->events[1].examples.size(), 1u);
  EXPECT_EQ(parsed->events[1].examples[0],
            "{\n  \"event_name\": \"ThingGone\",\n  \"payload\": {\n    \"thing_id\": \"t1\"\n  }\n}");
  std::string printed = msgevents::catalog_to_json(*parsed, false);
  EXPECT_NE(printed.find(R"("schema_version":"2.13")"), std::string::npos);
  EXPECT_NE(printed.find(R"("minimum":0,"maximum":10,)"), std::string::npos);
}

TEST(CatalogParse, RejectsInvalidJsonWithLineAndColumn) {
  EXPECT_EQ(parse_error("{\n  \"catalog_version\": \"1.0.0\",\n  oops\n}"),
            "line 3, column 3: not valid JSON: Missing a name for object member.");
  EXPECT_EQ(parse_error("[]"), "/: the catalog must be an object, not an array");
}

TEST(CatalogParse, RejectsUnknownPrivacyClassAtItsPointer) {
  EXPECT_EQ(parse_error(broken(R"("privacy": "internal")", R"("privacy": "public")")),
            "/events/1/fields/1/privacy: unknown privacy class \"public\" (expected identifier, internal, pii or secret)");
}

TEST(CatalogParse, RejectsWrongTypesAndUnknownValues) {
  EXPECT_EQ(parse_error(broken(R"("type": "integer")", R"("type": "int")")),
            "/events/1/fields/1/type: unknown type \"int\" (expected string, integer, number, boolean, object or array)");
  EXPECT_EQ(parse_error(broken(R"("required": false)", R"("required": "no")")),
            "/events/1/fields/1/required: required must be true or false, not a string");
  EXPECT_EQ(parse_error(broken(R"("format": "identifier")", R"("format": "ident")")),
            "/events/0/fields/0/format: unknown format \"ident\"");
  EXPECT_EQ(parse_error(broken(R"("schema_version": "2.13")", R"("schema_version": "2")")),
            "/events/1/schema_version: schema_version must be \"MAJOR.MINOR\" (e.g. \"1.0\"), not \"2\"");
  EXPECT_EQ(parse_error(broken(R"("minimum": 0)", R"("minimum": 11)")),
            "/events/1/fields/1/minimum: minimum is greater than maximum");
}

TEST(CatalogParse, RejectsUnknownAndDuplicateKeys) {
  EXPECT_EQ(parse_error(broken(R"("required": false)", R"("requried": false)")),
            "/events/1/fields/1/requried: unknown key \"requried\" (expected one of: name, type, required, privacy, "
            "format, enum, min_length, max_length, minimum, maximum, free_text, items, min_items, max_items, "
            "unique_items, description)\n"
            "/events/1/fields/1: missing required key \"required\"");
  EXPECT_EQ(parse_error(broken(R"("creates": true,)", R"("creates": true, "creates": false,)")),
            "/events/0/creates: duplicate key \"creates\"");
}

TEST(CatalogParse, RejectsDuplicateEventNames) {
  std::string error = parse_error(broken(R"("name": "ThingGone")", R"("name": "ThingMade")"));
  EXPECT_NE(error.find("/events/1/name: duplicate event \"ThingMade\""), std::string::npos) << error;
}

TEST(CatalogParse, RejectsTransitionsToUnknownEventsAndStates) {
  EXPECT_EQ(parse_error(broken(R"("event": "ThingGone")", R"("event": "ThingVanished")")),
            "/aggregates/0/transitions/1/event: unknown event \"ThingVanished\"");
  EXPECT_EQ(parse_error(broken(R"("to": "gone")", R"("to": "lost")")),
            "/aggregates/0/transitions/1/to: unknown state \"lost\" (not in the states of Thing)");
  EXPECT_EQ(parse_error(broken(R"({"from": null, "to": "live", "event": "ThingMade"},)",
                               R"({"from": null, "to": "live", "event": "ThingMade"}, {"from": null, "to": "gone", "event": "ThingMade"},)")),
            "/aggregates/0/transitions/1: a second transition for ThingMade from null: a lifecycle must say exactly "
            "which state an event leads to");
}

TEST(CatalogParse, RejectsEventsOfUnknownAggregates) {
  EXPECT_EQ(parse_error(broken(R"("aggregate": "Thing", "schema_version": "2.13")",
                               R"("aggregate": "Endpoint", "schema_version": "2.13")")),
            "/aggregates/0/transitions/1/event: event \"ThingGone\" belongs to Endpoint, not Thing\n"
            "/events/1/aggregate: unknown aggregate \"Endpoint\"");
}

TEST(CatalogParse, RejectsCatalogRulesTheValidatorReliesOn) {
  EXPECT_EQ(parse_error(broken(R"("name": "size", "type": "integer", "required": false, "privacy": "internal")",
                               R"("name": "api_key", "type": "string", "required": true, "privacy": "secret")")),
            "/events/1/fields/1/required: a secret field documents what must never be sent, so it cannot be required\n"
            "/events/1/fields/1/minimum: minimum applies to integer and number fields only\n"
            "/events/1/fields/1/maximum: maximum applies to integer and number fields only");
  EXPECT_EQ(parse_error(broken(R"({"name": "thing_id", "type": "string", "required": true, "privacy": "identifier"},)", "")),
            "/events/1/fields: ThingGone must declare Thing's id field \"thing_id\" as a required string");
  EXPECT_EQ(parse_error(broken(R"("creates": true,)", "")),
            "/events/0/creates: ThingMade has a transition from null but is not marked creates");
  EXPECT_EQ(parse_error(broken(R"("examples": [{"event_name")", R"("examples": ["x", {"event_name")")),
            "/events/1/examples/0: an example must be an object, not a string");
}

TEST(CatalogParse, NeverThrowsAndToleratesANullErrorPointer) {
  EXPECT_FALSE(msgevents::parse_catalog("", nullptr).has_value());
  EXPECT_FALSE(msgevents::parse_catalog(std::string(100000, '['), nullptr).has_value());
  std::string deep = std::string(200, '[') + std::string(200, ']');
  EXPECT_EQ(parse_error(R"({"catalog_version": "1", "aggregates": [], "events": [], "title": )" + deep + "}")
                .substr(0, 7),
            "/title/");
  EXPECT_FALSE(msgevents::parse_catalog("{\"catalog_version\": \"\xff\"}", nullptr).has_value());
}

}  // namespace
