// The messages of the per-event findings that both readers of an event report: the full path
// (envelope_checks.cpp, payload_checks.cpp, on the node tree) and the fast path (fast_path*.hpp, in
// one SAX pass, for the common findings of an otherwise readable event). Each message is written
// here once, so the two paths cannot word a finding differently; tests/fast_path_test.cpp checks
// that they report the same findings, event by event.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "envelope_fields.hpp"  // generated from the catalog
#include "event_parser.hpp"
#include "text_util.hpp"

namespace msgevents::detail {

// A value as messages show it: an excerpt, in double quotes.
std::string quoted_excerpt(std::string_view text);

// What a string envelope field must hold, as its missing and type messages say.
std::string_view envelope_expectation(EnvelopeField field);
// envelope.*.missing of a string envelope field.
std::string missing_field_message(EnvelopeField field);

// An event member that is no envelope field (envelope.unknown_field).
std::string unknown_envelope_field_message(std::string_view key);
// A member whose name marks a credential, anywhere in the event (privacy.secret_field).
std::string credential_member_message(std::string_view key);
// A payload member the event type does not define (payload.unknown_field).
std::string unknown_payload_field_message(std::string_view key, std::string_view event_name);

// envelope.event_name.unknown, with the closest catalog name when it is a likely typo.
std::string unknown_event_name_message(std::string_view name, const std::vector<std::string>& event_names);
std::string event_id_format_message(std::string_view id, std::string_view problem);
std::string event_id_case_message(IdKind kind);
std::string aggregate_id_format_message(std::string_view problem);
// privacy.identifier_contact_data of aggregate_id, actor.id and a payload field.
std::string aggregate_id_contact_message();
std::string actor_id_contact_message();
std::string payload_identifier_contact_message(std::string_view field_name);

std::string occurred_at_format_message(std::string_view value, std::string_view problem);
std::string occurred_at_not_utc_message(std::string_view value);
std::string occurred_at_utc_offset_message();
std::string occurred_at_future_message(std::string_view value, int64_t ahead_s);

// envelope.actor.kind: type missing (present == false), or not "user" or "system".
std::string actor_kind_message(bool present, NodeKind kind, std::string_view value);
std::string actor_id_missing_message();
std::string actor_id_type_message(NodeKind kind);
std::string actor_id_format_message(std::string_view problem);

// envelope.version.type: not a JSON integer (`value`: the number's raw text or the string's).
std::string version_type_message(NodeKind kind, std::string_view value);
std::string version_range_message(std::string_view digits);
std::string create_version_message(std::string_view event_name, std::string_view aggregate, uint64_t version);
std::string idempotency_key_format_message(std::string_view problem);

}  // namespace msgevents::detail
