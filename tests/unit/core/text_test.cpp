#include <catch2/catch.hpp>

#include "dpmon/core/flag_code.hpp"
#include "dpmon/core/states.hpp"
#include "dpmon/core/status.hpp"
#include "dpmon/core/text.hpp"

using namespace dpmon::core;

TEST_CASE("text from outside is logged on one line: control characters are escaped, UTF-8 is kept") {
    CHECK(escape_control("bad\n<3>forged.csv") == "bad\\n<3>forged.csv");
    CHECK(escape_control("a\rb\tc\x1b[31md\x7f") == "a\\rb\\tc\\x1b[31md\\x7f");
    CHECK(escape_control("C:\\statements") == "C:\\\\statements");
    CHECK(escape_control("Jos\xC3\xA9 £12") == "Jos\xC3\xA9 £12");
}

TEST_CASE("health is the worst of its checks: ok, then degraded, then failing") {
    std::vector<health_check> checks{{"database", health_state::ok, "", "", ""}, {"disk", health_state::ok, "", "", ""}};
    CHECK(overall(checks) == health_state::ok);
    checks[1].state = health_state::degraded;
    CHECK(overall(checks) == health_state::degraded);
    checks[0].state = health_state::failing;
    CHECK(overall(checks) == health_state::failing);
    CHECK(to_string(health_state::degraded) == "degraded");
    CHECK(overall({}) == health_state::ok);
}

TEST_CASE("every flag code is written and read back by one table, and unknown text is no code") {
    for (const flag_code c : all_flag_codes()) CHECK(parse_flag_code(to_string(c)) == c);
    CHECK(all_flag_codes().size() == 17);
    CHECK(to_string(flag_code::overdrawn) == "OVERDRAWN");
    CHECK_FALSE(parse_flag_code("overdrawn").has_value());
    CHECK_FALSE(is_flag_code("NOT_A_CODE"));
}

TEST_CASE("flag, review, recovery and outbox states and import statuses are written and read back by one table each") {
    for (const auto s : {flag_state::open, flag_state::acknowledged, flag_state::resolved})
        CHECK(parse_flag_state(to_string(s)) == s);
    for (const auto s : {import_status::imported, import_status::duplicate, import_status::rejected, import_status::checked})
        CHECK(parse_import_status(to_string(s)) == s);
    for (const auto s : {review_state::scheduled, review_state::completed, review_state::cancelled})
        CHECK(parse_review_state(to_string(s)) == s);
    for (const auto s : {recovery_state::proposed, recovery_state::notified, recovery_state::recovered,
                         recovery_state::offset, recovery_state::waived})
        CHECK(parse_recovery_state(to_string(s)) == s);
    for (const auto s : {outbox_state::pending, outbox_state::sent, outbox_state::failed_permanent})
        CHECK(parse_outbox_state(to_string(s)) == s);
    CHECK(to_string(flag_state::acknowledged) == "acknowledged");
    CHECK_FALSE(parse_flag_state("closed").has_value());
}

TEST_CASE("a reference is named only as a whole, also across a quoted-printable soft line break") {
    using dpmon::core::names_whole;
    CHECK(names_whole("Now monitoring DP-1, DP-000777: 6 open flags", "DP-000777"));
    CHECK_FALSE(names_whole("Now monitoring DP-12 and DP-0007771", "DP-1"));
    CHECK_FALSE(names_whole("DP-0007771", "DP-000777"));
    CHECK(names_whole("accounts (DP-000001, DP-00077=\r\n7) for the first", "DP-000777"));
    CHECK(names_whole("87654321", "87654321"));
    CHECK_FALSE(names_whole("187654321", "87654321"));
    CHECK_FALSE(names_whole("anything", ""));
}
