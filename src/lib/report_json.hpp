// The JSON of one finding appended to a report being written: what finding_to_json() returns,
// without a string of its own per finding (a report of many findings is written in one buffer).
#pragma once

#include <string>

#include "msgevents/validator.hpp"

namespace msgevents::detail {

void append_finding_json(std::string& out, const Finding& finding);

}  // namespace msgevents::detail
