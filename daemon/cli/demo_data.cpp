#include "dpmon/cli/demo_data.hpp"

#include <algorithm>
#include <array>
#include <functional>
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

// What a demo account shows. Half the caseload behaves (no open flag, reviews up to date); the other half
// shows every flag code between them, as a caseload would: related problems together. Accounts cycle
// through these by index.
enum class scenario {
    ordinary,
    underspend,         // the PA is paid a fifth of the plan for the last 12 weeks: UNDERSPEND, SURPLUS
    overdrawn,          // an agency invoice paid twice in the last days: OVERDRAWN, DUPLICATE_PAYMENT (and the
                        // agency is not in the plan: UNPLANNED_SPEND)
    statement_trouble,  // a month never sent, a balance altered, the last five months late: STATEMENT_GAP,
                        // BALANCE_MISMATCH, STATEMENT_OVERDUE
    misuse,             // a son in the household paid, betting, cash: HOUSEHOLD_MEMBER_PAYMENT, RESTRICTED_SPEND,
                        // CASH_WITHDRAWAL
    employer,           // HMRC and contributions stop, the last council payment never comes, reviews not done:
                        // EMPLOYER_OBLIGATION_MISSED, CONTRIBUTION_ARREARS, COUNCIL_PAYMENT_MISSING
    overspend,          // big equipment purchases, a family top-up and an unplanned purchase, little left:
                        // OVERSPEND, UNEXPLAINED_INFLOW, UNPLANNED_SPEND, PROJECTED_SHORTFALL
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
        scenario::ordinary, scenario::underspend, scenario::ordinary, scenario::overdrawn,
        scenario::ordinary, scenario::statement_trouble, scenario::ordinary, scenario::misuse,
        scenario::ordinary, scenario::employer, scenario::ordinary, scenario::overspend};
    return order[static_cast<std::size_t>(index) % order.size()];
}

// The PA's weekly wage: the budget less what the other plan lines take (about £35 a week), so that an
// ordinary account spends what it is paid and its balance stays between two and six weeks of budget.
money weekly_wages(const account& a) { return a.weekly_budget - money::from_pence(3500); }

// Two weeks of budget carried in from before (six for the underspend, which then builds a surplus, and four
// where extra spending would otherwise run it short).
money opening_balance(const account& a) {
    return a.weekly_budget * (a.what == scenario::underspend || a.what == scenario::overspend ? 6 : a.what == scenario::misuse ? 4 : 2);
}

// What a scenario adds on the day `to_end` days before the end, beyond the ordinary pattern; `invoice`
// carries the overdrawn scenario's invoice from its first payment to its second.
void scenario_rows(const account& a, std::int64_t to_end, std::int64_t to_next_payment, money balance, money& invoice,
                   const std::function<void(const char*, std::string, money)>& add) {
    switch (a.what) {
        case scenario::overdrawn:
            // The agency's invoice, paid twice: the second overdraws the account by about £176.
            // Paid the day before the end and on the end day; a council payment due on the end day is counted in.
            if (to_end == 1) {
                const money due_tomorrow = to_next_payment == 1 ? (a.weekly_budget - a.weekly_contribution) * 4 : money{};
                invoice = money::from_pence((balance + due_tomorrow).pence() / 2 + 8800);
            }
            if (to_end <= 1) add("DEB", "CAREWELL AGENCY INV 2231", -invoice);
            break;
        case scenario::misuse:
            if (to_end == 70 || to_end == 40 || to_end == 10) add("FPO", "TOBIAS WRENFIELD HELP", -money::from_pence(12000));
            if (to_end == 55 || to_end == 25) add("DEB", "SKYBET LONDON", -money::from_pence(4000));
            if (to_end == 50 || to_end == 30 || to_end == 12) add("ATM", "LINK ATM HIGH ST", -money::from_pence(10000));
            break;
        case scenario::overspend:
            if (to_end == 70 || to_end == 45) add("DEB", "MOBILITY AIDS DIRECT", -money::from_pence(65000));
            if (to_end == 20) add("BGC", "J DUNMORE TRANSFER", money::from_pence(30000));
            if (to_end == 15) add("DEB", "CURRYS PC WORLD", -money::from_pence(19900));
            // Two days before the end, a purchase leaves half of what the days to the next council payment need.
            if (to_end == 2) {
                const money keep = money::from_pence(std::max<std::int64_t>(5000, a.weekly_budget.pence() * to_next_payment / 14));
                if (balance > keep) add("DEB", "MOBILITY AIDS DIRECT", -(balance - keep));
            }
            break;
        default: break;
    }
}

std::vector<row> transactions_for(const account& a, civil_date until, rng& r) {
    std::vector<row> rows;
    const money four_weekly = (a.weekly_budget - a.weekly_contribution) * 4;
    const money wages = weekly_wages(a);
    const auto end = date::sys_days{until};
    const auto start = date::sys_days{a.dp_start};
    // The last council payment due at least 9 days before the end (so its absence shows on the statements).
    const auto last_due = start + date::days{((end - date::days{9} - start).count() / 28) * 28};
    money balance = opening_balance(a);
    money invoice;
    auto add = [&](civil_date d, const char* type, std::string text, money amount) {
        balance += amount;
        rows.push_back({d, type, std::move(text), amount});
    };
    for (date::sys_days day = start; day <= end; day += date::days{1}) {
        const civil_date d{day};
        const auto since_start = (day - start).count();
        const auto to_end = (end - day).count();
        if (since_start % 28 == 0 && !(a.what == scenario::employer && day == last_due))
            add(d, "BGC", "COUNCIL DP PAYMENT " + a.ref, four_weekly);
        if (!a.weekly_contribution.is_zero() && since_start % 7 == 2 && !(a.what == scenario::employer && to_end < 60))
            add(d, "FPI", a.contribution_payer + " CONTRIBUTION", a.weekly_contribution);
        if (since_start % 7 == 4) {
            const bool low = a.what == scenario::underspend && to_end < 84;
            add(d, "FPO", a.pa_payee + " WAGES", low ? -money::from_pence(wages.pence() / 5) : -wages);
        }
        if (d.day() == date::day{19} && !(a.what == scenario::employer && to_end < 130))
            add(d, "DD", "HMRC PAYE CUMBERNAULD", money::from_pence(-(6000 + r.below(4000))));
        if (d.day() == date::day{3}) add(d, "DD", "CAREPAY PAYROLL SERVICES", money::from_pence(-1500));
        if (since_start % 365 == 10) add(d, "DEB", "EMPLOYERS LIABILITY INS CO", money::from_pence(-14900));
        if (r.below(14) == 0) add(d, "DEB", "MOBILITY AIDS DIRECT", money::from_pence(-(1000 + r.below(2000))));
        const auto to_next_payment = 28 - since_start % 28;
        scenario_rows(a, to_end, to_next_payment, balance, invoice, [&](const char* type, std::string text, money amount) { add(d, type, std::move(text), amount); });
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
        if (a.what == scenario::employer) a.weekly_contribution = money::from_pence(4500);
        accounts.push_back(a);
    }

    std::vector<demo_file> files;
    boost::json::array plan_accounts;
    for (const account& a : accounts) {
        const money four_weekly = (a.weekly_budget - a.weekly_contribution) * 4;
        boost::json::array lines{
            boost::json::object{{"category", "pa_wages"}, {"amount", weekly_wages(a).to_decimal()}, {"per", "week"},
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
        boost::json::object account_json{
            {"account_ref", a.ref},
            {"person_ref", a.person_ref},
            {"account_type", "dedicated_bank"},
            {"finance_officer", "officer" + std::to_string(a.officer) + "@council.example"},
            {"status", "active"},
            {"dp_start", core::format_iso_date(a.dp_start)},
            {"bank", boost::json::object{{"sort_code", a.sort_code}, {"account_number", a.account_number}}},
            {"plans", boost::json::array{std::move(plan)}}};
        // Reviews done on time, except on the employer account (its officer has fallen behind).
        if (a.what != scenario::employer) {
            const std::string done = core::format_iso_date(core::add_months(a.dp_start, 5));
            account_json["reviews"] = boost::json::object{{"DP_INITIAL_REVIEW", boost::json::object{{"completed_on", done}}},
                                                          {"SUPPORT_PLAN_REVIEW", boost::json::object{{"completed_on", done}}},
                                                          {"FINANCIAL_AUDIT", boost::json::object{{"completed_on", done}}}};
        }
        if (a.what == scenario::misuse)
            account_json["household_members"] = boost::json::array{boost::json::object{
                {"payee", "TOBIAS WRENFIELD"}, {"relationship", "son"}, {"approved", false}}};
        plan_accounts.push_back(std::move(account_json));
    }
    files.push_back({"plans/demo-accounts.json",
                     boost::json::serialize(boost::json::object{{"accounts", std::move(plan_accounts)}}) + "\n"});

    for (const account& a : accounts) {
        money balance = opening_balance(a);
        std::map<std::string, std::string> by_month;  // "YYYY-MM" -> CSV body
        const std::string altered_month = date::format("%Y-%m", core::add_months(first_month, options.months / 2));
        bool altered = false;
        for (const row& t : transactions_for(a, options.until, r)) {
            balance += t.amount;
            const std::string month = date::format("%Y-%m", t.date);
            if (a.what == scenario::statement_trouble &&
                date::sys_days{t.date} > date::sys_days{options.until} - date::days{150})
                continue;  // never sent
            money shown = balance;
            if (a.what == scenario::statement_trouble && month == altered_month && !altered) {
                shown += money::from_pence(1000);  // one row's balance altered by £10
                altered = true;
            }
            std::string& body = by_month[month];
            body += uk_date(t.date) + "," + t.type + ",'" + a.sort_code + "," + a.account_number + "," +
                    csv_field(t.description) + "," + (t.amount.is_negative() ? (-t.amount).to_decimal() : "") + "," +
                    (t.amount.is_negative() ? "" : t.amount.to_decimal()) + "," + shown.to_decimal() + "\n";
        }
        // One month never sent (the one before the altered balance).
        if (a.what == scenario::statement_trouble)
            by_month.erase(date::format("%Y-%m", core::add_months(first_month, options.months / 2 - 2)));
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
