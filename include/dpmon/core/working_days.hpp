#pragma once
// working_days: which days an office works. Due dates that fall on a weekend or a bank holiday move to the
// working day before (docs/rules.md#reviews-and-audits).

#include <vector>

#include "dpmon/core/civil_date.hpp"

namespace dpmon::core {

class working_calendar {
public:
    // Weekends only.
    working_calendar() = default;
    // Weekends and these bank holidays (any order; duplicates are harmless).
    explicit working_calendar(std::vector<civil_date> holidays);

    bool is_working_day(civil_date d) const;
    // `d` when it is a working day, else the nearest working day before it.
    civil_date on_or_before(civil_date d) const;
    const std::vector<civil_date>& holidays() const { return holidays_; }

private:
    std::vector<civil_date> holidays_;  // sorted, unique
};

// The bank holidays of England and Wales for 2024 to 2028 as published by GOV.UK (substitute days
// included). Councils add later years in config ([policy] bank_holidays).
std::vector<civil_date> england_and_wales_bank_holidays();

}  // namespace dpmon::core
