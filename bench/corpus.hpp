// Deterministic benchmark corpora of NDJSON events of every catalog type.
//
// make_corpus (the "10% broken" corpus): the catalog's examples with fresh ids (event_id,
// aggregate and idempotency key), so each event is its own aggregate's story and the stream
// checks see realistic key cardinality. One broken event in ten carries one of several common
// mistakes (a syntax error, a missing or mistyped field, an unknown event name, a bad id, personal
// data in an identifier, ...).
//
// make_clean_corpus (the "clean" corpus): realistic streams. Aggregates are created and live
// through several lifecycle events each (a random walk of the catalog's state machines, versions
// 1, 2, 3, ... and times moving forward), interleaved across a few hundred live aggregates; every
// event has a unique event_id and idempotency_key, and one event in 200 is a verbatim redelivery
// of a recent one. It validates with no finding but stream.duplicate (info).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/writer.h>

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

inline std::string make_clean_corpus(size_t count, uint64_t seed = 7) {
  const Catalog& catalog = builtin_catalog();
  Random random(seed);
  std::vector<rapidjson::Document> templates(catalog.events.size());
  for (size_t e = 0; e < catalog.events.size(); ++e) {
    const std::string& example = catalog.events[e].examples.at(0);
    templates[e].Parse(example.data(), example.size());  // by length: RapidJSON's SIMD scan stays in bounds
  }
  auto event_index = [&](const std::string& name) {
    for (size_t e = 0; e < catalog.events.size(); ++e) {
      if (catalog.events[e].name == name) return e;
    }
    return size_t{0};
  };
  struct Live {
    size_t aggregate;
    std::string id;
    std::string state;
    uint64_t version;
  };
  std::vector<Live> live;
  std::vector<std::string> recent;  // the last lines written, for redeliveries
  std::string out;
  out.reserve(count * 460);
  static const char kHex[] = "0123456789abcdef";
  uint64_t serial = 0;
  const int64_t start_ms = 1780272000000;  // 2026-06-01T00:00:00Z; 100,000 events span about a day
  for (size_t n = 0; n < count;) {
    if (!recent.empty() && random.below(200) == 0) {
      out += recent[random.below(recent.size())];
      ++n;
      continue;
    }
    const bool create = live.size() < 300 || random.below(8) == 0;
    size_t pick = 0;
    if (create) {
      const size_t a = random.below(catalog.aggregates.size());
      live.push_back({a, catalog.aggregates[a].id_field.substr(0, 3) + "_" + std::to_string(++serial), "", 0});
      pick = live.size() - 1;
    } else {
      pick = random.below(live.size());
    }
    Live& agg = live[pick];
    const AggregateSpec& spec = catalog.aggregates[agg.aggregate];
    std::vector<const Transition*> next;
    for (const Transition& t : spec.transitions) {
      if (t.from == agg.state) next.push_back(&t);
    }
    if (next.empty()) {  // a final state: this aggregate's story is over
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(pick));
      continue;
    }
    const Transition& t = *next[random.below(next.size())];
    agg.state = t.to;
    ++agg.version;
    rapidjson::Document doc;
    doc.CopyFrom(templates[event_index(t.event)], doc.GetAllocator());
    auto set = [&doc](rapidjson::Value& target, const std::string& text) {
      target.SetString(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), doc.GetAllocator());
    };
    const int64_t ms = start_ms + static_cast<int64_t>(n) * 900 + static_cast<int64_t>(random.below(900));
    std::string uuid = "00000000-0000-7000-8000-000000000000";  // UUIDv7: the time, then random bits
    char stamp[13];
    std::snprintf(stamp, sizeof stamp, "%012llx", static_cast<unsigned long long>(ms));
    uuid.replace(0, 8, stamp, 8);
    uuid.replace(9, 4, stamp + 8, 4);
    uint64_t bits = random.next();
    for (size_t i = 15; i < uuid.size(); ++i) {
      if (uuid[i] == '-' || i == 19) continue;
      uuid[i] = kHex[bits & 15];
      bits = (bits >> 4) ? bits >> 4 : random.next();
    }
    set(doc["event_id"], uuid);
    set(doc["aggregate_id"], agg.id);
    set(doc["payload"][spec.id_field.c_str()], agg.id);
    doc["version"].SetUint64(agg.version);
    set(doc["idempotency_key"], agg.id + ":" + std::to_string(agg.version));
    const int64_t seconds = ms / 1000;
    const int64_t days = seconds / 86400;  // civil date from days since 1970 (Howard Hinnant)
    const int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
    char when[32];
    std::snprintf(when, sizeof when, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(y), static_cast<long long>(m),
                  static_cast<long long>(d), static_cast<long long>(seconds / 3600 % 24), static_cast<long long>(seconds / 60 % 60),
                  static_cast<long long>(seconds % 60), static_cast<long long>(ms % 1000));
    set(doc["occurred_at"], when);
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    doc.Accept(writer);
    std::string line(buffer.GetString(), buffer.GetSize());
    line.push_back('\n');
    out += line;
    if (recent.size() < 64) recent.push_back(line);
    else recent[random.below(recent.size())] = line;
    ++n;
  }
  return out;
}

}  // namespace msgevents::bench
