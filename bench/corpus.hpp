// A deterministic benchmark corpus: NDJSON events of every catalog type, about 10% broken.
//
// Events are the catalog's examples with fresh ids (event_id, aggregate and idempotency key), so
// each event is its own aggregate's story and the stream checks see realistic key cardinality.
// One broken event in ten carries one of several common mistakes (a syntax error, a missing or
// mistyped field, an unknown event name, a bad id, personal data in an identifier, ...).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "msgevents/catalog.hpp"

namespace msgevents::bench {

class Random {  // xorshift64*: deterministic on every platform
 public:
  explicit Random(uint64_t seed) : state_(seed ? seed : 1) {}
  uint64_t next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 2685821657736338717ULL;
  }
  uint64_t below(uint64_t n) { return next() % n; }

 private:
  uint64_t state_;
};

// Replaces the first occurrence of `from` (after `start`) with `to`; false if absent.
inline bool replace_first(std::string& text, const std::string& from, const std::string& to, size_t start = 0) {
  const size_t at = text.find(from, start);
  if (at == std::string::npos) return false;
  text.replace(at, from.size(), to);
  return true;
}

// The value of a top-level string member in a compact example ("key":"value").
inline std::string member_value(const std::string& event, const std::string& key) {
  const std::string needle = "\"" + key + "\":\"";
  const size_t at = event.find(needle);
  if (at == std::string::npos) return {};
  const size_t start = at + needle.size();
  return event.substr(start, event.find('"', start) - start);
}

inline std::string compact(const std::string& pretty) {
  std::string out;
  bool in_string = false;
  for (size_t i = 0; i < pretty.size(); ++i) {
    const char c = pretty[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\') out.push_back(pretty[++i]);
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
      out.push_back(c);
    } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
      out.push_back(c);
    }
  }
  return out;
}

inline std::string make_corpus(size_t count, uint64_t seed = 42) {
  std::vector<std::string> templates;
  for (const EventSpec& event : builtin_catalog().events) {
    for (const std::string& example : event.examples) templates.push_back(compact(example));
  }
  Random random(seed);
  std::string out;
  out.reserve(count * 460);
  static const char kHex[] = "0123456789abcdef";
  for (size_t n = 0; n < count; ++n) {
    std::string event = templates[n % templates.size()];
    // A fresh UUIDv7-shaped event id and a fresh aggregate id for every event.
    std::string uuid = "00000000-0000-7000-8000-000000000000";
    uint64_t bits = random.next();
    for (char& c : uuid) {
      if (c == '0') {
        c = kHex[bits & 15];
        bits >>= 4;
        if (!bits) bits = random.next();
      }
    }
    replace_first(event, member_value(event, "event_id"), uuid);
    const std::string old_id = member_value(event, "aggregate_id");
    const std::string new_id = old_id.substr(0, 4) + "bench" + std::to_string(n);
    while (replace_first(event, old_id, new_id)) {
    }
    if (random.below(10) == 0) {
      switch (random.below(10)) {
        case 0: replace_first(event, "\"version\":", "\"version\":\"") && replace_first(event, ",\"idempotency_key\"", "\",\"idempotency_key\""); break;
        case 1: replace_first(event, ",\"occurred_at\":", ",\"occurred\":"); break;
        case 2: replace_first(event, "\"event_name\":\"", "\"event_name\":\"X"); break;
        case 3: replace_first(event, uuid, "not-a-uuid"); break;
        case 4: event.pop_back(); break;  // truncated: a syntax error
        case 5: replace_first(event, "Z\"", "+02:00\""); break;
        case 6: replace_first(event, "\"actor\":{\"type\":\"", "\"actor\":{\"type\":\"robot"); break;
        case 7: replace_first(event, "\"payload\":{", "\"payload\":{\"api_key\":\"sk_live_0000\","); break;
        case 8: while (replace_first(event, new_id, "jane.doe@example.com")) {} break;
        default: replace_first(event, "\"payload\":{", "\"payload\":{\"unexpected\":true,"); break;
      }
    }
    out += event;
    out.push_back('\n');
  }
  return out;
}

}  // namespace msgevents::bench
