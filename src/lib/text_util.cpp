#include "text_util.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "byte_scan.hpp"

namespace msgevents::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
char lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

int digits_value(std::string_view text, size_t at, size_t count) {
  int value = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (i >= text.size() || !is_digit(text[i])) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool is_email_local_char(char c) {
  return is_alpha(c) || is_digit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'';
}

// The length of an e-mail domain starting at text[at] (just after the '@'), or 0 when there is
// none. The scan stops at the first byte that cannot be in a domain, '@' included, so scanning
// after every '@' of a text reads each byte at most once.
size_t email_domain_length_at(std::string_view text, size_t at) {
  size_t i = at;
  size_t last_dot = std::string_view::npos;
  while (i < text.size() && (is_alpha(text[i]) || is_digit(text[i]) || text[i] == '-' || text[i] == '.')) {
    if (text[i] == '.') last_dot = i;
    ++i;
  }
  while (i > at && text[i - 1] == '.') --i;  // a sentence's full stop is not the domain's
  if (last_dot != std::string_view::npos && last_dot >= i) {  // the last dot was such a full stop
    last_dot = std::string_view::npos;
    for (size_t k = i; k > at; --k) {
      if (text[k - 1] == '.') {
        last_dot = k - 1;
        break;
      }
    }
  }
  if (last_dot == std::string_view::npos || last_dot <= at) return 0;
  size_t tld = 0;
  for (size_t k = last_dot + 1; k < i; ++k) {
    if (!is_alpha(text[k])) return 0;
    ++tld;
  }
  return tld >= 2 ? i - at : 0;
}

// The local part and domain of an e-mail address starting at text[at]; returns its length or 0.
size_t email_length_at(std::string_view text, size_t at) {
  size_t i = at;
  while (i < text.size() && is_email_local_char(text[i])) ++i;
  if (i == at || i >= text.size() || text[i] != '@') return 0;
  const size_t domain = email_domain_length_at(text, i + 1);
  return domain > 0 ? i + 1 + domain - at : 0;
}

// A phone number starting at text[at]: "+" and 8-15 digits with single separators, or a
// formatted national number with separators and 10-15 digits. Returns its length or 0.
constexpr size_t kMaxPhoneDigits = 15;
constexpr size_t kMaxPhoneSeparators = 24;
size_t phone_length_at(std::string_view text, size_t at) {
  const bool plus = text[at] == '+';
  size_t i = plus ? at + 1 : at;
  size_t digits = 0;
  size_t separators = 0;
  bool last_separator = true;
  size_t end = i;
  while (i < text.size()) {
    const char c = text[i];
    if (is_digit(c)) {
      // No phone number has more digits: stop here, so that a long run of digits costs the
      // same at each of its starting points (the scan of a text stays linear).
      if (++digits > kMaxPhoneDigits) return 0;
      last_separator = false;
      end = i + 1;
    } else if ((c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') && !(last_separator && c != '(')) {
      // Runs of '(' are allowed; no real number has this many separators.
      if (++separators > kMaxPhoneSeparators) return 0;
      last_separator = c != ')';
    } else {
      break;
    }
    ++i;
  }
  if (end < text.size() && (is_alpha(text[end]) || text[end] == '_')) return 0;  // part of a token
  if (plus) return digits >= 8 && digits <= 15 ? end - at : 0;
  return separators > 0 && digits >= 10 && digits <= 15 ? end - at : 0;
}

}  // namespace

size_t utf8_sequence_length(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t length;
  uint32_t min;
  if ((c & 0xE0) == 0xC0) length = 2, min = 0x80;
  else if ((c & 0xF0) == 0xE0) length = 3, min = 0x800;
  else if ((c & 0xF8) == 0xF0) length = 4, min = 0x10000;
  else return 0;
  if (i + length > text.size()) return 0;
  uint32_t cp = c & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return length;
}

uint64_t code_points(std::string_view text) { return count_code_points(text.data(), text.size()); }

std::string excerpt(std::string_view text, size_t max_code_points) {
  size_t i = 0;
  size_t count = 0;
  while (i < text.size() && count < max_code_points) {
    const size_t length = utf8_sequence_length(text, i);
    i += length ? length : 1;
    ++count;
  }
  std::string out(text.substr(0, i));
  if (i < text.size()) out += "\xE2\x80\xA6";
  return out;
}

std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}

namespace {
bool identifier_too_long(std::string_view text) { return text.size() > 128 && code_points(text) > 128; }
}  // namespace

std::string identifier_problem(std::string_view text) {
  if (text.empty()) return "is empty";
  if (identifier_too_long(text)) return "is longer than 128 characters";
  if (has_space_or_control(text.data(), text.size())) return "contains whitespace or a control character";
  return {};
}

bool identifier_ok(std::string_view text) {
  return !text.empty() && !identifier_too_long(text) && !has_space_or_control(text.data(), text.size());
}

EventIdCheck check_event_id(std::string_view text) {
  EventIdCheck check;
  if (text.size() == 36) {
    bool any_upper = false;
    const bool shape = uuid_shape(text.data(), &any_upper);
    if (shape) {
      const char version = text[14];
      const char variant = lower(text[19]);
      if (text[0] == '0' && text == "00000000-0000-0000-0000-000000000000") {
        check.problem = "is the nil UUID";
      } else if (lower(text[0]) == 'f' && std::all_of(text.begin(), text.end(), [](char c) { return c == '-' || lower(c) == 'f'; })) {
        check.problem = "is the max UUID";
      } else if (version < '1' || version > '8') {
        check.problem = "is not an RFC 9562 UUID: the version digit (15th character) must be 1 to 8";
      } else if (variant != '8' && variant != '9' && variant != 'a' && variant != 'b') {
        check.problem = "is not an RFC 9562 UUID: the variant digit (20th character) must be 8, 9, a or b";
      } else {
        check.kind = IdKind::Uuid;
        check.canonical_case = !any_upper;  // the shape leaves only A to F to be upper-case
      }
      return check;
    }
  }
  if (text.size() == 26) {
    static constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    bool shape = true;
    bool upper = true;
    for (char c : text) {
      const char u = is_alpha(c) && !is_upper(c) ? static_cast<char>(c - 'a' + 'A') : c;
      if (kCrockford.find(u) == std::string_view::npos) shape = false;
      if (u != c) upper = false;
    }
    if (shape) {
      if (text[0] > '7') {
        check.problem = "is not a valid ULID: the first character must be 0 to 7 (the timestamp would overflow 48 bits)";
      } else {
        check.kind = IdKind::Ulid;
        check.canonical_case = upper;
      }
      return check;
    }
  }
  check.problem = "is neither a UUID (8-4-4-4-12 hexadecimal digits) nor a ULID (26 Crockford base-32 characters)";
  return check;
}

std::optional<Timestamp> parse_rfc3339(std::string_view s, std::string* problem) {
  auto fail = [&](const char* why) -> std::optional<Timestamp> {
    *problem = why;
    return std::nullopt;
  };
  if (s.size() < 20) return fail("is too short for an RFC 3339 date-time (YYYY-MM-DDTHH:MM:SSZ)");
  const int year = digits_value(s, 0, 4);
  const int month = digits_value(s, 5, 2);
  const int day = digits_value(s, 8, 2);
  const int hour = digits_value(s, 11, 2);
  const int minute = digits_value(s, 14, 2);
  const int second = digits_value(s, 17, 2);
  if (year < 0 || s[4] != '-' || month < 0 || s[7] != '-' || day < 0 || (s[10] != 'T' && s[10] != 't') ||
      hour < 0 || s[13] != ':' || minute < 0 || s[16] != ':' || second < 0) {
    return fail("is not an RFC 3339 date-time: expected YYYY-MM-DDTHH:MM:SS followed by Z");
  }
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return fail("has a month outside 01-12");
  const int days_in_month = kDays[month - 1] + (month == 2 && is_leap(year));
  if (day < 1 || day > days_in_month) return fail("is not a real calendar date");
  if (hour > 23 || minute > 59 || second > 60) return fail("has a time of day out of range");
  size_t i = 19;
  int64_t millis = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const size_t first = i;
    while (i < s.size() && is_digit(s[i])) {
      if (i - first < 3) millis = millis * 10 + (s[i] - '0');
      ++i;
    }
    if (i == first) return fail("has a decimal point without fractional digits");
    for (size_t k = i - first; k < 3; ++k) millis *= 10;
  }
  Timestamp ts;
  int offset_minutes = 0;
  const std::string_view zone = s.substr(i);
  if (zone == "Z" || zone == "z") {
    ts.utc = true;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
             digits_value(zone, 1, 2) >= 0 && digits_value(zone, 4, 2) >= 0) {
    const int oh = digits_value(zone, 1, 2);
    const int om = digits_value(zone, 4, 2);
    if (oh > 23 || om > 59) return fail("has a time-zone offset out of range");
    offset_minutes = (oh * 60 + om) * (zone[0] == '-' ? -1 : 1);
    // -00:00 means "UTC, but the local offset is unknown" (RFC 3339 4.3): not a UTC statement.
    ts.utc = offset_minutes == 0 && zone[0] == '+';
    ts.offset_form = true;
  } else {
    return fail("has no valid time zone: expected Z (UTC)");
  }
  if (second == 60) {
    // A leap second is only ever inserted as the last second of a UTC day.
    const int utc_minutes = hour * 60 + minute - offset_minutes;
    if (((utc_minutes % 1440) + 1440) % 1440 != 23 * 60 + 59) return fail("uses second 60 outside a leap second (23:59:60 UTC)");
  }
  const int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + std::min(second, 59) - offset_minutes * 60;
  ts.unix_ms = seconds * 1000 + millis;
  return ts;
}

bool is_e164(std::string_view text) {
  if (text.size() < 9 || text.size() > 16 || text[0] != '+' || text[1] < '1' || text[1] > '9') return false;
  return std::all_of(text.begin() + 1, text.end(), is_digit);
}

bool is_email(std::string_view text) {
  if (!find_byte(text.data(), text.size(), '@')) return false;  // the common case, answered at once (16 bytes a step)
  return text.size() <= 254 && !text.empty() && email_length_at(text, 0) == text.size();
}

bool is_lower_email(std::string_view text) {
  return is_email(text) && std::none_of(text.begin(), text.end(), is_upper);
}

bool is_language_tag(std::string_view text) {
  // language (2-3 letters) then subtags of 2-8 letters or digits, separated by '-'.
  size_t i = 0;
  size_t part = 0;
  while (true) {
    const size_t start = i;
    while (i < text.size() && (is_alpha(text[i]) || (part > 0 && is_digit(text[i])))) ++i;
    const size_t length = i - start;
    if (part == 0 ? (length < 2 || length > 3) : (length < 1 || length > 8)) return false;
    ++part;
    if (i == text.size()) return true;
    if (text[i] != '-') return false;
    ++i;
  }
}

bool is_country_code(std::string_view text) { return text.size() == 2 && is_upper(text[0]) && is_upper(text[1]); }

bool is_https_url(std::string_view text) {
  constexpr std::string_view kScheme = "https://";
  if (text.size() <= kScheme.size() || text.substr(0, kScheme.size()) != kScheme) return false;
  return std::none_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20; });
}

bool is_redaction_token(std::string_view text) {
  constexpr std::string_view kPrefix = "redacted:";
  if (text.size() != kPrefix.size() + 32 || text.substr(0, kPrefix.size()) != kPrefix) return false;
  return std::all_of(text.begin() + kPrefix.size(), text.end(), [](char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); });
}

bool looks_like_contact_data(std::string_view text) {
  if (text.empty()) return false;
  if (is_email(text)) return true;
  return phone_length_at(text, 0) == text.size();
}

namespace {

bool is_phone_separator(char c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'; }

bool phone_start_at(std::string_view text, size_t i) {
  const char c = text[i];
  const bool boundary = i == 0 || !(is_alpha(text[i - 1]) || is_digit(text[i - 1]));
  return boundary && (c == '+' || c == '(' || is_digit(c));
}

// Where phone_length_at()'s scan from `at` stops when no limit stops it first: the first byte
// that is neither a digit nor an allowed separator. Every start inside [at, end) stops there too
// (what the scan allows at a byte depends only on the byte before it), so one look finds the end
// of the run for all of them.
size_t phone_run_end(std::string_view text, size_t at) {
  size_t i = text[at] == '+' ? at + 1 : at;
  bool last_separator = true;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (is_digit(c)) {
      last_separator = false;
    } else if (is_phone_separator(c) && !(last_separator && c != '(')) {
      last_separator = c != ')';
    } else {
      break;
    }
  }
  return i;
}

}  // namespace

std::optional<std::string_view> find_contact_data(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // An address around this '@': a local part ends just before it and a domain follows it.
    if (c == '@' && i > 0 && is_email_local_char(text[i - 1]) && email_domain_length_at(text, i + 1) > 0) {
      return "e-mail address";
    }
    if (!phone_start_at(text, i)) continue;
    if (phone_length_at(text, i) > 0) return "phone number";
    // A long run of digits and separators (a table of figures, or an attack): of the starts inside
    // it only those within the limits of its end can still be a number. Test those and go on
    // after the run, so each byte is read a bounded number of times.
    const size_t end = phone_run_end(text, i);
    size_t first = end;
    for (size_t digits = 0, separators = 0; first > i + 1; --first) {
      const char b = text[first - 1];
      if (is_digit(b) ? ++digits > kMaxPhoneDigits : ++separators > kMaxPhoneSeparators) break;
    }
    for (size_t k = first; k < end; ++k) {
      if (phone_start_at(text, k) && phone_length_at(text, k) > 0) return "phone number";
    }
    if (end > i + 1) i = end - 1;  // the byte at `end` is read next (it may be an '@' or a start)
  }
  return std::nullopt;
}

namespace {

constexpr std::string_view kCredentialExact[] = {"auth", "authorization", "credential", "credentials", "pwd", "pin",
                                                 "cvv", "otp"};
constexpr std::string_view kCredentialSuffixes[] = {"token",      "secret",     "password",  "passwd",    "passphrase",
                                                    "apikey",     "privatekey", "secretkey", "accesskey", "signingkey",
                                                    "sessionkey", "authkey",    "bearer",    "cookie"};
// A name can match only if its last letter or digit, in lower case, is one these end in.
constexpr auto kCredentialLastLetters = [] {
  std::array<bool, 256> last{};
  for (std::string_view exact : kCredentialExact) last[static_cast<unsigned char>(exact.back())] = true;
  for (std::string_view suffix : kCredentialSuffixes) last[static_cast<unsigned char>(suffix.back())] = true;
  return last;
}();

}  // namespace

bool is_credential_name(std::string_view name) {
  // Most names are ruled out by their last letter or digit, before anything is folded (a wide
  // object's members are all looked at).
  size_t end = name.size();
  while (end > 0 && !is_alpha(name[end - 1]) && !is_digit(name[end - 1])) --end;
  if (end == 0 || !kCredentialLastLetters[static_cast<unsigned char>(lower(name[end - 1]))]) return false;
  // Fold to lower case without separators, so apiKey, API-KEY and api_key all read "apikey".
  // Runs for every member of every event: no allocation, a fixed buffer (longer names keep their
  // last characters, which is where the suffixes are).
  char folded[64];
  size_t length = 0;
  for (char c : name) {
    if (!is_alpha(c) && !is_digit(c)) continue;
    if (length == sizeof folded) {
      std::memmove(folded, folded + 1, sizeof folded - 1);
      --length;
    }
    folded[length++] = lower(c);
  }
  const std::string_view word(folded, length);
  for (std::string_view exact : kCredentialExact) {
    if (word == exact) return true;
  }
  for (std::string_view suffix : kCredentialSuffixes) {
    if (word.size() >= suffix.size() && word.substr(word.size() - suffix.size()) == suffix) return true;
  }
  return false;
}

}  // namespace msgevents::detail
