#include "envelope_rules.hpp"

#include <cmath>
#include <cstdlib>

#include "text_util.hpp"

namespace msgevents::detail {

bool is_integer_text(std::string_view number) {
  // A plain loop: find_first_of calls memchr over the three characters for every digit.
  for (const char c : number) {
    if (c == '.' || c == 'e' || c == 'E') return false;
  }
  return true;
}

NumberRange number_range(std::string_view number) {
  // JSON integers have no leading zeros, so the digit count tells the magnitude: no conversion
  // (a run of huge numbers must not cost a strtod each), and one pass over the text. 10^308 is
  // the last power of ten a double holds; only that many digits and more need strtod to tell a
  // finite value.
  size_t digits = 0;
  uint64_t magnitude = 0;  // of the first 16 digits
  bool integer = true;
  for (const char c : number) {
    if (c >= '0' && c <= '9') {
      if (++digits <= 16) magnitude = magnitude * 10 + static_cast<uint64_t>(c - '0');
    } else if (c != '-') {
      integer = false;  // a fraction or an exponent
      break;
    }
  }
  if (integer) {
    if (digits <= 15) return NumberRange::Fits;
    if (digits == 16) return magnitude > kMaxSafeInteger ? NumberRange::BeyondSafeInteger : NumberRange::Fits;
    if (digits < 309) return NumberRange::BeyondSafeInteger;
  }
  const double value = std::strtod(std::string(number).c_str(), nullptr);
  if (!std::isfinite(value)) return NumberRange::NotFinite;
  if (integer && std::fabs(value) > static_cast<double>(kMaxSafeInteger)) return NumberRange::BeyondSafeInteger;
  return NumberRange::Fits;
}

bool within_bounds(const FieldSpec& field, std::string_view number) {
  if (!field.minimum && !field.maximum) return true;
  const double value = std::strtod(std::string(number).c_str(), nullptr);
  return !((field.minimum && value < *field.minimum) || (field.maximum && value > *field.maximum));
}

std::optional<uint64_t> version_value(std::string_view digits) {
  if (digits.empty() || digits[0] == '-' || digits.size() > 16) return std::nullopt;
  uint64_t value = 0;
  for (char c : digits) value = value * 10 + static_cast<uint64_t>(c - '0');
  if (value < 1 || value > kMaxSafeInteger) return std::nullopt;
  return value;
}

bool only_creates(const AggregateSpec& aggregate, std::string_view event_name) {
  bool creates = false;
  for (const auto& transition : aggregate.transitions) {
    if (transition.event != event_name) continue;
    if (!transition.from.empty()) return false;
    creates = true;
  }
  return creates;
}

namespace {

enum class KeyProblem { None, Empty, TooLong, Control };

KeyProblem idempotency_key_check(std::string_view key) {
  if (key.empty()) return KeyProblem::Empty;
  if (key.size() > 255 && code_points(key) > 255) return KeyProblem::TooLong;  // no more code points than bytes
  for (size_t i = 0; i < key.size(); ++i) {
    const auto c = static_cast<unsigned char>(key[i]);
    const bool c1 = c == 0xC2 && i + 1 < key.size() && static_cast<unsigned char>(key[i + 1]) < 0xA0;
    if (c < 0x20 || c == 0x7F || c1) return KeyProblem::Control;
  }
  return KeyProblem::None;
}

}  // namespace

std::string idempotency_key_problem(std::string_view key) {
  switch (idempotency_key_check(key)) {
    case KeyProblem::None: return {};
    case KeyProblem::Empty: return "is empty";
    case KeyProblem::TooLong: return "is longer than 255 characters";
    case KeyProblem::Control: return "contains a control character";
  }
  return {};
}

bool idempotency_key_ok(std::string_view key) { return idempotency_key_check(key) == KeyProblem::None; }

bool parse_schema_version(std::string_view text, uint64_t* major, uint64_t* minor) {
  const size_t dot = text.find('.');
  auto number = [](std::string_view part, uint64_t* out) {
    if (part.empty() || part.size() > 9 || (part.size() > 1 && part[0] == '0')) return false;
    *out = 0;
    for (char c : part) {
      if (c < '0' || c > '9') return false;
      *out = *out * 10 + static_cast<uint64_t>(c - '0');
    }
    return true;
  };
  return dot != std::string_view::npos && number(text.substr(0, dot), major) && number(text.substr(dot + 1), minor);
}

}  // namespace msgevents::detail
