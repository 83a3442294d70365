#include <catch2/catch.hpp>

#include "dpmon/importers/plan_csv.hpp"
#include "dpmon/importers/plan_file.hpp"

using namespace dpmon::importers;

TEST_CASE("a case-management CSV becomes plan versions with their lines, checked like a JSON plan file") {
    const std::string csv =
        "account_ref,person_ref,account_type,finance_officer,dp_start,sort_code,account_number,effective_from,"
        "weekly_budget,weekly_contribution,council_payment_amount,council_payment_every,council_payment_first,"
        "council_payment_payer,contribution_payer,line_category,line_amount,line_per,line_payees\n"
        "DP-000123,P-1,dedicated_bank,o@council.example,2026-01-05,20-00-00,12345678,2026-01-05,350.00,45.00,1220.00,4w,"
        "2026-01-05,COUNCIL DP,SMITH J,pa_wages,250.00,week,J BLOGGS;J BLOGS\n"
        "DP-000123,P-1,dedicated_bank,o@council.example,2026-01-05,20-00-00,12345678,2026-01-05,350.00,45.00,1220.00,4w,"
        "2026-01-05,COUNCIL DP,SMITH J,hmrc,120.00,month,HMRC\n"
        "DP-000123,P-1,dedicated_bank,o@council.example,2026-01-05,20-00-00,12345678,2026-04-06,420.00,60.00,1440.00,4w,"
        "2026-04-06,COUNCIL DP,SMITH J,pa_wages,300.00,week,J BLOGGS\n";
    auto json = plan_csv_to_json(csv);
    REQUIRE(json.has_value());
    const plan_file f = parse_plan_file(*json);
    REQUIRE(f.errors.empty());
    REQUIRE(f.accounts.size() == 1);
    const auto& v = f.accounts[0].plans;
    REQUIRE(v.size() == 2);
    CHECK(v[0].lines.size() == 2);
    CHECK(v[0].lines[0].payees == std::vector<std::string>{"J BLOGGS", "J BLOGS"});
    CHECK(v[0].effective_to == dpmon::core::parse_iso_date("2026-04-05").value());
    CHECK(v[1].weekly_budget.pence() == 42000);
    CHECK(f.accounts[0].sort_code == "200000");
}

TEST_CASE("a plan CSV with a missing column or rows that disagree names the line and the field") {
    auto missing = plan_csv_to_json("account_ref,person_ref\nDP-1,P\n");
    REQUIRE(missing.has_error());
    CHECK_THAT(missing.error().message, Catch::Contains("line 1: field 'account_type': the column is missing"));
    const std::string head =
        "account_ref,person_ref,account_type,finance_officer,dp_start,effective_from,weekly_budget,"
        "council_payment_amount,council_payment_first,council_payment_payer,card_id\n";
    auto disagree = plan_csv_to_json(head + "DP-1,P-1,prepaid_card,o@council.example,2026-01-05,2026-01-05,300.00,1200.00,2026-01-05,DP,5301\n" +
                                     "DP-1,P-2,prepaid_card,o@council.example,2026-01-05,2026-01-05,300.00,1200.00,2026-01-05,DP,5301\n");
    REQUIRE(disagree.has_error());
    CHECK(disagree.error().message == "line 3: field 'person_ref': 'P-2' differs from line 2 for DP-1");
}
