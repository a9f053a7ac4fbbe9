#include "formats.hpp"

#include <utility>

#include "text_util.hpp"

namespace msgevents::detail {
namespace {

constexpr std::pair<std::string_view, Format> kFormats[] = {
    {"identifier", Format::Identifier},   {"e164", Format::E164},
    {"email", Format::Email},             {"date-time", Format::DateTime},
    {"channel_address", Format::ChannelAddress}, {"language_tag", Format::LanguageTag},
    {"country_code", Format::CountryCode}, {"url", Format::Url},
};

}  // namespace

std::optional<Format> find_format(std::string_view name) {
  for (const auto& [known, format] : kFormats) {
    if (known == name) return format;
  }
  return std::nullopt;
}

bool format_ok(Format format, std::string_view value, std::string_view channel_kind) {
  switch (format) {
    case Format::Identifier: return identifier_ok(value);
    case Format::E164: return is_e164(value);
    case Format::Email: return is_lower_email(value);
    case Format::DateTime: {
      std::string problem;
      const auto ts = parse_rfc3339(value, &problem);
      return ts && ts->utc;
    }
    case Format::ChannelAddress:
      if (channel_kind == "phone") return is_e164(value);
      if (channel_kind == "email") return is_lower_email(value);
      return true;
    case Format::LanguageTag: return is_language_tag(value);
    case Format::CountryCode: return is_country_code(value);
    case Format::Url: return is_https_url(value);
  }
  return true;
}

// Its verdict is format_ok's, so the two cannot disagree; the cases below only word the problem.
std::string format_problem(Format format, std::string_view value, std::string_view channel_kind) {
  if (format_ok(format, value, channel_kind)) return "";
  switch (format) {
    case Format::Identifier: {
      const std::string problem = identifier_problem(value);
      return problem.empty() ? "" : problem + ": expected a stable identifier";
    }
    case Format::E164:
      return is_e164(value) ? "" : "is not an E.164 phone number: expected + and 8 to 15 digits, such as +442079460123";
    case Format::Email:
      if (is_lower_email(value)) return "";
      return is_email(value) ? "is not lower-cased: e-mail addresses are stored in lower case" : "is not an e-mail address";
    case Format::DateTime: {
      std::string problem;
      const auto ts = parse_rfc3339(value, &problem);
      if (!ts) return problem;
      return ts->utc ? "" : "is not in UTC: expected the Z suffix";
    }
    case Format::ChannelAddress:
      if (channel_kind == "phone") return format_problem(Format::E164, value);
      if (channel_kind == "email") return format_problem(Format::Email, value);
      return "";
    case Format::LanguageTag: return is_language_tag(value) ? "" : "is not a BCP 47 language tag such as en-GB";
    case Format::CountryCode: return is_country_code(value) ? "" : "is not an ISO 3166-1 alpha-2 country code such as GB";
    case Format::Url: return is_https_url(value) ? "" : "is not an https URL";
  }
  return "";
}

std::string format_problem(std::string_view format, std::string_view value, std::string_view channel_kind) {
  const std::optional<Format> known = find_format(format);
  return known ? format_problem(*known, value, channel_kind) : "";
}

}  // namespace msgevents::detail
