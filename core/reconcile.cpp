#include "dpmon/core/reconcile.hpp"

#include "dpmon/core/audit_checks.hpp"

#include <algorithm>
#include <optional>
#include <string_view>
#include <tuple>
#include <utility>

namespace dpmon::core {
namespace {

// The account's balance after each day that has transactions: the bank's figure where the statement
// gives one, else the last known balance plus the amounts (from zero when nothing is known).
class balance_line {
public:
    explicit balance_line(const std::vector<categorised_transaction>& txns) {
        money running;
        if (!txns.empty() && txns.front().t.balance) running = *txns.front().t.balance - txns.front().t.amount;
        start_ = running;
        for (const auto& c : txns) {
            running += c.t.amount;
            bool from_bank = false;
            if (c.t.balance) {
                running = *c.t.balance;
                from_bank = true;
            }
            if (!points_.empty() && points_.back().day == c.t.date) {
                points_.back() = {c.t.date, running, from_bank, std::min(points_.back().lowest, running)};
            } else {
                points_.push_back({c.t.date, running, from_bank, running});
            }
        }
    }

    // The balance at the end of `d`, and whether it is the bank's figure.
    std::pair<money, bool> at(civil_date d) const {
        auto it = std::upper_bound(points_.begin(), points_.end(), d, [](civil_date x, const point& p) { return x < p.day; });
        if (it == points_.begin()) return {start_, false};
        --it;
        return {it->balance, it->from_bank};
    }

    // The lowest balance seen at any point within [a, b], with its day; nullopt when it never went below zero.
    std::optional<std::pair<money, civil_date>> lowest_below_zero(civil_date a, civil_date b) const {
        std::optional<std::pair<money, civil_date>> low;
        if (at(add_days(a, -1)).first.is_negative()) low = {at(add_days(a, -1)).first, a};
        for (const auto& p : points_) {
            if (p.day < a || p.day > b) continue;
            if (p.lowest.is_negative() && (!low || p.lowest < low->first)) low = {p.lowest, p.day};
        }
        return low;
    }

private:
    struct point {
        civil_date day;
        money balance;
        bool from_bank;
        money lowest;  // the lowest running balance within the day
    };
    money start_;
    std::vector<point> points_;
};

std::int64_t overlap_days(civil_date a1, civil_date b1, civil_date a2, civil_date b2) {
    return days_inclusive(std::max(a1, a2), std::min(b1, b2));
}

civil_date version_end(const plan_version& v, civil_date fallback) { return v.effective_to.value_or(fallback); }

// Scheduled council payment dates in [a, b], with the amount of the plan version in force on each.
std::vector<std::pair<civil_date, money>> scheduled_payments(const std::vector<plan_version>& plans, civil_date a, civil_date b) {
    std::vector<std::pair<civil_date, money>> out;
    for (const auto& v : plans) {
        const council_payment_schedule& s = v.council_payment;
        // Start near `a` rather than at the first payment: this runs once per period.
        int k0 = 0;
        if (a > s.first) {
            const auto days = (date::sys_days{a} - date::sys_days{s.first}).count();
            k0 = static_cast<int>(s.every == frequency::month ? days / 31 : days / 28);
        }
        for (int k = k0;; ++k) {
            const civil_date d = s.every == frequency::month ? add_months(s.first, k) : add_days(s.first, 28 * k);
            if (d > b || d > version_end(v, b)) break;
            if (d >= a && v.in_force_on(d)) out.emplace_back(d, s.amount);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

money due_contributions(const std::vector<plan_version>& plans, civil_date a, civil_date b) {
    money due;
    for (const auto& v : plans) {
        if (v.basis != payment_basis::net) continue;
        due += prorate(v.weekly_contribution, frequency::week, overlap_days(a, b, v.effective_from, version_end(v, b)));
    }
    return due;
}

money paid(const std::vector<categorised_transaction>& txns, std::string_view category, civil_date a, civil_date b) {
    money sum;
    for (const auto& c : txns) {
        if (c.t.date >= a && c.t.date <= b && c.category == category && !c.t.amount.is_negative()) sum += c.t.amount;
    }
    return sum;
}

std::string pounds(money m) { return m.to_display(); }

money percent_of(money m, std::int64_t pct) { return money::from_pence(m.pence() * pct / 100); }

// One period's figures: council payments and contributions expected and received, spend per category
// planned (prorated plan lines) and actual, other inflows, and the opening and closing balances.
period_figures figures_of(const period& p, const account_facts& facts, const balance_line& balances, civil_date today) {
    period_figures f;
    f.span = p;
    f.complete = p.last < today;
    const civil_date until = std::min(p.last, today);
    for (const auto& [d, amount] : scheduled_payments(facts.plans, p.first, until)) f.expected_council += amount;
    f.expected_contribution = due_contributions(facts.plans, p.first, until);

    std::map<std::string, category_figures> spend;
    for (const auto& v : facts.plans) {
        const std::int64_t days = overlap_days(p.first, until, v.effective_from, version_end(v, until));
        for (const auto& line : v.lines) {
            auto& c = spend[line.category];
            c.category = line.category;
            c.planned += prorate(line.amount, line.per, days);
        }
    }
    // Transactions are in date order: start at the period's first.
    const auto from = std::lower_bound(facts.transactions.begin(), facts.transactions.end(), p.first,
                                       [](const categorised_transaction& c, civil_date d) { return c.t.date < d; });
    for (auto it = from; it != facts.transactions.end() && it->t.date <= until; ++it) {
        const auto& c = *it;
        if (c.t.amount.is_negative()) {
            auto& s = spend[c.category];
            s.category = c.category;
            s.actual -= c.t.amount;
        } else if (c.category == "council_payment") {
            f.actual_council += c.t.amount;
        } else if (c.category == "client_contribution") {
            f.actual_contribution += c.t.amount;
        } else {
            f.other_inflows += c.t.amount;
        }
    }
    for (auto& [name, c] : spend) {
        f.planned_spend += c.planned;
        f.actual_spend += c.actual;
        f.spend.push_back(c);
    }
    f.opening = balances.at(add_days(p.first, -1)).first;
    std::tie(f.closing, f.balance_from_statement) = balances.at(until);
    return f;
}

// The last day the statements reach without a gap, or nullopt when there are none.
std::optional<civil_date> statements_covered_to(const account_facts& facts) {
    std::optional<civil_date> to;
    for (const auto& c : facts.statements) {
        if (!to || c.last > *to) to = c.last;
    }
    return to;
}

// What every flag rule reads.
struct rule_input {
    const account_facts& facts;
    civil_date today;
    const balance_line& balances;
    const std::vector<period_figures>& periods;
    std::optional<civil_date> covered_to;  // the last day any statement reaches
    const policy& pol() const { return facts.rules; }
};


void overspend_flags(const rule_input& in, std::vector<flag>& flags) {
    const policy& pol = in.pol();
    for (const auto& f : in.periods) {
        if (!f.complete) continue;
        auto check = [&](const std::string& what, money planned, money actual) {
            if (planned.is_zero() || actual <= planned + percent_of(planned, pol.overspend_tolerance_pct)) return;
            const money over = actual - planned;
            flags.push_back({flag_code::overspend, "OVERSPEND:" + format_iso_date(f.span.first) + ":" + what, f.span, over,
                                 "Spending on " + what + " was " + pounds(actual) + " against " + pounds(planned) +
                                     " planned for " + format_iso_date(f.span.first) + " to " + format_iso_date(f.span.last) +
                                     ", " + pounds(over) + " over (more than " +
                                     std::to_string(pol.overspend_tolerance_pct) + "% above plan).",
                                 {{"rule", "actual spend > plan x (1 + overspend_tolerance_pct)"},
                                  {"category", what},
                                  {"planned", planned.to_decimal()},
                                  {"actual", actual.to_decimal()},
                                  {"overspend_tolerance_pct", std::to_string(pol.overspend_tolerance_pct)}}});
        };
        for (const auto& c : f.spend) check(c.category, c.planned, c.actual);
        check("all categories", f.planned_spend, f.actual_spend);
    }
}

void underspend_flags(const rule_input& in, std::vector<flag>& flags) {
    const policy& pol = in.pol();
    std::int64_t run = 0;
    for (const auto& f : in.periods) {
        if (!f.complete) continue;
        const bool low = !f.planned_spend.is_zero() && f.actual_spend < percent_of(f.planned_spend, pol.underspend_pct);
        run = low ? run + 1 : 0;
        if (run < pol.underspend_periods) continue;
        flags.push_back({flag_code::underspend, "UNDERSPEND:" + format_iso_date(f.span.first), f.span,
                             f.planned_spend - f.actual_spend,
                             "Spending has been under " + std::to_string(pol.underspend_pct) + "% of the plan for " +
                                 std::to_string(run) + " periods in a row (" + pounds(f.actual_spend) + " against " +
                                 pounds(f.planned_spend) + " in the last): care may not be being delivered.",
                             {{"rule", "actual < underspend_pct of plan for underspend_periods periods"},
                              {"planned", f.planned_spend.to_decimal()},
                              {"actual", f.actual_spend.to_decimal()},
                              {"periods_in_a_row", std::to_string(run)}}});
    }
}

// SURPLUS: at the end of each period (and today), a balance over surplus_threshold_weeks of the gross
// weekly budget; recoverable is the balance less retained_weeks and less overpaid contributions.
void surplus_flags(const rule_input& in, std::vector<flag>& flags) {
    const account_facts& facts = in.facts;
    const policy& pol = in.pol();
    const money overpaid = [&] {
        const money over = paid(facts.transactions, "client_contribution", facts.dp_start, in.today) -
                           due_contributions(facts.plans, facts.dp_start, in.today);
        return over.is_negative() ? money{} : over;
    }();
    for (const auto& f : in.periods) {
        const civil_date at = std::min(f.span.last, in.today);
        const plan_version* v = version_on(facts.plans, at);
        if (!v) continue;
        const money threshold = v->weekly_budget * pol.surplus_threshold_weeks;
        if (f.closing <= threshold) continue;
        money recoverable = f.closing - v->weekly_budget * pol.retained_weeks - overpaid;
        if (recoverable.is_negative()) recoverable = money{};
        flags.push_back({flag_code::surplus, "SURPLUS:" + format_iso_date(f.span.first), f.span, recoverable,
                         "The balance of " + pounds(f.closing) + " on " + format_iso_date(at) + " is more than " +
                             std::to_string(pol.surplus_threshold_weeks) + " weeks of the direct payment (" +
                             pounds(threshold) + "). Keeping " + std::to_string(pol.retained_weeks) + " weeks (" +
                             pounds(v->weekly_budget * pol.retained_weeks) + ")" +
                             (overpaid.is_zero() ? std::string() : " and refunding overpaid contributions of " + pounds(overpaid)) +
                             ", " + pounds(recoverable) + " could be recovered.",
                         {{"rule", "closing balance > surplus_threshold_weeks x weekly budget"},
                          {"closing_balance", f.closing.to_decimal()},
                          {"weekly_budget", v->weekly_budget.to_decimal()},
                          {"surplus_threshold_weeks", std::to_string(pol.surplus_threshold_weeks)},
                          {"retained_weeks", std::to_string(pol.retained_weeks)},
                          {"overpaid_contributions", overpaid.to_decimal()},
                          {"recoverable", recoverable.to_decimal()}}});
    }
}

// OVERDRAWN: a day in the period when the balance was below zero.
void overdrawn_flags(const rule_input& in, std::vector<flag>& flags) {
    for (const auto& f : in.periods) {
        auto low = in.balances.lowest_below_zero(f.span.first, std::min(f.span.last, in.today));
        if (!low) continue;
        flags.push_back({flag_code::overdrawn, "OVERDRAWN:" + format_iso_date(f.span.first), f.span, low->first,
                         "The account was overdrawn: the balance fell to " + pounds(low->first) + " on " +
                             format_iso_date(low->second) + ".",
                         {{"rule", "balance below zero on any day"},
                          {"lowest_balance", low->first.to_decimal()},
                          {"on", format_iso_date(low->second)}}});
    }
}

// CONTRIBUTION_ARREARS (net payments only): what was due up to contribution_grace_days ago, less what was paid.
void arrears_flags(const rule_input& in, std::vector<flag>& flags) {
    const account_facts& facts = in.facts;
    const policy& pol = in.pol();
    const civil_date due_until = add_days(in.today, -static_cast<int>(pol.contribution_grace_days));
    if (due_until < facts.dp_start) return;
    const money due = due_contributions(facts.plans, facts.dp_start, due_until);
    const money got = paid(facts.transactions, "client_contribution", facts.dp_start, in.today);
    const money arrears = due - got;
    if (arrears <= money{}) return;
    const period p = period_containing(pol.period, facts.dp_start, in.today);
    flags.push_back({flag_code::contribution_arrears, "CONTRIBUTION_ARREARS:" + format_iso_date(p.first), p, arrears,
                     "Assessed contributions of " + pounds(due) + " were due by " + format_iso_date(due_until) + " and " +
                         pounds(got) + " has been paid in: " + pounds(arrears) + " in arrears.",
                     {{"rule", "contributions due more than contribution_grace_days ago, less paid"},
                      {"due", due.to_decimal()},
                      {"paid", got.to_decimal()},
                      {"arrears", arrears.to_decimal()},
                      {"contribution_grace_days", std::to_string(pol.contribution_grace_days)}}});
}

// COUNCIL_PAYMENT_MISSING: a scheduled payment with no council payment within council_payment_grace_days
// of it (each payment received answers one scheduled date).
void missing_payment_flags(const rule_input& in, std::vector<flag>& flags) {
    const account_facts& facts = in.facts;
    const policy& pol = in.pol();
    std::vector<bool> used(facts.transactions.size(), false);
    for (const auto& [d, amount] : scheduled_payments(facts.plans, facts.dp_start, in.today)) {
        const civil_date latest = add_days(d, static_cast<int>(pol.council_payment_grace_days));
        const civil_date earliest = add_days(d, -static_cast<int>(pol.council_payment_grace_days));
        bool found = false;
        for (std::size_t i = 0; i < facts.transactions.size() && !found; ++i) {
            const auto& c = facts.transactions[i];
            if (used[i] || c.t.amount.is_negative() || c.category != "council_payment") continue;
            if (c.t.date >= earliest && c.t.date <= latest) {
                used[i] = true;
                found = true;
            }
        }
        if (found || latest >= in.today) continue;
        const period p = period_containing(pol.period, facts.dp_start, d);
        flags.push_back({flag_code::council_payment_missing, "COUNCIL_PAYMENT_MISSING:" + format_iso_date(d), p, amount,
                         "The council payment of " + pounds(amount) + " due on " + format_iso_date(d) +
                             " had not arrived " + std::to_string(pol.council_payment_grace_days) + " days later.",
                         {{"rule", "scheduled council payment not seen within council_payment_grace_days"},
                          {"due_on", format_iso_date(d)},
                          {"amount", amount.to_decimal()}}});
    }
}

// PROJECTED_SHORTFALL: at the spending rate of the last complete period, the balance runs out before the
// next council payment.
void shortfall_flags(const rule_input& in, std::vector<flag>& flags) {
    const period_figures* last_complete = nullptr;
    for (const auto& f : in.periods) {
        if (f.complete) last_complete = &f;
    }
    const auto next = scheduled_payments(in.facts.plans, add_days(in.today, 1), add_days(in.today, 400));
    if (!last_complete || next.empty()) return;
    const money balance = in.balances.at(in.today).first;
    const std::int64_t days = days_inclusive(add_days(in.today, 1), next.front().first) - 1;
    const money need = money::from_pence(last_complete->actual_spend.pence() * days / last_complete->span.days());
    if (balance - need >= money{} || balance.is_negative()) return;
    const period p = period_containing(in.pol().period, in.facts.dp_start, in.today);
    flags.push_back({flag_code::projected_shortfall, "PROJECTED_SHORTFALL:" + format_iso_date(p.first), p, need - balance,
                     "At the recent rate of spending (" + pounds(last_complete->actual_spend) + " in " +
                         std::to_string(last_complete->span.days()) + " days) the balance of " + pounds(balance) +
                         " runs out before the next council payment on " + format_iso_date(next.front().first) +
                         "; about " + pounds(need - balance) + " short.",
                     {{"rule", "balance < spending rate x days to the next council payment"},
                      {"balance", balance.to_decimal()},
                      {"needed", need.to_decimal()},
                      {"next_payment", format_iso_date(next.front().first)}}});
}

// STATEMENT_GAP (days between two statements covered by none) and BALANCE_MISMATCH at a statement's
// opening (a statement that adjoins another must open at its closing balance).
void statement_continuity_flags(const rule_input& in, std::vector<flag>& flags) {
    const account_facts& facts = in.facts;
    const policy& pol = in.pol();
    std::vector<statement_cover> covers = facts.statements;
    std::sort(covers.begin(), covers.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::optional<civil_date> covered_to;
    const statement_cover* previous = nullptr;
    for (const auto& c : covers) {
        // CSV statements carry no period of their own, only their rows' dates, so days without rows at
        // the ends of two statements look uncovered. When the later one opens at the earlier one's closing
        // balance, no rows can be missing between them: that is no gap.
        const bool joined_before = previous && previous->closing && c.opening && covered_to && previous->last == *covered_to;
        const bool balances_join = joined_before && *c.opening == *previous->closing;
        if (covered_to && c.first > add_days(*covered_to, 1) && !balances_join) {
            const civil_date gap_first = add_days(*covered_to, 1);
            const civil_date gap_last = add_days(c.first, -1);
            const period p = period_containing(pol.period, facts.dp_start, std::max(gap_first, facts.dp_start));
            flags.push_back({flag_code::statement_gap, "STATEMENT_GAP:" + format_iso_date(gap_first), p, money{},
                             "No statement covers " + format_iso_date(gap_first) + " to " + format_iso_date(gap_last) +
                                 " (between " + (previous ? previous->file_name : std::string("?")) + " and " +
                                 c.file_name + ").",
                             {{"rule", "a date range between two statements covered by none"},
                              {"from", format_iso_date(gap_first)},
                              {"to", format_iso_date(gap_last)}}});
        }
        // Across uncovered days a different opening is the gap itself; between adjoining statements it
        // means rows missing or altered.
        const bool adjoining = covered_to && c.first <= add_days(*covered_to, 1);
        if (adjoining && joined_before && *c.opening != *previous->closing) {
            const period p = period_containing(pol.period, facts.dp_start, std::max(c.first, facts.dp_start));
            flags.push_back({flag_code::balance_mismatch, "BALANCE_MISMATCH:opening:" + c.file_name, p, *c.opening - *previous->closing,
                             c.file_name + " opens at " + pounds(*c.opening) + " but " + previous->file_name +
                                 " closed at " + pounds(*previous->closing) + ": rows may be missing or altered.",
                             {{"rule", "opening balance = previous statement's closing balance"},
                              {"opening", c.opening->to_decimal()},
                              {"previous_closing", previous->closing->to_decimal()}}});
        }
        if (!covered_to || c.last > *covered_to) covered_to = c.last;
        previous = &c;
    }
}

// BALANCE_MISMATCH within a statement: a running balance that does not follow (found at import).
void balance_finding_flags(const rule_input& in, std::vector<flag>& flags) {
    for (const auto& b : in.facts.findings) {
        const period p = period_containing(in.pol().period, in.facts.dp_start, std::max(b.date, in.facts.dp_start));
        flags.push_back({flag_code::balance_mismatch, "BALANCE_MISMATCH:" + b.file_name + ":" + std::to_string(b.line), p,
                         b.actual - b.expected,
                         b.file_name + " line " + std::to_string(b.line) + " gives the balance as " + pounds(b.actual) +
                             " but the previous balance and the amount make it " + pounds(b.expected) +
                             ": rows may be missing or altered.",
                         {{"rule", "running balance = previous balance + amount"},
                          {"expected", b.expected.to_decimal()},
                          {"actual", b.actual.to_decimal()},
                          {"line", std::to_string(b.line)}}});
    }
}

// STATEMENT_OVERDUE: the last return period (anchored at the DP start) ended more than return_grace_days
// ago and no statement reaches its end.
void overdue_statement_flags(const rule_input& in, std::vector<flag>& flags) {
    const account_facts& facts = in.facts;
    const policy& pol = in.pol();
    const return_frequency tier = facts.returns.value_or(return_tier(facts.plans, in.today));
    const int months = tier == return_frequency::quarterly ? 3 : tier == return_frequency::six_monthly ? 6 : 12;
    std::optional<civil_date> due_end;
    for (int k = 1;; ++k) {
        const civil_date end = add_days(add_months(facts.dp_start, months * k), -1);
        if (add_days(end, static_cast<int>(pol.return_grace_days)) >= in.today) break;
        due_end = end;
    }
    const auto& covered_to = in.covered_to;
    if (!due_end || (covered_to && *covered_to >= *due_end)) return;
    const period p = period_containing(pol.period, facts.dp_start, in.today);
    const char* tier_name = tier == return_frequency::quarterly     ? "quarterly"
                            : tier == return_frequency::six_monthly ? "6-monthly"
                                                                    : "annual";
    flags.push_back({flag_code::statement_overdue, "STATEMENT_OVERDUE:" + format_iso_date(*due_end), p, money{},
                     "Statements up to " + format_iso_date(*due_end) + " (" + tier_name + " returns) were due by " +
                         format_iso_date(add_days(*due_end, static_cast<int>(pol.return_grace_days))) + "; " +
                         (covered_to ? "the latest reaches " + format_iso_date(*covered_to) : std::string("none has arrived")) +
                         ".",
                     {{"rule", "no statement covers the last return period + return_grace_days"},
                      {"return_period_end", format_iso_date(*due_end)},
                      {"covered_to", covered_to ? format_iso_date(*covered_to) : ""},
                      {"tier", tier_name}}});
}

// The flag rules, in the order they run (the order flags are raised, and so numbered, on a first pass).
// Each is documented in docs/rules.md under its code; the audit checks follow them (core/audit_checks.cpp).
using flag_rule = void (*)(const rule_input&, std::vector<flag>&);
constexpr std::pair<std::string_view, flag_rule> flag_rules[] = {
    {"SURPLUS", surplus_flags},
    {"OVERDRAWN", overdrawn_flags},
    {"CONTRIBUTION_ARREARS", arrears_flags},
    {"COUNCIL_PAYMENT_MISSING", missing_payment_flags},
    {"OVERSPEND", overspend_flags},
    {"UNDERSPEND", underspend_flags},
    {"PROJECTED_SHORTFALL", shortfall_flags},
    {"STATEMENT_GAP, BALANCE_MISMATCH (opening)", statement_continuity_flags},
    {"BALANCE_MISMATCH (running balance)", balance_finding_flags},
    {"STATEMENT_OVERDUE", overdue_statement_flags},
};

}  // namespace

reconciliation reconcile(const account_facts& facts, civil_date today) {
    reconciliation out;
    const balance_line balances(facts.transactions);
    for (const period& p : periods_between(facts.rules.period, facts.dp_start, facts.dp_start, today))
        out.periods.push_back(figures_of(p, facts, balances, today));
    const rule_input in{facts, today, balances, out.periods, statements_covered_to(facts)};
    for (const auto& [codes, rule] : flag_rules) rule(in, out.flags);
    audit_flags(facts, out.periods, today, out.flags);
    return out;
}

return_frequency return_tier(const std::vector<plan_version>& plans, civil_date on) {
    const plan_version* v = version_on(plans, on);
    if (!v && !plans.empty()) v = &plans.back();
    if (!v) return return_frequency::annually;
    for (const auto& line : v->lines) {
        if (line.category == "pa_wages") return return_frequency::quarterly;
    }
    return v->weekly_budget * 52 >= money::from_pence(200000) ? return_frequency::six_monthly : return_frequency::annually;
}

}  // namespace dpmon::core
