#include <catch2/catch.hpp>

#include "dpmon/core/civil_date.hpp"

using namespace dpmon::core;
using namespace date::literals;

TEST_CASE("ISO dates parse and format, and days that do not exist are refused") {
    CHECK(parse_iso_date("2028-02-29").value() == 2028_y / date::February / 29);
    CHECK(format_iso_date(2026_y / date::January / 5) == "2026-01-05");
    for (const char* bad : {"2026-02-29", "2026-13-01", "2026-00-10", "2026-1-5", "05/01/2026", "", "2026-01-05x",
                            "abcd-ef-gh"}) {
        INFO(bad);
        auto r = parse_iso_date(bad);
        REQUIRE(r.has_error());
        CHECK(r.error().code == dpmon::make_error_code(dpmon::errc::date_invalid));
    }
    CHECK(parse_iso_date("2026-02-29").error().message ==
          "'2026-02-29' is not a date: no such day (expected YYYY-MM-DD)");
}

TEST_CASE("adding months clamps to the end of a shorter month") {
    CHECK(add_months(2026_y / date::August / 31, 6) == 2027_y / date::February / 28);
    CHECK(add_months(2027_y / date::August / 31, 6) == 2028_y / date::February / 29);
    CHECK(add_months(2028_y / date::February / 29, 12) == 2029_y / date::February / 28);
    CHECK(add_months(2026_y / date::January / 31, 1) == 2026_y / date::February / 28);
    CHECK(add_months(2026_y / date::March / 15, -3) == 2025_y / date::December / 15);
    CHECK(add_days(2028_y / date::February / 28, 1) == 2028_y / date::February / 29);
    CHECK(add_days(2026_y / date::January / 1, -1) == 2025_y / date::December / 31);
}

TEST_CASE("the local date in Europe/London follows British Summer Time") {
    const auto* london = date::locate_zone("Europe/London");
    // 23:30 UTC on 30 June is 00:30 BST on 1 July.
    const auto summer = date::sys_days{2026_y / date::June / 30} + std::chrono::hours(23) + std::chrono::minutes(30);
    CHECK(local_date(summer, *london) == 2026_y / date::July / 1);
    // 23:30 UTC on 30 December is still 30 December in GMT.
    const auto winter = date::sys_days{2026_y / date::December / 30} + std::chrono::hours(23) + std::chrono::minutes(30);
    CHECK(local_date(winter, *london) == 2026_y / date::December / 30);
    // The clocks go forward at 01:00 UTC on 29 March 2026: 00:59 UTC is 00:59 GMT, 01:00 UTC is 02:00 BST.
    const auto before = date::sys_days{2026_y / date::March / 29} + std::chrono::minutes(59);
    CHECK(local_date(before, *london) == 2026_y / date::March / 29);
    CHECK(format_utc_timestamp(before) == "2026-03-29T00:59:00Z");
}
