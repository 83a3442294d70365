#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <sstream>

#include "dpmon/core/money.hpp"
#include "dpmon/cli/demo_data.hpp"

using dpmon::daemon::demo_options;
using dpmon::daemon::generate_demo_data;

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == sep) {
            out.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    out.push_back(cur);
    return out;
}

}  // namespace

TEST_CASE("the same demo options give the same bytes, and another seed other data") {
    demo_options o;
    o.accounts = 4;
    o.months = 3;
    const auto a = generate_demo_data(o);
    const auto b = generate_demo_data(o);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].relative_path == b[i].relative_path);
        CHECK(a[i].content == b[i].content);
    }
    o.seed = 2;
    CHECK(generate_demo_data(o)[0].content != a[0].content);
}

TEST_CASE("demo plans are one JSON file listing every account with its bank details and plan") {
    demo_options o;
    o.accounts = 5;
    const auto files = generate_demo_data(o);
    REQUIRE(files[0].relative_path == "plans/demo-accounts.json");
    const auto doc = boost::json::parse(files[0].content);
    const auto& accounts = doc.at("accounts").as_array();
    REQUIRE(accounts.size() == 5);
    std::set<std::string> refs;
    for (const auto& a : accounts) {
        refs.insert(std::string(a.at("account_ref").as_string()));
        CHECK(a.at("bank").at("account_number").as_string().size() == 8);
        CHECK(a.at("plans").as_array().size() == 1);
        CHECK(std::string(a.at("finance_officer").as_string()).ends_with("@council.example"));
    }
    CHECK(refs == std::set<std::string>{"DP-000101", "DP-000102", "DP-000103", "DP-000104", "DP-000105"});
}

TEST_CASE("each demo statement row's balance is the previous balance plus the row's amount") {
    demo_options o;
    o.accounts = 3;
    o.months = 4;
    std::map<std::string, std::int64_t> balance_by_account;
    std::size_t rows = 0;
    for (const auto& f : generate_demo_data(o)) {
        if (!f.relative_path.starts_with("statements/")) continue;
        const std::string account = f.relative_path.substr(11, 9);
        std::istringstream in(f.content);
        std::string line;
        std::getline(in, line);
        CHECK(line.starts_with("Transaction Date,Transaction Type,Sort Code,Account Number"));
        while (std::getline(in, line)) {
            const auto cols = split(line, ',');
            REQUIRE(cols.size() == 8);
            const auto amount = dpmon::core::parse_debit_credit(cols[5], cols[6]);
            REQUIRE(amount.has_value());
            // The first row of an account sets where it starts (one demo account carries a balance in).
            if (balance_by_account.count(account) == 0)
                balance_by_account[account] = dpmon::core::parse_money(cols[7])->pence() - amount->pence();
            const std::int64_t expected = balance_by_account[account] + amount->pence();
            CHECK(dpmon::core::parse_money(cols[7])->pence() == expected);
            balance_by_account[account] = expected;
            ++rows;
        }
    }
    CHECK(balance_by_account.size() == 3);
    CHECK(rows > 3 * 4 * 4);
}
