#include <catch2/catch.hpp>

#include "dpmon/core/period.hpp"

using namespace dpmon::core;
using namespace date::literals;

TEST_CASE("4-weekly periods are 28 days from the DP start, also across the clock changes") {
    const civil_date start = 2026_y / date::January / 5;
    const period p0 = period_at(period_kind::four_weekly, start, 0);
    CHECK(p0.first == start);
    CHECK(p0.last == 2026_y / date::February / 1);
    CHECK(p0.days() == 28);
    // The clocks go forward on 29 March 2026 and back on 25 October 2026: civil days are unaffected.
    for (const civil_date d : {2026_y / date::March / 29, 2026_y / date::October / 25}) {
        const period p = period_containing(period_kind::four_weekly, start, d);
        CHECK(p.days() == 28);
        CHECK(p.contains(d));
    }
    CHECK(period_containing(period_kind::four_weekly, start, 2026_y / date::March / 29).first == 2026_y / date::March / 2);
}

TEST_CASE("monthly periods count from the DP start each time, so a start on the 31st keeps its day") {
    const civil_date start = 2026_y / date::January / 31;
    const auto ps = periods_between(period_kind::monthly, start, start, 2026_y / date::May / 1);
    REQUIRE(ps.size() == 4);
    CHECK(ps[0].first == 2026_y / date::January / 31);
    CHECK(ps[0].last == 2026_y / date::February / 27);
    CHECK(ps[1].first == 2026_y / date::February / 28);
    CHECK(ps[1].last == 2026_y / date::March / 30);
    CHECK(ps[2].first == 2026_y / date::March / 31);
    CHECK(ps[2].last == 2026_y / date::April / 29);
    CHECK(ps[3].first == 2026_y / date::April / 30);
}

TEST_CASE("periods over 29 February in a leap year hold the extra day") {
    const civil_date start = 2028_y / date::February / 1;
    const period feb = period_at(period_kind::monthly, start, 0);
    CHECK(feb.last == 2028_y / date::February / 29);
    CHECK(feb.days() == 29);
    const period leap_4w = period_containing(period_kind::four_weekly, 2028_y / date::February / 15, 2028_y / date::February / 29);
    CHECK(leap_4w.first == 2028_y / date::February / 15);
    CHECK(leap_4w.last == 2028_y / date::March / 13);
    CHECK(period_containing(period_kind::monthly, 2027_y / date::August / 31, 2028_y / date::February / 29).first ==
          2028_y / date::February / 29);
}

TEST_CASE("quarterly periods are three anchored months, and every date falls in exactly one period") {
    const civil_date start = 2026_y / date::May / 31;
    CHECK(period_at(period_kind::quarterly, start, 1).first == 2026_y / date::August / 31);
    CHECK(period_at(period_kind::quarterly, start, 2).first == 2026_y / date::November / 30);
    for (period_kind k : {period_kind::four_weekly, period_kind::monthly, period_kind::quarterly}) {
        INFO(to_string(k));
        const auto ps = periods_between(k, start, start, 2028_y / date::December / 31);
        for (std::size_t i = 1; i < ps.size(); ++i) {
            CHECK(add_days(ps[i - 1].last, 1) == ps[i].first);
            CHECK(ps[i].index == ps[i - 1].index + 1);
        }
        for (civil_date d = start; d <= 2028_y / date::December / 31; d = add_days(d, 13)) {
            const period p = period_containing(k, start, d);
            CHECK(p.contains(d));
            CHECK(p == period_at(k, start, p.index));
        }
    }
}
