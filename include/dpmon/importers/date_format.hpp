#pragma once
// Dates as banks write them, read with a strftime-like format.

#include <string_view>

#include "dpmon/core/civil_date.hpp"

namespace dpmon::importers {

// Reads `text` with `format`: %d or %e (day, 1-2 digits), %m (month, 1-2 digits), %Y (4-digit year),
// %y (2-digit year, 2000-2099), %b (month name, 3 letters or full, any case), %B (same), %% and literal
// characters. A time after the date (" 10:22", "T10:22:33") is ignored. errc::date_invalid with the text,
// the format and what is wrong.
result<core::civil_date> parse_date(std::string_view text, std::string_view format);

}  // namespace dpmon::importers
