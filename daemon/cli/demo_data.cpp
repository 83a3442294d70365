#include "dpmon/cli/demo_data.hpp"

#include <array>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <map>

#include "dpmon/core/money.hpp"

namespace dpmon::daemon {
namespace {

using core::civil_date;
using core::money;

// splitmix64: small, fast and the same everywhere, so the demo is reproducible.
class rng {
public:
    explicit rng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }

private:
    std::uint64_t state_;
};

// Invented surnames and initials; none is meant to be anyone.
constexpr std::array<const char*, 16> surnames{"ASHWORTHY", "BRENDALL", "CALLOWAY", "DUNMORE",   "ELSWICK",  "FARNABY",
                                               "GRISEDALE", "HOLLINGS", "IVERSLEY", "JAXONBY",   "KETTLEWAY", "LANGSTROTH",
                                               "MORVILLE",  "NETHERBY", "OAKSHOTT", "PENDLEBURY"};
constexpr std::array<char, 10> initials{'A', 'B', 'C', 'D', 'E', 'G', 'J', 'K', 'M', 'R'};

// What a demo account shows, so that the demo has every reconciliation flag on some account. Accounts
// cycle through these by index; the others behave.
enum class scenario {
    ordinary,
    surplus,              // a large balance carried in
    contribution_arrears, // contributions stop two months before the end
    overdrawn,            // a payment overdraws the account for two days
    payment_missing,      // the last council payment never comes
    statement_gap,        // one month's statement is never sent
    balance_mismatch,     // one statement row's balance is altered
    underspend,           // the PA is paid a fifth of the plan for the last three months
    statement_overdue,    // no statement for the last five months
    projected_shortfall,  // a big purchase after the last council payment leaves little to live on
};

struct account {
    std::string ref;
    std::string person_ref;
    std::string sort_code;
    std::string account_number;
    civil_date dp_start;
    money weekly_budget;
    money weekly_contribution;
    std::string contribution_payer;
    std::string pa_payee;
    int officer;
    scenario what = scenario::ordinary;
};

struct row {
    civil_date date;
    std::string type;
    std::string description;
    money amount;  // negative: money out
};

std::string two(unsigned v) { return {static_cast<char>('0' + v / 10 % 10), static_cast<char>('0' + v % 10)}; }

std::string uk_date(civil_date d) {
    return two(static_cast<unsigned>(d.day())) + "/" + two(static_cast<unsigned>(d.month())) + "/" +
           std::to_string(static_cast<int>(d.year()));
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    return out + "\"";
}

scenario scenario_for(int index) {
    static constexpr std::array<scenario, 12> order{
        scenario::ordinary,        scenario::surplus,           scenario::contribution_arrears, scenario::overdrawn,
        scenario::payment_missing, scenario::statement_gap,     scenario::balance_mismatch,     scenario::underspend,
        scenario::statement_overdue, scenario::projected_shortfall, scenario::ordinary,         scenario::ordinary};
    return order[static_cast<std::size_t>(index) % order.size()];
}

std::vector<row> transactions_for(const account& a, civil_date until, rng& r) {
    std::vector<row> rows;
    const money four_weekly = (a.weekly_budget - a.weekly_contribution) * 4;
    const money wages = money::from_pence(a.weekly_budget.pence() * 70 / 100 / 100 * 100);
    const auto end = date::sys_days{until};
    const auto start = date::sys_days{a.dp_start};
    // The last council payment due at least 6 days before the end (so its absence is flagged).
    const auto last_due = start + date::days{((end - date::days{6} - start).count() / 28) * 28};
    money balance = a.what == scenario::surplus ? a.weekly_budget * 12 : money{};
    auto add = [&](civil_date d, const char* type, std::string text, money amount) {
        balance += amount;
        rows.push_back({d, type, std::move(text), amount});
    };
    for (date::sys_days day = start; day <= end; day += date::days{1}) {
        const civil_date d{day};
        const auto since_start = (day - start).count();
        const auto to_end = (end - day).count();
        if (since_start % 28 == 0 && !(a.what == scenario::payment_missing && day == last_due))
            add(d, "BGC", "COUNCIL DP PAYMENT " + a.ref, four_weekly);
        if (!a.weekly_contribution.is_zero() && since_start % 7 == 2 &&
            !(a.what == scenario::contribution_arrears && to_end < 60))
            add(d, "FPI", a.contribution_payer + " CONTRIBUTION", a.weekly_contribution);
        if (since_start % 7 == 4) {
            const bool low = a.what == scenario::underspend && to_end < 84;
            add(d, "FPO", a.pa_payee + " WAGES", low ? -money::from_pence(wages.pence() / 5) : -wages);
        }
        if (d.day() == date::day{19}) add(d, "DD", "HMRC PAYE CUMBERNAULD", money::from_pence(-(6000 + r.below(4000))));
        if (d.day() == date::day{3}) add(d, "DD", "CAREPAY PAYROLL SERVICES", money::from_pence(-1500));
        if (since_start % 365 == 10) add(d, "DEB", "EMPLOYERS LIABILITY INS CO", money::from_pence(-14900));
        if (r.below(60) == 0) add(d, "DEB", "MOBILITY AIDS DIRECT", money::from_pence(-(1500 + r.below(12000))));
        if (a.what == scenario::overdrawn && to_end == 20) add(d, "DEB", "CAREWELL AGENCY", -(balance + money::from_pence(5000)));
        if (a.what == scenario::overdrawn && to_end == 18) add(d, "BGC", "CAREWELL AGENCY REFUND", money::from_pence(20000));
        if (a.what == scenario::projected_shortfall && day == last_due + date::days{1} && balance > money::from_pence(3000))
            add(d, "DEB", "MOBILITY AIDS DIRECT", -(balance - money::from_pence(2000)));
    }
    return rows;
}

}  // namespace

std::vector<demo_file> generate_demo_data(const demo_options& options) {
    rng r(options.seed);
    const date::year_month first_ym =
        date::year_month{options.until.year(), options.until.month()} - date::months{options.months - 1};
    const civil_date first_month{first_ym.year(), first_ym.month(), date::day{1}};
    std::vector<account> accounts;
    for (int i = 0; i < options.accounts; ++i) {
        account a;
        a.ref = "DP-" + std::string(6 - std::to_string(101 + i).size(), '0') + std::to_string(101 + i);
        a.person_ref = "P-" + std::to_string(550000 + r.below(99999));
        a.sort_code = "30-9" + std::to_string(r.below(10)) + "-" + two(static_cast<unsigned>(r.below(100)));
        a.account_number = std::to_string(10000000 + r.below(89999999));
        a.dp_start = core::add_days(first_month, r.below(40));
        static constexpr std::array<std::int64_t, 4> budgets{21000, 28000, 35000, 42000};
        static constexpr std::array<std::int64_t, 3> contributions{0, 2500, 4500};
        a.weekly_budget = money::from_pence(budgets[static_cast<std::size_t>(r.below(4))]);
        a.weekly_contribution = money::from_pence(contributions[static_cast<std::size_t>(r.below(3))]);
        a.contribution_payer = std::string(surnames[static_cast<std::size_t>(r.below(16))]) + " " +
                               initials[static_cast<std::size_t>(r.below(10))];
        a.pa_payee = std::string(1, initials[static_cast<std::size_t>(r.below(10))]) + " " +
                     surnames[static_cast<std::size_t>(r.below(16))];
        a.officer = 1 + i % 3;
        a.what = scenario_for(i);
        if (a.what == scenario::contribution_arrears && a.weekly_contribution.is_zero()) a.weekly_contribution = money::from_pence(4500);
        accounts.push_back(a);
    }

    std::vector<demo_file> files;
    boost::json::array plan_accounts;
    for (const account& a : accounts) {
        const money four_weekly = (a.weekly_budget - a.weekly_contribution) * 4;
        boost::json::array lines{
            boost::json::object{{"category", "pa_wages"},
                                {"amount", money::from_pence(a.weekly_budget.pence() * 70 / 100 / 100 * 100).to_decimal()},
                                {"per", "week"},
                                {"payees", boost::json::array{a.pa_payee}}},
            boost::json::object{{"category", "hmrc"}, {"amount", "80.00"}, {"per", "month"}, {"payees", boost::json::array{"HMRC"}}},
            boost::json::object{{"category", "payroll_service"}, {"amount", "15.00"}, {"per", "month"}, {"payees", boost::json::array{"CAREPAY"}}},
            boost::json::object{{"category", "insurance"}, {"amount", "149.00"}, {"per", "year"}, {"payees", boost::json::array{"EMPLOYERS LIABILITY"}}},
            boost::json::object{{"category", "equipment"}, {"amount", "10.00"}, {"per", "week"}, {"payees", boost::json::array{"MOBILITY AIDS"}}}};
        boost::json::object plan{{"effective_from", core::format_iso_date(a.dp_start)},
                                 {"effective_to", nullptr},
                                 {"weekly_budget", a.weekly_budget.to_decimal()},
                                 {"weekly_contribution", a.weekly_contribution.to_decimal()},
                                 {"payment_basis", "net"},
                                 {"council_payment", boost::json::object{{"amount", four_weekly.to_decimal()},
                                                                         {"every", "4w"},
                                                                         {"first", core::format_iso_date(a.dp_start)},
                                                                         {"payer", "COUNCIL DP"}}},
                                 {"contribution_payer", a.contribution_payer},
                                 {"lines", std::move(lines)}};
        plan_accounts.push_back(boost::json::object{
            {"account_ref", a.ref},
            {"person_ref", a.person_ref},
            {"account_type", "dedicated_bank"},
            {"finance_officer", "officer" + std::to_string(a.officer) + "@council.example"},
            {"status", "active"},
            {"dp_start", core::format_iso_date(a.dp_start)},
            {"bank", boost::json::object{{"sort_code", a.sort_code}, {"account_number", a.account_number}}},
            {"plans", boost::json::array{std::move(plan)}}});
    }
    files.push_back({"plans/demo-accounts.json",
                     boost::json::serialize(boost::json::object{{"accounts", std::move(plan_accounts)}}) + "\n"});

    for (const account& a : accounts) {
        money balance = a.what == scenario::surplus ? a.weekly_budget * 12 : money{};
        std::map<std::string, std::string> by_month;  // "YYYY-MM" -> CSV body
        const std::string altered_month = date::format("%Y-%m", core::add_months(first_month, options.months / 2));
        bool altered = false;
        for (const row& t : transactions_for(a, options.until, r)) {
            balance += t.amount;
            const std::string month = date::format("%Y-%m", t.date);
            if (a.what == scenario::statement_overdue &&
                date::sys_days{t.date} > date::sys_days{options.until} - date::days{150})
                continue;  // never sent
            money shown = balance;
            if (a.what == scenario::balance_mismatch && month == altered_month && !altered) {
                shown += money::from_pence(1000);  // one row's balance altered by £10
                altered = true;
            }
            std::string& body = by_month[month];
            body += uk_date(t.date) + "," + t.type + ",'" + a.sort_code + "," + a.account_number + "," +
                    csv_field(t.description) + "," + (t.amount.is_negative() ? (-t.amount).to_decimal() : "") + "," +
                    (t.amount.is_negative() ? "" : t.amount.to_decimal()) + "," + shown.to_decimal() + "\n";
        }
        if (a.what == scenario::statement_gap) by_month.erase(altered_month);  // one month never sent
        for (const auto& [month, body] : by_month) {
            files.push_back({"statements/" + a.ref + "-" + month + ".csv",
                             "Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,"
                             "Debit Amount,Credit Amount,Balance\n" +
                                 body});
        }
    }
    return files;
}

}  // namespace dpmon::daemon
