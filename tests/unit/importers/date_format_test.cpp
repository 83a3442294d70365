#include <catch2/catch.hpp>

#include "dpmon/importers/date_format.hpp"

using dpmon::importers::parse_date;
using namespace date::literals;

TEST_CASE("bank date forms are read with their format") {
    struct c {
        const char* text;
        const char* format;
        dpmon::core::civil_date expected;
    };
    const c cases[] = {
        {"05/01/2026", "%d/%m/%Y", 2026_y / date::January / 5},
        {"5/1/2026", "%d/%m/%Y", 2026_y / date::January / 5},
        {"05/01/26", "%d/%m/%y", 2026_y / date::January / 5},
        {"2026-01-05", "%Y-%m-%d", 2026_y / date::January / 5},
        {"05 Jan 2026", "%d %b %Y", 2026_y / date::January / 5},
        {"05 JAN 2026", "%d %b %Y", 2026_y / date::January / 5},
        {"5 September 2026", "%d %B %Y", 2026_y / date::September / 5},
        {"5 Sept 2026", "%d %b %Y", 2026_y / date::September / 5},
        {"29/02/2028", "%d/%m/%Y", 2028_y / date::February / 29},
        {"2026-01-05 10:22:33", "%Y-%m-%d", 2026_y / date::January / 5},
        {"2026-01-05T10:22:33Z", "%Y-%m-%d", 2026_y / date::January / 5},
        {" 05/01/2026 ", "%d/%m/%Y", 2026_y / date::January / 5},
    };
    for (const auto& x : cases) {
        INFO(x.text << " with " << x.format);
        auto r = parse_date(x.text, x.format);
        REQUIRE(r.has_value());
        CHECK(*r == x.expected);
    }
}

TEST_CASE("dates that do not fit the format or do not exist are refused with the reason") {
    CHECK(parse_date("29/02/2026", "%d/%m/%Y").error().message == "'29/02/2026' is not a date in the form '%d/%m/%Y': no such day");
    CHECK(parse_date("2026-01-05", "%d/%m/%Y").error().message ==
          "'2026-01-05' is not a date in the form '%d/%m/%Y': it does not follow the form");
    CHECK(parse_date("", "%d/%m/%Y").error().message == "'' is not a date in the form '%d/%m/%Y': it is empty");
    CHECK(parse_date("05 Foo 2026", "%d %b %Y").error().message ==
          "'05 Foo 2026' is not a date in the form '%d %b %Y': it does not follow the form");
    CHECK(parse_date("05/01/2026x", "%d/%m/%Y").error().message ==
          "'05/01/2026x' is not a date in the form '%d/%m/%Y': unexpected text after the date");
    CHECK(parse_date("05/01/2026", "%d/%m/%Q").error().message ==
          "'05/01/2026' is not a date in the form '%d/%m/%Q': the form uses %Q, which dpmon does not read");
}
