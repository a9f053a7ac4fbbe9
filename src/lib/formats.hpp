// The named formats of catalog fields (FieldSpec::format, item_format): the one table of them,
// read by the catalog loader (which names are valid), the full validation path, the one-pass fast
// path (the same checker, so the two cannot disagree) and the JSON Schema export.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace msgevents::detail {

enum class Format { Identifier, E164, Email, DateTime, ChannelAddress, LanguageTag, CountryCode, Url };

// The format a catalog names, or nullopt for a name no checker implements.
std::optional<Format> find_format(std::string_view name);

// What is wrong with `value` for the format, or "" when it conforms. `channel_kind` is the
// sibling `kind` member of a channel_address ("phone" or "email"; "" when absent or not a string).
std::string format_problem(Format format, std::string_view value, std::string_view channel_kind = {});
// format_problem(...).empty(), without building a message (the fast path asks it per field).
bool format_ok(Format format, std::string_view value, std::string_view channel_kind = {});
// The same by name; a name that is not a format (or "") has no problem.
std::string format_problem(std::string_view format, std::string_view value, std::string_view channel_kind = {});

}  // namespace msgevents::detail
