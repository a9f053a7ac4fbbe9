// The envelope's value rules as plain functions, shared by the full validation path (which turns
// a failure into a positioned finding with a message) and the one-pass fast path (which only needs
// to know that nothing fails): one definition of each rule, so the two paths cannot drift apart.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "msgevents/catalog.hpp"

namespace msgevents::detail {

constexpr uint64_t kMaxSafeInteger = 9007199254740991ULL;  // 2^53 - 1
constexpr int64_t kFutureToleranceMs = 5 * 60 * 1000;      // occurred_at may be this far ahead

// A JSON number's raw text has no fraction or exponent.
bool is_integer_text(std::string_view number);

// json.number_range: whether every reader sees this number (raw JSON text) as written.
enum class NumberRange { Fits, NotFinite, BeyondSafeInteger };
NumberRange number_range(std::string_view number);

// payload.range: whether a number (raw JSON text) lies within the field's minimum and maximum.
bool within_bounds(const FieldSpec& field, std::string_view number);

// envelope.version.range: the value of an integer's raw text when it is 1 to 2^53 - 1.
std::optional<uint64_t> version_value(std::string_view integer_text);

// consistency.create_version: the event type can do nothing but create its aggregate, so it is
// always version 1 (a channel mapped again after being unmapped goes on counting).
bool only_creates(const AggregateSpec& aggregate, std::string_view event_name);

// envelope.idempotency_key.format: "" when valid (1 to 255 printable characters), else what is wrong.
std::string idempotency_key_problem(std::string_view key);
// The same rule without the message, as the fast path asks it of every event.
bool idempotency_key_ok(std::string_view key);

// envelope.schema_version.format: MAJOR.MINOR without leading zeros, each at most 9 digits.
bool parse_schema_version(std::string_view text, uint64_t* major, uint64_t* minor);

}  // namespace msgevents::detail
