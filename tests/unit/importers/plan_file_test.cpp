#include <catch2/catch.hpp>

#include "dpmon/importers/plan_file.hpp"

using dpmon::importers::parse_plan_file;

TEST_CASE("a plan file's accounts are read with their bank identifiers normalised") {
    const auto f = parse_plan_file(R"({"accounts": [
      {"account_ref": "DP-000123", "person_ref": "P-554433", "account_type": "dedicated_bank",
       "finance_officer": "officer@council.example", "status": "active", "dp_start": "2026-01-05",
       "bank": {"sort_code": "20-00-00", "account_number": "12345678"}, "plans": [{"weekly_budget": "350.00"}]},
      {"account_ref": "DP-000124", "person_ref": "P-1", "account_type": "prepaid_card",
       "finance_officer": "officer@council.example", "dp_start": "2026-02-01", "bank": {"card_id": "5301000011112222"}}]})");
    REQUIRE(f.errors.empty());
    REQUIRE(f.accounts.size() == 2);
    CHECK(f.accounts[0].sort_code == "200000");
    CHECK(f.accounts[0].account_number == "12345678");
    CHECK(f.accounts[0].plans_json == R"([{"weekly_budget":"350.00"}])");
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
