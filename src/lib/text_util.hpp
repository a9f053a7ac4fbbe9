// Text checks shared by the rules: identifiers, UUID/ULID, RFC 3339 time, E.164, e-mail, and the
// detectors that find contact data where it must not be.
//
// All take UTF-8 text that the parser already decoded and validated.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace msgevents::detail {

// Length of the valid UTF-8 sequence starting at text[i], or 0 if it is not valid UTF-8.
size_t utf8_sequence_length(std::string_view text, size_t i);
// Number of Unicode code points (the text is valid UTF-8).
uint64_t code_points(std::string_view text);
// The text for a message: at most max_code_points code points, with "…" when cut.
std::string excerpt(std::string_view text, size_t max_code_points = 40);
// A name in double quotes, as the catalog's and the change policy's messages show one (whole, and
// not escaped: what the author wrote).
inline std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

// A JSON Pointer reference token (RFC 6901): "~" becomes "~0" and "/" becomes "~1".
std::string pointer_token(std::string_view key);

// Stable identifier: non-empty, at most 128 code points, no whitespace or control characters.
// Returns an empty string when valid, else what is wrong.
std::string identifier_problem(std::string_view text);
// identifier_problem(text).empty(), without building the message (the fast path asks it per id).
bool identifier_ok(std::string_view text);

enum class IdKind { None, Uuid, Ulid };
struct EventIdCheck {
  IdKind kind = IdKind::None;
  bool canonical_case = true;  // lower-case UUID, upper-case ULID
  std::string problem;         // set when kind is None
};
EventIdCheck check_event_id(std::string_view text);

struct Timestamp {
  int64_t unix_ms = 0;
  bool utc = false;           // Z or +00:00
  bool offset_form = false;   // +00:00 rather than Z
};
// RFC 3339 date-time; nullopt and *problem on failure.
std::optional<Timestamp> parse_rfc3339(std::string_view text, std::string* problem);

bool is_e164(std::string_view text);           // + then 8 to 15 digits, the first 1-9
bool is_email(std::string_view text);          // addr-spec, any case
bool is_lower_email(std::string_view text);    // addr-spec with no upper-case letter
bool is_language_tag(std::string_view text);   // BCP 47 shape: en, en-GB, zh-Hant-TW
bool is_country_code(std::string_view text);   // ISO 3166-1 alpha-2 shape: two upper-case letters
bool is_https_url(std::string_view text);
bool is_redaction_token(std::string_view text);  // redacted:<32 lower-case hex digits>

// An identifier that is in fact an e-mail address or a phone number (E.164 or a formatted number
// such as "(555) 123-4567"). Plain digit strings are not flagged: they are common database ids.
bool looks_like_contact_data(std::string_view text);
// Finds an e-mail address or a phone number inside free text; returns "e-mail address",
// "phone number" or nullopt.
std::optional<std::string_view> find_contact_data(std::string_view text);

// Whether a member name marks a credential (api_key, clientSecret, X-Auth-Token, ...).
bool is_credential_name(std::string_view name);

// The Levenshtein distance (ASCII letters compared in either case) when it is at most `limit`;
// otherwise limit + 1, found without filling the whole table (only the diagonal band of width
// 2 * limit + 1 can hold a path that short). suggest.cpp, like closest_name.
size_t edit_distance_within(std::string_view a, std::string_view b, size_t limit);
// The name closest to a misspelt one (the first of the nearest, in order), if it is close enough
// to be a likely typo: within max(2, longer / 3) edits. Empty when none is.
std::string_view closest_name(std::string_view wrong, const std::vector<std::string>& names);

}  // namespace msgevents::detail
