// The hand-written half of the typed events: ids, times, the envelope and the checks around
// reading. The generated half (build tree, generated/events.cpp) holds one reader and one writer
// per event type.
#include "msgevents/event_support.hpp"

#include <algorithm>
#include <chrono>

#include "event_codec.hpp"
#include "msgevents/report.hpp"

namespace msgevents::events {

int64_t SystemClock::now_unix_ms() const {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count();
}

uint64_t SystemRandom::next_u64() {
  // random_device gives 32 bits a call on the platforms we build for.
  const uint64_t high = device_();
  return (high << 32) ^ device_();
}

std::string new_event_id(int64_t unix_ms, Random& random) {
  const uint64_t ms = static_cast<uint64_t>(std::clamp<int64_t>(unix_ms, 0, (int64_t{1} << 48) - 1));
  const uint64_t rand_a = random.next_u64() & 0xfffu;                 // 12 bits
  const uint64_t rand_b = random.next_u64() & 0x3fffffffffffffffull;  // 62 bits
  // RFC 9562 5.7: unix_ts_ms (48) | ver = 0111 (4) | rand_a (12) | var = 10 (2) | rand_b (62).
  const uint64_t high = (ms << 16) | (uint64_t{7} << 12) | rand_a;
  const uint64_t low = (uint64_t{2} << 62) | rand_b;
  static const char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  auto put = [&](uint64_t word, int first_nibble, int last_nibble) {
    for (int nibble = first_nibble; nibble >= last_nibble; --nibble) text.push_back(kHex[(word >> (nibble * 4)) & 0xf]);
  };
  put(high, 15, 8);
  text.push_back('-');
  put(high, 7, 4);
  text.push_back('-');
  put(high, 3, 0);
  text.push_back('-');
  put(low, 15, 12);
  text.push_back('-');
  put(low, 11, 0);
  return text;
}

std::string format_occurred_at(int64_t unix_ms) {
  // 0000-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z: what four year digits can say.
  constexpr int64_t kFirst = -62167219200000;
  constexpr int64_t kLast = 253402300799999;
  unix_ms = std::clamp(unix_ms, kFirst, kLast);
  return format_rfc3339_ms(unix_ms);  // the report writer's, which prints four year digits
}

}  // namespace msgevents::events

namespace msgevents::detail {

Finding typed_finding(RuleId rule, std::string message, std::string pointer) {
  const Rule& registered = rule_of(rule);
  Finding finding;
  finding.code = std::string(registered.code);
  finding.severity = registered.severity;
  finding.message = std::move(message);
  finding.pointer = std::move(pointer);
  finding.line = 1;
  finding.column = 1;
  return finding;
}

bool validated_document(std::string_view json, const Options& options, rapidjson::Document* doc,
                        std::vector<Finding>* findings) {
  Report report = validate(json, options);
  *findings = std::move(report.findings);
  const Summary& summary = report.summary;
  if (summary.critical > 0 || summary.error > 0 || summary.incomplete()) return false;
  if (summary.events != 1) {
    findings->push_back(typed_finding(MSGEVENTS_RULE("parse.not_one_event"), "expected exactly one event, the input holds " +
                                                        std::to_string(summary.events)));
    return false;
  }
  // The validator accepts a UTF-8 byte order mark; RapidJSON reading from memory does not.
  if (json.substr(0, 3) == "\xEF\xBB\xBF") json.remove_prefix(3);
  doc->Parse(json.data(), json.size());
  if (doc->HasParseError() || !doc->IsObject()) {
    // One event the validator read, but not as the whole input: a JSON array holding it.
    findings->push_back(typed_finding(MSGEVENTS_RULE("parse.not_one_event"), "expected one event object, not a JSON array of one event"));
    return false;
  }
  return true;
}

std::string_view member_string(const rapidjson::Value& object, const char* name) {
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd() || !member->value.IsString()) return {};
  return std::string_view(member->value.GetString(), member->value.GetStringLength());
}

namespace {

// RFC 3339 allows "t" and "z" and the validator accepts "+00:00" (with a warning): the typed event
// holds the one canonical spelling, so equal times compare equal.
std::string canonical_utc(std::string text) {
  if (text.size() > 10 && text[10] == 't') text[10] = 'T';
  if (!text.empty() && text.back() == 'z') text.back() = 'Z';
  if (text.size() > 6 && text.compare(text.size() - 6, 6, "+00:00") == 0) text.replace(text.size() - 6, 6, "Z");
  return text;
}

}  // namespace

bool read_envelope(const rapidjson::Value& event, events::Envelope& out, std::string* where) {
  if (!read_member(event, "event_id", out.event_id, "", where) ||
      !read_member(event, "aggregate_id", out.aggregate_id, "", where) ||
      !read_member(event, "occurred_at", out.occurred_at, "", where) ||
      !read_member(event, "idempotency_key", out.idempotency_key, "", where) ||
      !read_member(event, "schema_version", out.schema_version, "", where)) {
    return false;
  }
  out.occurred_at = canonical_utc(std::move(out.occurred_at));
  const auto actor = event.FindMember("actor");
  if (actor == event.MemberEnd() || !actor->value.IsObject() ||
      !read_member(actor->value, "type", out.actor.type, "/actor", where) ||
      !read_member(actor->value, "id", out.actor.id, "/actor", where)) {
    if (where->empty()) *where = "/actor";
    return false;
  }
  const auto version = event.FindMember("version");
  if (version == event.MemberEnd() || !version->value.IsUint64()) {
    *where = "/version";
    return false;
  }
  out.version = version->value.GetUint64();
  return true;
}

void write_envelope(JsonWriter& out, std::string_view event_name, std::string_view aggregate_type,
                    const events::Envelope& envelope) {
  out.begin_object();
  out.key("event_name").string(event_name);
  write_member(out, "event_id", envelope.event_id);
  out.key("aggregate_type").string(aggregate_type);
  write_member(out, "aggregate_id", envelope.aggregate_id);
  write_member(out, "occurred_at", envelope.occurred_at);
  out.key("actor").begin_object();
  write_member(out, "type", envelope.actor.type);
  write_member(out, "id", envelope.actor.id);
  out.end_object();
  out.key("version").number(envelope.version);
  write_member(out, "idempotency_key", envelope.idempotency_key);
  write_member(out, "schema_version", envelope.schema_version);
}

}  // namespace msgevents::detail
