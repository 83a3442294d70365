#include <catch2/catch.hpp>

#include "dpmon/core/plan.hpp"

using namespace dpmon::core;
using namespace date::literals;

TEST_CASE("planned amounts are prorated by day, rounded once") {
    // £350 a week over 28 days is £1,400.
    CHECK(prorate(money::from_pence(35000), frequency::week, 28).pence() == 140000);
    // £350 a week over 10 days: 350 * 10 / 7 = 500.00.
    CHECK(prorate(money::from_pence(35000), frequency::week, 10).pence() == 50000);
    // £100 a week over 1 day: 14.2857... -> 14.29.
    CHECK(prorate(money::from_pence(10000), frequency::week, 1).pence() == 1429);
    // £120 a month over 28 days: 120 * 28 * 12 / 365.25 = 110.39...
    CHECK(prorate(money::from_pence(12000), frequency::month, 28).pence() == 11039);
    // £149 a year over 365.25 days is £149 exactly, over 28 days 11.42...
    CHECK(prorate(money::from_pence(14900), frequency::year, 28).pence() == 1142);
    CHECK(prorate(money::from_pence(122000), frequency::four_weeks, 28).pence() == 122000);
    CHECK(prorate(money::from_pence(50000), frequency::one_off, 28).pence() == 0);
    CHECK(prorate(money::from_pence(-35000), frequency::week, 1).pence() == -5000);
}

TEST_CASE("a new plan version closes the one before it, and the version in force is found by date") {
    plan_version a;
    a.effective_from = 2026_y / date::January / 5;
    a.weekly_budget = money::from_pence(35000);
    plan_version b = a;
    b.effective_from = 2026_y / date::March / 16;
    b.weekly_budget = money::from_pence(42000);
    const auto vs = normalise_versions({b, a});
    REQUIRE(vs.size() == 2);
    CHECK(vs[0].effective_to == 2026_y / date::March / 15);
    CHECK_FALSE(vs[1].effective_to.has_value());
    CHECK(version_on(vs, 2026_y / date::March / 15)->weekly_budget.pence() == 35000);
    CHECK(version_on(vs, 2026_y / date::March / 16)->weekly_budget.pence() == 42000);
    CHECK(version_on(vs, 2026_y / date::January / 4) == nullptr);
}

TEST_CASE("plan frequencies are read from their file names") {
    frequency f{};
    CHECK((parse_frequency("4w", f) && f == frequency::four_weeks));
    CHECK((parse_frequency("month", f) && f == frequency::month));
    CHECK_FALSE(parse_frequency("fortnight", f));
    CHECK(to_string(frequency::quarter) == "quarter");
}
