#include "formats.hpp"

#include "text_util.hpp"

namespace msgevents::detail {

std::string format_problem(std::string_view format, std::string_view value, std::string_view channel_kind) {
  if (format == "identifier") {
    const std::string problem = identifier_problem(value);
    return problem.empty() ? "" : problem + ": expected a stable identifier";
  }
  if (format == "e164") return is_e164(value) ? "" : "is not an E.164 phone number: expected + and 8 to 15 digits, such as +442079460123";
  if (format == "email") {
    if (is_lower_email(value)) return "";
    return is_email(value) ? "is not lower-cased: e-mail addresses are stored in lower case" : "is not an e-mail address";
  }
  if (format == "date-time") {
    std::string problem;
    const auto ts = parse_rfc3339(value, &problem);
    if (!ts) return problem;
    return ts->utc ? "" : "is not in UTC: expected the Z suffix";
  }
  if (format == "channel_address") {
    if (channel_kind == "phone") return format_problem("e164", value);
    if (channel_kind == "email") return format_problem("email", value);
    return "";
  }
  if (format == "language_tag") return is_language_tag(value) ? "" : "is not a BCP 47 language tag such as en-GB";
  if (format == "country_code") return is_country_code(value) ? "" : "is not an ISO 3166-1 alpha-2 country code such as GB";
  if (format == "url") return is_https_url(value) ? "" : "is not an https URL";
  return "";
}

}  // namespace msgevents::detail
