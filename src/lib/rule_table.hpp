// The rule registry's table, in a header so that code names a rule by its code and the compiler
// checks it: MSGEVENTS_RULE("json.syntax") is the rule's index, worked out while compiling, and a
// code no rule has does not compile. The public face of the table is msgevents/rules.hpp.
#pragma once

#include <cstdint>
#include <iterator>
#include <string_view>
#include <type_traits>

#include "msgevents/rules.hpp"

namespace msgevents::detail {

// The registry. Codes are stable: tools filter and link on them, so a code is never renamed;
// a retired rule stays listed until the next major catalog version.
inline constexpr Rule kRuleTable[] = {
    // Input: reading the bytes as JSON events.
    {"input.empty", Severity::Critical, "Input", "The input holds at least one event",
     "An empty input, or one of only whitespace, holds no event to check. It is usually a wrong file or an empty export."},
    {"input.event_too_large", Severity::Critical, "Input", "Each event is at most the size limit",
     "An event larger than the limit (1 MiB by default, configurable) is skipped unread, so that one runaway event cannot exhaust memory. Events of this catalog are a few hundred bytes."},
    {"input.encoding", Severity::Critical, "Input", "The input is UTF-8",
     "Events are exchanged as UTF-8 (RFC 8259 section 8.1). Input in UTF-16 or UTF-32 (recognised by its byte order mark or its zero bytes) is not read at all: convert it first, for example with iconv -f UTF-16 -t UTF-8."},
    {"input.not_json", Severity::Critical, "Input", "The input is JSON events",
     "The input must start with a JSON event (an object), an array of events or NDJSON. An input that starts otherwise, such as a CSV or log file, an HTML page or binary data, is reported once and not read further, rather than as thousands of broken events."},
    {"event.findings_truncated", Severity::Error, "Input", "One event has at most 100 findings listed",
     "An event lists at most 100 findings (the first in position order), so that one runaway event cannot flood a report or exhaust memory. The summary still counts every finding, and it says that the report is incomplete."},
    {"input.findings_limit", Severity::Error, "Input", "A report lists at most 100,000 findings",
     "A run lists at most 100,000 findings (configurable: --max-findings, maxFindings, Options::max_findings), the first in input order, then this finding once, where the limit was reached: an input broken everywhere, such as a file of empty objects, cannot flood a report or exhaust memory. The summary still counts every finding, and it says that the report is incomplete."},
    {"json.syntax", Severity::Critical, "Input", "Each event is well-formed JSON",
     "The event must be valid JSON (RFC 8259): quoted member names, commas between members and elements, no trailing commas, no comments, literals in lower case. An event that cannot be read cannot be checked further."},
    {"json.invalid_utf8", Severity::Critical, "Input", "The input is valid UTF-8",
     "JSON exchanged between systems must be UTF-8 (RFC 8259 section 8.1). Invalid byte sequences (overlong forms, lone continuation bytes, encoded surrogates, Latin-1 text) make the event unreadable."},
    {"json.nul_byte", Severity::Critical, "Input", "The input holds no NUL bytes",
     "A raw NUL byte is never valid JSON and many readers stop at it, so two readers would see different events."},
    {"json.too_deep", Severity::Critical, "Input", "Nesting stays within the depth limit",
     "Events of this catalog nest at most a few levels. Deeper nesting (64 levels by default) is rejected as a finding rather than risking a reader's stack."},
    {"json.duplicate_key", Severity::Error, "Input", "No object has the same member name twice",
     "With a duplicated member name, one reader keeps the first value and another the last: two readers of the same bytes would see different events."},
    {"json.number_range", Severity::Warning, "Input", "Numbers fit a 64-bit float and integers stay within 2^53",
     "A number that overflows a double, or an integer beyond 2^53, is read differently (or rounded) by JavaScript and many other readers."},
    {"event.not_object", Severity::Critical, "Input", "Each event is a JSON object",
     "An event is one JSON object with the envelope fields at its top level; an array, string, number or literal is not an event."},

    // Envelope.
    {"envelope.event_name.missing", Severity::Critical, "Envelope", "event_name is present",
     "Every event names its type in event_name."},
    {"envelope.event_name.type", Severity::Error, "Envelope", "event_name is a string", "event_name must be a JSON string."},
    {"envelope.event_name.unknown", Severity::Error, "Envelope", "event_name is one of the catalog's event types",
     "event_name must be one of the catalog's event type names, in exact case. The finding suggests the closest name."},
    {"envelope.event_id.missing", Severity::Critical, "Envelope", "event_id is present", "Every event carries a unique event_id."},
    {"envelope.event_id.type", Severity::Error, "Envelope", "event_id is a string", "event_id must be a JSON string."},
    {"envelope.event_id.format", Severity::Error, "Envelope", "event_id is a UUID or a ULID",
     "A UUID (RFC 9562: 8-4-4-4-12 hexadecimal digits, version digit 1 to 8, variant digit 8, 9, a or b; not the nil or max UUID) or a ULID (26 Crockford base-32 characters, the first 0 to 7)."},
    {"envelope.event_id.case", Severity::Warning, "Envelope", "event_id is in canonical case",
     "UUIDs are canonically lower case and ULIDs upper case; the other case is accepted but compares unequal in byte-wise stores."},
    {"envelope.aggregate_type.missing", Severity::Critical, "Envelope", "aggregate_type is present",
     "Every event names the aggregate it belongs to."},
    {"envelope.aggregate_type.type", Severity::Error, "Envelope", "aggregate_type is a string", "aggregate_type must be a JSON string."},
    {"envelope.aggregate_type.unknown", Severity::Error, "Envelope", "aggregate_type is one of the catalog's aggregates",
     "One of Customer, Contact, Provider, Channel, Conversation, in exact case."},
    {"envelope.aggregate_id.missing", Severity::Critical, "Envelope", "aggregate_id is present",
     "Every event names the aggregate instance it changes."},
    {"envelope.aggregate_id.type", Severity::Error, "Envelope", "aggregate_id is a string", "aggregate_id must be a JSON string."},
    {"envelope.aggregate_id.format", Severity::Error, "Envelope", "aggregate_id is a stable identifier",
     "Non-empty, at most 128 characters, no whitespace or control characters."},
    {"envelope.occurred_at.missing", Severity::Critical, "Envelope", "occurred_at is present", "Every event records when it happened."},
    {"envelope.occurred_at.type", Severity::Error, "Envelope", "occurred_at is a string", "occurred_at must be an RFC 3339 date-time string."},
    {"envelope.occurred_at.format", Severity::Error, "Envelope", "occurred_at is an RFC 3339 date-time of a real calendar date",
     "YYYY-MM-DDTHH:MM:SS with optional fractional seconds and a time zone; the date must exist (no 2025-02-30) and 23:59:60 is allowed only as a leap second."},
    {"envelope.occurred_at.not_utc", Severity::Error, "Envelope", "occurred_at is in UTC",
     "occurred_at must be UTC, written with the Z suffix. Local offsets make ordering by time ambiguous across producers."},
    {"envelope.occurred_at.utc_offset", Severity::Warning, "Envelope", "occurred_at uses Z rather than +00:00",
     "+00:00 is UTC and accepted, but Z is the canonical form."},
    {"envelope.occurred_at.future", Severity::Warning, "Envelope", "occurred_at is not in the future",
     "An event cannot have happened more than 5 minutes after the validating clock (the caller's current time). Usually a producer clock or time-zone bug."},
    {"envelope.actor.missing", Severity::Critical, "Envelope", "actor is present", "Every event records who or what caused it."},
    {"envelope.actor.type", Severity::Error, "Envelope", "actor is an object",
     "actor is an object { \"type\": \"user\" or \"system\", \"id\": stable identifier }."},
    {"envelope.actor.kind", Severity::Error, "Envelope", "actor.type is user or system",
     "actor.type is required and is exactly \"user\" or \"system\"."},
    {"envelope.actor.id", Severity::Error, "Envelope", "actor.id is a stable identifier",
     "actor.id is required: a non-empty string of at most 128 characters without whitespace, never a name."},
    {"envelope.version.missing", Severity::Critical, "Envelope", "version is present",
     "Every event carries the aggregate's version after the event."},
    {"envelope.version.type", Severity::Error, "Envelope", "version is an integer",
     "version is a JSON integer: not a string, not a fraction such as 1.5 or 1.0."},
    {"envelope.version.range", Severity::Error, "Envelope", "version is between 1 and 2^53-1",
     "Versions start at 1 and must stay exactly representable in every reader (at most 9007199254740991)."},
    {"envelope.idempotency_key.type", Severity::Error, "Envelope", "idempotency_key, when present, is a string",
     "idempotency_key is optional; when present it is a JSON string."},
    {"envelope.idempotency_key.format", Severity::Error, "Envelope", "idempotency_key is 1 to 255 printable characters",
     "Non-empty, at most 255 characters, no control characters."},
    {"envelope.schema_version.type", Severity::Error, "Envelope", "schema_version, when present, is a string",
     "schema_version is optional; when present it is a string MAJOR.MINOR."},
    {"envelope.schema_version.format", Severity::Error, "Envelope", "schema_version is MAJOR.MINOR", "Two non-negative integers without leading zeros, such as \"1.0\"."},
    {"envelope.schema_version.unsupported", Severity::Error, "Envelope", "schema_version is one this catalog knows",
     "The MAJOR version must be the catalog's version of the event type. A MINOR version newer than the catalog's is reported as a warning by envelope.schema_version.newer."},
    {"envelope.schema_version.newer", Severity::Warning, "Envelope", "schema_version is not newer than the catalog",
     "A MINOR version newer than the catalog's may carry optional fields this catalog does not know; update the validator's catalog."},
    {"envelope.payload.missing", Severity::Critical, "Envelope", "payload is present", "Every event carries its type's fields in payload."},
    {"envelope.payload.type", Severity::Error, "Envelope", "payload is an object", "payload must be a JSON object."},
    {"envelope.unknown_field", Severity::Warning, "Envelope", "The envelope and actor have no unknown fields",
     "Fields other than the envelope's (or actor's type and id) are reported: a misspelt field is otherwise silently lost.",
     Escalation::Strict},

    // Payload.
    {"payload.required", Severity::Critical, "Payload", "Every required payload field is present",
     "Each event type's required fields, as the catalog lists them."},
    {"payload.type", Severity::Error, "Payload", "Each payload field has its catalog type",
     "string, integer, number, boolean, object or array, as the catalog says; null is not a value of any field (leave optional fields out instead)."},
    {"payload.enum", Severity::Error, "Payload", "Each enumerated field holds one of its values", "The value must be one of the catalog's values, in exact case."},
    {"payload.format", Severity::Error, "Payload", "Each field with a format follows it",
     "identifier (non-empty, at most 128 characters, no whitespace), e164 (+ and 8 to 15 digits), email (lower-case address), date-time (RFC 3339 UTC), channel_address (E.164 for a phone channel, lower-case e-mail for an e-mail channel), language_tag (BCP 47), country_code (ISO 3166-1 alpha-2), url (https)."},
    {"payload.length", Severity::Error, "Payload", "Each string field respects its length bounds", "Lengths count Unicode code points."},
    {"payload.range", Severity::Error, "Payload", "Each numeric field respects its bounds", "minimum and maximum are inclusive."},
    {"payload.items", Severity::Error, "Payload", "Each array field has the right items",
     "Item type and format, number of items, and no repeated items where the catalog asks for unique items."},
    {"payload.changed_fields", Severity::Error, "Payload", "changed_fields names real attributes of the aggregate",
     "Each name in changed_fields must be one of the aggregate's attributes listed in the catalog."},
    {"payload.unknown_field", Severity::Warning, "Payload", "The payload has no fields the catalog does not list",
     "A field the event type does not define is reported: a misspelt field is otherwise silently lost.", Escalation::Strict},

    // Consistency between fields.
    {"consistency.aggregate_type", Severity::Error, "Consistency", "aggregate_type matches event_name",
     "Each event type belongs to one aggregate: CustomerCreated to Customer, ChannelMapped to Channel, and so on."},
    {"consistency.aggregate_id", Severity::Error, "Consistency", "aggregate_id equals the payload's id field",
     "aggregate_id must equal customer_id for Customer events, contact_id for Contact events, provider_id, channel_id, conversation_id likewise."},
    {"consistency.create_version", Severity::Error, "Consistency", "A creating event has version 1",
     "An event that can only create its aggregate (CustomerCreated, ContactCreated, ProviderConfigured, ConversationCreated) records version 1."},

    // Privacy.
    {"privacy.secret_field", Severity::Critical, "Privacy", "No credential travels in an event",
     "A field anywhere in the event whose name marks a credential (api_key, secret, client_secret, password, token, access_token, refresh_token, private_key, auth, ... in any case or separator style), or a field the catalog classes as secret, is never allowed. Its value is never echoed."},
    {"privacy.identifier_contact_data", Severity::Error, "Privacy", "Identifiers are not e-mail addresses or phone numbers",
     "aggregate_id, actor.id and every identifier field must be opaque ids: an identifier that looks like an e-mail address or a phone number leaks personal data into logs and keys."},
    {"privacy.pii_in_public", Severity::Error, "Privacy", "No personal data in clear on a public stream",
     "In the public profile every field the catalog classes as pii must be redacted (replaced by a redaction token, redacted:<32 hex digits>)."},
    {"privacy.contact_data_in_text", Severity::Warning, "Privacy", "Free-text fields hold no e-mail addresses or phone numbers",
     "Free-text fields (a conversation's topic, a note) are scanned for e-mail addresses and phone numbers.", Escalation::PublicProfile},

    // Stream: across the events of one input, in order.
    {"stream.duplicate", Severity::Info, "Stream", "Redeliveries are recognised",
     "The same idempotency_key (or, without one, the same event_id) with the same content is a redelivery of one logical event: consumers must process it once."},
    {"stream.id_conflict", Severity::Critical, "Stream", "One idempotency_key or event_id names one event",
     "The same idempotency_key or event_id with different content means two different events claim one identity: consumers deduplicating on it would lose one."},
    {"stream.version_conflict", Severity::Error, "Stream", "One version of an aggregate is recorded once",
     "Two different events for one aggregate with the same version conflict; by policy the higher version wins, so one of them is lost."},
    {"stream.late_delivery", Severity::Warning, "Stream", "Events of an aggregate arrive in version order",
     "An event with a lower version than one already seen for its aggregate arrived late; consumers must order by version."},
    {"stream.version_gap", Severity::Warning, "Stream", "No version of an aggregate is skipped",
     "A version higher than the next expected one means events are missing from the stream (or arrive later)."},
    {"stream.time_backwards", Severity::Warning, "Stream", "occurred_at does not go backwards as version goes forwards",
     "A higher version that occurred earlier points at a producer clock problem; version stays the order that counts."},
    {"lifecycle.transition", Severity::Error, "Stream", "Each event is allowed from the aggregate's current state",
     "The catalog's state machine decides which events may follow: no ContactUpdated after ContactDeleted, no CustomerEnabled on an enabled customer, no participant changes on an archived conversation."},
    {"lifecycle.mid_life", Severity::Info, "Stream", "Aggregates first seen mid-life are noted",
     "An aggregate whose creating event is not in the input is assumed to be in a state consistent with its first event (the first state the catalog allows that event from). The note comes with the next event checked against that assumption; a lone event relies on none."},

    // Redaction (`msgevents redact`, redact() in the package): not a check of validate, but findings
    // in the same vocabulary, so that every face reports them alike.
    {"redact.withheld", Severity::Error, "Redaction", "Every event given to redaction can be read and placed in the catalog",
     "Redaction fails closed: an event it cannot read (not JSON, invalid UTF-8, a NUL byte, too deep, too large, not an object) or, in the public profile, cannot place in the catalog (event_name missing or unknown, payload not an object, event_name or payload twice) is withheld, replaced by a placeholder string, and none of its bytes are written; so is content outside any event. Fix the input (msgevents validate shows what is wrong) and redact again."},

    // Typed events (<msgevents/events.hpp>: parse() and parse_as<E>()): not checks of validate
    // either, but what the typed layer adds to the validator's findings when it cannot hand over
    // the event it was asked for.
    {"parse.not_one_event", Severity::Error, "Typed events", "A typed parse reads exactly one event object",
     "parse() and parse_as<E>() turn one event into its C++ type: an input of no event, of several (NDJSON) or a JSON array of one is refused with this finding, next to the validator's. Read a stream with validate(), or parse each event on its own."},
    {"parse.wrong_event_type", Severity::Error, "Typed events", "parse_as<E>() gets an event of type E",
     "parse_as<CustomerCreated>() of a valid event whose event_name names another type refuses it, with the type it found: use parse(), which returns whichever type the event is, or ask for the right one."},
    {"parse.unrepresentable", Severity::Error, "Typed events", "Each value fits its field's C++ type",
     "An event the validator accepts may still hold a value its typed field cannot: an integer beyond the range of int64_t, for example. The finding points at the member; the typed event is not made, rather than made with a different value."},
};

inline constexpr size_t kRuleCount = std::size(kRuleTable);

// A rule, by its place in the table.
struct RuleId {
  uint16_t index;
};

// The table at run time. Defined in rules.cpp so that only that file holds the table's text: every
// other file reads kRuleTable while compiling only (an inline variable is emitted where it is
// used at run time, with its strings, which would put a copy of the explanations in each).
const Rule& rule_of(RuleId id);

// Not constexpr: reaching it while compiling (a code no rule has) is a compile error.
inline void no_rule_has_this_code() {}

constexpr uint16_t rule_index(std::string_view code) {
  for (size_t i = 0; i < kRuleCount; ++i) {
    if (kRuleTable[i].code == code) return static_cast<uint16_t>(i);
  }
  no_rule_has_this_code();
  return 0;
}

// The rule of a code known at run time, if there is one.
bool find_rule_id(std::string_view code, RuleId* id);

}  // namespace msgevents::detail

// The rule with this code, checked while compiling.
#define MSGEVENTS_RULE(code) \
  (::msgevents::detail::RuleId{std::integral_constant<uint16_t, ::msgevents::detail::rule_index(code)>::value})
