#include <catch2/catch.hpp>

#include "dpmon/alerts/masking.hpp"

using dpmon::alerts::mask_account_number;

TEST_CASE("account numbers in alerts show only their last four digits") {
    CHECK(mask_account_number("12345678") == "****5678");
    CHECK(mask_account_number("1234 5678") == "****5678");
    CHECK(mask_account_number("5301-0000-1111-2222") == "****2222");
    CHECK(mask_account_number("1234") == "****");
    CHECK(mask_account_number("") == "****");
}
