#include "dpmon/core/working_days.hpp"

#include <algorithm>

namespace dpmon::core {

working_calendar::working_calendar(std::vector<civil_date> holidays) : holidays_(std::move(holidays)) {
    std::sort(holidays_.begin(), holidays_.end());
    holidays_.erase(std::unique(holidays_.begin(), holidays_.end()), holidays_.end());
}

bool working_calendar::is_working_day(civil_date d) const {
    const date::weekday wd{date::sys_days{d}};
    if (wd == date::Saturday || wd == date::Sunday) return false;
    return !std::binary_search(holidays_.begin(), holidays_.end(), d);
}

civil_date working_calendar::on_or_before(civil_date d) const {
    while (!is_working_day(d)) d = add_days(d, -1);
    return d;
}

std::vector<civil_date> england_and_wales_bank_holidays() {
    using namespace date::literals;
    return {
        2024_y / 1 / 1,  2024_y / 3 / 29, 2024_y / 4 / 1,  2024_y / 5 / 6,  2024_y / 5 / 27, 2024_y / 8 / 26,
        2024_y / 12 / 25, 2024_y / 12 / 26,
        2025_y / 1 / 1,  2025_y / 4 / 18, 2025_y / 4 / 21, 2025_y / 5 / 5,  2025_y / 5 / 26, 2025_y / 8 / 25,
        2025_y / 12 / 25, 2025_y / 12 / 26,
        2026_y / 1 / 1,  2026_y / 4 / 3,  2026_y / 4 / 6,  2026_y / 5 / 4,  2026_y / 5 / 25, 2026_y / 8 / 31,
        2026_y / 12 / 25, 2026_y / 12 / 28,  // Boxing Day falls on a Saturday: substitute Monday 28th
        2027_y / 1 / 1,  2027_y / 3 / 26, 2027_y / 3 / 29, 2027_y / 5 / 3,  2027_y / 5 / 31, 2027_y / 8 / 30,
        2027_y / 12 / 27, 2027_y / 12 / 28,  // Christmas and Boxing Day on the weekend: substitute 27th, 28th
        2028_y / 1 / 3,  // New Year's Day on a Saturday: substitute Monday 3rd
        2028_y / 4 / 14, 2028_y / 4 / 17, 2028_y / 5 / 1,  2028_y / 5 / 29, 2028_y / 8 / 28, 2028_y / 12 / 25,
        2028_y / 12 / 26,
    };
}

}  // namespace dpmon::core
