#include <catch2/catch.hpp>

#include <map>

#include "dpmon/core/daily_schedule.hpp"

using namespace dpmon::core;
using namespace date::literals;
using std::chrono::minutes;

namespace {

const date::time_zone& london() { return *date::locate_zone("Europe/London"); }

std::chrono::system_clock::time_point utc(civil_date d, int hour, int minute) {
    return date::sys_days{d} + std::chrono::hours(hour) + minutes(minute);
}

// Steps a simulated clock through [from, to) a minute at a time, running the job whenever decide_daily
// says so, and counts the runs per local day.
std::map<std::string, int> simulate(std::chrono::system_clock::time_point from, std::chrono::system_clock::time_point to,
                                    int daily_at, std::optional<civil_date> last = std::nullopt) {
    std::map<std::string, int> runs;
    for (auto now = from; now < to; now += minutes(1)) {
        const auto d = decide_daily(now, last, daily_at, london());
        if (d.run_for) {
            ++runs[format_iso_date(*d.run_for)];
            last = d.run_for;
        }
    }
    return runs;
}

}  // namespace

TEST_CASE("the daily job runs once on the last Sunday of March and of October, at 07:00 local time") {
    // 2027: the clocks go forward on 28 March and back on 31 October.
    for (const civil_date sunday : {2027_y / 3 / 28, 2027_y / 10 / 31}) {
        const civil_date saturday = add_days(sunday, -1);
        const auto runs = simulate(utc(saturday, 12, 0), utc(add_days(sunday, 2), 0, 0), 7 * 60, saturday);
        INFO(format_iso_date(sunday));
        CHECK(runs.at(format_iso_date(sunday)) == 1);
        CHECK(runs.at(format_iso_date(add_days(sunday, 1))) == 1);
        CHECK(runs.size() == 2);
    }
    // 07:00 in London is 06:00 UTC in summer time and 07:00 UTC in winter.
    CHECK(daily_run_instant(2027_y / 3 / 28, 7 * 60, london()) == utc(2027_y / 3 / 28, 6, 0));
    CHECK(daily_run_instant(2027_y / 3 / 27, 7 * 60, london()) == utc(2027_y / 3 / 27, 7, 0));
    CHECK(daily_run_instant(2027_y / 10 / 31, 7 * 60, london()) == utc(2027_y / 10 / 31, 7, 0));
}

TEST_CASE("a daily time the clocks skip or repeat still runs exactly once that day") {
    // 01:30 does not exist on 28 March 2027 (01:00 -> 02:00) and happens twice on 31 October 2027.
    CHECK(daily_run_instant(2027_y / 3 / 28, 90, london()) == utc(2027_y / 3 / 28, 1, 0));
    CHECK(daily_run_instant(2027_y / 10 / 31, 90, london()) == utc(2027_y / 10 / 31, 0, 30));
    for (const civil_date sunday : {2027_y / 3 / 28, 2027_y / 10 / 31}) {
        const auto runs = simulate(utc(add_days(sunday, -1), 12, 0), utc(sunday, 23, 0), 90, add_days(sunday, -1));
        CHECK(runs.at(format_iso_date(sunday)) == 1);
        CHECK(runs.size() == 1);
    }
}

TEST_CASE("a wall clock set back after the run does not run the day again - set forward, it runs the new day once") {
    const civil_date day = 2027_y / 6 / 10;
    auto d = decide_daily(utc(day, 6, 30), add_days(day, -1), 7 * 60, london());  // 07:30 BST
    REQUIRE(d.run_for);
    CHECK(*d.run_for == day);
    // Set back two hours: before the run time again, but today has run.
    d = decide_daily(utc(day, 4, 30), day, 7 * 60, london());
    CHECK_FALSE(d.run_for);
    CHECK(d.next_run == utc(add_days(day, 1), 6, 0));
    // Set forward a day and a half: that day runs once.
    const auto runs = simulate(utc(add_days(day, 1), 20, 0), utc(add_days(day, 1), 22, 0), 7 * 60, day);
    CHECK(runs.size() == 1);
    CHECK(runs.at(format_iso_date(add_days(day, 1))) == 1);
}

TEST_CASE("after downtime the missed days are caught up at once as one run for yesterday, then today runs on time") {
    const civil_date back = 2027_y / 6 / 20;
    // Down since the run of 10 June; back at 05:00 on 20 June, before the daily time.
    auto d = decide_daily(utc(back, 4, 0), 2027_y / 6 / 10, 7 * 60, london());
    REQUIRE(d.run_for);
    CHECK(*d.run_for == 2027_y / 6 / 19);
    d = decide_daily(utc(back, 4, 1), 2027_y / 6 / 19, 7 * 60, london());
    CHECK_FALSE(d.run_for);
    CHECK(d.next_run == utc(back, 6, 0));
    // Back after the daily time: today's run covers it.
    d = decide_daily(utc(back, 9, 0), 2027_y / 6 / 10, 7 * 60, london());
    REQUIRE(d.run_for);
    CHECK(*d.run_for == back);
}
