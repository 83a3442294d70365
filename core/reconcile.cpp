#include "dpmon/core/reconcile.hpp"

#include <algorithm>
#include <string_view>
#include <tuple>

#include "rules.hpp"

namespace dpmon::core {
namespace rules {

balance_line::balance_line(const std::vector<categorised_transaction>& txns) {
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

std::pair<money, bool> balance_line::at(civil_date d) const {
    auto it = std::upper_bound(points_.begin(), points_.end(), d, [](civil_date x, const point& p) { return x < p.day; });
    if (it == points_.begin()) return {start_, false};
    --it;
    return {it->balance, it->from_bank};
}

std::vector<balance_line::episode> balance_line::overdrawn_episodes(civil_date to) const {
    std::vector<episode> out;
    std::optional<episode> now;
    if (start_.is_negative() && !points_.empty()) now = episode{points_.front().day, std::nullopt, start_, points_.front().day};
    for (const auto& p : points_) {
        if (p.day > to) break;
        if (p.lowest.is_negative()) {
            if (!now) now = episode{p.day, std::nullopt, p.lowest, p.day};
            if (p.lowest < now->lowest) now->lowest = p.lowest, now->lowest_on = p.day;
        }
        if (now && !p.balance.is_negative()) {
            now->ended = p.day;
            out.push_back(*now);
            now.reset();
        }
    }
    if (now) out.push_back(*now);
    return out;
}

period rule_input::period_of(civil_date d) const {
    return period_containing(pol().period, facts.dp_start, std::max(d, facts.dp_start));
}

std::vector<const period_figures*> rule_input::complete_periods() const {
    std::vector<const period_figures*> out;
    for (const auto& f : periods) {
        if (f.complete) out.push_back(&f);
    }
    return out;
}

money percent_of(money m, std::int64_t pct) { return money::from_pence(m.pence() * pct / 100); }

std::int64_t overlap_days(civil_date a1, civil_date b1, civil_date a2, civil_date b2) {
    return days_inclusive(std::max(a1, a2), std::min(b1, b2));
}

civil_date version_end(const plan_version& v, civil_date fallback) { return v.effective_to.value_or(fallback); }

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

flag make_flag(flag_code code, std::string key, const period& span, money amount, std::string reason,
               std::map<std::string, std::string> inputs, civil_date since) {
    flag f;
    f.code = code;
    f.key = std::move(key);
    f.span = span;
    f.amount = amount;
    f.reason = std::move(reason);
    f.inputs = std::move(inputs);
    f.since = since;
    return f;
}

}  // namespace rules

namespace {

using rules::balance_line;

// One period's figures: council payments and contributions expected and received, spend per category
// planned (prorated plan lines) and actual, other inflows, and the opening and closing balances. A period
// is complete when it ended before today and the statements reach its last day.
period_figures figures_of(const period& p, const account_facts& facts, const balance_line& balances, civil_date today,
                          std::optional<civil_date> judged_to) {
    period_figures f;
    f.span = p;
    f.complete = p.last < today && judged_to && p.last <= *judged_to;
    const civil_date until = std::min(p.last, today);
    for (const auto& [d, amount] : rules::scheduled_payments(facts.plans, p.first, until)) f.expected_council += amount;
    f.expected_contribution = rules::due_contributions(facts.plans, p.first, until);

    std::map<std::string, category_figures> spend;
    for (const auto& v : facts.plans) {
        const std::int64_t days = rules::overlap_days(p.first, until, v.effective_from, rules::version_end(v, until));
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

// The last day the statements reach, never after today; nullopt when there are none.
std::optional<civil_date> judged_to(const account_facts& facts, civil_date today) {
    std::optional<civil_date> to;
    for (const auto& c : facts.statements) {
        if (!to || c.last > *to) to = c.last;
    }
    if (to && *to > today) to = today;
    return to;
}

// The flag rules, in the order they run (the order flags are raised, and so numbered, on a first pass).
// The event checks run first: SURPLUS's inhibition reads UNEXPLAINED_INFLOW.
constexpr std::pair<std::string_view, rules::flag_rule> flag_rules[] = {
    {"UNPLANNED_SPEND, RESTRICTED_SPEND, CASH_WITHDRAWAL, HOUSEHOLD_MEMBER_PAYMENT, UNEXPLAINED_INFLOW", rules::event_flags},
    {"DUPLICATE_PAYMENT", rules::duplicate_flags},
    {"SURPLUS", rules::surplus_flags},
    {"OVERDRAWN", rules::overdrawn_flags},
    {"CONTRIBUTION_ARREARS", rules::arrears_flags},
    {"COUNCIL_PAYMENT_MISSING", rules::missing_payment_flags},
    {"OVERSPEND", rules::overspend_flags},
    {"UNDERSPEND", rules::underspend_flags},
    {"PROJECTED_SHORTFALL", rules::shortfall_flags},
    {"STATEMENT_GAP", rules::statement_gap_flags},
    {"BALANCE_MISMATCH", rules::balance_mismatch_flags},
    {"STATEMENT_OVERDUE", rules::overdue_statement_flags},
    {"EMPLOYER_OBLIGATION_MISSED", rules::employer_flags},
};

bool holds(const std::vector<flag>& flags, flag_code code) {
    return std::any_of(flags.begin(), flags.end(), [&](const flag& f) { return f.code == code && !f.ended; });
}

// Inhibition (docs/rules.md#inhibition): a condition another open flag already explains is not raised.
// PROJECTED_SHORTFALL while the account is OVERDRAWN (it has already run out) or a COUNCIL_PAYMENT_MISSING
// is open (the missing payment is the shortfall's cause). SURPLUS is judged without unexplained inflows in
// surplus_flags itself.
void inhibit(std::vector<flag>& flags) {
    const bool shortfall_explained = holds(flags, flag_code::overdrawn) || holds(flags, flag_code::council_payment_missing);
    std::erase_if(flags, [&](const flag& f) { return f.code == flag_code::projected_shortfall && shortfall_explained; });
}

}  // namespace

bool is_event_check(flag_code c) {
    switch (c) {
        case flag_code::unplanned_spend:
        case flag_code::restricted_spend:
        case flag_code::cash_withdrawal:
        case flag_code::household_member_payment:
        case flag_code::unexplained_inflow:
        case flag_code::duplicate_payment: return true;
        default: return false;
    }
}

namespace {

reconciliation periods_of(const account_facts& facts, civil_date today, const balance_line& balances) {
    reconciliation out;
    out.judged_to = judged_to(facts, today);
    for (const period& p : periods_between(facts.rules.period, facts.dp_start, facts.dp_start, today))
        out.periods.push_back(figures_of(p, facts, balances, today, out.judged_to));
    return out;
}

}  // namespace

reconciliation reconcile_periods(const account_facts& facts, civil_date today) {
    return periods_of(facts, today, balance_line(facts.transactions));
}

reconciliation reconcile(const account_facts& facts, civil_date today) {
    const balance_line balances(facts.transactions);
    reconciliation out = periods_of(facts, today, balances);
    std::optional<civil_date> judged_from;
    for (const auto& c : facts.statements) judged_from = judged_from ? std::min(*judged_from, c.first) : c.first;
    const rules::rule_input in{facts, today, balances, out.periods, out.judged_to, judged_from};
    for (const auto& [codes, rule] : flag_rules) rule(in, out.flags);
    inhibit(out.flags);
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
