#include "finding_messages.hpp"

namespace msgevents::detail {

std::string quoted_excerpt(std::string_view text) { return "\"" + excerpt(text) + "\""; }

std::string_view envelope_expectation(EnvelopeField field) {
  switch (field) {
    case EnvelopeField::EventName: return "one of the catalog's event type names, such as \"CustomerCreated\"";
    case EnvelopeField::EventId: return "a UUID or a ULID";
    case EnvelopeField::AggregateType: return "one of Customer, Contact, Provider, Channel, Conversation";
    case EnvelopeField::AggregateId: return "the aggregate's stable identifier";
    case EnvelopeField::OccurredAt: return "an RFC 3339 UTC date-time such as \"2025-11-05T14:03:27Z\"";
    case EnvelopeField::IdempotencyKey: return "1 to 255 printable characters";
    case EnvelopeField::SchemaVersion: return "MAJOR.MINOR such as \"1.0\"";
    default: return "";  // not a string field: its checks say what it must be
  }
}

std::string missing_field_message(EnvelopeField field) {
  return std::string(envelope_field(field).name) + " is missing: expected " + std::string(envelope_expectation(field));
}

std::string unknown_envelope_field_message(std::string_view key) {
  return "unknown envelope field " + quoted_excerpt(key) + ": expected only the envelope fields (" + std::string(kEnvelopeFieldNames) + ")";
}

std::string credential_member_message(std::string_view key) {
  return "member " + quoted_excerpt(key) +
         " looks like a credential: secrets never travel in events (value not shown); send a reference to the secret store instead";
}

std::string unknown_payload_field_message(std::string_view key, std::string_view event_name) {
  return "payload field " + quoted_excerpt(key) + " is not defined for " + std::string(event_name);
}

std::string unknown_event_name_message(std::string_view name, const std::vector<std::string>& event_names) {
  const std::string_view suggestion = closest_name(name, event_names);
  if (!suggestion.empty()) return "unknown event_name " + quoted_excerpt(name) + ": did you mean \"" + std::string(suggestion) + "\"?";
  std::string names;
  for (const auto& n : event_names) names += (names.empty() ? "" : ", ") + n;
  return "unknown event_name " + quoted_excerpt(name) + ": expected one of the catalog's event types (" + names + ")";
}

std::string event_id_format_message(std::string_view id, std::string_view problem) {
  return "event_id " + quoted_excerpt(id) + " " + std::string(problem);
}

std::string event_id_case_message(IdKind kind) {
  return kind == IdKind::Uuid ? "event_id is a UUID with upper-case letters: the canonical form is lower case"
                              : "event_id is a ULID with lower-case letters: the canonical form is upper case";
}

std::string aggregate_id_format_message(std::string_view problem) {
  return "aggregate_id " + std::string(problem) + ": expected a stable identifier (1-128 characters, no whitespace)";
}

std::string aggregate_id_contact_message() {
  return "aggregate_id looks like an e-mail address or phone number (value not shown): use an opaque identifier";
}

std::string actor_id_contact_message() {
  return "actor.id looks like an e-mail address or phone number (value not shown): use an opaque identifier, never a name, e-mail or phone";
}

std::string payload_identifier_contact_message(std::string_view field_name) {
  return "payload." + std::string(field_name) + " looks like an e-mail address or phone number (value not shown): identifiers must be opaque";
}

std::string occurred_at_format_message(std::string_view value, std::string_view problem) {
  return "occurred_at " + quoted_excerpt(value) + " " + std::string(problem);
}

std::string occurred_at_not_utc_message(std::string_view value) {
  return "occurred_at " + quoted_excerpt(value) + " is not in UTC: expected the Z suffix, such as \"2025-11-05T14:03:27Z\"";
}

std::string occurred_at_utc_offset_message() { return "occurred_at uses +00:00: UTC is accepted, but the canonical form ends in Z"; }

std::string occurred_at_future_message(std::string_view value, int64_t ahead_s) {
  return "occurred_at " + quoted_excerpt(value) + " is " + std::to_string(ahead_s) +
         " s after the validating clock: expected a time in the past (at most 5 minutes ahead)";
}

std::string actor_kind_message(bool present, NodeKind kind, std::string_view value) {
  if (!present) return "actor.type is missing: expected \"user\" or \"system\"";
  return "actor.type must be \"user\" or \"system\", found " + (kind == NodeKind::String ? quoted_excerpt(value) : std::string(kind_name(kind)));
}

std::string actor_id_missing_message() { return "actor.id is missing: expected a stable identifier of the user or system"; }

std::string actor_id_type_message(NodeKind kind) { return "actor.id must be a string identifier, found " + std::string(kind_name(kind)); }

std::string actor_id_format_message(std::string_view problem) {
  return "actor.id " + std::string(problem) + ": expected a stable identifier (1-128 characters, no whitespace)";
}

std::string version_type_message(NodeKind kind, std::string_view value) {
  const std::string found = kind == NodeKind::Number   ? "the number " + excerpt(value)
                            : kind == NodeKind::String ? "the string " + quoted_excerpt(value)
                                                       : std::string(kind_name(kind));
  return "version must be a JSON integer, found " + found;
}

std::string version_range_message(std::string_view digits) {
  return "version " + excerpt(digits) + " is out of range: expected 1 to 9007199254740991";
}

std::string create_version_message(std::string_view event_name, std::string_view aggregate, uint64_t version) {
  return std::string(event_name) + " creates the " + std::string(aggregate) + ": expected version 1, found " + std::to_string(version);
}

std::string idempotency_key_format_message(std::string_view problem) {
  return "idempotency_key " + std::string(problem) + ": expected 1 to 255 printable characters";
}

}  // namespace msgevents::detail
