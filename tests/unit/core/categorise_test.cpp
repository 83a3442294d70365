#include <catch2/catch.hpp>

#include <chrono>

#include "dpmon/core/categorise.hpp"

using namespace dpmon::core;
using namespace date::literals;

namespace {

bank_transaction txn(std::int64_t pence, std::string desc) {
    bank_transaction t;
    t.date = 2026_y / date::January / 5;
    t.amount = money::from_pence(pence);
    t.description = std::move(desc);
    return t;
}

plan_version plan() {
    plan_version v;
    v.council_payment.payer = "COUNCIL DP";
    v.contribution_payer = "SMITH J";
    v.lines = {plan_line{"pa_wages", money::from_pence(25000), frequency::week, {"J BLOGGS"}},
               plan_line{"hmrc", money::from_pence(12000), frequency::month, {"HMRC"}}};
    return v;
}

}  // namespace

TEST_CASE("account rules from the plan come first, then council rules - the first match wins and is recorded") {
    categoriser c({{"config line 12", "HMRC", "", "hmrc", direction::any, std::nullopt, std::nullopt},
                   {"config line 15", "", "^TFL|UBER", "transport", direction::money_out, std::nullopt, std::nullopt},
                   {"config line 18", "BLOGGS", "", "other_agreed", direction::any, std::nullopt, std::nullopt}});
    const auto rules = account_rules(plan());
    CHECK(c.categorise(txn(-25000, "FPO j bloggs wages"), rules).category == "pa_wages");
    CHECK(c.categorise(txn(-25000, "FPO j bloggs wages"), rules).rule == "plan:pa_wages 'J BLOGGS'");
    CHECK(c.categorise(txn(122000, "COUNCIL DP PAYMENT"), rules).category == "council_payment");
    CHECK(c.categorise(txn(4500, "SMITH J CONTRIBUTION"), rules).category == "client_contribution");
    // The same payee as money in is not wages: a council rule (or nothing) decides.
    CHECK(c.categorise(txn(25000, "J BLOGGS REFUND"), rules).rule == "config line 18");
    CHECK(c.categorise(txn(-1250, "tfl travel"), rules).category == "transport");
    CHECK(c.categorise(txn(1250, "tfl refund"), rules).category == "uncategorised");
    const auto none = c.categorise(txn(-999, "CORNER SHOP"), rules);
    CHECK(none.category == "uncategorised");
    CHECK(none.rule.empty());
}

TEST_CASE("a rule can be limited to an amount range") {
    categoriser c({{"small", "SHOP", "", "other_agreed", direction::money_out, money::from_pence(0), money::from_pence(5000)}});
    CHECK(c.categorise(txn(-5000, "SHOP"), std::vector<category_rule>{}).category == "other_agreed");
    CHECK(c.categorise(txn(-5001, "SHOP"), std::vector<category_rule>{}).category == "uncategorised");
}

TEST_CASE("council regex rules run in linear time: a 60,000-character description against a nested quantifier") {
    std::vector<category_rule> rules{{"config line 3", "", "(a+)+$", "other_agreed", direction::any, std::nullopt,
                                      std::nullopt}};
    const categoriser c(rules);
    const auto start = std::chrono::steady_clock::now();
    CHECK(c.categorise(txn(-100, std::string(60000, 'a') + "b"), std::vector<category_rule>{}).category ==
          "uncategorised");
    CHECK(c.categorise(txn(-100, std::string(60000, 'A')), std::vector<category_rule>{}).category == "other_agreed");
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

TEST_CASE("a rule pattern RE2 cannot run (backreference, lookahead) or cannot parse is refused with the reason") {
    CHECK(check_rule_pattern("^HMRC|INLAND REVENUE").has_value());
    CHECK(check_rule_pattern("(a)\\1").has_error());
    CHECK(check_rule_pattern("foo(?=bar)").has_error());
    const auto unclosed = check_rule_pattern("(unclosed");
    REQUIRE(unclosed.has_error());
    CHECK(unclosed.error().message.find("missing )") != std::string::npos);
}
