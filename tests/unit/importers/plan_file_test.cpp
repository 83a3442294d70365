#include <catch2/catch.hpp>

#include <algorithm>

#include "dpmon/importers/plan_file.hpp"

using dpmon::importers::parse_plan_file;

TEST_CASE("a plan file's accounts are read with their bank identifiers normalised") {
    const auto f = parse_plan_file(R"({"accounts": [
      {"account_ref": "DP-000123", "person_ref": "P-554433", "account_type": "dedicated_bank",
       "finance_officer": "officer@council.example", "status": "active", "dp_start": "2026-01-05",
       "bank": {"sort_code": "20-00-00", "account_number": "12345678"}, "plans": [{"effective_from": "2026-01-05",
       "weekly_budget": "350.00", "council_payment": {"amount": "1400.00", "first": "2026-01-05", "payer": "DP"}}]},
      {"account_ref": "DP-000124", "person_ref": "P-1", "account_type": "prepaid_card",
       "finance_officer": "officer@council.example", "dp_start": "2026-02-01", "bank": {"card_id": "5301000011112222"}}]})");
    REQUIRE(f.errors.empty());
    REQUIRE(f.accounts.size() == 2);
    CHECK(f.accounts[0].sort_code == "200000");
    CHECK(f.accounts[0].account_number == "12345678");
    CHECK(f.accounts[0].plans_json.starts_with(R"([{"effective_from":"2026-01-05","weekly_budget":"350.00")"));
    CHECK(f.accounts[0].plans.at(0).council_payment.every == dpmon::core::frequency::four_weeks);
    CHECK(f.accounts[1].card_id == "5301000011112222");
    CHECK(f.accounts[1].status == "active");
}

TEST_CASE("every mistake in a plan file is named with the account and the field") {
    const auto f = parse_plan_file(R"({"accounts": [
      {"account_ref": "DP-1", "person_ref": "P", "account_type": "bank", "finance_officer": "nobody",
       "status": "open", "dp_start": "2026-02-30", "bank": {"sort_code": "20-00", "account_number": "1"}, "colour": 1},
      {"person_ref": "P"}]})");
    const std::vector<std::string> expected{
        "accounts[0] (DP-1): field 'colour': unknown field",
        "accounts[0] (DP-1): field 'account_type': 'bank' is not dedicated_bank, prepaid_card or managed_account",
        "accounts[0] (DP-1): field 'status': 'open' is not active, suspended or closed",
        "accounts[0] (DP-1): field 'dp_start': '2026-02-30' is not a date: no such day (expected YYYY-MM-DD)",
        "accounts[0] (DP-1): field 'finance_officer': 'nobody' is not an email address",
        "accounts[0] (DP-1): field 'bank.sort_code': '20-00' is not six digits",
        "accounts[0] (DP-1): field 'bank.account_number': expected 6 to 10 digits",
        "accounts[1]: field 'account_ref': missing",
    };
    for (const auto& e : expected) {
        INFO(e);
        CHECK(std::find(f.errors.begin(), f.errors.end(), e) != f.errors.end());
    }
    CHECK(parse_plan_file("{\n\"accounts\": [\n}").errors.at(0).starts_with("line 3: not valid JSON"));
    CHECK(parse_plan_file("[]").errors.at(0) == "the file must be a JSON object with an \"accounts\" array");
}

TEST_CASE("plan versions are read with money, dates, schedule and lines, and a new version closes the last") {
    const auto f = parse_plan_file(R"({"accounts": [{"account_ref": "DP-000123", "person_ref": "P-554433",
      "account_type": "dedicated_bank", "finance_officer": "officer@council.example", "dp_start": "2026-01-05",
      "bank": {"sort_code": "20-00-00", "account_number": "12345678"},
      "plans": [{"effective_from": "2026-01-05", "effective_to": null, "weekly_budget": "350.00",
                 "weekly_contribution": "45.00", "payment_basis": "net",
                 "council_payment": {"amount": "1220.00", "every": "4w", "first": "2026-01-05", "payer": "COUNCIL DP"},
                 "contribution_payer": "SMITH J",
                 "lines": [{"category": "pa_wages", "amount": "250.00", "per": "week", "payees": ["J BLOGGS"]},
                           {"category": "hmrc", "amount": "120.00", "per": "month", "payees": ["HMRC"]}]},
                {"effective_from": "2026-04-01", "weekly_budget": "420.00", "payment_basis": "gross",
                 "council_payment": {"amount": "1820.00", "every": "month", "first": "2026-04-01", "payer": "COUNCIL DP"},
                 "lines": [{"category": "laundry", "amount": "10.00", "per": "week", "payees": ["WASH"]}]}]}]})",
                                   std::vector<std::string>{"laundry"});
    REQUIRE(f.errors.empty());
    const auto& v = f.accounts.at(0).plans;
    REQUIRE(v.size() == 2);
    CHECK(v[0].weekly_budget.pence() == 35000);
    CHECK(v[0].weekly_contribution.pence() == 4500);
    CHECK(v[0].council_payment.amount.pence() == 122000);
    CHECK(v[0].council_payment.every == dpmon::core::frequency::four_weeks);
    CHECK(v[0].lines.at(1).per == dpmon::core::frequency::month);
    CHECK(v[0].effective_to == dpmon::core::parse_iso_date("2026-03-31").value());
    CHECK(v[1].basis == dpmon::core::payment_basis::gross);
    CHECK(v[1].lines.at(0).category == "laundry");
    const auto again = dpmon::importers::plan_versions_from_json(f.accounts[0].plans_json, std::vector<std::string>{"laundry"});
    REQUIRE(again.has_value());
    CHECK(again->size() == 2);
}

TEST_CASE("mistakes in plan versions name the account, the version and the field") {
    const auto f = parse_plan_file(R"({"accounts": [{"account_ref": "DP-7", "person_ref": "P", "account_type": "dedicated_bank",
      "finance_officer": "o@council.example", "dp_start": "2026-01-05", "bank": {"sort_code": "200000", "account_number": "12345678"},
      "plans": [{"effective_from": "2026-01-05", "weekly_budget": 350, "weekly_contribution": "400.00",
                 "council_payment": {"amount": "1220.00", "every": "fortnight", "first": "2026-01-05", "payer": "X"},
                 "lines": [{"category": "beer", "amount": "-5.00", "per": "day", "payees": [""]}]}]}]})");
    const std::vector<std::string> expected{
        "accounts[0] (DP-7): field 'plans[0].weekly_budget': expected a string",
        "accounts[0] (DP-7): field 'plans[0].council_payment.every': 'fortnight' is not 4w or month",
        "accounts[0] (DP-7): field 'plans[0].lines[0].category': 'beer' is not a category",
        "accounts[0] (DP-7): field 'plans[0].lines[0].amount': must not be negative",
        "accounts[0] (DP-7): field 'plans[0].lines[0].per': 'day' is not week, 4w, month, quarter, year or one_off",
        "accounts[0] (DP-7): field 'plans[0].lines[0].payees': expected a list of non-empty strings",
    };
    for (const auto& e : expected) {
        INFO(e);
        CHECK(std::find(f.errors.begin(), f.errors.end(), e) != f.errors.end());
    }
}

TEST_CASE("per-account policy overrides are checked in the plan file and applied over the council's") {
    const auto f = parse_plan_file(R"({"accounts": [{"account_ref": "DP-8", "person_ref": "P", "account_type": "dedicated_bank",
      "finance_officer": "o@council.example", "dp_start": "2026-01-05", "bank": {"sort_code": "200000", "account_number": "12345678"},
      "policy": {"surplus_threshold_weeks": 6, "unplanned_min": "40.00", "period": "monthly"}, "return_frequency": "quarterly"}]})");
    REQUIRE(f.errors.empty());
    dpmon::core::policy p;
    REQUIRE(dpmon::importers::apply_policy_overrides(p, f.accounts[0].policy_json).has_value());
    CHECK(p.surplus_threshold_weeks == 6);
    CHECK(p.unplanned_min.pence() == 4000);
    CHECK(p.period == dpmon::core::period_kind::monthly);
    CHECK(p.retained_weeks == 4);  // not overridden
    CHECK(f.accounts[0].return_frequency == "quarterly");
    const auto bad = parse_plan_file(R"({"accounts": [{"account_ref": "DP-9", "person_ref": "P", "account_type": "dedicated_bank",
      "finance_officer": "o@council.example", "dp_start": "2026-01-05", "bank": {"sort_code": "200000", "account_number": "12345678"},
      "policy": {"surplus_treshold_weeks": 6, "retained_weeks": "four"}, "return_frequency": "weekly"}]})");
    CHECK(std::find(bad.errors.begin(), bad.errors.end(),
                    "accounts[0] (DP-9): field 'policy.surplus_treshold_weeks': unknown policy key") != bad.errors.end());
    CHECK(std::find(bad.errors.begin(), bad.errors.end(),
                    "accounts[0] (DP-9): field 'policy.retained_weeks': expected a whole number from 0 to 10000") != bad.errors.end());
    CHECK(std::find(bad.errors.begin(), bad.errors.end(),
                    "accounts[0] (DP-9): field 'return_frequency': 'weekly' is not quarterly, 6-monthly or annually") !=
          bad.errors.end());
}
