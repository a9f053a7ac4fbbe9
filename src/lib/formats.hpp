// The named formats of catalog fields (FieldSpec::format, item_format): one checker, used by the
// full validation path and the one-pass fast path alike, so the two cannot disagree.
#pragma once

#include <string>
#include <string_view>

namespace msgevents::detail {

// What is wrong with `value` for the named format, or "" when it conforms (or the format is not
// one the validator checks). `channel_kind` is the sibling `kind` member of a channel_address
// ("phone" or "email"; "" when absent or not a string).
std::string format_problem(std::string_view format, std::string_view value, std::string_view channel_kind = {});

}  // namespace msgevents::detail
