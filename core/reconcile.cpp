#include "dpmon/core/reconcile.hpp"

#include <algorithm>
#include <tuple>

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
        for (int k = 0;; ++k) {
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

}  // namespace

reconciliation reconcile(const account_facts& facts, civil_date today) {
    reconciliation out;
    const policy& pol = facts.rules;
    const balance_line balances(facts.transactions);
    const auto periods = periods_between(pol.period, facts.dp_start, facts.dp_start, today);

    for (const period& p : periods) {
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
        for (const auto& c : facts.transactions) {
            if (c.t.date < p.first || c.t.date > until) continue;
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
        out.periods.push_back(std::move(f));
    }

    // SURPLUS: at the end of each complete period (and today), balance over threshold weeks of gross DP.
    const money overpaid = [&] {
        const money over = paid(facts.transactions, "client_contribution", facts.dp_start, today) -
                           due_contributions(facts.plans, facts.dp_start, today);
        return over.is_negative() ? money{} : over;
    }();
    for (const auto& f : out.periods) {
        const civil_date at = std::min(f.span.last, today);
        const plan_version* v = version_on(facts.plans, at);
        if (!v) continue;
        const money threshold = v->weekly_budget * pol.surplus_threshold_weeks;
        if (f.closing <= threshold) continue;
        money recoverable = f.closing - v->weekly_budget * pol.retained_weeks - overpaid;
        if (recoverable.is_negative()) recoverable = money{};
        flag fl{"SURPLUS", "SURPLUS:" + format_iso_date(f.span.first), f.span, recoverable,
                "The balance of " + pounds(f.closing) + " on " + format_iso_date(at) + " is more than " +
                    std::to_string(pol.surplus_threshold_weeks) + " weeks of the direct payment (" + pounds(threshold) +
                    "). Keeping " + std::to_string(pol.retained_weeks) + " weeks (" +
                    pounds(v->weekly_budget * pol.retained_weeks) + ")" +
                    (overpaid.is_zero() ? std::string() : " and refunding overpaid contributions of " + pounds(overpaid)) +
                    ", " + pounds(recoverable) + " could be recovered.",
                {{"rule", "closing balance > surplus_threshold_weeks x weekly budget"},
                 {"closing_balance", f.closing.to_decimal()},
                 {"weekly_budget", v->weekly_budget.to_decimal()},
                 {"surplus_threshold_weeks", std::to_string(pol.surplus_threshold_weeks)},
                 {"retained_weeks", std::to_string(pol.retained_weeks)},
                 {"overpaid_contributions", overpaid.to_decimal()},
                 {"recoverable", recoverable.to_decimal()}}};
        out.flags.push_back(std::move(fl));
    }

    // OVERDRAWN: a day in the period when the balance was below zero.
    for (const auto& f : out.periods) {
        if (auto low = balances.lowest_below_zero(f.span.first, std::min(f.span.last, today))) {
            out.flags.push_back({"OVERDRAWN", "OVERDRAWN:" + format_iso_date(f.span.first), f.span, low->first,
                                 "The account was overdrawn: the balance fell to " + pounds(low->first) + " on " +
                                     format_iso_date(low->second) + ".",
                                 {{"rule", "balance below zero on any day"},
                                  {"lowest_balance", low->first.to_decimal()},
                                  {"on", format_iso_date(low->second)}}});
        }
    }

    // CONTRIBUTION_ARREARS (net payments only): what was due up to grace days ago, less what was paid.
    const civil_date due_until = add_days(today, -static_cast<int>(pol.contribution_grace_days));
    if (due_until >= facts.dp_start) {
        const money due = due_contributions(facts.plans, facts.dp_start, due_until);
        const money got = paid(facts.transactions, "client_contribution", facts.dp_start, today);
        const money arrears = due - got;
        if (arrears > money{}) {
            const period p = period_containing(pol.period, facts.dp_start, today);
            out.flags.push_back({"CONTRIBUTION_ARREARS", "CONTRIBUTION_ARREARS:" + format_iso_date(p.first), p, arrears,
                                 "Assessed contributions of " + pounds(due) + " were due by " + format_iso_date(due_until) +
                                     " and " + pounds(got) + " has been paid in: " + pounds(arrears) + " in arrears.",
                                 {{"rule", "contributions due more than contribution_grace_days ago, less paid"},
                                  {"due", due.to_decimal()},
                                  {"paid", got.to_decimal()},
                                  {"arrears", arrears.to_decimal()},
                                  {"contribution_grace_days", std::to_string(pol.contribution_grace_days)}}});
        }
    }

    // COUNCIL_PAYMENT_MISSING: a scheduled payment with no council payment within the grace days of it.
    std::vector<bool> used(facts.transactions.size(), false);
    for (const auto& [d, amount] : scheduled_payments(facts.plans, facts.dp_start, today)) {
        const civil_date latest = add_days(d, static_cast<int>(pol.council_payment_grace_days));
        bool found = false;
        for (std::size_t i = 0; i < facts.transactions.size() && !found; ++i) {
            const auto& c = facts.transactions[i];
            if (used[i] || c.category != "council_payment" || c.t.amount.is_negative()) continue;
            if (c.t.date >= add_days(d, -static_cast<int>(pol.council_payment_grace_days)) && c.t.date <= latest) {
                used[i] = true;
                found = true;
            }
        }
        if (found || latest >= today) continue;
        const period p = period_containing(pol.period, facts.dp_start, d);
        out.flags.push_back({"COUNCIL_PAYMENT_MISSING", "COUNCIL_PAYMENT_MISSING:" + format_iso_date(d), p, amount,
                             "The council payment of " + pounds(amount) + " due on " + format_iso_date(d) +
                                 " had not arrived " + std::to_string(pol.council_payment_grace_days) + " days later.",
                             {{"rule", "scheduled council payment not seen within council_payment_grace_days"},
                              {"due_on", format_iso_date(d)},
                              {"amount", amount.to_decimal()}}});
    }
    return out;
}

}  // namespace dpmon::core
