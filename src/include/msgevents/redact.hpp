// Redaction: the same events with every personal value replaced by a keyed, stable token.
//
// Each string value of a field the catalog classes as `pii` (and, so that no credential survives,
// each `secret` field and each member whose name marks a credential) becomes
// "redacted:" + the first 32 hex digits of HMAC-SHA-256(key, value). A free-text field that holds
// an e-mail address or a phone number is replaced whole. Everything else stays byte for byte as it
// was: key order, whitespace, the array / NDJSON / pretty-printed form.
// The output of the default (public) redaction validates with no privacy finding under the public
// profile, credentials aside: their fields are still reported, only their values are gone.
//
// Redaction fails closed. An event it cannot read (not JSON, invalid UTF-8, a NUL byte, too deep,
// too large, not an object) or, under the public profile, cannot classify (event_name missing, not
// a string or no type of the catalog; payload not an object; event_name or payload twice at the top
// level, where readers disagree which one counts) is withheld: none of its bytes are written, the
// event is replaced by kWithheldPlaceholder (plus the event's line breaks, so that line numbers of
// the input and the output still match) and a `redact.withheld` finding says which event and why,
// without echoing any of its content. Content outside any event (after the end of an array, after
// the first event on an NDJSON line) is withheld the same way; only whitespace, '[', ']' and ','
// between events are copied.
//
// Within one key the same value always gives the same token, so events about one address can still
// be matched; without the key a token cannot be reversed by hashing guessed phone numbers. The core
// never invents a key: the caller supplies it (the CLI reads a key file or draws a random key).
//
//   msgevents::Redactor redactor(key);
//   out << redactor.push(chunk1) << redactor.push(chunk2) << redactor.finish();
//   for (const auto& f : redactor.drain()) { ... }   // the events withheld, if any
//
// or, for a whole buffer: msgevents::redact(text, key) -> { text, findings }.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "msgevents/validator.hpp"

namespace msgevents {

struct RedactOptions {
  // Public: pii values, contact data in free text and credentials. Internal: credentials only,
  // since the internal profile allows pii where the catalog does.
  Profile profile = Profile::Public;
  // An event larger than this is withheld unread (the validator reports it as too large).
  uint64_t max_event_bytes = 1 << 20;
  uint32_t max_depth = 64;  // deeper events are withheld (the validator reports json.too_deep)
};

// What a withheld event is replaced by: one JSON string, so that an array or NDJSON output stays
// well-formed and keeps its number of events (event_index of a finding is the output's too), while
// a reader, or `msgevents validate` (event.not_object), can never take it for an event.
inline constexpr std::string_view kWithheldPlaceholder = "\"[event withheld by msgevents redact]\"";

class Redactor {
 public:
  explicit Redactor(std::string key, RedactOptions options = {});
  ~Redactor();
  Redactor(Redactor&&) noexcept;
  Redactor& operator=(Redactor&&) noexcept;

  // Feeds the next bytes (split anywhere); returns the redacted output that is complete so far.
  std::string push(std::string_view bytes);
  // Ends the input and returns the rest of the output. The redactor is then spent.
  std::string finish();
  // The redact.withheld findings produced since the last drain(), in input order.
  std::vector<Finding> drain();
  // How many values were replaced so far.
  uint64_t values_redacted() const;
  // How many events were withheld so far (content outside events not counted).
  uint64_t events_withheld() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct RedactResult {
  std::string text;               // the redacted input, withheld events replaced
  std::vector<Finding> findings;  // one redact.withheld finding per withheld event or stretch
  uint64_t values_redacted = 0;
  uint64_t events_withheld = 0;
};

// Redacts a whole buffer in one call.
RedactResult redact(std::string_view input, std::string_view key, const RedactOptions& options = {});

// The token for one value: "redacted:" + 32 lower-case hex digits.
std::string redaction_token(std::string_view value, std::string_view key);

}  // namespace msgevents
