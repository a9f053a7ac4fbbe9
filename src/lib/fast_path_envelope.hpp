// The fast path's envelope checks: every envelope rule of the full path (check_event and its
// helpers), decided on the complete event, the common findings among them made as the full path
// makes them, and the event type looked up when event_name is read.
// Private to the fast path: included by fast_path.cpp alone.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "envelope_rules.hpp"
#include "fast_path_state.hpp"
#include "finding_messages.hpp"
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

// Compared with constants of known length, which compiles to a word compare or two.
inline bool is_actor_kind(std::string_view type) { return type == "user" || type == "system"; }

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

// What the fast path reports is noted, in the full path's report order (the sequence that breaks
// ties between findings at one offset); the rest makes the event the full path's. Out of line:
// for broken events only.
__attribute__((noinline)) inline bool FastPath::Impl::envelope_findings() {
  if (!envelope_readable()) return false;
  for (const OtherMember& o : others) {
    if (o.zone == Zone::Envelope && !o.credential) {
      note(MSGEVENTS_RULE("envelope.unknown_field"), unknown_envelope_field_message(o.name), "/" + pointer_token(o.name), o.offset);
    }
  }
  if (unknown_name) {
    const Scalar& name = env(Envelope::EventName);
    note(MSGEVENTS_RULE("envelope.event_name.unknown"), unknown_event_name_message(name.text, event_names), "/event_name", name.offset);
  }
  note_identity();
  note_occurred_at();
  note_actor();
  note_version();
  note_members();
  return true;
}

// What the fast path does not report: a missing, mistyped or inconsistent member other than the
// ones note_* report, and idempotency_key and schema_version problems (all rare).
inline bool FastPath::Impl::envelope_readable() const {
  if (!env(Envelope::EventName).present || !actor_seen || !payload_seen || (spec && !aggregate)) return false;
  for (int e = 0; e < kEnvelopeFieldCount; ++e) {
    if (!kEnvelopeFields[e].is_string) continue;
    const Scalar& s = envelope[e];
    if (s.present ? s.kind != kString : kEnvelopeFields[e].required && e != static_cast<int>(Envelope::OccurredAt)) return false;
  }
  if (!env(Envelope::Version).present) return false;
  const std::string_view type = env(Envelope::AggregateType).text;
  if (spec ? !same_text(type, spec->aggregate) : aggregates_by_name.find(type) == aggregates_by_name.end()) return false;
  // consistency.aggregate_id (the payload always has its id field, a required one)
  if (spec && !same_text(env(Envelope::AggregateId).text, payload_id)) return false;
  if (env(Envelope::IdempotencyKey).present && !idempotency_key_ok(env(Envelope::IdempotencyKey).text)) return false;
  return !env(Envelope::SchemaVersion).present || schema_version_ok(env(Envelope::SchemaVersion).text);
}

// event_id and aggregate_id (check_event_id, check_aggregate_id).
inline void FastPath::Impl::note_identity() {
  const Scalar& id = env(Envelope::EventId);
  const EventIdCheck check = check_event_id(id.text);
  if (check.kind == IdKind::None) {
    note(MSGEVENTS_RULE("envelope.event_id.format"), event_id_format_message(id.text, check.problem), "/event_id", id.offset);
  } else {
    if (!check.canonical_case) note(MSGEVENTS_RULE("envelope.event_id.case"), event_id_case_message(check.kind), "/event_id", id.offset);
    event_id_valid = true;
  }
  const Scalar& aggregate_id = env(Envelope::AggregateId);
  if (!identifier_ok(aggregate_id.text)) {
    note(MSGEVENTS_RULE("envelope.aggregate_id.format"), aggregate_id_format_message(identifier_problem(aggregate_id.text)), "/aggregate_id",
         aggregate_id.offset);
    return;
  }
  if (looks_like_contact_data(aggregate_id.text)) {
    note(MSGEVENTS_RULE("privacy.identifier_contact_data"), aggregate_id_contact_message(), "/aggregate_id", aggregate_id.offset);
  }
  aggregate_id_valid = true;
}

inline void FastPath::Impl::note_occurred_at() {
  const Scalar& at = env(Envelope::OccurredAt);
  if (!at.present) {
    note(MSGEVENTS_RULE("envelope.occurred_at.missing"), missing_field_message(Envelope::OccurredAt), "/occurred_at", root_begin);
    return;
  }
  std::string problem;
  const auto ts = parse_rfc3339(at.text, &problem);
  if (!ts) return note(MSGEVENTS_RULE("envelope.occurred_at.format"), occurred_at_format_message(at.text, problem), "/occurred_at", at.offset);
  if (!ts->utc) return note(MSGEVENTS_RULE("envelope.occurred_at.not_utc"), occurred_at_not_utc_message(at.text), "/occurred_at", at.offset);
  if (ts->offset_form) note(MSGEVENTS_RULE("envelope.occurred_at.utc_offset"), occurred_at_utc_offset_message(), "/occurred_at", at.offset);
  if (options.now_unix_ms && ts->unix_ms > *options.now_unix_ms + kFutureToleranceMs) {
    note(MSGEVENTS_RULE("envelope.occurred_at.future"), occurred_at_future_message(at.text, (ts->unix_ms - *options.now_unix_ms) / 1000),
         "/occurred_at", at.offset);
  }
  occurred_at_ms = ts->unix_ms;
}

// check_actor (an actor with other members is the full path's: their names were refused).
inline void FastPath::Impl::note_actor() {
  if (!actor_type.present) {
    note(MSGEVENTS_RULE("envelope.actor.kind"), actor_kind_message(false, kNull, {}), "/actor/type", actor_begin);
  } else if (actor_type.kind != kString || !is_actor_kind(actor_type.text)) {
    note(MSGEVENTS_RULE("envelope.actor.kind"), actor_kind_message(true, actor_type.kind, actor_type.text), "/actor/type", actor_type.offset);
  }
  if (!actor_id.present) {
    note(MSGEVENTS_RULE("envelope.actor.id"), actor_id_missing_message(), "/actor/id", actor_begin);
  } else if (actor_id.kind != kString) {
    note(MSGEVENTS_RULE("envelope.actor.id"), actor_id_type_message(actor_id.kind), "/actor/id", actor_id.offset);
  } else if (!identifier_ok(actor_id.text)) {
    note(MSGEVENTS_RULE("envelope.actor.id"), actor_id_format_message(identifier_problem(actor_id.text)), "/actor/id", actor_id.offset);
  } else if (looks_like_contact_data(actor_id.text)) {
    note(MSGEVENTS_RULE("privacy.identifier_contact_data"), actor_id_contact_message(), "/actor/id", actor_id.offset);
  }
}

inline void FastPath::Impl::note_version() {
  const Scalar& v = env(Envelope::Version);
  if (v.kind != kNumber || !is_integer_text(v.text)) {
    return note(MSGEVENTS_RULE("envelope.version.type"), version_type_message(v.kind, v.text), "/version", v.offset);
  }
  const std::optional<uint64_t> value = version_value(v.text);
  if (!value) return note(MSGEVENTS_RULE("envelope.version.range"), version_range_message(v.text), "/version", v.offset);
  version = *value;
  if (spec && *value != 1 && creates_only[static_cast<size_t>(spec - catalog.events.data())]) {
    note(MSGEVENTS_RULE("consistency.create_version"), create_version_message(spec->name, aggregate->name, *value), "/version", v.offset);
  }
}

// The payload's members (check_payload: the unknown ones, then the fields in the catalog's
// order), then every credential-named member in the event's order (scan_all_members).
inline void FastPath::Impl::note_members() {
  if (spec) {
    for (const OtherMember& o : others) {
      if (o.zone == Zone::Payload && !o.credential) {
        note(MSGEVENTS_RULE("payload.unknown_field"), unknown_payload_field_message(o.name, spec->name), "/payload/" + pointer_token(o.name), o.offset);
      }
    }
    std::sort(contact_identifiers.begin(), contact_identifiers.end(), [](const FieldNote& a, const FieldNote& b) { return a.field < b.field; });
    for (const FieldNote& n : contact_identifiers) {
      const std::string& name = spec->fields[n.field].name;
      note(MSGEVENTS_RULE("privacy.identifier_contact_data"), payload_identifier_contact_message(name), "/payload/" + pointer_token(name), n.offset);
    }
  }
  for (const OtherMember& o : others) {
    if (!o.credential) continue;
    note(MSGEVENTS_RULE("privacy.secret_field"), credential_member_message(o.name),
         (o.zone == Zone::Envelope ? "/" : "/payload/") + pointer_token(o.name), o.offset);
  }
}

inline bool FastPath::Impl::idempotency_key_ok(std::string_view key) { return idempotency_key_problem(key).empty(); }

inline bool FastPath::Impl::schema_version_ok(std::string_view value) const {
  uint64_t major = 0, minor = 0;
  if (!parse_schema_version(value, &major, &minor)) return false;
  return !spec || (major == spec->schema_version.major && minor <= spec->schema_version.minor);  // an unknown type: the format only
}

}  // namespace msgevents::detail
