// Worked examples for the audit flags: each raised, not raised at the edge of its threshold, and cleared.
// The account: DP from Monday 5 January 2026, 4-weekly periods (5 Jan - 1 Feb, 2 Feb - 1 Mar, ...), a PA
// paid under pa_wages (payee "J BLOGGS"), nothing else planned.
#include <catch2/catch.hpp>

#include <algorithm>

#include "dpmon/core/reconcile.hpp"

using namespace dpmon::core;
using namespace date::literals;

namespace {

money gbp(std::int64_t pounds, std::int64_t pence = 0) { return money::from_pence(pounds * 100 + pence); }

plan_version plan() {
    plan_version v;
    v.effective_from = 2026_y / 1 / 5;
    v.weekly_budget = gbp(350);
    v.basis = payment_basis::gross;
    v.council_payment = {gbp(1400), frequency::four_weeks, 2026_y / 1 / 5, "COUNCIL DP"};
    v.lines = {plan_line{"pa_wages", gbp(250), frequency::week, {"J BLOGGS"}}};
    return v;
}

categorised_transaction txn(civil_date d, money amount, std::string description, std::string category) {
    categorised_transaction c;
    c.t.date = d;
    c.t.amount = amount;
    c.t.description = std::move(description);
    c.category = std::move(category);
    return c;
}

account_facts facts(std::vector<categorised_transaction> txns) {
    account_facts f;
    f.account_ref = "DP-000123";
    f.dp_start = 2026_y / 1 / 5;
    f.plans = normalise_versions({plan()});
    f.transactions = std::move(txns);
    for (std::size_t i = 0; i < f.transactions.size(); ++i) f.transactions[i].id = static_cast<std::int64_t>(i + 1);
    // Statements reach every day up to the day of the reconciliation.
    f.statements.push_back({"statement.csv", f.dp_start, 2026_y / 12 / 31, std::nullopt, std::nullopt});
    return f;
}

std::vector<flag> of(const account_facts& f, const std::string& code, civil_date today = 2026_y / 1 / 31) {
    std::vector<flag> out;
    for (auto& fl : reconcile(f, today).flags) {
        if (to_string(fl.code) == code) out.push_back(fl);
    }
    return out;
}

}  // namespace

TEST_CASE("unplanned spend: over 25 pounds to uncategorised or an unplanned category is flagged, 25.00 is not") {
    // 25.01 uncategorised and 100.00 of equipment (not in the plan) in the first period: 125.01.
    auto f = facts({txn(2026_y / 1 / 10, -gbp(25, 1), "CORNER SHOP", "uncategorised"),
                    txn(2026_y / 1 / 12, -gbp(100), "MOBILITY AIDS LTD", "equipment"),
                    txn(2026_y / 1 / 14, -gbp(25), "NEWSAGENT", "uncategorised")});
    auto flags = of(f, "UNPLANNED_SPEND");
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].amount == gbp(125, 1));
    CHECK(flags[0].inputs.at("count") == "2");
    CHECK(flags[0].inputs.at("categories") == "equipment, uncategorised");
    CHECK(flags[0].span.first == 2026_y / 1 / 5);
    // Cleared: the rows turn out to be PA wages (planned).
    for (auto& t : f.transactions) t.category = "pa_wages";
    CHECK(of(f, "UNPLANNED_SPEND").empty());
}

TEST_CASE("restricted spend: a description on the council's list is flagged, others are not") {
    auto f = facts({txn(2026_y / 1 / 10, -gbp(10), "SKYBET LONDON", "uncategorised"),
                    txn(2026_y / 1 / 11, -gbp(12), "THE RED LION PUB", "uncategorised"),
                    txn(2026_y / 1 / 12, -gbp(9), "PUBLISHING HOUSE", "uncategorised")});
    auto flags = of(f, "RESTRICTED_SPEND");
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].amount == gbp(22));  // "BET" and "PUB " (at the end); "PUBLISHING" is not "PUB "
    CHECK(flags[0].inputs.at("patterns") == "BET, PUB ");
    f.rules.restricted_patterns = {"CASINO"};  // the council's list changes
    CHECK(of(f, "RESTRICTED_SPEND").empty());
}

TEST_CASE("cash withdrawals above the period's limit are listed for receipts, at the limit they are not") {
    auto f = facts({txn(2026_y / 1 / 10, -gbp(20), "LINK ATM HIGH ST", "uncategorised")});
    auto flags = of(f, "CASH_WITHDRAWAL");  // limit 0.00: every withdrawal
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].amount == gbp(20));
    CHECK(of(f, "UNPLANNED_SPEND").empty());  // cash is listed once, as cash
    f.rules.cash_limit_per_period = gbp(20);
    CHECK(of(f, "CASH_WITHDRAWAL").empty());
}

TEST_CASE("a payment to a household member without approval is flagged, with approval it is not") {
    auto f = facts({txn(2026_y / 1 / 10, -gbp(100), "M SMITH CARE", "pa_wages")});
    f.household = {{"M SMITH", "son", false}};
    auto flags = of(f, "HOUSEHOLD_MEMBER_PAYMENT");
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].amount == gbp(100));
    CHECK(flags[0].inputs.at("relationships") == "son");
    CHECK(flags[0].reason.find("M SMITH") == std::string::npos);  // no name in the reason
    f.household[0].approved = true;
    CHECK(of(f, "HOUSEHOLD_MEMBER_PAYMENT").empty());
}

TEST_CASE("money paid in that is not the council's, a contribution, a refund or interest is unexplained") {
    auto f = facts({txn(2026_y / 1 / 10, gbp(50), "A FRIEND", "uncategorised"),
                    txn(2026_y / 1 / 11, gbp(5), "BANK INTEREST", "interest")});
    auto flags = of(f, "UNEXPLAINED_INFLOW");
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].amount == gbp(50));
    f.transactions[0].category = "refund";
    CHECK(of(f, "UNEXPLAINED_INFLOW").empty());
}

TEST_CASE("a PA employer with no HMRC payment for more than 100 days is flagged, judged to the last statement day") {
    // HMRC paid 19 January; 100 days later is 29 April. Statements reaching 29 April: not yet.
    auto f = facts({txn(2026_y / 1 / 19, -gbp(90), "HMRC PAYE", "hmrc"), txn(2026_y / 4 / 29, -gbp(250), "J BLOGGS", "pa_wages")});
    const civil_date today = 2026_y / 5 / 20;
    f.statements = {{"jan-apr.csv", 2026_y / 1 / 5, 2026_y / 4 / 29, std::nullopt, std::nullopt}};
    CHECK(of(f, "EMPLOYER_OBLIGATION_MISSED", today).empty());
    // Reaching 30 April: 101 days.
    f.transactions.push_back(txn(2026_y / 4 / 30, -gbp(250), "J BLOGGS", "pa_wages"));
    f.statements[0].last = 2026_y / 4 / 30;
    auto flags = of(f, "EMPLOYER_OBLIGATION_MISSED", today);
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].inputs.at("hmrc_last_payment") == "2026-01-19");
    CHECK(flags[0].inputs.at("statements_to") == "2026-04-30");
    CHECK(flags[0].key == "EMPLOYER_OBLIGATION_MISSED");
    CHECK(flags[0].since == 2026_y / 4 / 30);
    // Cleared by an HMRC payment that day. (No pension is planned or paid, so none is expected; insurance is
    // due within 13 months of employing from 5 January 2026.)
    f.transactions.push_back(txn(2026_y / 4 / 30, -gbp(90), "HMRC PAYE", "hmrc"));
    CHECK(of(f, "EMPLOYER_OBLIGATION_MISSED", today).empty());
}

TEST_CASE("the same payee and amount twice within 3 days is a possible duplicate, 4 days apart or planned repeats are not") {
    auto f = facts({txn(2026_y / 1 / 10, -gbp(80), "PLUMBER  LTD", "uncategorised"),
                    txn(2026_y / 1 / 13, -gbp(80), "plumber ltd", "uncategorised")});
    auto flags = of(f, "DUPLICATE_PAYMENT");
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].amount == gbp(80));
    CHECK(flags[0].transactions == std::vector<std::int64_t>{2});  // the second payment of the pair
    CHECK(flags[0].since == 2026_y / 1 / 13);
    f.transactions[1].t.date = 2026_y / 1 / 14;
    CHECK(of(f, "DUPLICATE_PAYMENT").empty());
    // A payee the plan says is paid repeatedly.
    f.transactions[1].t.date = 2026_y / 1 / 11;
    f.plans[0].lines.push_back(plan_line{"other_agreed", gbp(160), frequency::week, {"PLUMBER"}, true});
    CHECK(of(f, "DUPLICATE_PAYMENT").empty());
}

TEST_CASE("two cash withdrawals a month apart are one open flag listing both, and after acknowledgement a third opens a new one") {
    auto f = facts({txn(2026_y / 1 / 10, -gbp(20), "LINK ATM HIGH ST", "uncategorised"),
                    txn(2026_y / 2 / 10, -gbp(30), "LINK ATM HIGH ST", "uncategorised")});
    auto flags = of(f, "CASH_WITHDRAWAL", 2026_y / 2 / 20);
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].key == "CASH_WITHDRAWAL#1");
    CHECK(flags[0].transactions == std::vector<std::int64_t>{1, 2});
    CHECK(flags[0].amount == gbp(50));
    CHECK(flags[0].inputs.at("count") == "2");
    CHECK(flags[0].inputs.at("transactions") == "1 2");
    CHECK(flags[0].since == 2026_y / 1 / 10);
    // An officer acknowledges it: the same two are not listed again.
    f.acknowledged[flag_code::cash_withdrawal] = {{1, 2}, 1};
    CHECK(of(f, "CASH_WITHDRAWAL", 2026_y / 2 / 20).empty());
    // A third withdrawal: a new flag (a new key, so a new id) listing only it.
    f.transactions.push_back(txn(2026_y / 3 / 10, -gbp(40), "LINK ATM HIGH ST", "uncategorised"));
    f.transactions.back().id = 3;
    flags = of(f, "CASH_WITHDRAWAL", 2026_y / 3 / 20);
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].key == "CASH_WITHDRAWAL#2");
    CHECK(flags[0].transactions == std::vector<std::int64_t>{3});
    CHECK(flags[0].amount == gbp(40));
}

TEST_CASE("a transaction after the last statement day is not judged yet") {
    // Rows can only come from statements, but the rule reads the cover, not the rows.
    auto f = facts({txn(2026_y / 1 / 10, -gbp(20), "LINK ATM HIGH ST", "uncategorised")});
    f.statements = {{"jan.csv", 2026_y / 1 / 5, 2026_y / 1 / 9, std::nullopt, std::nullopt}};
    CHECK(of(f, "CASH_WITHDRAWAL", 2026_y / 1 / 31).empty());
}
