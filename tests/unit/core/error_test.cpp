#include <boost/system/system_error.hpp>
#include <catch2/catch.hpp>

#include "dpmon/core/error.hpp"

TEST_CASE("dpmon errors carry a code in the dpmon category and a message for people") {
    const dpmon::error e = dpmon::make_error(dpmon::errc::not_found, "no account DP-000999");
    CHECK(e.code.category().name() == std::string("dpmon"));
    CHECK(e.code == dpmon::errc::not_found);
    CHECK(e.code.message() == "not found");
    CHECK(e.message == "no account DP-000999");
}

TEST_CASE("taking the value of a failed result throws a system_error with the message") {
    dpmon::result<int> r = dpmon::make_error(dpmon::errc::conflict, "already notified");
    CHECK_THROWS_WITH(r.value(), Catch::Contains("already notified"));
    CHECK_THROWS_AS(r.value(), boost::system::system_error);
}
