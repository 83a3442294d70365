// Worked examples of the worklist's priority (docs/worklist.md#priority):
// priority = 100 x severity + min(99, largest amount at stake in whole £100s).
#include <catch2/catch.hpp>

#include "dpmon/core/worklist.hpp"

using namespace dpmon::core;
using namespace date::literals;

namespace {

money gbp(std::int64_t pounds, std::int64_t pence = 0) { return money::from_pence(pounds * 100 + pence); }

account_concerns one(std::string ref, std::int64_t id, flag_code code, money amount) {
    concern c;
    c.flag_id = id;
    c.code = code;
    c.amount = amount;
    c.since = 2026_y / 11 / 1;
    c.reason = "reason.";
    return {std::move(ref), "o@council.example", {c}};
}

}  // namespace

TEST_CASE("severity comes before money: an overdrawn account and a household payee outrank a far larger surplus") {
    std::vector<account_concerns> accounts{
        one("DP-000101", 1, flag_code::surplus, gbp(1369, 4)),              // 4 x 100 + 13 = 413
        one("DP-000102", 2, flag_code::surplus, gbp(20000)),                // 4 x 100 + 99 (capped) = 499
        one("DP-000110", 3, flag_code::overdrawn, -gbp(176)),               // 9 x 100 + 1 = 901
        one("DP-000108", 4, flag_code::underspend, gbp(500)),               // 8 x 100 + 5 = 805
        one("DP-000104", 5, flag_code::household_member_payment, gbp(50)),  // 9 x 100 + 0 = 900
        {"DP-000111", "o@council.example", {}},                             // nothing to do: not listed
    };
    const auto list = build_worklist(accounts);
    REQUIRE(list.size() == 5);
    std::vector<std::pair<std::string, std::int64_t>> order;
    for (const auto& e : list) order.emplace_back(e.account_ref, e.priority);
    CHECK(order == std::vector<std::pair<std::string, std::int64_t>>{
                       {"DP-000110", 901}, {"DP-000104", 900}, {"DP-000108", 805}, {"DP-000102", 499}, {"DP-000101", 413}});
    CHECK(list[0].next_action == "contact the holder today: overdrawn by \xC2\xA3" "176.00");
    CHECK(list[0].overdrawn == gbp(176));
    CHECK(list[4].next_action == "propose recovery of \xC2\xA3" "1,369.04");
    CHECK(list[4].recoverable_surplus == gbp(1369, 4));
}

TEST_CASE("an account's money is reported by kind, never summed, and its most severe concern says what to do") {
    account_concerns a = one("DP-000103", 7, flag_code::surplus, gbp(4241));
    concern arrears;
    arrears.flag_id = 8;
    arrears.code = flag_code::contribution_arrears;
    arrears.amount = gbp(153, 57);
    concern review;
    review.review = review_kind::dp_annual;
    review.since = 2026_y / 10 / 6;
    a.concerns.push_back(arrears);
    a.concerns.push_back(review);
    const auto list = build_worklist({a});
    REQUIRE(list.size() == 1);
    const auto& e = list[0];
    CHECK(e.recoverable_surplus == gbp(4241));
    CHECK(e.arrears == gbp(153, 57));
    CHECK(e.overdrawn.is_zero());
    CHECK(e.unexplained_inflows.is_zero());
    // Arrears and an overdue review are both severity 6; the larger sum comes first. Money points come from the
    // largest single amount (£4,241: 42).
    CHECK(e.priority == 642);
    CHECK(e.concerns[0].code == flag_code::contribution_arrears);
    CHECK(e.next_action == "ask the holder to pay contribution arrears of \xC2\xA3" "153.57");
    // With only the review, the action names it and its date.
    const auto only_review = build_worklist({{"DP-000105", "o@council.example", {review}}});
    CHECK(only_review[0].next_action == "complete the annual DP review overdue since 2026-10-06");
    CHECK(only_review[0].priority == 600);
}
