// The fast path's envelope checks: every envelope rule of the full path (check_event and its
// helpers), decided on the complete event, and the event type looked up when event_name is read.
// Private to the fast path: included by fast_path.cpp alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "envelope_rules.hpp"
#include "fast_path_state.hpp"
#include "text_util.hpp"

namespace msgevents::detail {

inline bool FastPath::Impl::event_name(Kind kind, std::string_view name) {
  if (kind != kString) return false;
  spec = nullptr;
  for (const EventSpec& event : catalog.events) {
    if (same_text(event.name, name)) {
      spec = &event;
      break;
    }
  }
  if (!spec) return false;
  aggregate = aggregate_of[static_cast<size_t>(spec - catalog.events.data())];
  return aggregate != nullptr;
}

// Every envelope rule, on the complete event (the full path's check_event and its helpers).
inline bool FastPath::Impl::envelope_complete() {
  if (!spec || !aggregate || !actor_seen || !payload_seen) return false;
  for (int e = 0; e < kEnvelopeFieldCount; ++e) {
    if (kEnvelopeFields[e].is_string && !string_member(static_cast<Envelope>(e), kEnvelopeFields[e].required)) return false;
  }
  const EventIdCheck id = check_event_id(env(Envelope::EventId).text);
  if (id.kind == IdKind::None || !id.canonical_case) return false;
  if (!same_text(env(Envelope::AggregateType).text, spec->aggregate)) return false;
  const std::string_view aggregate_id = env(Envelope::AggregateId).text;
  if (!identifier_ok(aggregate_id) || looks_like_contact_data(aggregate_id)) return false;
  if (!same_text(aggregate_id, payload_id)) return false;  // consistency.aggregate_id (the payload always has its id field)
  std::string problem;
  const auto ts = parse_rfc3339(env(Envelope::OccurredAt).text, &problem);
  if (!ts || !ts->utc || ts->offset_form) return false;
  if (options.now_unix_ms && ts->unix_ms > *options.now_unix_ms + kFutureToleranceMs) return false;
  occurred_at_ms = ts->unix_ms;
  if (!actor_ok()) return false;
  if (!version_ok()) return false;
  if (env(Envelope::IdempotencyKey).present && !idempotency_key_ok(env(Envelope::IdempotencyKey).text)) return false;
  if (env(Envelope::SchemaVersion).present && !schema_version_ok(env(Envelope::SchemaVersion).text)) return false;
  return true;
}

inline bool FastPath::Impl::actor_ok() const {
  if (!actor_type.present || (!same_text(actor_type.text, "user") && !same_text(actor_type.text, "system"))) return false;
  if (!actor_id.present || !identifier_ok(actor_id.text)) return false;
  return !looks_like_contact_data(actor_id.text);
}

inline bool FastPath::Impl::version_ok() {
  const Scalar& v = env(Envelope::Version);
  if (!v.present || v.kind != kNumber || !is_integer_text(v.text)) return false;
  const std::optional<uint64_t> value = version_value(v.text);
  if (!value || (*value != 1 && creates_only[static_cast<size_t>(spec - catalog.events.data())])) return false;
  version = *value;
  return true;
}

inline bool FastPath::Impl::idempotency_key_ok(std::string_view key) { return idempotency_key_problem(key).empty(); }

inline bool FastPath::Impl::schema_version_ok(std::string_view value) const {
  uint64_t major = 0, minor = 0;
  return parse_schema_version(value, &major, &minor) && major == spec->schema_version.major && minor <= spec->schema_version.minor;
}

}  // namespace msgevents::detail
