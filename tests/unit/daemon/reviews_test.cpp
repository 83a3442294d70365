// Reviews through storage and the daemon's jobs on a real SQLite database, with the days supplied by the
// test (the injected clock): a two-year run against a hand-written expectation, downtime, completions.

#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "dpmon/app/plan_import.hpp"
#include "dpmon/app/reviews.hpp"

using namespace dpmon;
using namespace date::literals;

namespace {

// A test's date, written as text for readability.
core::civil_date day(const std::string& iso) { return core::parse_iso_date(iso).value(); }

struct temp_db {
    std::filesystem::path dir;
    storage::database db;
    temp_db()
        : dir(std::filesystem::temp_directory_path() / ("dpmon-reviews-" + std::to_string(::getpid()) + "-" +
                                                        std::to_string(reinterpret_cast<std::uintptr_t>(this)))),
          db(storage::database::open(dir / "dpmon.db").value()) {}
    ~temp_db() { std::filesystem::remove_all(dir); }
};

// DP-A: started 5 January 2026 with a plan from that day, nothing reviewed yet.
// DP-B: started 3 March 2025, initial review done 1 September 2025 (before dpmon), plan never reviewed.
std::string plans(const std::string& b_status, const std::string& b_closed) {
    std::ostringstream o;
    auto account = [&](const std::string& ref, const std::string& start, const std::string& status, const std::string& closed,
                       const std::string& reviews, const std::string& number) {
        o << R"({"account_ref":")" << ref << R"(","person_ref":"P-)" << ref << R"(","account_type":"dedicated_bank",)"
          << R"("finance_officer":"officer@council.example","status":")" << status << R"(","dp_start":")" << start << "\","
          << (closed.empty() ? "" : "\"closed_on\":\"" + closed + "\",") << reviews
          << R"("bank":{"sort_code":"11-22-33","account_number":")" << number << R"("},)"
          << R"("plans":[{"effective_from":")" << start << R"(","weekly_budget":"300.00",)"
          << R"("council_payment":{"amount":"1200.00","every":"4w","first":")" << start << R"(","payer":"COUNCIL DP"},)"
          << R"("lines":[{"category":"pa_wages","amount":"250.00","per":"week","payees":["A CARER"]}]}]})";
    };
    o << R"({"accounts":[)";
    account("DP-A", "2026-01-05", "active", "", "", "10000001");
    o << ",";
    account("DP-B", "2025-03-03", b_status, b_closed, R"("reviews":{"DP_INITIAL_REVIEW":{"completed_on":"2025-09-01"}},)", "10000002");
    o << "]}";
    return o.str();
}

void apply_plans(storage::database& db, const std::string& text) {
    auto r = daemon::apply_plan_text(db, text, "test-plans.json", {});
    REQUIRE(r.has_value());
    INFO(r->errors.size());
    REQUIRE(r->errors.empty());
}

std::int64_t review_id(const storage::database& db, const std::string& ref, const std::string& kind, const std::string& today) {
    storage::review_filter f;
    f.today = today;
    const auto all = storage::list_reviews(db, f).value();
    for (const auto& r : all) {
        if (r.account_ref == ref && r.kind == kind) return r.id;
    }
    FAIL("no scheduled " << kind << " for " << ref);
    return 0;
}

void complete(storage::database& db, const daemon::review_settings& s, const std::string& ref, const std::string& kind,
              const std::string& on) {
    const auto id = review_id(db, ref, kind, on);
    auto r = daemon::complete_review(db, s, id, {on, "a.officer@council.example", "reviewed with the person", "", ""}, day(on),
                                     on + "T12:00:00Z");
    INFO((r ? "" : r.error().message));
    REQUIRE(r.has_value());
}

std::string line(const storage::reminder_record& m, const std::string& day) {
    return day + " " + m.account_ref + " " + m.review_kind + " " + m.kind;
}

}  // namespace

TEST_CASE("two years of daily runs give the hand-worked reviews, reminders and escalations, with late and early completions") {
    temp_db t;
    const daemon::review_settings s;  // reminders 28 and 7 days before, escalation 14 days after
    apply_plans(t.db, plans("active", ""));

    std::vector<std::string> produced;
    for (core::civil_date day = 2026_y / 1 / 5; day <= 2027_y / 12 / 31; day = core::add_days(day, 1)) {
        const std::string d = core::format_iso_date(day);
        auto run = daemon::run_daily_reviews(t.db, s, day, d + "T07:00:00Z");
        REQUIRE(run.has_value());
        for (const auto& m : run->reminders) produced.push_back(line(m, d));
        // What officers do that day, after the 07:00 run.
        if (d == "2026-02-16") complete(t.db, s, "DP-A", "SUPPORT_PLAN_REVIEW", d);  // on the due day
        if (d == "2026-03-01") {
            apply_plans(t.db, plans("closed", "2026-02-27"));  // DP-B ends
            REQUIRE(daemon::schedule_reviews(t.db, s, {"DP-B"}, day, d + "T10:00:00Z").has_value());
        }
        if (d == "2026-04-02") complete(t.db, s, "DP-B", "FINAL_AUDIT", d);
        if (d == "2026-07-20") complete(t.db, s, "DP-A", "DP_INITIAL_REVIEW", d);  // late: escalated already
        if (d == "2026-10-01") {
            auto r = daemon::request_early_review(t.db, "DP-A", "the carer's health changed", "a.officer@council.example",
                                                  "2026-10-15", day, d + "T10:00:00Z");
            REQUIRE(r.has_value());
        }
        if (d == "2026-10-14") complete(t.db, s, "DP-A", "EARLY_REVIEW", d);       // before it was due
        if (d == "2027-02-01") complete(t.db, s, "DP-A", "SUPPORT_PLAN_REVIEW", d);  // two weeks early
        if (d == "2027-10-14") complete(t.db, s, "DP-A", "DP_ANNUAL_REVIEW", d);
    }

    // Worked by hand (due dates: the rule's date, moved back from a weekend or bank holiday):
    // DP-A  SUPPORT_PLAN_REVIEW  5 Jan 2026 + 42 days = Mon 16 Feb 2026; done that day; next 16 Feb 2027, done
    //                            early on 1 Feb 2027 (only its 28-day reminder had gone); next 1 Feb 2028.
    //       DP_INITIAL_REVIEW    5 Jul 2026 (Sun) -> Fri 3 Jul; done late on 20 Jul, after the escalation of 17 Jul.
    //       EARLY_REVIEW         asked 1 Oct 2026, due 15 Oct: its 28-day reminder date (17 Sep) came before it was
    //                            asked for; done on 14 Oct, before the due reminder.
    //       DP_ANNUAL_REVIEW     12 months after the last DP review: first 20 Jul 2027 (from the initial review),
    //                            then 14 Oct 2027 (from the early review); done on its due day.
    //       FINANCIAL_AUDIT      5 Jan 2027 (Tue); never done: every reminder and the escalation on 19 Jan.
    // DP-B  SUPPORT_PLAN_REVIEW  3 Mar 2025 + 42 days = 14 Apr 2025: long overdue when dpmon starts, so the due
    //                            notice and the escalation go out on the first run (the earlier ones never could).
    //       FINANCIAL_AUDIT      3 Mar 2026 (Tue): reminders on 3 and 24 Feb, then cancelled by the closure.
    //       DP_ANNUAL_REVIEW     1 Sep 2026: cancelled by the closure before any reminder.
    //       FINAL_AUDIT          closed 27 Feb 2026 + 28 days = Fri 27 Mar 2026, scheduled on 1 Mar (so no
    //                            28-day reminder, dated 27 Feb); done 2 Apr, before the escalation.
    const std::vector<std::string> expected = {
        "2026-01-05 DP-B SUPPORT_PLAN_REVIEW due",
        "2026-01-05 DP-B SUPPORT_PLAN_REVIEW escalation",
        "2026-01-19 DP-A SUPPORT_PLAN_REVIEW 28-days-before",
        "2026-02-03 DP-B FINANCIAL_AUDIT 28-days-before",
        "2026-02-09 DP-A SUPPORT_PLAN_REVIEW 7-days-before",
        "2026-02-16 DP-A SUPPORT_PLAN_REVIEW due",
        "2026-02-24 DP-B FINANCIAL_AUDIT 7-days-before",
        "2026-03-20 DP-B FINAL_AUDIT 7-days-before",
        "2026-03-27 DP-B FINAL_AUDIT due",
        "2026-06-05 DP-A DP_INITIAL_REVIEW 28-days-before",
        "2026-06-26 DP-A DP_INITIAL_REVIEW 7-days-before",
        "2026-07-03 DP-A DP_INITIAL_REVIEW due",
        "2026-07-17 DP-A DP_INITIAL_REVIEW escalation",
        "2026-10-08 DP-A EARLY_REVIEW 7-days-before",
        "2026-12-08 DP-A FINANCIAL_AUDIT 28-days-before",
        "2026-12-29 DP-A FINANCIAL_AUDIT 7-days-before",
        "2027-01-05 DP-A FINANCIAL_AUDIT due",
        "2027-01-19 DP-A FINANCIAL_AUDIT escalation",
        "2027-01-19 DP-A SUPPORT_PLAN_REVIEW 28-days-before",
        "2027-09-16 DP-A DP_ANNUAL_REVIEW 28-days-before",
        "2027-10-07 DP-A DP_ANNUAL_REVIEW 7-days-before",
        "2027-10-14 DP-A DP_ANNUAL_REVIEW due",
    };
    std::vector<std::string> sorted = produced;
    std::sort(sorted.begin(), sorted.end());
    CHECK(sorted == expected);
    CHECK(produced.size() == expected.size());

    // Escalations go to the team, the rest to the finance officer; every reminder has its own key.
    const auto all = storage::list_reminders(t.db).value();
    std::set<std::string> keys;
    for (const auto& m : all) {
        keys.insert(m.key);
        CHECK(m.to_team == (m.kind == "escalation"));
    }
    CHECK(keys.size() == all.size());

    // What is still owed at the end: DP-A's audit (never done), next plan review and annual review.
    storage::review_filter open;
    open.today = "2027-12-31";
    std::map<std::string, std::string> owed;
    for (const auto& r : storage::list_reviews(t.db, open).value()) owed[r.account_ref + " " + r.kind] = r.due_on;
    CHECK(owed == std::map<std::string, std::string>{{"DP-A DP_ANNUAL_REVIEW", "2028-10-13"},  // 14 Oct 2028 is a Saturday
                                                     {"DP-A FINANCIAL_AUDIT", "2027-01-05"},
                                                     {"DP-A SUPPORT_PLAN_REVIEW", "2028-02-01"}});

    // Every change is in the history: DP-A's annual review was scheduled, moved by the early review, reminded, done.
    storage::review_filter done;
    done.state = "completed";
    done.today = "2027-12-31";
    std::int64_t annual = 0;
    for (const auto& r : storage::list_reviews(t.db, done).value()) {
        if (r.account_ref == "DP-A" && r.kind == "DP_ANNUAL_REVIEW") annual = r.id;
    }
    REQUIRE(annual != 0);
    std::vector<std::string> events;
    for (const auto& e : storage::review_history(t.db, annual).value()) events.push_back(e.event);
    CHECK(events == std::vector<std::string>{"scheduled", "rescheduled", "reminder", "reminder", "reminder", "completed"});
}

TEST_CASE("after 10 days down, the restart produces each missed reminder exactly once") {
    temp_db t;
    const daemon::review_settings s;
    apply_plans(t.db, plans("active", ""));
    // Running every day up to 20 June 2026.
    std::multiset<std::string> keys;
    auto run = [&](core::civil_date day) {
        auto r = daemon::run_daily_reviews(t.db, s, day, core::format_iso_date(day) + "T07:00:00Z");
        REQUIRE(r.has_value());
        for (const auto& m : r->reminders) keys.insert(m.key + " " + m.on);
    };
    for (core::civil_date day = 2026_y / 6 / 1; day <= 2026_y / 6 / 20; day = core::add_days(day, 1)) run(day);
    const auto before = keys.size();
    // Down from 21 June to 30 June; back on 1 July 2026 at 05:00, before the daily time: the daemon first
    // catches up for yesterday (core::decide_daily), then runs 1 July at 07:00, and is restarted again.
    run(2026_y / 6 / 30);
    run(2026_y / 7 / 1);
    run(2026_y / 7 / 1);
    // Missed: DP-A's initial review 7-day reminder (26 June). Due on 3 July: not yet.
    CHECK(keys.size() == before + 1);
    for (const auto& k : keys) CHECK(keys.count(k) == 1);
    CHECK(keys.count("review:" + std::to_string(review_id(t.db, "DP-A", "DP_INITIAL_REVIEW", "2026-07-01")) +
                     ":7-days-before 2026-06-26") == 1);
    CHECK(*daemon::last_daily_run(t.db).value() == 2026_y / 7 / 1);
}

TEST_CASE("a completion in the future, before the DP started, or pushing the next review past 12 months is refused") {
    temp_db t;
    const daemon::review_settings s;
    apply_plans(t.db, plans("active", ""));
    REQUIRE(daemon::schedule_reviews(t.db, s, {}, day("2026-03-01"), "2026-03-01T09:00:00Z").has_value());
    const auto id = review_id(t.db, "DP-A", "DP_INITIAL_REVIEW", "2026-03-01");
    auto refused = [&](storage::completion c, const std::string& field) {
        auto r = daemon::complete_review(t.db, s, id, c, day("2026-03-01"), "2026-03-01T09:00:00Z");
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == errc::invalid_argument);
        CHECK(r.error().message.find("field '" + field + "'") != std::string::npos);
    };
    refused({"2026-03-02", "x@council.example", "ok", "", ""}, "completed_on");
    refused({"2026-01-04", "x@council.example", "ok", "", ""}, "completed_on");
    refused({"2026-02-30", "x@council.example", "ok", "", ""}, "completed_on");
    refused({"2026-02-20", "", "ok", "", ""}, "by");
    refused({"2026-02-20", "x@council.example", "ok", "2027-02-21", "to match the plan"}, "next_due");
    refused({"2026-02-20", "x@council.example", "ok", "2026-11-01", ""}, "next_due_reason");
    // Allowed: an earlier next review with a reason; the next is then due on that date.
    auto ok = daemon::complete_review(t.db, s, id, {"2026-02-20", "x@council.example", "ok", "2026-11-02", "to match the plan"},
                                      day("2026-03-01"), "2026-03-01T09:00:00Z");
    REQUIRE(ok.has_value());
    CHECK(ok->state == dpmon::core::review_state::completed);
    const auto next = review_id(t.db, "DP-A", "DP_ANNUAL_REVIEW", "2026-03-01");
    CHECK(storage::find_review(t.db, next).value()->due_on == "2026-11-02");
    // Twice: a conflict.
    auto again = daemon::complete_review(t.db, s, id, {"2026-02-20", "x@council.example", "ok", "", ""}, day("2026-03-01"),
                                         "2026-03-01T09:00:00Z");
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().code == errc::conflict);
}
