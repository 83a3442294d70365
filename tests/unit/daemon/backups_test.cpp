#include <catch2/catch.hpp>

#include "dpmon/app/backups.hpp"
#include "dpmon/app/retention.hpp"

using namespace date::literals;
using dpmon::core::civil_date;
using dpmon::daemon::app::backups_to_keep;

namespace {

std::vector<civil_date> days_back(civil_date from, int n) {
    std::vector<civil_date> out;
    for (int i = 0; i < n; ++i) out.push_back(civil_date{date::sys_days{from} - date::days{i}});
    return out;
}

}  // namespace

TEST_CASE("the keep rules keep the newest 7 daily backups and the newest of each of the 4 newest weeks") {
    // Wednesday 2 December 2026 back to 1 November: 32 days of daily backups.
    const auto kept = backups_to_keep(days_back(2026_y / 12 / 2, 32), 7, 4);
    const std::vector<civil_date> expected{
        2026_y / 12 / 2, 2026_y / 12 / 1, 2026_y / 11 / 30, 2026_y / 11 / 29, 2026_y / 11 / 28, 2026_y / 11 / 27,
        2026_y / 11 / 26,  // the 7 newest; this week's newest (2 Dec) and last week's (Sun 29 Nov) among them
        2026_y / 11 / 22, 2026_y / 11 / 15,  // the Sundays ending the two weeks before
    };
    CHECK(kept == expected);
}

TEST_CASE("the keep rules keep every backup when there are fewer than the daily count, and none are made up") {
    const auto kept = backups_to_keep({2026_y / 12 / 2, 2026_y / 11 / 20}, 7, 4);
    CHECK(kept == std::vector<civil_date>{2026_y / 12 / 2, 2026_y / 11 / 20});
    CHECK(backups_to_keep({}, 7, 4).empty());
}

TEST_CASE("weekly backups outlast the daily ones: a month-old weekly is kept, a five-week-old one goes") {
    std::vector<civil_date> days{2026_y / 12 / 2, 2026_y / 11 / 8, 2026_y / 11 / 1, 2026_y / 10 / 25};
    const auto kept = backups_to_keep(days, 1, 4);
    CHECK(kept == std::vector<civil_date>{2026_y / 12 / 2, 2026_y / 11 / 8, 2026_y / 11 / 1, 2026_y / 10 / 25});
    days.push_back(2026_y / 10 / 18);
    const auto fewer = backups_to_keep(days, 1, 4);
    CHECK(std::find(fewer.begin(), fewer.end(), 2026_y / 10 / 18) == fewer.end());
}

TEST_CASE("the retention cutoff is the same day retention_years earlier, clamped at the month's end") {
    CHECK(dpmon::daemon::app::retention_cutoff(2032_y / 7 / 1, 7) == 2025_y / 7 / 1);
    CHECK(dpmon::daemon::app::retention_cutoff(2032_y / 2 / 29, 7) == 2025_y / 2 / 28);
}

TEST_CASE("daily backup names are dpmon-YYYY-MM-DD.db") {
    CHECK(dpmon::daemon::app::daily_backup_name(2026_y / 12 / 2) == "dpmon-2026-12-02.db");
}
