// The fast path's envelope checks: every envelope rule of the full path (check_event and its
// helpers), decided on the complete event (the findings, when it has some, are made in
// fast_path_findings.cpp), and the event type looked up when event_name is read.
// Private to the fast path: included by fast_path.cpp and fast_path_findings.cpp alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "byte_scan.hpp"
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
  if (!spec) {
    // envelope.event_name.unknown: its payload is then only looked at for credentials, as the
    // full path does.
    unknown_name = true;
    return true;
  }
  aggregate = aggregate_of[static_cast<size_t>(spec - catalog.events.data())];
  return aggregate != nullptr;
}

// Byte by byte against the two constants: std::string_view's == calls memcmp in WebAssembly,
// and same_text() was not inlined here natively.
inline bool is_actor_kind(std::string_view t) {
  if (t.size() == 4) return t[0] == 'u' && t[1] == 's' && t[2] == 'e' && t[3] == 'r';
  return t.size() == 6 && t[0] == 's' && t[1] == 'y' && t[2] == 's' && t[3] == 't' && t[4] == 'e' && t[5] == 'm';
}

// Every envelope rule, on the complete event (the full path's check_event and its helpers).
inline bool FastPath::Impl::envelope_complete() {
  if (others.empty() && !unknown_name && contact_identifiers.empty() && envelope_clean()) return true;
  return envelope_findings();
}

// Nothing to report (the fast path's only question before it made findings): the checks of the
// envelope_findings() path, without the bookkeeping a finding needs.
__attribute__((noinline)) inline bool FastPath::Impl::envelope_clean() {
  if (!spec || !actor_seen || !payload_seen) return false;
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
  if (!actor_type.present || actor_type.kind != kString || !is_actor_kind(actor_type.text)) return false;
  if (!actor_id.present || actor_id.kind != kString || !identifier_ok(actor_id.text) || looks_like_contact_data(actor_id.text)) return false;
  const Scalar& v = env(Envelope::Version);
  if (!v.present || v.kind != kNumber || !is_integer_text(v.text)) return false;
  const std::optional<uint64_t> value = version_value(v.text);
  if (!value || (*value != 1 && creates_only[static_cast<size_t>(spec - catalog.events.data())])) return false;
  if (env(Envelope::IdempotencyKey).present && !idempotency_key_ok(env(Envelope::IdempotencyKey).text)) return false;
  if (env(Envelope::SchemaVersion).present && !schema_version_ok(env(Envelope::SchemaVersion).text)) return false;
  occurred_at_ms = ts->unix_ms;
  version = *value;
  event_id_valid = aggregate_id_valid = true;
  return true;
}

inline bool FastPath::Impl::schema_version_ok(std::string_view value) const {
  uint64_t major = 0, minor = 0;
  if (!parse_schema_version(value, &major, &minor)) return false;
  return !spec || (major == spec->schema_version.major && minor <= spec->schema_version.minor);  // an unknown type: the format only
}

}  // namespace msgevents::detail
