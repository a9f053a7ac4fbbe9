// The validator against the shared fixtures (tests/fixtures, run by every face), the catalog's
// own examples (SC-002, SC-003), the rule registry and the checklist.
#include <gtest/gtest.h>

#include <set>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "msgevents/catalog.hpp"
#include "msgevents/rules.hpp"
#include "msgevents/validator.hpp"
#include "test_support.hpp"

namespace msgevents {
namespace {

using testing::FixtureCase;

std::string describe(const Finding& f) {
  return f.code + " " + std::string(to_string(f.severity)) + " " + f.pointer + " " + std::to_string(f.line) + ":" +
         std::to_string(f.column) + " #" + std::to_string(f.event_index);
}

std::vector<std::string> describe_all(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(describe(f));
  return out;
}

std::vector<std::string> expected_findings(const FixtureCase& fixture) {
  std::vector<std::string> out;
  for (const auto& f : fixture.expected["findings"].GetArray()) {
    out.push_back(std::string(f["code"].GetString()) + " " + f["severity"].GetString() + " " + f["pointer"].GetString() + " " +
                  std::to_string(f["line"].GetUint64()) + ":" + std::to_string(f["column"].GetUint64()) + " #" +
                  std::to_string(f["event_index"].GetInt64()));
  }
  return out;
}

class FixtureTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FixtureTest, GivesTheExpectedFindings) {
  const FixtureCase fixture = testing::load_fixture(GetParam());
  ASSERT_FALSE(fixture.input.empty()) << "no input file for " << fixture.name;
  const Report report = validate(testing::read_bytes(fixture.input), fixture.options);
  EXPECT_EQ(describe_all(report.findings), expected_findings(fixture)) << fixture.description;
  const auto& summary = fixture.expected["summary"];
  EXPECT_EQ(report.summary.events, summary["events"].GetUint64());
  EXPECT_EQ(report.summary.critical, summary["critical"].GetUint64());
  EXPECT_EQ(report.summary.error, summary["error"].GetUint64());
  EXPECT_EQ(report.summary.warning, summary["warning"].GetUint64());
  EXPECT_EQ(report.summary.info, summary["info"].GetUint64());
}

TEST_P(FixtureTest, GivesTheSameFindingsInChunksOfAnySize) {
  const FixtureCase fixture = testing::load_fixture(GetParam());
  const std::string input = testing::read_bytes(fixture.input);
  const auto whole = describe_all(validate(input, fixture.options).findings);
  for (size_t chunk : {1, 2, 3, 7, 64, 1000}) {
    Validator validator(fixture.options);
    std::vector<Finding> findings;
    for (size_t at = 0; at < input.size(); at += chunk) {
      validator.push(std::string_view(input).substr(at, chunk));
      for (auto& f : validator.drain()) findings.push_back(std::move(f));
    }
    for (auto& f : validator.finish().findings) findings.push_back(std::move(f));
    EXPECT_EQ(describe_all(findings), whole) << "chunks of " << chunk << " bytes";
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, FixtureTest, ::testing::ValuesIn(testing::fixture_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(RuleCoverage, EveryRuleIsTriggeredByAFixture) {
  std::set<std::string> triggered;
  for (const auto& name : testing::fixture_names()) {
    const FixtureCase fixture = testing::load_fixture(name);
    for (const auto& f : fixture.expected["findings"].GetArray()) triggered.insert(f["code"].GetString());
  }
  // payload.range guards numeric bounds, which no field of the current catalog declares; the
  // catalog loader accepts them, so the rule stays ready for the first field that does.
  const std::set<std::string> not_reachable_with_this_catalog = {"payload.range"};
  for (const Rule& rule : rule_registry()) {
    const std::string code(rule.code);
    if (not_reachable_with_this_catalog.count(code)) continue;
    if (rule.category == "Redaction") continue;  // redaction's own findings: tests/redact_test.cpp
    if (rule.category == "Typed events") continue;  // the typed layer's findings: tests/events_test.cpp
    EXPECT_TRUE(triggered.count(code)) << "no fixture triggers " << code;
  }
}

TEST(RuleCoverage, EveryFindingCodeIsInTheRegistry) {
  for (const auto& name : testing::fixture_names()) {
    const FixtureCase fixture = testing::load_fixture(name);
    for (const auto& f : fixture.expected["findings"].GetArray()) {
      EXPECT_NE(find_rule(f["code"].GetString()), nullptr) << f["code"].GetString() << " in " << name;
    }
  }
}

// SC-002: every example of every event type validates with zero findings, on its own.
TEST(CatalogExamples, EveryExampleValidatesCleanly) {
  for (const EventSpec& event : builtin_catalog().events) {
    ASSERT_FALSE(event.examples.empty()) << event.name;
    for (const std::string& example : event.examples) {
      Options internal;
      const Report report = validate(example, internal);
      EXPECT_EQ(report.summary.events, 1u);
      EXPECT_TRUE(report.findings.empty()) << event.name << ": " << ::testing::PrintToString(describe_all(report.findings));
    }
  }
}

TEST(CatalogExamples, UnderThePublicProfileOnlyClearPersonalDataIsReported) {
  Options options;
  options.profile = Profile::Public;
  for (const EventSpec& event : builtin_catalog().events) {
    for (const std::string& example : event.examples) {
      for (const Finding& f : validate(example, options).findings) {
        EXPECT_EQ(f.code, "privacy.pii_in_public") << event.name;
        const FieldSpec* field = event.find_field(f.pointer.substr(std::string("/payload/").size()));
        ASSERT_NE(field, nullptr) << f.pointer;
        EXPECT_EQ(field->privacy, Privacy::Pii);
      }
    }
  }
}

// SC-003: deliberately broken copies of the examples are each caught.
std::string without_member(const std::string& json, const std::string& key, bool in_payload) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  (in_payload ? doc["payload"] : doc).RemoveMember(key.c_str());
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  return buffer.GetString();
}

TEST(CatalogExamples, EveryMissingEnvelopeFieldIsACriticalFinding) {
  for (const EventSpec& event : builtin_catalog().events) {
    const std::string& example = event.examples.front();
    for (const char* field : {"event_name", "event_id", "aggregate_type", "aggregate_id", "occurred_at", "actor", "version", "payload"}) {
      const Report report = validate(without_member(example, field, false));
      bool caught = false;
      for (const Finding& f : report.findings) {
        if (f.code == std::string("envelope.") + field + ".missing" && f.severity == Severity::Critical && f.pointer == std::string("/") + field) caught = true;
      }
      EXPECT_TRUE(caught) << event.name << " without " << field;
    }
  }
}

TEST(CatalogExamples, EveryMissingRequiredPayloadFieldIsACriticalFinding) {
  for (const EventSpec& event : builtin_catalog().events) {
    const std::string& example = event.examples.front();
    for (const FieldSpec& field : event.fields) {
      if (!field.required) continue;
      const Report report = validate(without_member(example, field.name, true));
      bool caught = false;
      for (const Finding& f : report.findings) {
        if (f.code == "payload.required" && f.severity == Severity::Critical && f.pointer == "/payload/" + field.name) caught = true;
      }
      EXPECT_TRUE(caught) << event.name << " without payload." << field.name;
    }
  }
}

TEST(Checklist, ListsEveryRuleOnce) {
  const std::string checklist = checklist_markdown();
  for (const Rule& rule : rule_registry()) {
    const std::string needle = "`" + std::string(rule.code) + "`";
    const size_t first = checklist.find(needle);
    EXPECT_NE(first, std::string::npos) << rule.code;
    EXPECT_EQ(checklist.find(needle, first + 1), std::string::npos) << rule.code << " listed twice";
  }
}

TEST(Rules, CodesAreUniqueAndEscalationsApply) {
  std::set<std::string_view> codes;
  for (const Rule& rule : rule_registry()) EXPECT_TRUE(codes.insert(rule.code).second) << rule.code;
  Options strict;
  strict.strict = true;
  EXPECT_EQ(effective_severity(*find_rule("payload.unknown_field"), Options{}), Severity::Warning);
  EXPECT_EQ(effective_severity(*find_rule("payload.unknown_field"), strict), Severity::Error);
  Options public_profile;
  public_profile.profile = Profile::Public;
  EXPECT_EQ(effective_severity(*find_rule("privacy.contact_data_in_text"), public_profile), Severity::Error);
  rapidjson::Document doc;
  const std::string rules = rules_to_json();
  doc.Parse(rules.data(), rules.size());
  ASSERT_TRUE(doc.IsArray());
  EXPECT_EQ(doc.Size(), rule_registry().size());
}

TEST(Privacy, CredentialValuesAreNeverEchoed) {
  const std::string event = R"({"event_name":"ProviderConfigured","password":"hunter2-very-secret","payload":{"token":"tok_live_abcdef"}})";
  for (const Finding& f : validate(event).findings) {
    EXPECT_EQ(f.message.find("hunter2"), std::string::npos) << f.message;
    EXPECT_EQ(f.message.find("tok_live"), std::string::npos) << f.message;
  }
}

TEST(Robustness, AnObjectWithManyMembersIsCheckedInLinearTime) {
  std::string event = "{\"payload\":{";
  for (int i = 0; i < 200000; ++i) event += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
  event += ",\"k5\":2}}";
  Options options;
  options.max_event_bytes = 8 << 20;
  const Report report = validate(event, options);
  size_t duplicates = 0;
  for (const Finding& f : report.findings) duplicates += f.code == "json.duplicate_key";
  EXPECT_EQ(duplicates, 1u);
}

TEST(Robustness, DeepNestingIsAFindingNotAStackOverflow) {
  const std::string event = std::string(1000000, '[') + std::string(1000000, ']');
  Options options;
  options.max_event_bytes = 4 << 20;
  const Report report = validate(event, options);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].code, "json.too_deep");
  // The outer '[' holds the array of events; the 65th level of the first event opens at column 66.
  EXPECT_EQ(report.findings[0].column, 66u);
}

TEST(Robustness, AnOversizedEventIsSkippedWithoutKeepingIt) {
  std::string input = "{\"note\":\"" + std::string(3 << 20, 'x') + "\"}\n{}\n";
  const Report report = validate(input);
  ASSERT_GE(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].code, "input.event_too_large");
  EXPECT_EQ(report.findings[0].line, 1u);
  EXPECT_EQ(report.summary.events, 2u);
}

TEST(Input, ColumnsCountCharactersNotBytes) {
  // "é" is two bytes in UTF-8 but one column: "x" is the 36th character, the 37th byte.
  const std::string input = "{\"event_name\": \"Ccccé\", \"version\": \"x\"}";
  bool seen = false;
  for (const Finding& f : validate(input).findings) {
    if (f.code == "envelope.version.type") {
      EXPECT_EQ(f.column, 36u);
      seen = true;
    }
  }
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace msgevents
