#pragma once
// Civil dates (a day in the council's calendar, no time of day) and the conversions dpmon needs.
// Dates are date::year_month_day; "today" is always computed from a clock reading passed in.

#include <chrono>
#include <date/date.h>
#include <date/tz.h>
#include <string>
#include <string_view>

#include "dpmon/core/error.hpp"

namespace dpmon::core {

using civil_date = date::year_month_day;

// "2026-02-28". Anything else, or a day that does not exist (2026-02-29), is errc::date_invalid.
result<civil_date> parse_iso_date(std::string_view text);

// "2026-02-28".
std::string format_iso_date(civil_date d);

// The calendar day in `zone` at instant `t`. `zone` is borrowed for the call only.
civil_date local_date(std::chrono::system_clock::time_point t, const date::time_zone& zone);

// d plus n months; a day past the end of the target month clamps to its last day
// (2026-08-31 + 6 months = 2027-02-28).
civil_date add_months(civil_date d, int months);

// d plus n days (n may be negative).
civil_date add_days(civil_date d, int days);

// "2026-11-29T07:00:00Z": an instant in UTC, to the second, for APIs and logs.
std::string format_utc_timestamp(std::chrono::system_clock::time_point t);

// The reverse: "YYYY-MM-DDTHH:MM:SSZ" exactly; errc::date_invalid for anything else.
result<std::chrono::system_clock::time_point> parse_utc_timestamp(std::string_view text);

}  // namespace dpmon::core
