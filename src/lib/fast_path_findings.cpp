// The fast path's findings: what it reports of an event that has some (the unknown and
// credential-named members it met, an unknown event_name, the envelope values that break a rule),
// made once the event is complete, as the full path makes them: the same checks, the messages of
// finding_messages.hpp, the full path's report order. Out of line, and compiled for size in
// WebAssembly: only events with findings come here (envelope_clean() decides the others).
#include <string>
#include <string_view>

#include "fast_path_envelope.hpp"
#include "fast_path_state.hpp"
#include "finding_messages.hpp"
#include "text_util.hpp"

namespace msgevents::detail {

// Out of line: only broken events have other members, and inlined into Key() it made Key() too
// large to inline into the readers (5% more instructions on a clean corpus).
bool FastPath::Impl::other_member(Zone zone, std::string_view name) {
  if (others.size() == kMaxOtherMembers) return false;
  for (const OtherMember& o : others) {
    if (o.zone == zone && o.name == name) return false;  // json.duplicate_key
  }
  others.push_back({zone, is_credential_name(name), name, static_cast<uint32_t>(name.data() - base) - 1});
  top().key_hash = sip(name);
  return true;
}

// What the fast path reports is noted, in the full path's report order (the sequence that breaks
// ties between findings at one offset); the rest makes the event the full path's.
bool FastPath::Impl::envelope_findings() {
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
bool FastPath::Impl::envelope_readable() const {
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
void FastPath::Impl::note_identity() {
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

void FastPath::Impl::note_occurred_at() {
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
void FastPath::Impl::note_actor() {
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

void FastPath::Impl::note_version() {
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
void FastPath::Impl::note_members() {
  if (spec) {
    for (const OtherMember& o : others) {
      if (o.zone == Zone::Payload && !o.credential) {
        note(MSGEVENTS_RULE("payload.unknown_field"), unknown_payload_field_message(o.name, spec->name), "/payload/" + pointer_token(o.name), o.offset);
      }
    }
    for (uint32_t field = 0; !contact_identifiers.empty() && field < spec->fields.size(); ++field) {  // in the catalog's order
      for (const FieldNote& n : contact_identifiers) {
        if (n.field != field) continue;
        const std::string& name = spec->fields[field].name;
        note(MSGEVENTS_RULE("privacy.identifier_contact_data"), payload_identifier_contact_message(name), "/payload/" + pointer_token(name), n.offset);
      }
    }
  }
  for (const OtherMember& o : others) {
    if (!o.credential) continue;
    note(MSGEVENTS_RULE("privacy.secret_field"), credential_member_message(o.name),
         (o.zone == Zone::Envelope ? "/" : "/payload/") + pointer_token(o.name), o.offset);
  }
}

}  // namespace msgevents::detail
