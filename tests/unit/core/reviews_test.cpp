#include <catch2/catch.hpp>

#include "dpmon/core/reviews.hpp"

using namespace dpmon::core;
using namespace date::literals;

namespace {

const working_calendar england{england_and_wales_bank_holidays()};

const scheduled_review& of(const std::vector<scheduled_review>& s, review_kind k) {
    for (const auto& r : s) {
        if (r.kind == k) return r;
    }
    FAIL("no " << to_string(k) << " scheduled");
    return s.front();
}

bool has(const std::vector<scheduled_review>& s, review_kind k) {
    for (const auto& r : s) {
        if (r.kind == k) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("a due date on a weekend or a bank holiday moves to the working day before") {
    CHECK(england.on_or_before(2026_y / 7 / 5) == 2026_y / 7 / 3);     // Sunday -> Friday
    CHECK(england.on_or_before(2026_y / 6 / 3) == 2026_y / 6 / 3);     // a Wednesday stays
    CHECK(england.on_or_before(2026_y / 5 / 25) == 2026_y / 5 / 22);   // spring bank holiday Monday -> Friday
    CHECK(england.on_or_before(2026_y / 4 / 6) == 2026_y / 4 / 2);     // Easter Monday, weekend, Good Friday -> Thursday
    CHECK(england.on_or_before(2026_y / 12 / 28) == 2026_y / 12 / 24);  // substitute Boxing Day, weekend, Christmas
    CHECK(england.on_or_before(2027_y / 12 / 28) == 2027_y / 12 / 24);  // both substitutes and the weekend
    CHECK(england.on_or_before(2028_y / 1 / 3) == 2027_y / 12 / 31);   // New Year substitute
    CHECK(working_calendar{}.on_or_before(2026_y / 5 / 25) == 2026_y / 5 / 25);  // no holidays known: only weekends
}

TEST_CASE("the initial DP review is due 6 months after the start, clamped to the month's end, on a working day") {
    struct row {
        civil_date start, nominal, due;
    };
    // Worked by hand: the month moves by 6, the day is kept or clamped, then weekends and bank holidays
    // move it back.
    const row table[] = {
        {2026_y / 1 / 5, 2026_y / 7 / 5, 2026_y / 7 / 3},      // a Sunday
        {2025_y / 8 / 31, 2026_y / 2 / 28, 2026_y / 2 / 27},   // 31 August -> 28 February (a Saturday)
        {2027_y / 8 / 31, 2028_y / 2 / 29, 2028_y / 2 / 29},   // -> 29 February in a leap year (a Tuesday)
        {2025_y / 10 / 25, 2026_y / 4 / 25, 2026_y / 4 / 24},  // a Saturday
        {2025_y / 12 / 3, 2026_y / 6 / 3, 2026_y / 6 / 3},     // a Wednesday
        {2025_y / 11 / 25, 2026_y / 5 / 25, 2026_y / 5 / 22},  // spring bank holiday
        {2025_y / 10 / 6, 2026_y / 4 / 6, 2026_y / 4 / 2},     // Easter Monday
        {2026_y / 6 / 28, 2026_y / 12 / 28, 2026_y / 12 / 24},  // substitute Boxing Day
        {2024_y / 2 / 29, 2024_y / 8 / 29, 2024_y / 8 / 29},   // a leap-day start
        {2027_y / 7 / 3, 2028_y / 1 / 3, 2027_y / 12 / 31},    // New Year substitute
    };
    for (const auto& r : table) {
        const auto s = schedule_reviews({r.start, std::nullopt, {}, {}}, {}, england);
        INFO("start " << format_iso_date(r.start));
        CHECK(of(s, review_kind::dp_initial).nominal == r.nominal);
        CHECK(of(s, review_kind::dp_initial).due == r.due);
        CHECK_FALSE(has(s, review_kind::dp_annual));  // not before the initial review is done
    }
}

TEST_CASE("every start date of a year gives each kind a working due date at most 4 days before its nominal date") {
    for (civil_date start = 2026_y / 1 / 1; start <= 2026_y / 12 / 31; start = add_days(start, 1)) {
        const review_facts f{start, std::nullopt, {start}, {{review_kind::dp_initial, add_months(start, 5), std::nullopt}}};
        const auto open = schedule_reviews(f, {}, england);
        const auto closed = schedule_reviews({start, add_months(start, 3), {start}, {}}, {}, england);
        for (const auto& s : {open, closed}) {
            for (const auto& r : s) {
                INFO(format_iso_date(start) << " " << to_string(r.kind) << " " << format_iso_date(r.due));
                CHECK(england.is_working_day(r.due));
                CHECK(r.due <= r.nominal);
                CHECK(add_days(r.due, 4) >= r.nominal);
            }
        }
        CHECK(open.size() == 3);  // annual review, financial audit, plan review
        REQUIRE(closed.size() == 1);
        CHECK(closed[0].kind == review_kind::final_audit);
        CHECK(closed[0].nominal == add_days(add_months(start, 3), 28));
    }
}

TEST_CASE("the annual DP review is 12 months after the last DP review, early ones included, or an officer's earlier date") {
    const civil_date start = 2026_y / 1 / 5;
    review_facts f{start, std::nullopt, {}, {{review_kind::dp_initial, 2026_y / 7 / 1, std::nullopt}}};
    CHECK(of(schedule_reviews(f, {}, england), review_kind::dp_annual).nominal == 2027_y / 7 / 1);
    CHECK_FALSE(has(schedule_reviews(f, {}, england), review_kind::dp_initial));
    // An early review after a concern restarts the 12 months.
    f.completed.push_back({review_kind::early, 2026_y / 10 / 14, std::nullopt});
    CHECK(of(schedule_reviews(f, {}, england), review_kind::dp_annual).nominal == 2027_y / 10 / 14);
    // The officer set the next one sooner.
    f.completed.push_back({review_kind::dp_annual, 2027_y / 9 / 1, 2028_y / 3 / 1});
    CHECK(of(schedule_reviews(f, {}, england), review_kind::dp_annual).nominal == 2028_y / 3 / 1);
    CHECK(latest_next_due(review_kind::dp_annual, 2027_y / 9 / 1, {}) == 2028_y / 9 / 1);
}

TEST_CASE("the annual DP review joins a support-plan review up to 60 days before it, and never moves later") {
    const civil_date start = 2026_y / 1 / 5;
    // Initial review done 1 July 2026: annual due 1 July 2027.
    // Plan review done 20 May 2026: next 20 May 2027, 42 days before the annual one: aligned to it.
    review_facts f{start, std::nullopt, {start}, {{review_kind::dp_initial, 2026_y / 7 / 1, std::nullopt},
                                                 {review_kind::support_plan, 2026_y / 5 / 20, std::nullopt}}};
    auto s = schedule_reviews(f, {}, england);
    CHECK(of(s, review_kind::support_plan).nominal == 2027_y / 5 / 20);
    CHECK(of(s, review_kind::dp_annual).nominal == 2027_y / 5 / 20);
    CHECK(of(s, review_kind::dp_annual).basis.find("brought forward") != std::string::npos);
    // Plan review done 20 April 2026: 72 days before, outside the window: not aligned.
    f.completed[1].completed_on = 2026_y / 4 / 20;
    CHECK(of(schedule_reviews(f, {}, england), review_kind::dp_annual).nominal == 2027_y / 7 / 1);
    // Plan review done 1 September 2026: after the annual one; the annual one is not moved later.
    f.completed[1].completed_on = 2026_y / 9 / 1;
    CHECK(of(schedule_reviews(f, {}, england), review_kind::dp_annual).nominal == 2027_y / 7 / 1);
}

TEST_CASE("a new support plan is reviewed 6 weeks after it starts, then at most 12 months after the last review") {
    const civil_date start = 2026_y / 1 / 5;
    review_facts f{start, std::nullopt, {start, 2026_y / 3 / 2}, {}};
    CHECK(of(schedule_reviews(f, {}, england), review_kind::support_plan).due == 2026_y / 4 / 13);
    f.completed.push_back({review_kind::support_plan, 2026_y / 4 / 10, std::nullopt});
    CHECK(of(schedule_reviews(f, {}, england), review_kind::support_plan).nominal == 2027_y / 4 / 10);
    // A newer plan: 6 weeks after it again (23 Feb 2027 + 42 days = 6 April 2027, a Tuesday).
    f.plan_starts.push_back(2027_y / 2 / 23);
    CHECK(of(schedule_reviews(f, {}, england), review_kind::support_plan).due == 2027_y / 4 / 6);
}

TEST_CASE("the financial audit is a year after the start, then a year after the last - a closed account owes only its final audit") {
    const civil_date start = 2026_y / 2 / 28;
    review_facts f{start, std::nullopt, {}, {}};
    CHECK(of(schedule_reviews(f, {}, england), review_kind::financial_audit).due == 2027_y / 2 / 26);  // 28th is a Sunday
    f.completed.push_back({review_kind::financial_audit, 2027_y / 3 / 10, std::nullopt});
    CHECK(of(schedule_reviews(f, {}, england), review_kind::financial_audit).nominal == 2028_y / 3 / 10);
    f.closed_on = 2026_y / 11 / 30;
    auto s = schedule_reviews(f, {}, england);
    REQUIRE(s.size() == 1);
    CHECK(s[0].kind == review_kind::final_audit);
    CHECK(s[0].nominal == 2026_y / 12 / 28);
    CHECK(s[0].due == 2026_y / 12 / 24);
    f.completed.push_back({review_kind::final_audit, 2026_y / 12 / 20, std::nullopt});
    CHECK(schedule_reviews(f, {}, england).empty());
}

TEST_CASE("a review gives reminders 28 and 7 days before, on the day, and an escalation 14 days after") {
    const auto r = reminders_for(2026_y / 7 / 3, {7, 28}, 14);
    REQUIRE(r.size() == 4);
    CHECK(r[0].kind == "28-days-before");
    CHECK(r[0].on == 2026_y / 6 / 5);
    CHECK(r[1].kind == "7-days-before");
    CHECK(r[1].on == 2026_y / 6 / 26);
    CHECK(r[2].kind == "due");
    CHECK(r[2].on == 2026_y / 7 / 3);
    CHECK(r[3].kind == "escalation");
    CHECK(r[3].on == 2026_y / 7 / 17);
    CHECK(r[3].to_team);
    CHECK_FALSE(r[0].to_team);
}

TEST_CASE("review kinds read back from their names") {
    for (auto k : {review_kind::dp_initial, review_kind::dp_annual, review_kind::financial_audit, review_kind::support_plan,
                   review_kind::final_audit, review_kind::early}) {
        review_kind back{};
        REQUIRE(parse_review_kind(to_string(k), back));
        CHECK(back == k);
    }
    review_kind x{};
    CHECK_FALSE(parse_review_kind("ANNUAL", x));
}

TEST_CASE("every review kind has a name in plain words for emails and pages, not its code") {
    using dpmon::core::review_kind;
    for (const auto k : {review_kind::dp_initial, review_kind::dp_annual, review_kind::financial_audit, review_kind::support_plan,
                         review_kind::final_audit, review_kind::early}) {
        const std::string_view name = plain_name(k);
        CHECK_FALSE(name.empty());
        CHECK(name != to_string(k));
        CHECK(name.find('_') == std::string_view::npos);
    }
    CHECK(plain_name(review_kind::dp_initial) == "initial direct-payment review");
}
