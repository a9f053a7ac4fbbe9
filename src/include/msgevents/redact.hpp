// Redaction: the same events with every personal value replaced by a keyed, stable token.
//
// Each string value of a field the catalog classes as `pii` (and, so that no credential survives,
// each `secret` field and each member whose name marks a credential) becomes
// "redacted:" + the first 32 hex digits of HMAC-SHA-256(key, value). A free-text field that holds
// an e-mail address or a phone number is replaced whole. Everything else stays byte for byte as it
// was: key order, whitespace, the array / NDJSON / pretty-printed form, events that do not parse.
// The output of the default (public) redaction validates with no privacy finding under the public
// profile, credentials aside: their fields are still reported, only their values are gone.
//
// Within one key the same value always gives the same token, so events about one address can still
// be matched; without the key a token cannot be reversed by hashing guessed phone numbers. The core
// never invents a key: the caller supplies it (the CLI reads a key file or draws a random key).
//
//   msgevents::Redactor redactor(key);
//   out << redactor.push(chunk1) << redactor.push(chunk2) << redactor.finish();
//
// or, for a whole buffer: msgevents::redact(text, key).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "msgevents/validator.hpp"

namespace msgevents {

struct RedactOptions {
  // Public: pii values, contact data in free text and credentials. Internal: credentials only,
  // since the internal profile allows pii where the catalog does.
  Profile profile = Profile::Public;
  // An event larger than this is passed through unread (the validator reports it as too large).
  uint64_t max_event_bytes = 1 << 20;
  uint32_t max_depth = 64;
};

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
  // How many values were replaced so far.
  uint64_t values_redacted() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Redacts a whole buffer in one call.
std::string redact(std::string_view input, std::string_view key, const RedactOptions& options = {});

// The token for one value: "redacted:" + 32 lower-case hex digits.
std::string redaction_token(std::string_view value, std::string_view key);

}  // namespace msgevents
