// Worked examples for reconcile(); each figure is computed by hand in the comments.
#include <catch2/catch.hpp>

#include <algorithm>

#include "dpmon/core/reconcile.hpp"

using namespace dpmon::core;
using namespace date::literals;

namespace {

money gbp(std::int64_t pounds, std::int64_t pence = 0) { return money::from_pence(pounds * 100 + pence); }

// DP from Monday 5 January 2026: £350 a week, the person pays in £45 a week (net), the council pays
// £1,220 every 4 weeks ((350 - 45) x 4) from 5 January; a PA is paid £250 a week.
plan_version standard_plan() {
    plan_version v;
    v.effective_from = 2026_y / date::January / 5;
    v.weekly_budget = gbp(350);
    v.weekly_contribution = gbp(45);
    v.basis = payment_basis::net;
    v.council_payment = {gbp(1220), frequency::four_weeks, 2026_y / date::January / 5, "COUNCIL DP"};
    v.contribution_payer = "SMITH J";
    v.lines = {plan_line{"pa_wages", gbp(250), frequency::week, {"J BLOGGS"}}};
    return v;
}

categorised_transaction txn(civil_date d, money amount, std::string category, std::optional<money> balance = {}) {
    categorised_transaction c;
    c.t.date = d;
    c.t.amount = amount;
    c.t.description = category;
    c.t.balance = balance;
    c.category = std::move(category);
    return c;
}

account_facts facts_with(std::vector<categorised_transaction> txns, std::vector<plan_version> plans = {standard_plan()}) {
    account_facts f;
    f.account_ref = "DP-000123";
    f.dp_start = 2026_y / date::January / 5;
    f.plans = normalise_versions(std::move(plans));
    f.transactions = std::move(txns);
    for (std::size_t i = 0; i < f.transactions.size(); ++i) f.transactions[i].id = static_cast<std::int64_t>(i + 1);
    // Statements reach every day up to the day of the reconciliation unless a test says otherwise.
    f.statements.push_back({"statement.csv", f.dp_start, 2026_y / 12 / 31, std::nullopt, std::nullopt});
    return f;
}

std::vector<std::string> codes(const reconciliation& r) {
    std::vector<std::string> out;
    for (const auto& f : r.flags) out.push_back(std::string(to_string(f.code)));
    return out;
}

}  // namespace

TEST_CASE("an account 10 weeks in credit is a surplus: recoverable keeps 4 weeks and refunds overpaid contributions") {
    // The statement's first row says the balance after the £1,220 council payment is £4,025, so the account
    // held £2,805 before it. Five contributions of £45 (£225) come in; three weeks' wages (£750) go out.
    // Closing on 1 February: 2,805 + 1,220 + 225 - 750 = £3,500 = 10 weeks of £350.
    const auto f = facts_with({
        txn(2026_y / 1 / 5, gbp(1220), "council_payment", gbp(4025)),
        txn(2026_y / 1 / 6, gbp(45), "client_contribution"),
        txn(2026_y / 1 / 9, -gbp(250), "pa_wages"),
        txn(2026_y / 1 / 13, gbp(45), "client_contribution"),
        txn(2026_y / 1 / 16, -gbp(250), "pa_wages"),
        txn(2026_y / 1 / 20, gbp(45), "client_contribution"),
        txn(2026_y / 1 / 23, -gbp(250), "pa_wages"),
        txn(2026_y / 1 / 27, gbp(45), "client_contribution"),
        txn(2026_y / 1 / 30, gbp(45), "client_contribution"),
    });
    const reconciliation r = reconcile(f, 2026_y / date::February / 1);
    REQUIRE(r.periods.size() == 1);
    const period_figures& p = r.periods[0];
    CHECK(p.opening == gbp(2805));
    CHECK(p.closing == gbp(3500));
    CHECK_FALSE(p.balance_from_statement);  // computed from the first known balance
    CHECK(p.expected_council == gbp(1220));
    CHECK(p.actual_council == gbp(1220));
    CHECK(p.expected_contribution == gbp(180));  // 4 weeks x £45
    CHECK(p.actual_contribution == gbp(225));
    REQUIRE(p.spend.size() == 1);
    CHECK(p.spend[0].planned == gbp(1000));  // 4 weeks x £250
    CHECK(p.spend[0].actual == gbp(750));
    // Threshold 8 x £350 = £2,800 < £3,500. Recoverable: 3,500 - 4 x 350 - (225 - 180) = £2,055.
    REQUIRE(codes(r) == std::vector<std::string>{"SURPLUS"});
    CHECK(r.flags[0].amount == gbp(2055));
    CHECK(r.flags[0].key == "SURPLUS");
    CHECK(r.flags[0].inputs.at("overpaid_contributions") == "45.00");
    CHECK(r.flags[0].reason ==
          "The balance of \xC2\xA3" "3,500.00 on 2026-02-01 is more than 8 weeks of the direct payment (\xC2\xA3" "2,800.00). "
          "Keeping 4 weeks (\xC2\xA3" "1,400.00) and refunding overpaid contributions of \xC2\xA3" "45.00, \xC2\xA3" "2,055.00 "
          "could be recovered.");
}

TEST_CASE("a balance exactly at the threshold is not a surplus") {
    // 2,800 before the council payment is £2,800 exactly with the payment spent the same day.
    const auto f = facts_with({txn(2026_y / 1 / 5, gbp(1220), "council_payment", gbp(4020)),
                               txn(2026_y / 1 / 5, -gbp(1220), "pa_wages"),
                               txn(2026_y / 1 / 5, gbp(0), "client_contribution")});
    auto plan = standard_plan();
    plan.weekly_contribution = gbp(0);
    plan.council_payment.amount = gbp(1400);
    CHECK(codes(reconcile(facts_with(f.transactions, {plan}), 2026_y / date::January / 10)).empty());
}

TEST_CASE("three missed contributions are arrears once the grace period has passed") {
    // Due by 1 February (15 February less 14 days): 4 weeks x £45 = £180. Paid: one £45. Arrears £135.
    const auto f = facts_with({txn(2026_y / 1 / 5, gbp(1220), "council_payment", gbp(1220)),
                               txn(2026_y / 1 / 6, gbp(45), "client_contribution"),
                               txn(2026_y / 2 / 2, gbp(1220), "council_payment")});
    const reconciliation r = reconcile(f, 2026_y / date::February / 15);
    REQUIRE(codes(r) == std::vector<std::string>{"CONTRIBUTION_ARREARS"});
    CHECK(r.flags[0].amount == gbp(135));
    CHECK(r.flags[0].key == "CONTRIBUTION_ARREARS");
    CHECK(r.flags[0].since == 2026_y / 1 / 12);  // by 12 January (daily) more than the £45 paid was due
    // Within the grace period nothing is due yet: on 18 January, due by 4 January is nothing.
    CHECK(codes(reconcile(f, 2026_y / date::January / 18)).empty());
    // Gross payments invoice the contribution: no arrears in the account.
    auto gross = standard_plan();
    gross.basis = payment_basis::gross;
    CHECK(codes(reconcile(facts_with(f.transactions, {gross}), 2026_y / date::February / 15)).empty());
}

TEST_CASE("a plan change mid-period prorates the expectations by day") {
    // Plan A (£45 contribution, £250 wages) for 5-18 January; plan B (£60, £300) from 19 January.
    // Period 5 Jan - 1 Feb: contributions 2 x 45 + 2 x 60 = £210; wages 2 x 250 + 2 x 300 = £1,100.
    auto b = standard_plan();
    b.effective_from = 2026_y / date::January / 19;
    b.weekly_budget = gbp(420);
    b.weekly_contribution = gbp(60);
    b.council_payment = {gbp(1440), frequency::four_weeks, 2026_y / date::February / 2, "COUNCIL DP"};
    b.lines = {plan_line{"pa_wages", gbp(300), frequency::week, {"J BLOGGS"}}};
    const auto f = facts_with({txn(2026_y / 1 / 5, gbp(1220), "council_payment", gbp(1220))}, {standard_plan(), b});
    const reconciliation r = reconcile(f, 2026_y / date::February / 10);
    REQUIRE(r.periods.size() == 2);
    CHECK(r.periods[0].expected_contribution == gbp(210));
    CHECK(r.periods[0].planned_spend == gbp(1100));
    CHECK(r.periods[0].expected_council == gbp(1220));  // plan A's next date (2 Feb) is after A ended
    CHECK(r.periods[1].expected_council == gbp(1440));  // plan B's first payment
    // 2-10 February is 9 days of £60 a week: 77.142... -> £77.14.
    CHECK(r.periods[1].expected_contribution == gbp(77, 14));
}

TEST_CASE("a council payment that never came is flagged once its grace days have passed") {
    const auto f = facts_with({txn(2026_y / 1 / 5, gbp(1220), "council_payment", gbp(1220)),
                               txn(2026_y / 1 / 6, gbp(45), "client_contribution"),
                               txn(2026_y / 1 / 13, gbp(45), "client_contribution"),
                               txn(2026_y / 1 / 20, gbp(45), "client_contribution"),
                               txn(2026_y / 1 / 27, gbp(45), "client_contribution")});
    // Due 2 February; 5 days' grace ends on 7 February.
    CHECK(codes(reconcile(f, 2026_y / date::February / 7)).empty());
    const reconciliation r = reconcile(f, 2026_y / date::February / 8);
    REQUIRE(codes(r) == std::vector<std::string>{"COUNCIL_PAYMENT_MISSING"});
    CHECK(r.flags[0].key == "COUNCIL_PAYMENT_MISSING:2026-02-02");
    CHECK(r.flags[0].amount == gbp(1220));
    // A payment two days late clears it.
    auto late = f;
    late.transactions.push_back(txn(2026_y / 2 / 4, gbp(1220), "council_payment"));
    CHECK(codes(reconcile(late, 2026_y / date::February / 8)).empty());
}

TEST_CASE("a day below zero is overdrawn even when the balance recovers the same day") {
    const auto f = facts_with({txn(2026_y / 1 / 5, gbp(1220), "council_payment", gbp(1220)),
                               txn(2026_y / 1 / 6, gbp(45), "client_contribution"),
                               txn(2026_y / 1 / 10, -gbp(1285), "pa_wages"),  // 1,265 - 1,285 = -£20
                               txn(2026_y / 1 / 10, gbp(20), "refund")});
    const reconciliation r = reconcile(f, 2026_y / date::January / 20);
    REQUIRE(codes(r) == std::vector<std::string>{"OVERDRAWN"});
    CHECK(r.flags[0].amount == -gbp(20));
    CHECK(r.flags[0].reason == "The account was overdrawn on 2026-01-10: the balance fell to -\xC2\xA3" "20.00 on 2026-01-10.");
    CHECK(r.flags[0].ended == 2026_y / 1 / 10);  // an episode that is over: recorded, resolved
    CHECK(r.periods[0].other_inflows == gbp(20));
}

TEST_CASE("the sum of each period's money in less money out is the change in its balance") {
    // A small property check over generated accounts (deterministic pseudo-random amounts).
    std::uint64_t seed = 12345;
    auto next = [&] { return seed = seed * 6364136223846793005ULL + 1442695040888963407ULL; };
    for (int account = 0; account < 20; ++account) {
        std::vector<categorised_transaction> txns;
        civil_date d = 2026_y / date::January / 5;
        const char* cats[] = {"council_payment", "client_contribution", "pa_wages", "refund", "uncategorised"};
        for (int i = 0; i < 120; ++i) {
            d = add_days(d, static_cast<int>(next() % 3));
            const char* cat = cats[next() % 5];
            const bool out = std::string(cat) == "pa_wages" || std::string(cat) == "uncategorised";
            const money m = money::from_pence(static_cast<std::int64_t>(next() % 50000));
            txns.push_back(txn(d, out ? -m : m, cat));
        }
        const reconciliation r = reconcile(facts_with(txns), add_days(d, 3));
        for (const auto& p : r.periods) {
            const money in = p.actual_council + p.actual_contribution + p.other_inflows;
            CHECK(p.closing - p.opening == in - p.actual_spend);
        }
        // Reconciling twice gives the same flags.
        CHECK(codes(reconcile(facts_with(txns), add_days(d, 3))) == codes(r));
    }
}

TEST_CASE("spending more than 10% and at least 100 pounds over the plan is an overspend - 10% exactly is not") {
    // Period 5 Jan - 1 Feb is complete on 5 February. Plan: £250 a week of wages = £1,000. Paid £1,150.
    auto with_wages = [](money total) {
        return facts_with({txn(2026_y / 1 / 5, gbp(1220), "council_payment", gbp(1220)),
                           txn(2026_y / 1 / 6, gbp(180), "client_contribution"),
                           txn(2026_y / 1 / 20, -total, "pa_wages"),
                           txn(2026_y / 2 / 2, gbp(1220), "council_payment")});
    };
    const reconciliation r = reconcile(with_wages(gbp(1150)), 2026_y / date::February / 5);
    REQUIRE(codes(r) == std::vector<std::string>{"OVERSPEND"});
    CHECK(r.flags[0].key == "OVERSPEND");
    CHECK(r.flags[0].amount == gbp(150));
    CHECK(codes(reconcile(with_wages(gbp(1100)), 2026_y / date::February / 5)).empty());
}

TEST_CASE("spending under half the plan for two periods in a row is an underspend") {
    // £400 of £1,000 planned in each of the first two periods.
    std::vector<categorised_transaction> txns{txn(2026_y / 1 / 5, gbp(1220), "council_payment", gbp(1220)),
                                              txn(2026_y / 1 / 6, gbp(180), "client_contribution"),
                                              txn(2026_y / 1 / 10, -gbp(400), "pa_wages"),
                                              txn(2026_y / 2 / 2, gbp(1220), "council_payment"),
                                              txn(2026_y / 2 / 3, gbp(180), "client_contribution"),
                                              txn(2026_y / 2 / 10, -gbp(400), "pa_wages")};
    CHECK(codes(reconcile(facts_with(txns), 2026_y / date::February / 2)).empty());  // one period only
    const reconciliation r = reconcile(facts_with(txns), 2026_y / date::March / 2);
    REQUIRE(codes(r) == std::vector<std::string>{"UNDERSPEND"});
    const auto& u = *std::find_if(r.flags.begin(), r.flags.end(), [](const flag& f) { return f.code == dpmon::core::flag_code::underspend; });
    CHECK(u.key == "UNDERSPEND");
    CHECK(u.amount == gbp(1200));  // £600 unspent in each of the two periods
    CHECK(u.since == 2026_y / 1 / 5);
}

TEST_CASE("a balance that will not last to the next council payment at the recent rate is a projected shortfall") {
    // Period 1 (5 Jan - 1 Feb) spent £1,400 in 28 days: £50 a day. On 5 February the balance is £200 and the
    // next payment is on 2 March: 24 days to cover = £1,200 needed, £1,000 short.
    auto plan = standard_plan();
    plan.lines = {plan_line{"pa_wages", gbp(350), frequency::week, {"J BLOGGS"}}};
    const auto f = facts_with({txn(2026_y / 1 / 5, gbp(1220), "council_payment", gbp(1220)),
                               txn(2026_y / 1 / 6, gbp(180), "client_contribution"),
                               txn(2026_y / 1 / 30, -gbp(1400), "pa_wages"),
                               txn(2026_y / 2 / 2, gbp(1220), "council_payment"),
                               txn(2026_y / 2 / 3, -gbp(1020), "pa_wages")},
                              {plan});
    const reconciliation r = reconcile(f, 2026_y / date::February / 5);
    REQUIRE(codes(r) == std::vector<std::string>{"PROJECTED_SHORTFALL"});
    CHECK(r.flags[0].amount == gbp(1000));
    CHECK(r.flags[0].inputs.at("next_payment") == "2026-03-02");
}

TEST_CASE("statements: a gap between two, an opening that does not follow the last closing, and a running-balance break") {
    auto f = facts_with({txn(2026_y / 1 / 5, gbp(1220), "council_payment", gbp(1220))});
    f.statements = {{"mar.csv", 2026_y / 3 / 1, 2026_y / 3 / 31, gbp(500), gbp(400)},
                    {"jan.csv", 2026_y / 1 / 5, 2026_y / 1 / 31, gbp(0), gbp(1000)},
                    {"feb.csv", 2026_y / 2 / 1, 2026_y / 2 / 14, gbp(990), gbp(600)}};
    f.findings = {{"jan.csv", 7, 2026_y / 1 / 20, gbp(800), gbp(780)}};
    const reconciliation r = reconcile(f, 2026_y / date::March / 31);
    std::vector<std::string> keys;
    for (const auto& fl : r.flags) {
        if (fl.code == dpmon::core::flag_code::statement_gap || fl.code == dpmon::core::flag_code::balance_mismatch) keys.push_back(fl.key);
    }
    CHECK(keys == std::vector<std::string>{"STATEMENT_GAP", "BALANCE_MISMATCH:feb.csv", "BALANCE_MISMATCH:jan.csv"});
    const auto gap = std::find_if(r.flags.begin(), r.flags.end(), [](const flag& x) { return x.code == dpmon::core::flag_code::statement_gap; });
    CHECK(gap->reason == "No statement covers 2026-02-15 to 2026-02-28 (between feb.csv and mar.csv): ask the holder for the "
                         "missing statement.");
}

TEST_CASE("days without rows between two statements are no gap when the second opens at the first's closing") {
    auto f = facts_with({txn(2026_y / 1 / 5, gbp(1220), "council_payment", gbp(1220))});
    f.statements = {{"jan.csv", 2026_y / 1 / 5, 2026_y / 1 / 28, gbp(0), gbp(1000)},
                    {"feb.csv", 2026_y / 2 / 3, 2026_y / 2 / 25, gbp(1000), gbp(600)}};
    const auto r = reconcile(f, 2026_y / date::February / 26);
    CHECK(std::none_of(r.flags.begin(), r.flags.end(), [](const flag& x) { return x.code == dpmon::core::flag_code::statement_gap; }));
    f.statements[1].opening = gbp(900);  // £100 unaccounted for over days no statement shows: a gap
    const auto broken = reconcile(f, 2026_y / date::February / 26);
    CHECK(std::count_if(broken.flags.begin(), broken.flags.end(), [](const flag& x) { return x.code == dpmon::core::flag_code::statement_gap; }) == 1);
    CHECK(std::count_if(broken.flags.begin(), broken.flags.end(), [](const flag& x) { return x.code == dpmon::core::flag_code::balance_mismatch; }) == 0);
}

TEST_CASE("statements are overdue when the last return period plus the grace days has passed without one") {
    // A PA employer returns quarterly: the first return period is 5 January - 4 April, due by 2 May.
    auto f = facts_with({txn(2026_y / 1 / 5, gbp(1220), "council_payment", gbp(1220))});
    f.statements = {{"jan-mar.csv", 2026_y / 1 / 5, 2026_y / 3 / 31, {}, {}}};
    auto overdue = [&](civil_date today) {
        const auto r = reconcile(f, today);
        return std::count_if(r.flags.begin(), r.flags.end(), [](const flag& x) { return x.code == dpmon::core::flag_code::statement_overdue; });
    };
    CHECK(overdue(2026_y / date::May / 2) == 0);
    CHECK(overdue(2026_y / date::May / 3) == 1);
    f.statements.push_back({"apr.csv", 2026_y / 4 / 1, 2026_y / 4 / 30, {}, {}});
    CHECK(overdue(2026_y / date::May / 3) == 0);
    // Without a PA, £350 a week (over £2,000 a year) returns 6-monthly: due by 1 August.
    f.plans[0].lines.clear();
    CHECK(return_tier(f.plans, 2026_y / date::May / 3) == return_frequency::six_monthly);
    f.statements.pop_back();
    CHECK(overdue(2026_y / date::August / 1) == 0);
    CHECK(overdue(2026_y / date::August / 2) == 1);
}

namespace {

// Monday 5 January to `to`: the council pays £1,322 on the 1st of each month, the person pays in £45 every
// Tuesday and the PA is paid `wages` every Friday.
std::vector<categorised_transaction> year_of_activity(civil_date to, money wages) {
    std::vector<categorised_transaction> out;
    out.push_back(txn(2026_y / 1 / 5, gbp(1322), "council_payment", gbp(1322)));
    for (civil_date d = 2026_y / 1 / 5; d <= to; d = add_days(d, 1)) {
        const auto wd = date::weekday{date::sys_days{d}};
        if (static_cast<unsigned>(d.day()) == 1) out.push_back(txn(d, gbp(1322), "council_payment"));
        if (wd == date::Tuesday) out.push_back(txn(d, gbp(45), "client_contribution"));
        if (wd == date::Friday) out.push_back(txn(d, -wages, "pa_wages"));
    }
    return out;
}

plan_version monthly_plan() {
    auto v = standard_plan();
    v.council_payment = {gbp(1322), frequency::month, 2026_y / 1 / 1, "COUNCIL DP"};
    v.lines = {plan_line{"pa_wages", gbp(340), frequency::week, {"J BLOGGS"}}};
    return v;
}

std::vector<flag> with_code(const reconciliation& r, flag_code c) {
    std::vector<flag> out;
    for (const auto& f : r.flags) {
        if (f.code == c) out.push_back(f);
    }
    return out;
}

}  // namespace

TEST_CASE("statements ending on 31 October reconciled on 1 December judge nothing after 31 October") {
    auto f = facts_with(year_of_activity(2026_y / 10 / 31, gbp(340)), {monthly_plan()});
    f.statements = {{"jan-oct.csv", 2026_y / 1 / 5, 2026_y / 10 / 31, std::nullopt, std::nullopt}};
    const reconciliation r = reconcile(f, 2026_y / 12 / 1);
    CHECK(r.judged_to == 2026_y / 10 / 31);
    // The payment due 1 November: no statement shows that day yet.
    CHECK(with_code(r, flag_code::council_payment_missing).empty());
    // Contributions are paid to Tuesday 27 October; what was due after 31 October (less 14 days) is not arrears.
    CHECK(with_code(r, flag_code::contribution_arrears).empty());
    // The gap since 31 October is STATEMENT_OVERDUE's business alone (6-monthly returns: none is due yet).
    // Once a statement covers November without the payment, it is missing, once.
    f.statements.push_back({"nov.csv", 2026_y / 11 / 1, 2026_y / 11 / 30, std::nullopt, std::nullopt});
    const reconciliation later = reconcile(f, 2026_y / 12 / 1);
    const auto missing = with_code(later, flag_code::council_payment_missing);
    REQUIRE(missing.size() == 1);
    CHECK(missing[0].key == "COUNCIL_PAYMENT_MISSING:2026-11-01");
    // And the contributions unpaid by 16 November (30 November less 14 days) are arrears.
    f.rules.min_flag_amount = gbp(50);  // about two weeks (£90): under the default minimum
    CHECK(with_code(reconcile(f, 2026_y / 12 / 1), flag_code::contribution_arrears).size() == 1);
}

TEST_CASE("a surplus growing over three periods is one condition, and a period that clears it ends it") {
    // Wages of £250 against £305 + £45 a week in: the balance grows about £100 a week.
    auto f = facts_with(year_of_activity(2026_y / 6 / 30, gbp(250)), {monthly_plan()});
    f.transactions[0].t.balance = gbp(2822);  // £1,500 was there before the first payment
    std::vector<money> amounts;
    for (civil_date day : {2026_y / 4 / 30, 2026_y / 5 / 28, 2026_y / 6 / 25}) {
        const auto s = with_code(reconcile(f, day), flag_code::surplus);
        REQUIRE(s.size() == 1);
        CHECK(s[0].key == "SURPLUS");
        amounts.push_back(s[0].amount);
    }
    CHECK(amounts[0] < amounts[1]);
    CHECK(amounts[1] < amounts[2]);
    // The holder pays for a course of respite care: the balance falls under 8 weeks.
    f.transactions.push_back(txn(2026_y / 6 / 30, -gbp(3000), "pa_wages"));
    CHECK(with_code(reconcile(f, 2026_y / 7 / 1), flag_code::surplus).empty());
}

TEST_CASE("spend moved between flexible plan lines within the total is no overspend, and a ring-fenced line overspent is") {
    // Two lines of £150 a week; over the last three complete periods (12 weeks) £1,800 each is planned.
    auto plan = standard_plan();
    plan.lines = {plan_line{"pa_wages", gbp(150), frequency::week, {"J BLOGGS"}},
                  plan_line{"respite", gbp(150), frequency::week, {"RESPITE HOME"}}};
    std::vector<categorised_transaction> txns{txn(2026_y / 1 / 5, gbp(1220), "council_payment", gbp(5000))};
    for (civil_date d = 2026_y / 1 / 9; d < 2026_y / 3 / 30; d = add_days(d, 7)) txns.push_back(txn(d, -gbp(300), "respite"));
    const reconciliation r = reconcile(facts_with(txns, {plan}), 2026_y / 3 / 31);
    // Periods 5 Jan - 1 Feb, 2 Feb - 1 Mar, 2 Mar - 29 Mar: £3,600 spent against £3,600 planned in all.
    CHECK(with_code(r, flag_code::overspend).empty());
    plan.lines[1].ring_fenced = true;  // respite money may only buy respite
    const auto ring = with_code(reconcile(facts_with(txns, {plan}), 2026_y / 3 / 31), flag_code::overspend);
    REQUIRE(ring.size() == 1);
    CHECK(ring[0].amount == gbp(1800));  // £3,600 on respite against £1,800
    CHECK(ring[0].inputs.at("ring_fenced:respite") == "1800.00 planned, 3600.00 spent");
}

TEST_CASE("an overspend of 20 pounds is not flagged with the default minimum of 100 pounds") {
    // £12.50 a week of equipment: £150 over three periods. £170 spent is 13% over, but only £20.
    auto plan = standard_plan();
    plan.lines = {plan_line{"equipment", gbp(12, 50), frequency::week, {}}};
    std::vector<categorised_transaction> txns{txn(2026_y / 1 / 5, gbp(1220), "council_payment", gbp(5000)),
                                              txn(2026_y / 2 / 10, -gbp(170), "equipment")};
    const reconciliation r = reconcile(facts_with(txns, {plan}), 2026_y / 3 / 31);
    CHECK(with_code(r, flag_code::overspend).empty());
    auto f = facts_with(txns, {plan});
    f.rules.min_flag_amount = gbp(10);  // a council (or one plan's policy) that wants small sums flagged
    CHECK(with_code(reconcile(f, 2026_y / 3 / 31), flag_code::overspend).size() == 1);
}

TEST_CASE("monthly and yearly bills are compared over a window as long as their cycle, never one period's share") {
    // A ring-fenced £24 monthly payroll fee paid on the 1st: 8.7% over its 28-day share in a period holding
    // one payment, nothing in the period that holds none (2 - 29 March), yet on its own schedule it is never
    // over. A ring-fenced yearly insurance premium of £300 paid once is within its yearly allowance in any
    // window (and the total plan allows it too).
    auto plan = standard_plan();
    plan.lines = {plan_line{"payroll", gbp(24), frequency::month, {}}, plan_line{"insurance", gbp(300), frequency::year, {}}};
    plan.lines[0].ring_fenced = plan.lines[1].ring_fenced = true;
    std::vector<categorised_transaction> txns{txn(2026_y / 1 / 5, gbp(1220), "council_payment", gbp(5000)),
                                              txn(2026_y / 1 / 20, -gbp(300), "insurance")};
    for (int m = 2; m <= 9; ++m) txns.push_back(txn(2026_y / date::month(static_cast<unsigned>(m)) / 1, -gbp(24), "payroll"));
    std::sort(txns.begin(), txns.end(), [](const auto& a, const auto& b) { return a.t.date < b.t.date; });
    for (civil_date today : {2026_y / 3 / 5, 2026_y / 6 / 1, 2026_y / 9 / 20})
        CHECK(with_code(reconcile(facts_with(txns, {plan}), today), flag_code::overspend).empty());
}

TEST_CASE("an overdrawn episode is one flag from its first day, and once over it is recorded with its end date") {
    auto f = facts_with({txn(2026_y / 1 / 5, gbp(100), "council_payment", gbp(100)),
                         txn(2026_y / 1 / 12, -gbp(150), "pa_wages"),    // -£50
                         txn(2026_y / 1 / 19, -gbp(126), "pa_wages"),    // -£176
                         txn(2026_y / 2 / 2, gbp(1220), "council_payment")});  // back in credit
    f.statements = {{"jan.csv", 2026_y / 1 / 5, 2026_y / 1 / 31, std::nullopt, std::nullopt}};
    const auto open = with_code(reconcile(f, 2026_y / 2 / 1), flag_code::overdrawn);
    REQUIRE(open.size() == 1);
    CHECK(open[0].key == "OVERDRAWN:2026-01-12");
    CHECK_FALSE(open[0].ended);
    CHECK(open[0].amount == -gbp(176));
    CHECK(open[0].reason == "The account has been overdrawn since 2026-01-12: the balance fell to -\xC2\xA3" "176.00 on 2026-01-19.");
    f.statements.push_back({"feb.csv", 2026_y / 2 / 1, 2026_y / 2 / 28, std::nullopt, std::nullopt});
    const auto over = with_code(reconcile(f, 2026_y / 3 / 1), flag_code::overdrawn);
    REQUIRE(over.size() == 1);
    CHECK(over[0].key == "OVERDRAWN:2026-01-12");  // the same condition, so the same flag
    CHECK(over[0].ended == 2026_y / 2 / 2);
    // While overdrawn, a projected shortfall says nothing new: it is not raised.
    CHECK(with_code(reconcile(f, 2026_y / 2 / 1), flag_code::projected_shortfall).empty());
}

TEST_CASE("a surplus made of money nobody has explained is not a surplus until the inflow is dealt with") {
    // £2,000 paid in by a relative lifts a £1,500 balance over 8 weeks (£2,800).
    auto f = facts_with({txn(2026_y / 1 / 5, gbp(1220), "council_payment", gbp(1500)),
                         txn(2026_y / 1 / 10, gbp(2000), "uncategorised")});
    auto r = reconcile(f, 2026_y / 1 / 20);
    CHECK(with_code(r, flag_code::unexplained_inflow).size() == 1);
    CHECK(with_code(r, flag_code::surplus).empty());
    // The officer acknowledges the inflow (say, a gift towards care): now the balance is the balance.
    f.acknowledged[flag_code::unexplained_inflow] = {{2}, 1};
    r = reconcile(f, 2026_y / 1 / 20);
    CHECK(with_code(r, flag_code::surplus).size() == 1);
}

TEST_CASE("the figures alone (reconcile_periods) equal reconcile's, with no flags") {
    const auto f = facts_with({
        txn(2026_y / 1 / 5, gbp(1220), "council_payment", gbp(4025)),
        txn(2026_y / 1 / 6, gbp(45), "client_contribution"),
        txn(2026_y / 1 / 9, -gbp(250), "pa_wages"),
        txn(2026_y / 2 / 2, gbp(1220), "council_payment"),
        txn(2026_y / 2 / 20, -gbp(90), "equipment"),
    });
    const reconciliation whole = reconcile(f, 2026_y / date::March / 15);
    const reconciliation figures = reconcile_periods(f, 2026_y / date::March / 15);
    REQUIRE_FALSE(whole.flags.empty());  // a surplus at least: the comparison covers an account with flags
    CHECK(figures.flags.empty());
    CHECK(figures.judged_to == whole.judged_to);
    REQUIRE(figures.periods.size() == whole.periods.size());
    for (std::size_t i = 0; i < whole.periods.size(); ++i) {
        const period_figures& a = whole.periods[i];
        const period_figures& b = figures.periods[i];
        CHECK(a.span.first == b.span.first);
        CHECK(a.opening == b.opening);
        CHECK(a.closing == b.closing);
        CHECK(a.expected_council == b.expected_council);
        CHECK(a.actual_council == b.actual_council);
        CHECK(a.planned_spend == b.planned_spend);
        CHECK(a.actual_spend == b.actual_spend);
        CHECK(a.complete == b.complete);
    }
}
