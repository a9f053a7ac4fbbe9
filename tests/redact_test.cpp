// Redaction: SHA-256 and HMAC-SHA-256 against their published vectors, the round trip (redact,
// then validate under the public profile), byte-for-byte preservation of everything else, streaming,
// and the `msgevents redact` command.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "msgevents/catalog.hpp"
#include "msgevents/redact.hpp"
#include "msgevents/validator.hpp"
#include "sha256.hpp"
#include "test_support.hpp"

namespace msgevents {
namespace {

using testing::read_bytes;
using testing::run_command;
using testing::source_path;

std::string hex(const detail::Sha256Digest& digest) { return detail::to_hex(digest); }

// ---- FIPS 180-4 / RFC 4231 --------------------------------------------------------------------

TEST(Sha256, MatchesTheFips180Vectors) {
  EXPECT_EQ(hex(detail::sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex(detail::sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(detail::sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(hex(detail::sha256("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmn"
                               "opqrsmnopqrstnopqrstu")),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(hex(detail::sha256(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, GivesTheSameDigestWhateverTheUpdates) {
  std::string message;
  for (int i = 0; i < 1000; ++i) message += static_cast<char>(i * 37 + 11);
  const std::string whole = hex(detail::sha256(message));
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    detail::Sha256 h;
    for (size_t at = 0; at < message.size();) {
      const size_t n = std::min<size_t>(rng() % 130, message.size() - at);
      h.update(std::string_view(message).substr(at, n));
      at += n;
    }
    ASSERT_EQ(hex(h.finish()), whole) << "round " << round;
  }
}

TEST(HmacSha256, MatchesTheRfc4231Vectors) {
  const std::string aa131(131, '\xaa');
  std::string key4;
  for (char c = 1; c <= 25; ++c) key4 += c;
  EXPECT_EQ(hex(detail::hmac_sha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hex(detail::hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hex(detail::hmac_sha256(std::string(20, '\xaa'), std::string(50, '\xdd'))),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  EXPECT_EQ(hex(detail::hmac_sha256(key4, std::string(50, '\xcd'))),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  // Test case 5 is the truncated output, 128 bits, which is exactly what a token carries.
  EXPECT_EQ(detail::to_hex(detail::hmac_sha256(std::string(20, '\x0c'), "Test With Truncation"), 16),
            "a3b6167473100ee06e0c796c2955552b");
  EXPECT_EQ(hex(detail::hmac_sha256(aa131, "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(hex(detail::hmac_sha256(aa131, "This is a test using a larger than block-size key and a larger than block-size "
                                           "data. The key needs to be hashed before being used by the HMAC algorithm.")),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

// ---- redaction ---------------------------------------------------------------------------------

const std::string kKey = "test-key";

// The redacted text alone, for the cases where nothing is withheld.
std::string redacted(std::string_view input, std::string_view key, const RedactOptions& options = {}) {
  RedactResult result = redact(input, key, options);
  EXPECT_TRUE(result.findings.empty()) << result.findings.front().message;
  return result.text;
}

TEST(Redaction, TokenIsTheFirst128BitsOfTheHmac) {
  EXPECT_EQ(redaction_token("+442079460123", kKey), "redacted:42bb6d7f973096e678835da668cae929");
  EXPECT_EQ(redaction_token("Alex Example", kKey), "redacted:2988912cc271432876e2664bdeab5270");
  EXPECT_NE(redaction_token("+442079460123", "another key"), redaction_token("+442079460123", kKey));
  EXPECT_NE(redaction_token("+442079460124", kKey), redaction_token("+442079460123", kKey));
}

// Every pii value of the catalog's examples, as it appears in the example.
std::vector<std::string> pii_values() {
  std::vector<std::string> values;
  const std::regex member("\"(display_name|address)\": \"([^\"]*)\"");
  for (const EventSpec& spec : builtin_catalog().events) {
    for (const std::string& example : spec.examples) {
      for (std::sregex_iterator it(example.begin(), example.end(), member), end; it != end; ++it) {
        const FieldSpec* field = spec.find_field((*it)[1].str());
        if (field && field->privacy == Privacy::Pii) values.push_back((*it)[2].str());
      }
    }
  }
  return values;
}

std::string all_examples_as_array() {
  std::string out = "[\n";
  bool first = true;
  for (const EventSpec& spec : builtin_catalog().events) {
    for (const std::string& example : spec.examples) {
      out += (first ? "" : ",\n") + example;
      first = false;
    }
  }
  return out + "\n]\n";
}

size_t count_privacy_findings(const Report& report) {
  size_t n = 0;
  for (const Finding& f : report.findings) n += f.code.rfind("privacy.", 0) == 0;
  return n;
}

// What is left of a text when every token and every original pii value are taken out.
std::string without(std::string text, const std::vector<std::string>& values) {
  text = std::regex_replace(text, std::regex("\"redacted:[0-9a-f]{32}\""), "\"\"");
  for (const std::string& value : values) {
    const std::string quoted = "\"" + value + "\"";
    for (size_t at = text.find(quoted); at != std::string::npos; at = text.find(quoted, at)) text.replace(at, quoted.size(), "\"\"");
  }
  return text;
}

TEST(Redaction, CatalogExamplesValidateCleanUnderPublicAfterRedaction) {
  const std::vector<std::string> values = pii_values();
  ASSERT_GE(values.size(), 3u);  // display_name twice, address at least once
  const std::string input = all_examples_as_array();
  Options public_profile;
  public_profile.profile = Profile::Public;
  ASSERT_GT(count_privacy_findings(validate(input, public_profile)), 0u);  // the examples carry pii in clear

  const std::string output = redacted(input, kKey);
  // The examples are independent events, not one stream: judge each on its own.
  public_profile.stream_checks = false;
  const Report report = validate(output, public_profile);
  EXPECT_EQ(count_privacy_findings(report), 0u);
  EXPECT_EQ(report.summary.critical + report.summary.error + report.summary.warning + report.summary.info, 0u);
  for (const std::string& value : values) {
    EXPECT_EQ(output.find(value), std::string::npos) << value << " survived redaction";
    EXPECT_NE(output.find(redaction_token(value, kKey)), std::string::npos) << value;
  }
  // Everything else, byte for byte.
  EXPECT_EQ(without(output, values), without(input, values));
  EXPECT_NE(output, input);
}

TEST(Redaction, EachExampleAloneAndAsNdjsonKeepsItsForm) {
  const std::vector<std::string> values = pii_values();
  Options public_profile;
  public_profile.profile = Profile::Public;
  std::string ndjson;
  for (const EventSpec& spec : builtin_catalog().events) {
    for (const std::string& example : spec.examples) {
      const std::string output = redacted(example, kKey);
      EXPECT_EQ(count_privacy_findings(validate(output, public_profile)), 0u) << spec.name;
      EXPECT_EQ(without(output, values), without(example, values)) << spec.name;
      std::string line;
      for (char c : example) {
        if (c != '\n') line += c;
      }
      ndjson += line + "\r\n";
    }
  }
  const std::string output = redacted(ndjson, kKey);
  EXPECT_EQ(count_privacy_findings(validate(output, public_profile)), 0u);
  EXPECT_EQ(without(output, values), without(ndjson, values));
  for (const std::string& value : values) EXPECT_EQ(output.find(value), std::string::npos) << value;
}

std::string channel_event(const std::string& address_json, const std::string& kind = "phone") {
  return "{\"event_name\": \"ChannelMapped\", \"event_id\": \"019a5378-2b21-7f1b-93aa-3650d1a04f7f\", "
         "\"aggregate_type\": \"Channel\", \"aggregate_id\": \"chn_01JC40N3Q5S7V9X1Z3B5D7F9HK\", "
         "\"occurred_at\": \"2025-11-05T10:02:55.649Z\", \"actor\": {\"type\": \"user\", \"id\": \"usr_01\"}, "
         "\"version\": 1, \"payload\": {\"channel_id\": \"chn_01JC40N3Q5S7V9X1Z3B5D7F9HK\", \"customer_id\": \"cus_01\", "
         "\"kind\": \"" + kind + "\", \"address\": " + address_json + ", \"normalized\": true, \"provider_id\": \"prv_01\", "
         "\"action\": \"mapped\"}}";
}

TEST(Redaction, SameValueSameTokenWhateverItsEscapes) {
  // "\u002B44..." is the same string as "+44...": the token is of the value, not of its spelling.
  const std::string plain = redacted(channel_event("\"+442079460123\""), kKey);
  const std::string escaped = redacted(channel_event("\"\\u002B442079460123\""), kKey);
  EXPECT_EQ(plain, escaped);
  EXPECT_NE(plain.find("\"address\": \"redacted:42bb6d7f973096e678835da668cae929\""), std::string::npos) << plain;
  const std::string other_key = redacted(channel_event("\"+442079460123\""), "another key");
  EXPECT_EQ(other_key.find("42bb6d7f973096e678835da668cae929"), std::string::npos);
  EXPECT_EQ(other_key.size(), plain.size());
}

TEST(Redaction, LeavesTokensAlone) {
  const std::string already = channel_event("\"redacted:0123456789abcdef0123456789abcdef\"");
  EXPECT_EQ(redacted(already, kKey), already);
}

// ---- failing closed: what cannot be read is withheld --------------------------------------------

// A pii value no output may ever show, and the good events around each withheld one.
const std::string kSecretPhone = "+447700900461";
const std::string kGoodBefore = channel_event("\"+442079460123\"");
const std::string kGoodAfter = channel_event("\"+442079460999\"");

std::string expected_line(const std::string& event, const RedactOptions& options = {}) { return redacted(event, kKey, options); }

struct UnreadableCase {
  const char* name;
  std::string event;     // on one line, between the two good events
  const char* because;   // a part of the finding's message
};

std::vector<UnreadableCase> unreadable_cases() {
  const std::string event = channel_event("\"" + kSecretPhone + "\"");
  std::string deep = "{\"event_name\": \"ChannelMapped\", \"address\": \"" + kSecretPhone + "\", \"payload\": ";
  for (int i = 0; i < 70; ++i) deep += "[";
  for (int i = 0; i < 70; ++i) deep += "]";
  deep += "}";
  std::string with_nul = event;
  with_nul.insert(with_nul.find("\"normalized\""), std::string("\0", 1));
  std::string latin1 = event;
  latin1.insert(latin1.find("\"normalized\""), "\"note\": \"caf\xE9\", ");
  return {
      {"syntax", event.substr(0, event.size() - 1), "it cannot be read (json.syntax at line 2, column "},
      {"invalid_utf8", latin1, "it cannot be read (json.invalid_utf8 at line 2, column "},
      {"nul_byte", with_nul, "it cannot be read (json.nul_byte at line 2, column "},
      {"too_deep", deep, "it cannot be read (json.too_deep at line 2, column "},
      {"too_large", "{\"padding\": \"" + std::string(2000, 'x') + "\", \"address\": \"" + kSecretPhone + "\"}",
       "bytes are more than the limit of 1500 bytes, so it was not read"},
      {"not_object", "[" + event + "]", "it is an array, not a JSON object"},
      {"duplicate_payload", event.substr(0, event.size() - 1) + ", \"payload\": {\"normalized\": true}}",
       "it has payload twice at the top level"},
      {"duplicate_event_name",
       "{\"event_name\": \"CustomerCreated\", " + event.substr(1),
       "it has event_name twice at the top level"},
      {"unknown_type", "{\"event_name\": \"ChannelMappedV2\", \"payload\": {\"address\": \"" + kSecretPhone + "\"}}",
       "its event_name is no event type of the catalog, so which of its fields hold personal data is unknown"},
      {"no_event_name", "{\"payload\": {\"address\": \"" + kSecretPhone + "\"}}", "its event_name is missing"},
      {"event_name_not_string", "{\"event_name\": [\"ChannelMapped\"], \"payload\": {\"address\": \"" + kSecretPhone + "\"}}",
       "its event_name is not a string"},
      {"payload_not_object", "{\"event_name\": \"ChannelMapped\", \"payload\": [{\"address\": \"" + kSecretPhone + "\"}]}",
       "its payload is not an object"},
  };
}

TEST(RedactionFailsClosed, WithholdsEachUnreadableEventAndRedactsTheOthers) {
  RedactOptions options;
  options.max_event_bytes = 1500;
  for (const UnreadableCase& c : unreadable_cases()) {
    SCOPED_TRACE(c.name);
    // Indented, so the column shows. The indent is kept for an event too large as well (the
    // framer counts it as the line streams in), so the output does not depend on the chunking.
    const std::string input = kGoodBefore + "\n  " + c.event + "\n" + kGoodAfter + "\n";
    const RedactResult result = redact(input, kKey, options);
    // Byte for byte: the good events redacted, the bad one replaced by the placeholder alone.
    EXPECT_EQ(result.text, expected_line(kGoodBefore, options) + "\n  " + std::string(kWithheldPlaceholder) + "\n" +
                               expected_line(kGoodAfter, options) + "\n");
    EXPECT_EQ(result.text.find(kSecretPhone), std::string::npos);
    EXPECT_EQ(result.text.find("ChannelMappedV2"), std::string::npos);
    EXPECT_EQ(result.events_withheld, 1u);
    EXPECT_EQ(result.values_redacted, 2u);
    ASSERT_EQ(result.findings.size(), 1u);
    const Finding& f = result.findings[0];
    EXPECT_EQ(f.code, "redact.withheld");
    EXPECT_EQ(f.severity, Severity::Error);
    EXPECT_EQ(f.line, 2u);
    EXPECT_EQ(f.column, 3u);
    EXPECT_EQ(f.event_index, 1);
    EXPECT_EQ(f.pointer, "");
    EXPECT_NE(f.message.find(c.because), std::string::npos) << f.message;
    EXPECT_EQ(f.message.rfind("event withheld: ", 0), 0u) << f.message;
    EXPECT_NE(f.message.find("none of its bytes are written"), std::string::npos) << f.message;
    EXPECT_EQ(f.message.find(kSecretPhone), std::string::npos) << "the finding echoes the event";
    EXPECT_EQ(f.message.find("xxxx"), std::string::npos) << "the finding echoes the event";
  }
}

TEST(RedactionFailsClosed, TheFindingsIndexIsTheValidatorsAndTheOutputKeepsItsLines) {
  // A pretty-printed array: the withheld event spans lines, and its line breaks stay, so every
  // later line of the output is the same line of the input.
  const std::string bad = "{\n  \"event_name\": \"ChannelMapped\",\n  \"payload\": {\"address\": \"" + kSecretPhone + "\",}\n}";
  const std::string input = "[\n" + kGoodBefore + ",\n" + bad + ",\n" + kGoodAfter + "\n]\n";
  const RedactResult result = redact(input, kKey);
  EXPECT_EQ(result.text, "[\n" + expected_line(kGoodBefore) + ",\n" + std::string(kWithheldPlaceholder) + "\n\n\n,\n" +
                             expected_line(kGoodAfter) + "\n]\n");
  ASSERT_EQ(result.findings.size(), 1u);
  const Report report = validate(input);
  const Finding* syntax = nullptr;
  for (const Finding& f : report.findings) {
    if (f.code == "json.syntax") syntax = &f;
  }
  ASSERT_NE(syntax, nullptr);
  EXPECT_EQ(result.findings[0].event_index, syntax->event_index);
  EXPECT_EQ(result.findings[0].event_index, 1);
  EXPECT_EQ(result.findings[0].line, 3u);
  EXPECT_EQ(result.findings[0].column, 1u);
  // Where the parser stopped, as the validator says it.
  EXPECT_NE(result.findings[0].message.find("json.syntax at line " + std::to_string(syntax->line) + ", column " +
                                            std::to_string(syntax->column) + ": " + syntax->message),
            std::string::npos)
      << result.findings[0].message;
  // The output is still one well-formed array of as many values: the placeholder is no event.
  const Report after = validate(result.text);
  EXPECT_EQ(after.summary.events, 3u);
  size_t not_object = 0;
  for (const Finding& f : after.findings) {
    if (f.code == "event.not_object") {
      ++not_object;
      EXPECT_EQ(f.event_index, 1);
    }
    EXPECT_NE(f.code, "json.syntax");
  }
  EXPECT_EQ(not_object, 1u);
}

TEST(RedactionFailsClosed, ContentOutsideEventsIsWithheld) {
  // After the end of the array, and after the first event on an NDJSON line: the framer reads no
  // event there, so nothing would redact it.
  const std::string trailing = "{\"event_name\": \"ChannelMapped\", \"payload\": {\"address\": \"" + kSecretPhone + "\"}}";
  const RedactResult after_array = redact("[" + kGoodBefore + "]\n" + trailing + "\n", kKey);
  EXPECT_EQ(after_array.text, "[" + expected_line(kGoodBefore) + "]\n\n");
  ASSERT_EQ(after_array.findings.size(), 1u);
  EXPECT_EQ(after_array.findings[0].code, "redact.withheld");
  EXPECT_EQ(after_array.findings[0].event_index, -1);
  EXPECT_EQ(after_array.findings[0].line, 2u);
  EXPECT_EQ(after_array.findings[0].column, 1u);
  EXPECT_EQ(after_array.events_withheld, 0u);

  const RedactResult same_line = redact(kGoodBefore + " " + trailing + "\n" + kGoodAfter + "\n", kKey);
  EXPECT_EQ(same_line.text, expected_line(kGoodBefore) + " \n" + expected_line(kGoodAfter) + "\n");
  ASSERT_EQ(same_line.findings.size(), 1u);
  EXPECT_EQ(same_line.findings[0].line, 1u);
  EXPECT_EQ(same_line.findings[0].column, kGoodBefore.size() + 2);
  EXPECT_EQ(same_line.text.find(kSecretPhone), std::string::npos);
}

TEST(RedactionFailsClosed, TheInternalProfileWithholdsOnlyWhatItCannotRead) {
  RedactOptions internal;
  internal.profile = Profile::Internal;
  // Credentials go by name wherever they are: an unknown type needs no classification.
  const std::string unknown = "{\"event_name\": \"ChannelMappedV2\", \"payload\": {\"password\": \"hunter2\"}}";
  const RedactResult placed = redact(unknown, kKey, internal);
  EXPECT_TRUE(placed.findings.empty());
  EXPECT_EQ(placed.text.find("hunter2"), std::string::npos);
  EXPECT_NE(placed.text.find("ChannelMappedV2"), std::string::npos);
  const RedactResult broken = redact("{\"password\": \"hunter2\",}", kKey, internal);
  EXPECT_EQ(broken.text, kWithheldPlaceholder);
  ASSERT_EQ(broken.findings.size(), 1u);
  EXPECT_EQ(broken.findings[0].event_index, 0);
}

// Found by the redact fuzzer: in a sequence of values, an event too large that opens with `[` (a
// byte that between events is a separator, copied) used to have that byte written when the input
// came in small chunks (it was dealt with before the framer had reached the event's end) and not
// when it came whole. Now the bytes of the event the framer is in are never copied, only their
// line breaks, whatever the chunking.
TEST(RedactionFailsClosed, AnEventTooLargeThatOpensLikeASeparatorWritesTheSameWhateverTheChunks) {
  RedactOptions options;
  options.max_event_bytes = 600;
  const std::string big = "[\n  {\"address\": \"" + kSecretPhone + "\", \"padding\": \"" + std::string(1500, 'x') + "\"}\n]";
  const std::string input = "1\t\x02" + big + " " + kGoodBefore + "\n";
  const RedactResult whole = redact(input, kKey, options);
  const std::string placeholder(kWithheldPlaceholder);
  EXPECT_EQ(whole.text, placeholder + "\t" + placeholder + "\n\n" + placeholder + " " + expected_line(kGoodBefore, options) + "\n");
  EXPECT_EQ(whole.events_withheld, 3u);
  for (const size_t chunk : {1, 2, 7, 33, 599, 601, 2000}) {
    Redactor redactor(kKey, options);
    std::string out;
    for (size_t at = 0; at < input.size(); at += chunk) out += redactor.push(std::string_view(input).substr(at, chunk));
    out += redactor.finish();
    EXPECT_EQ(out, whole.text) << "chunks of " << chunk;
    EXPECT_EQ(redactor.events_withheld(), 3u) << "chunks of " << chunk;
  }
}

TEST(RedactionFailsClosed, StreamingWithholdsTheSameWhateverTheChunks) {
  RedactOptions options;
  options.max_event_bytes = 600;
  // A byte order mark, an event too large (its bytes must not flow out while it is read), a broken
  // one, content after a line's event, good events between.
  const std::string big = "{\"address\": \"" + kSecretPhone + "\", \"padding\": \"" + std::string(3000, 'x') + "\"}";
  const std::string input = "\xEF\xBB\xBF" + kGoodBefore + " {\"n\": \"" + kSecretPhone + "\"}\n" + big + "\n" + kGoodAfter +
                            "\n{\"address\": \"" + kSecretPhone + "\"\n" + kGoodBefore + "\n";
  const RedactResult whole = redact(input, kKey, options);
  const std::string placeholder(kWithheldPlaceholder);
  EXPECT_EQ(whole.text, "\xEF\xBB\xBF" + expected_line(kGoodBefore) + " \n" + placeholder + "\n" + expected_line(kGoodAfter) +
                            "\n" + placeholder + "\n" + expected_line(kGoodBefore) + "\n");
  ASSERT_EQ(whole.findings.size(), 3u);
  EXPECT_EQ(whole.findings[0].line, 1u);
  EXPECT_EQ(whole.findings[0].column, kGoodBefore.size() + 2);  // the byte order mark is no column
  EXPECT_EQ(whole.findings[0].event_index, -1);
  EXPECT_EQ(whole.findings[1].line, 2u);
  EXPECT_EQ(whole.findings[1].event_index, 1);
  EXPECT_EQ(whole.findings[2].line, 4u);
  EXPECT_EQ(whole.findings[2].event_index, 3);
  for (int seed = 0; seed < 30; ++seed) {
    std::mt19937 rng(static_cast<uint32_t>(seed));
    const size_t max_chunk = seed % 3 == 0 ? 1 : seed % 3 == 1 ? 9 : 700;
    Redactor redactor(kKey, options);
    std::string out;
    std::vector<Finding> findings;
    for (size_t at = 0; at < input.size();) {
      const size_t n = std::min<size_t>(1 + rng() % max_chunk, input.size() - at);
      out += redactor.push(std::string_view(input).substr(at, n));
      at += n;
      ASSERT_EQ(out.find('x'), std::string::npos) << "bytes of the event too large flowed out, seed " << seed;
      for (Finding& f : redactor.drain()) findings.push_back(std::move(f));
    }
    out += redactor.finish();
    for (Finding& f : redactor.drain()) findings.push_back(std::move(f));
    ASSERT_EQ(out, whole.text) << "seed " << seed;
    ASSERT_EQ(findings.size(), whole.findings.size()) << "seed " << seed;
    for (size_t i = 0; i < findings.size(); ++i) {
      EXPECT_EQ(findings[i].message, whole.findings[i].message) << "seed " << seed;
      EXPECT_EQ(findings[i].line, whole.findings[i].line) << "seed " << seed;
      EXPECT_EQ(findings[i].column, whole.findings[i].column) << "seed " << seed;
    }
    EXPECT_EQ(redactor.events_withheld(), 2u);
  }
}

TEST(Redaction, CredentialsGoInEveryProfileAndFreeTextWithContactDataInPublic) {
  const std::string event =
      "{\"event_name\": \"ConversationCreated\", \"payload\": {\"topic\": \"Call me on +44 20 7946 0123\", "
      "\"status\": \"open\", \"extra\": {\"Client-Secret\": \"s3cr3t-value\"}}}";
  RedactOptions internal;
  internal.profile = Profile::Internal;
  const std::string in_internal = redacted(event, kKey, internal);
  EXPECT_EQ(in_internal.find("s3cr3t-value"), std::string::npos);
  EXPECT_NE(in_internal.find("Call me on"), std::string::npos);  // the internal profile allows it
  const std::string in_public = redacted(event, kKey);
  EXPECT_EQ(in_public.find("s3cr3t-value"), std::string::npos);
  EXPECT_EQ(in_public.find("7946"), std::string::npos);
  EXPECT_NE(in_public.find("\"topic\": \"redacted:"), std::string::npos) << in_public;
  EXPECT_NE(in_public.find("\"status\": \"open\""), std::string::npos);

  // Under the internal profile pii stays: that profile allows it.
  const std::string channel = channel_event("\"+442079460123\"");
  EXPECT_EQ(redacted(channel, kKey, internal), channel);
}

TEST(Redaction, StreamingGivesTheSameBytesWhateverTheChunks) {
  std::string input = all_examples_as_array();
  // Multi-byte characters inside a pii value and around it, so that chunks cut them.
  const std::string needle = "\"Alex Example\"";
  input.replace(input.find(needle), needle.size(), "\"Zoë Ünal 山田 🙂\"");
  const std::string whole = redacted(input, kKey);
  ASSERT_EQ(whole.find("山田"), std::string::npos);
  for (int seed = 0; seed < 40; ++seed) {
    std::mt19937 rng(static_cast<uint32_t>(seed));
    const size_t max_chunk = seed % 3 == 0 ? 1 : seed % 3 == 1 ? 9 : 3000;
    Redactor redactor(kKey);
    std::string out;
    for (size_t at = 0; at < input.size();) {
      const size_t n = std::min<size_t>(1 + rng() % max_chunk, input.size() - at);
      out += redactor.push(std::string_view(input).substr(at, n));
      at += n;
    }
    out += redactor.finish();
    ASSERT_EQ(out, whole) << "seed " << seed;
    EXPECT_GT(redactor.values_redacted(), 0u);
  }
}

// ---- the command line ---------------------------------------------------------------------------

std::string temp_file(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + "msgevents_redact_" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

const std::string kCli = MSGEVENTS_CLI_PATH;

TEST(RedactCommand, WritesTheRedactedEventsWithTheKeyFromAFile) {
  const std::string input = all_examples_as_array();
  const std::string events = temp_file("events.json", input);
  const std::string key = temp_file("key", "  test-key\n");  // surrounding whitespace is not part of the key
  const auto result = run_command(kCli + " redact --key-file " + key + " " + events + " 2>/dev/null");
  EXPECT_EQ(result.status, 0);
  EXPECT_EQ(result.out, redacted(input, kKey));

  const auto from_stdin = run_command(kCli + " redact --key-file " + key + " - < " + events + " 2>/dev/null");
  EXPECT_EQ(from_stdin.status, 0);
  EXPECT_EQ(from_stdin.out, result.out);

  const auto internal = run_command(kCli + " redact --profile internal --key-file " + key + " " + events + " 2>/dev/null");
  EXPECT_EQ(internal.status, 0);
  EXPECT_EQ(internal.out, input);  // the examples hold no credential
}

TEST(RedactCommand, WithoutAKeyFileUsesARandomKeyPerRun) {
  const std::string events = temp_file("channel.json", channel_event("\"+442079460123\""));
  const auto first = run_command(kCli + " redact " + events + " 2>/dev/null");
  const auto second = run_command(kCli + " redact " + events + " 2>/dev/null");
  EXPECT_EQ(first.status, 0);
  EXPECT_EQ(second.status, 0);
  EXPECT_EQ(first.out.find("+442079460123"), std::string::npos);
  EXPECT_NE(first.out.find("\"address\": \"redacted:"), std::string::npos) << first.out;
  EXPECT_NE(first.out, second.out);
  const auto said = run_command(kCli + " redact " + events + " 2>&1 >/dev/null");
  EXPECT_NE(said.out.find("random key"), std::string::npos) << said.out;
}

TEST(RedactCommand, WithheldEventsAreReportedOnStderrAndExitWithStatus1) {
  const std::string broken = "{\"event_name\": \"ChannelMapped\", \"payload\": {\"address\": \"" + kSecretPhone + "\",}}";
  const std::string input = kGoodBefore + "\n" + broken + "\n";
  const std::string events = temp_file("broken.ndjson", input);
  const std::string key = temp_file("key2", "test-key");
  const auto out = run_command(kCli + " redact --key-file " + key + " " + events + " 2>/dev/null");
  EXPECT_EQ(out.status, 1);
  EXPECT_EQ(out.out, expected_line(kGoodBefore) + "\n" + std::string(kWithheldPlaceholder) + "\n");
  const auto err = run_command(kCli + " redact --key-file " + key + " - < " + events + " 2>&1 >/dev/null");
  EXPECT_EQ(err.status, 1);
  const RedactResult result = redact(input, kKey);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(err.out, "<stdin>:2:1: error redact.withheld " + result.findings[0].message + "\n");
  EXPECT_EQ(err.out.find(kSecretPhone), std::string::npos);
}

TEST(RedactCommand, AnOutputItCannotWriteExitsWithStatus2) {
  const std::string events = temp_file("full.json", kGoodBefore);
  const auto full = run_command(kCli + " redact " + events + " 2>&1 >/dev/full");
  EXPECT_EQ(full.status, 2);
  EXPECT_NE(full.out.find("msgevents: cannot write output: "), std::string::npos) << full.out;
  const auto validate_full = run_command(kCli + " validate " + events + " 2>&1 >/dev/full");
  EXPECT_EQ(validate_full.status, 2);
  EXPECT_EQ(validate_full.out, "msgevents: cannot write output: No space left on device\n");
}

TEST(RedactCommand, UsageAndInputErrorsExitWithStatus2) {
  const std::string events = temp_file("one.json", channel_event("\"+442079460123\""));
  const std::string empty_key = temp_file("empty_key", " \n");
  EXPECT_EQ(run_command(kCli + " redact 2>/dev/null").status, 2);
  EXPECT_EQ(run_command(kCli + " redact /nonexistent/events.json 2>/dev/null").status, 2);
  EXPECT_EQ(run_command(kCli + " redact --key-file /nonexistent/key " + events + " 2>/dev/null").status, 2);
  EXPECT_EQ(run_command(kCli + " redact --key-file " + empty_key + " " + events + " 2>/dev/null").status, 2);
  EXPECT_EQ(run_command(kCli + " redact --key-file 2>/dev/null").status, 2);
  EXPECT_EQ(run_command(kCli + " redact --profile secret " + events + " 2>/dev/null").status, 2);
  EXPECT_EQ(run_command(kCli + " redact --frobnicate " + events + " 2>/dev/null").status, 2);
  EXPECT_EQ(run_command(kCli + " redact " + events + " " + events + " 2>/dev/null").status, 2);
  const auto help = run_command(kCli + " redact --help");
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("HMAC-SHA-256"), std::string::npos);
}

}  // namespace
}  // namespace msgevents
