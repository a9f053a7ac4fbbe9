// The typed events generated from the catalog (<msgevents/events.hpp>): every event type parses
// its catalog examples and writes them back as the same JSON value, makes new events that
// validate clean, and knows its catalog entry; parse() gives the event only when the validator
// found no error; ids are UUIDv7 from the caller's clock and random source.
#include "msgevents/events.hpp"
#include "msgevents/rules.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <set>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include <rapidjson/document.h>

#include "msgevents/catalog.hpp"

namespace {

namespace ev = msgevents::events;
using msgevents::Catalog;
using msgevents::EventSpec;
using msgevents::Finding;
using msgevents::Severity;

const Catalog& catalog() { return msgevents::builtin_catalog(); }

// 2025-11-05T09:12:44.105Z, the time of the catalog's first example.
constexpr int64_t kFixedMs = 1762333964105;

class FixedClock final : public ev::Clock {
 public:
  explicit FixedClock(int64_t ms) : ms_(ms) {}
  int64_t now_unix_ms() const override { return ms_; }

 private:
  int64_t ms_;
};

// splitmix64: a fixed sequence, so the ids made from it are the same on every run.
class SeededRandom final : public ev::Random {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  uint64_t next_u64() override {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

rapidjson::Document json_value(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

std::vector<std::string> codes(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(f.code);
  return out;
}

bool has_error(const std::vector<Finding>& findings) {
  for (const Finding& f : findings) {
    if (f.severity == Severity::Error || f.severity == Severity::Critical) return true;
  }
  return false;
}

const EventSpec& spec_of(std::string_view name) {
  const EventSpec* spec = catalog().find_event(name);
  if (!spec) throw std::logic_error("no catalog event " + std::string(name));
  return *spec;
}

// Every event type, as GoogleTest types: the alternatives of AnyEvent.
template <class Variant>
struct TypesOf;
template <class... Events>
struct TypesOf<std::variant<Events...>> {
  using type = ::testing::Types<Events...>;
};

struct EventTypeName {
  template <class E>
  static std::string GetName(int) {
    return std::string(E::event_name);
  }
};

template <class E>
class EventTypeTest : public ::testing::Test {};
TYPED_TEST_SUITE(EventTypeTest, TypesOf<ev::AnyEvent>::type, EventTypeName);

TYPED_TEST(EventTypeTest, KnowsItsCatalogEntry) {
  using E = TypeParam;
  const EventSpec& spec = spec_of(E::event_name);
  EXPECT_EQ(E::aggregate_type, spec.aggregate);
  EXPECT_EQ(std::string(E::schema_version),
            std::to_string(spec.schema_version.major) + "." + std::to_string(spec.schema_version.minor));
  EXPECT_EQ(E::creates, spec.creates);
}

TYPED_TEST(EventTypeTest, ExamplesRoundTrip) {
  using E = TypeParam;
  const EventSpec& spec = spec_of(E::event_name);
  ASSERT_FALSE(spec.examples.empty());
  for (const std::string& example : spec.examples) {
    const ev::ParseResult parsed = ev::parse(example);
    ASSERT_TRUE(parsed.event.has_value()) << example;
    EXPECT_TRUE(parsed.findings.empty()) << codes(parsed.findings).front();
    ASSERT_TRUE(std::holds_alternative<E>(*parsed.event)) << ev::event_name_of(*parsed.event);
    const E& event = std::get<E>(*parsed.event);

    // Written back, the same JSON value as the example (member order aside).
    const std::string written = ev::to_json(event);
    EXPECT_TRUE(json_value(written) == json_value(example)) << written << "\n" << example;
    EXPECT_EQ(ev::to_json(*parsed.event), written);

    const ev::ParseResultOf<E> again = ev::parse_as<E>(written);
    ASSERT_TRUE(again.event.has_value());
    EXPECT_TRUE(*again.event == event);
    EXPECT_EQ(E::aggregate_id_of(event.payload), event.envelope.aggregate_id);
  }
}

TYPED_TEST(EventTypeTest, MadeEventValidatesClean) {
  using E = TypeParam;
  const EventSpec& spec = spec_of(E::event_name);
  const ev::ParseResultOf<E> example = ev::parse_as<E>(spec.examples.front());
  ASSERT_TRUE(example.event.has_value());

  const FixedClock clock(kFixedMs);
  SeededRandom random(42);
  const uint64_t version = E::creates ? 1 : 7;
  const E made = ev::make<E>(example.event->payload, {ev::ActorType::User, "usr_01JC3Y7R1T3V5X7Z9B1D3F5H7K"}, version, clock, random);

  SeededRandom same_seed(42);
  EXPECT_EQ(made.envelope.event_id, ev::new_event_id(kFixedMs, same_seed));
  EXPECT_EQ(made.envelope.event_id.substr(0, 15), "019a534a-3749-7");  // the clock's 48 bits, then version 7
  EXPECT_EQ(made.envelope.occurred_at, "2025-11-05T09:12:44.105Z");
  EXPECT_EQ(made.envelope.aggregate_id, E::aggregate_id_of(example.event->payload));
  EXPECT_EQ(made.envelope.version, version);
  EXPECT_EQ(made.envelope.schema_version, std::string(E::schema_version));
  EXPECT_FALSE(made.envelope.idempotency_key.has_value());
  EXPECT_TRUE(made.payload == example.event->payload);

  msgevents::Options options;
  options.now_unix_ms = kFixedMs;
  options.strict = true;
  const std::string json = ev::to_json(made);
  const msgevents::Report report = msgevents::validate(json, options);
  EXPECT_TRUE(report.findings.empty()) << json << "\n" << (report.findings.empty() ? "" : report.findings.front().code);
  EXPECT_EQ(report.summary.events, 1u);

  const ev::ParseResultOf<E> back = ev::parse_as<E>(json, options);
  ASSERT_TRUE(back.event.has_value());
  EXPECT_TRUE(*back.event == made);
}

TEST(Events, AnyEventHoldsEveryCatalogTypeInCatalogOrder) {
  ASSERT_EQ(std::variant_size_v<ev::AnyEvent>, catalog().events.size());
  EXPECT_EQ(catalog().events.size(), 21u);
  // An event of each alternative names its catalog entry at the same index.
  size_t checked = 0;
  for (const EventSpec& spec : catalog().events) {
    const ev::ParseResult parsed = ev::parse(spec.examples.front());
    ASSERT_TRUE(parsed.event.has_value()) << spec.name;
    EXPECT_EQ(ev::event_name_of(*parsed.event), spec.name);
    EXPECT_EQ(parsed.event->index(), checked) << spec.name;
    ++checked;
  }
  EXPECT_EQ(ev::kCatalogVersion, catalog().catalog_version);
}

TEST(Events, ToJsonWritesTheCatalogOrderAndOmitsAbsentOptionals) {
  ev::CustomerCreated event;
  event.envelope.event_id = "019a534a-3749-7737-9a21-2e013149592f";
  event.envelope.aggregate_id = "cus_1";
  event.envelope.occurred_at = "2025-11-05T09:12:44.105Z";
  event.envelope.actor = {ev::ActorType::System, "svc_onboarding"};
  event.payload.customer_id = "cus_1";
  event.payload.name = "Caf\xC3\xA9 \"Nord\"";
  event.payload.country_code = "GB";
  EXPECT_EQ(ev::to_json(event),
            R"({"event_name":"CustomerCreated","event_id":"019a534a-3749-7737-9a21-2e013149592f",)"
            R"("aggregate_type":"Customer","aggregate_id":"cus_1","occurred_at":"2025-11-05T09:12:44.105Z",)"
            R"("actor":{"type":"system","id":"svc_onboarding"},"version":1,)"
            R"("payload":{"customer_id":"cus_1","status":"active","name":"Café \"Nord\"","country_code":"GB"}})");

  // The envelope's members come in the order the catalog documents them.
  event.envelope.idempotency_key = "cus_1:1";
  event.envelope.schema_version = "1.0";
  const rapidjson::Document doc = json_value(ev::to_json(event));
  std::vector<std::string> order;
  for (const auto& member : doc.GetObject()) order.emplace_back(member.name.GetString());
  std::vector<std::string> documented;
  for (const auto& field : catalog().envelope) documented.push_back(field.name);
  EXPECT_EQ(order, documented);
}

TEST(Events, AnErrorGivesFindingsAndNoEvent) {
  std::string text = spec_of("CustomerDisabled").examples.front();
  text.replace(text.find("\"non_payment\""), 13, "\"bored\"");
  const ev::ParseResult parsed = ev::parse(text);
  EXPECT_FALSE(parsed.event.has_value());
  ASSERT_EQ(parsed.findings.size(), 1u);
  EXPECT_EQ(parsed.findings[0].code, "payload.enum");
  EXPECT_EQ(parsed.findings[0].pointer, "/payload/reason");

  const ev::ParseResult not_json = ev::parse("{\"event_name\": ");
  EXPECT_FALSE(not_json.event.has_value());
  EXPECT_EQ(codes(not_json.findings), std::vector<std::string>{"json.syntax"});

  const ev::ParseResult empty = ev::parse("");
  EXPECT_FALSE(empty.event.has_value());
  EXPECT_EQ(codes(empty.findings), std::vector<std::string>{"input.empty"});
}

TEST(Events, ASecretFieldIsRefusedNotDropped) {
  std::string text = spec_of("ProviderConfigured").examples.front();
  text.replace(text.find("\"provider_id\""), 0, "\"api_key\": \"sk_live_1\", ");
  const ev::ParseResult parsed = ev::parse(text);
  EXPECT_FALSE(parsed.event.has_value());
  EXPECT_TRUE(has_error(parsed.findings));
  EXPECT_EQ(codes(parsed.findings), std::vector<std::string>{"privacy.secret_field"});
}

TEST(Events, AWarningStillGivesTheEventAndStrictTurnsItIntoAnError) {
  std::string text = spec_of("CustomerCreated").examples.front();
  text.replace(text.find("\"customer_id\""), 0, "\"nickname\": \"NW\", ");
  const ev::ParseResult lenient = ev::parse(text);
  ASSERT_TRUE(lenient.event.has_value());
  EXPECT_EQ(codes(lenient.findings), std::vector<std::string>{"payload.unknown_field"});
  EXPECT_EQ(lenient.findings[0].severity, Severity::Warning);
  // The unknown field is not kept: the struct has no place for it.
  EXPECT_EQ(ev::to_json(*lenient.event).find("nickname"), std::string::npos);

  msgevents::Options strict;
  strict.strict = true;
  EXPECT_FALSE(ev::parse(text, strict).event.has_value());
}

TEST(Events, OccurredAtIsHeldInItsCanonicalUtcForm) {
  std::string text = spec_of("CustomerCreated").examples.front();
  text.replace(text.find("09:12:44.105Z"), 13, "09:12:44.105+00:00");
  const ev::ParseResultOf<ev::CustomerCreated> parsed = ev::parse_as<ev::CustomerCreated>(text);
  ASSERT_TRUE(parsed.event.has_value());
  EXPECT_EQ(codes(parsed.findings), std::vector<std::string>{"envelope.occurred_at.utc_offset"});
  EXPECT_EQ(parsed.event->envelope.occurred_at, "2025-11-05T09:12:44.105Z");
}

TEST(Events, OnlyOneEventObjectIsAnEvent) {
  const std::string one = ev::to_json(*ev::parse(spec_of("CustomerCreated").examples.front()).event);
  const ev::ParseResult two = ev::parse(one + "\n" + one + "\n");
  EXPECT_FALSE(two.event.has_value());
  ASSERT_FALSE(two.findings.empty());
  EXPECT_EQ(two.findings.back().code, "parse.not_one_event");
  EXPECT_EQ(two.findings.back().message, "expected exactly one event, the input holds 2");

  const ev::ParseResult array = ev::parse("[" + one + "]");
  EXPECT_FALSE(array.event.has_value());
  EXPECT_EQ(codes(array.findings), std::vector<std::string>{"parse.not_one_event"});
  EXPECT_EQ(array.findings[0].severity, Severity::Error);

  // One NDJSON line, with its newline and a byte order mark, is one event.
  EXPECT_TRUE(ev::parse("\xEF\xBB\xBF" + one + "\n").event.has_value());
}

// The typed layer's findings are rules of the registry like the validator's: listed by
// `msgevents checklist` and in SARIF, with their severity from there.
TEST(Events, TheTypedLayersFindingsAreRulesOfTheRegistry) {
  for (const char* code : {"parse.not_one_event", "parse.wrong_event_type", "parse.unrepresentable"}) {
    const msgevents::Rule* rule = msgevents::find_rule(code);
    ASSERT_NE(rule, nullptr) << code;
    EXPECT_EQ(rule->category, "Typed events");
    EXPECT_EQ(rule->severity, Severity::Error);
  }
}

TEST(Events, ParseAsRefusesAnotherEventType) {
  const ev::ParseResultOf<ev::ContactCreated> parsed =
      ev::parse_as<ev::ContactCreated>(spec_of("CustomerCreated").examples.front());
  EXPECT_FALSE(parsed.event.has_value());
  ASSERT_EQ(parsed.findings.size(), 1u);
  EXPECT_EQ(parsed.findings[0].code, "parse.wrong_event_type");
  EXPECT_EQ(parsed.findings[0].pointer, "/event_name");
  EXPECT_EQ(parsed.findings[0].message, "expected a ContactCreated event, the input is a CustomerCreated");
}

TEST(Events, EnumsReadAndWriteTheCatalogValues) {
  using Reason = ev::CustomerDisabled::Reason;
  EXPECT_EQ(ev::to_string(Reason::NonPayment), "non_payment");
  EXPECT_EQ(ev::parse<Reason>("policy_violation"), Reason::PolicyViolation);
  EXPECT_EQ(ev::parse<Reason>("PolicyViolation"), std::nullopt);  // exact case, catalog spelling
  EXPECT_EQ(ev::parse<Reason>(""), std::nullopt);
  EXPECT_EQ(ev::to_string(ev::ProviderConfigured::Kind::AmazonSes), "amazon_ses");
  EXPECT_EQ(ev::parse<ev::ProviderConfigured::ChannelKindsItem>("email"), ev::ProviderConfigured::ChannelKindsItem::Email);
  EXPECT_EQ(ev::parse<ev::CustomerAttribute>("legal_name"), ev::CustomerAttribute::LegalName);
  EXPECT_EQ(ev::parse<ev::ActorType>("system"), ev::ActorType::System);
  EXPECT_EQ(ev::to_string(ev::ActorType::User), "user");

  // Every value the catalog lists for ConversationClosed's reason reads and writes back.
  const auto* reason = spec_of("ConversationClosed").find_field("reason");
  ASSERT_NE(reason, nullptr);
  for (const std::string& value : reason->enum_values) {
    const auto parsed = ev::parse<ev::ConversationClosed::Reason>(value);
    ASSERT_TRUE(parsed.has_value()) << value;
    EXPECT_EQ(ev::to_string(*parsed), value);
  }
}

TEST(Events, SecretFieldsHaveNoMember) {
  // api_key is a catalog field of ProviderConfigured (privacy secret): the payload has no such member.
  const auto* api_key = spec_of("ProviderConfigured").find_field("api_key");
  ASSERT_NE(api_key, nullptr);
  EXPECT_EQ(api_key->privacy, msgevents::Privacy::Secret);
  ev::ProviderConfigured event = *ev::parse_as<ev::ProviderConfigured>(spec_of("ProviderConfigured").examples.front()).event;
  EXPECT_EQ(ev::to_json(event).find("api_key"), std::string::npos);
}

TEST(EventIds, AreUuidV7FromTheClockAndTheRandomSource) {
  SeededRandom random(1);
  const std::string id = ev::new_event_id(kFixedMs, random);
  EXPECT_TRUE(std::regex_match(id, std::regex("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"))) << id;
  EXPECT_EQ(id.substr(0, 8) + id.substr(9, 4), "019a534a3749");  // 1762333964105 in 48 bits

  // The validator reads it as a canonical UUID.
  const ev::ParseResult parsed = ev::parse(spec_of("CustomerCreated").examples.front());
  ev::CustomerCreated event = std::get<ev::CustomerCreated>(*parsed.event);
  event.envelope.event_id = id;
  EXPECT_TRUE(msgevents::validate(ev::to_json(event)).findings.empty());

  // A later millisecond sorts after; the same clock with another random source differs.
  SeededRandom other(2);
  EXPECT_LT(id, ev::new_event_id(kFixedMs + 1, random));
  EXPECT_NE(id.substr(14), ev::new_event_id(kFixedMs, other).substr(14));
  // The 48-bit time saturates instead of wrapping.
  EXPECT_EQ(ev::new_event_id(-5, random).substr(0, 13), "00000000-0000");
  EXPECT_EQ(ev::new_event_id(int64_t{1} << 50, random).substr(0, 13), "ffffffff-ffff");
}

TEST(EventIds, OccurredAtFormatsTheClockInUtc) {
  EXPECT_EQ(ev::format_occurred_at(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(ev::format_occurred_at(kFixedMs), "2025-11-05T09:12:44.105Z");
  EXPECT_EQ(ev::format_occurred_at(951782400000 + 86399999), "2000-02-29T23:59:59.999Z");
  EXPECT_EQ(ev::format_occurred_at(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(ev::format_occurred_at(INT64_MAX), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(ev::format_occurred_at(INT64_MIN), "0000-01-01T00:00:00.000Z");
  // What it writes, the core's own RFC 3339 reader reads back to the same instant.
  for (int64_t ms : {int64_t{0}, kFixedMs, int64_t{4102444800000}, int64_t{-86400000}}) {
    EXPECT_EQ(msgevents::parse_rfc3339_ms(ev::format_occurred_at(ms)), ms);
  }
}

TEST(EventIds, SystemClockAndRandomAreTheMachines) {
  const int64_t before = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch()).count();
  ev::SystemClock clock;
  const int64_t now = clock.now_unix_ms();
  EXPECT_GE(now, before);
  EXPECT_LE(now, before + 60000);
  ev::SystemRandom random;
  std::set<uint64_t> values;
  for (int i = 0; i < 16; ++i) values.insert(random.next_u64());
  EXPECT_EQ(values.size(), 16u);
}

}  // namespace
