// The rules about the money in the account: SURPLUS, OVERDRAWN, CONTRIBUTION_ARREARS,
// COUNCIL_PAYMENT_MISSING, OVERSPEND, UNDERSPEND and PROJECTED_SHORTFALL (docs/rules.md#flags). Each is
// judged on the bank's view: up to the last day a statement covers (judged_to), never a day none covers.

#include <algorithm>
#include <set>

#include "rules.hpp"

namespace dpmon::core::rules {
namespace {

std::string iso(civil_date d) { return format_iso_date(d); }

// Money paid in under UNEXPLAINED_INFLOW that no officer has accepted yet (an open flag's total).
money unexplained_now(const std::vector<flag>& flags) {
    for (const auto& f : flags) {
        if (f.code == flag_code::unexplained_inflow && !f.ended) return f.amount;
    }
    return money{};
}

money overpaid_contributions(const account_facts& facts, civil_date to) {
    const money over = paid(facts.transactions, "client_contribution", facts.dp_start, to) -
                       due_contributions(facts.plans, facts.dp_start, to);
    return over.is_negative() ? money{} : over;
}

}  // namespace

// SURPLUS: the balance on the last day the statements cover is over surplus_threshold_weeks of the gross
// weekly budget, even after taking away inflows nobody has explained; recoverable is the balance less
// retained_weeks and less overpaid contributions, and must reach min_flag_amount.
void surplus_flags(const rule_input& in, std::vector<flag>& out) {
    if (!in.judged_to) return;
    const account_facts& facts = in.facts;
    const policy& pol = in.pol();
    const civil_date at = *in.judged_to;
    const plan_version* v = version_on(facts.plans, at);
    if (!v) return;
    const money balance = in.balances.at(at).first;
    const money threshold = v->weekly_budget * pol.surplus_threshold_weeks;
    const money unexplained = unexplained_now(out);
    if (balance - unexplained <= threshold) return;
    const money overpaid = overpaid_contributions(facts, at);
    money recoverable = balance - v->weekly_budget * pol.retained_weeks - overpaid;
    if (recoverable < pol.min_flag_amount) return;
    // Since: the first period end of the run of period ends (up to now) above the threshold.
    civil_date since = at;
    for (auto it = in.periods.rbegin(); it != in.periods.rend(); ++it) {
        if (it->span.last >= at) continue;
        const plan_version* pv = version_on(facts.plans, it->span.last);
        if (!pv || in.balances.at(it->span.last).first <= pv->weekly_budget * pol.surplus_threshold_weeks) break;
        since = it->span.last;
    }
    const bool serious = balance > v->weekly_budget * pol.serious_surplus_weeks;
    out.push_back(make_flag(
        flag_code::surplus, "SURPLUS", in.period_of(at), recoverable,
        "The balance of " + pounds(balance) + " on " + iso(at) + " is more than " + std::to_string(pol.surplus_threshold_weeks) +
            " weeks of the direct payment (" + pounds(threshold) + "). Keeping " + std::to_string(pol.retained_weeks) +
            " weeks (" + pounds(v->weekly_budget * pol.retained_weeks) + ")" +
            (overpaid.is_zero() ? std::string() : " and refunding overpaid contributions of " + pounds(overpaid)) + ", " +
            pounds(recoverable) + " could be recovered.",
        {{"rule", "balance on the last statement day > surplus_threshold_weeks x weekly budget"},
         {"balance", balance.to_decimal()},
         {"balance_on", iso(at)},
         {"weekly_budget", v->weekly_budget.to_decimal()},
         {"surplus_threshold_weeks", std::to_string(pol.surplus_threshold_weeks)},
         {"retained_weeks", std::to_string(pol.retained_weeks)},
         {"overpaid_contributions", overpaid.to_decimal()},
         {"unexplained_inflows", unexplained.to_decimal()},
         {"recoverable", recoverable.to_decimal()},
         {"serious", serious ? "yes: over serious_surplus_weeks" : "no"},
         {"min_flag_amount", pol.min_flag_amount.to_decimal()}},
        since));
}

// OVERDRAWN: an episode from the first day the balance went below zero to the day it closed at zero or
// above; open while it lasts (through the last statement day), recorded resolved with its end date once over.
void overdrawn_flags(const rule_input& in, std::vector<flag>& out) {
    if (!in.judged_to) return;
    for (const auto& e : in.balances.overdrawn_episodes(*in.judged_to)) {
        flag f = make_flag(flag_code::overdrawn, "OVERDRAWN:" + iso(e.first), in.period_of(e.lowest_on), e.lowest,
                           (e.ended ? "The account was overdrawn " + (*e.ended == e.first ? "on " + iso(e.first) : "from " + iso(e.first) + " to " + iso(*e.ended))
                                    : "The account has been overdrawn since " + iso(e.first)) +
                               ": the balance fell to " + pounds(e.lowest) + " on " + iso(e.lowest_on) + ".",
                           {{"rule", "balance below zero on any day"},
                            {"lowest_balance", e.lowest.to_decimal()},
                            {"on", iso(e.lowest_on)},
                            {"from", iso(e.first)},
                            {"until", e.ended ? iso(*e.ended) : ""}},
                           e.first);
        f.ended = e.ended;
        out.push_back(std::move(f));
    }
}

// CONTRIBUTION_ARREARS (net payments only): contributions due up to contribution_grace_days before the last
// statement day, less what the statements show paid in; at least min_flag_amount.
void arrears_flags(const rule_input& in, std::vector<flag>& out) {
    if (!in.judged_to) return;
    const account_facts& facts = in.facts;
    const policy& pol = in.pol();
    const civil_date due_until = add_days(*in.judged_to, -static_cast<int>(pol.contribution_grace_days));
    // What fell due before the first statement is not known to be unpaid: judged from its first day.
    const civil_date from = std::max(facts.dp_start, in.judged_from.value_or(facts.dp_start));
    if (due_until < from) return;
    // Nor are days no statement covers: what fell due in a gap may have been paid in it.
    money due = due_contributions(facts.plans, from, due_until);
    for (const auto& [gap_first, gap_last] : statement_gaps(facts)) {
        if (gap_last < from || gap_first > due_until) continue;
        due -= due_contributions(facts.plans, std::max(gap_first, from), std::min(gap_last, due_until));
    }
    const money got = paid(facts.transactions, "client_contribution", from, *in.judged_to);
    const money arrears = due - got;
    if (arrears < pol.min_flag_amount || arrears.is_zero()) return;
    // Since: the first day by which more was due than has been paid in all.
    civil_date lo = from, hi = due_until;
    while (lo < hi) {
        const civil_date mid = add_days(lo, static_cast<int>(days_inclusive(lo, hi) / 2) - 1);
        if (due_contributions(facts.plans, from, mid) > got) hi = mid;
        else lo = add_days(mid, 1);
    }
    out.push_back(make_flag(
        flag_code::contribution_arrears, "CONTRIBUTION_ARREARS", in.period_of(*in.judged_to), arrears,
        "Assessed contributions of " + pounds(due) + " were due by " + iso(due_until) + " and the statements to " +
            iso(*in.judged_to) + " show " + pounds(got) + " paid in: " + pounds(arrears) + " in arrears.",
        {{"rule", "contributions due up to contribution_grace_days before the last statement day (days no statement covers "
                  "left out), less paid"},
         {"due", due.to_decimal()},
         {"due_until", iso(due_until)},
         {"paid", got.to_decimal()},
         {"arrears", arrears.to_decimal()},
         {"contribution_grace_days", std::to_string(pol.contribution_grace_days)},
         {"min_flag_amount", pol.min_flag_amount.to_decimal()}},
        lo));
}

// COUNCIL_PAYMENT_MISSING: a scheduled payment with no council payment within council_payment_grace_days
// of it (each payment received answers one scheduled date), judged only once the statements reach the end
// of the grace days.
void missing_payment_flags(const rule_input& in, std::vector<flag>& out) {
    if (!in.judged_to) return;
    const account_facts& facts = in.facts;
    const policy& pol = in.pol();
    // The council's payments received, in date order: each answers one scheduled date.
    std::vector<const categorised_transaction*> received;
    for (const auto& c : facts.transactions) {
        if (!c.t.amount.is_negative() && c.category == "council_payment") received.push_back(&c);
    }
    std::vector<bool> used(received.size(), false);
    const auto gaps = statement_gaps(facts);
    const auto in_gap = [&](civil_date d) {
        return std::any_of(gaps.begin(), gaps.end(), [&](const auto& g) { return d >= g.first && d <= g.second; });
    };
    for (const auto& [d, amount] : scheduled_payments(facts.plans, facts.dp_start, *in.judged_to)) {
        const civil_date latest = add_days(d, static_cast<int>(pol.council_payment_grace_days));
        const civil_date earliest = add_days(d, -static_cast<int>(pol.council_payment_grace_days));
        bool found = false;
        for (std::size_t i = 0; i < received.size() && !found; ++i) {
            const auto& c = *received[i];
            if (used[i]) continue;
            if (c.t.date >= earliest && c.t.date <= latest) {
                used[i] = true;
                found = true;
            }
        }
        // A payment due in days no statement covers is STATEMENT_GAP's business until the statement comes.
        if (found || latest >= *in.judged_to || in_gap(d) || (in.judged_from && earliest < *in.judged_from)) continue;
        out.push_back(make_flag(flag_code::council_payment_missing, "COUNCIL_PAYMENT_MISSING:" + iso(d), in.period_of(d), amount,
                                "The council payment of " + pounds(amount) + " due on " + iso(d) + " is not on the statements " +
                                    std::to_string(pol.council_payment_grace_days) + " days later.",
                                {{"rule", "scheduled council payment not seen within council_payment_grace_days"},
                                 {"due_on", iso(d)},
                                 {"amount", amount.to_decimal()}},
                                d));
    }
}

namespace {

std::int64_t cycle_days(frequency f) {
    switch (f) {
        case frequency::week: return 7;
        case frequency::four_weeks: return 28;
        case frequency::month: return 31;
        case frequency::quarter: return 92;
        case frequency::year: return 366;
        case frequency::one_off: return 0;
    }
    return 0;
}

// The last complete periods that together last at least `days` days and number at least `at_least`;
// empty when the statements do not reach that far back.
std::vector<const period_figures*> window(const std::vector<const period_figures*>& complete, std::int64_t days,
                                          std::int64_t at_least) {
    std::int64_t got = 0;
    std::size_t n = 0;
    while (n < complete.size() && (got < days || static_cast<std::int64_t>(n) < at_least)) got += complete[complete.size() - 1 - n++]->span.days();
    if (got < days) return {};
    return {complete.end() - static_cast<std::ptrdiff_t>(n), complete.end()};
}

std::int64_t days_of(const std::vector<const period_figures*>& w) {
    std::int64_t days = 0;
    for (const auto* f : w) days += f->span.days();
    return days;
}

// The most a line billed on its own schedule can put into `days` days: every bill that fits (a monthly £24
// fee can fall three times in 84 days, a yearly premium once in any window), or its share by day when that
// is more. A one-off amount may fall in any window.
money allowance(const plan_line& line, std::int64_t days, money prorated) {
    if (line.per == frequency::one_off) return std::max(prorated, line.amount);
    const std::int64_t cycle = cycle_days(line.per);
    if (cycle <= 0 || days <= 0) return prorated;
    const money bills = line.amount * ((days - 1) / cycle + 1);
    return std::max(prorated, bills);
}

// Planned (prorated, or the line's schedule allowance) and actual spend on `category` over the window.
std::pair<money, money> category_totals(const std::vector<const period_figures*>& w, const plan_version* v,
                                        std::string_view category) {
    money planned, actual;
    for (const auto* f : w) {
        for (const auto& c : f->spend) {
            if (c.category == category) planned += c.planned, actual += c.actual;
        }
    }
    if (v) {
        for (const auto& line : v->lines) {
            if (line.category == category) planned = allowance(line, days_of(w), planned);
        }
    }
    return {planned, actual};
}

// Planned and actual spend over the window, every category together.
std::pair<money, money> window_totals(const std::vector<const period_figures*>& w, const plan_version* v) {
    std::set<std::string> categories;
    for (const auto* f : w) {
        for (const auto& c : f->spend) categories.insert(c.category);
    }
    money planned, actual;
    for (const auto& c : categories) {
        const auto [p, a] = category_totals(w, v, c);
        planned += p;
        actual += a;
    }
    return {planned, actual};
}

bool over(money planned, money actual, const policy& pol) {
    return !planned.is_zero() && actual > planned + percent_of(planned, pol.overspend_tolerance_pct) &&
           actual - planned >= pol.min_flag_amount;
}

}  // namespace

// OVERSPEND: total spend against the total plan over the last overspend_window_periods complete periods
// (flexible lines may trade with each other), and each ring-fenced line over a window at least as long as
// its billing cycle; over by more than overspend_tolerance_pct and by at least min_flag_amount.
void overspend_flags(const rule_input& in, std::vector<flag>& out) {
    const policy& pol = in.pol();
    const auto complete = in.complete_periods();
    const auto w = window(complete, 0, std::max<std::int64_t>(1, pol.overspend_window_periods));
    if (w.empty() || !in.judged_to) return;
    const plan_version* v = version_on(in.facts.plans, *in.judged_to);
    const auto [planned, actual] = window_totals(w, v);
    std::vector<std::string> found;
    money amount;
    std::map<std::string, std::string> inputs{{"rule", "spend over the window > plan x (1 + overspend_tolerance_pct) and by min_flag_amount"},
                                              {"overspend_tolerance_pct", std::to_string(pol.overspend_tolerance_pct)},
                                              {"min_flag_amount", pol.min_flag_amount.to_decimal()},
                                              {"window", iso(w.front()->span.first) + " to " + iso(w.back()->span.last)}};
    const bool total_over = over(planned, actual, pol);
    if (total_over) {
        amount = actual - planned;
        found.push_back("all spending was " + pounds(actual) + " against " + pounds(planned) + " planned from " +
                        iso(w.front()->span.first) + " to " + iso(w.back()->span.last));
        inputs["planned"] = planned.to_decimal();
        inputs["actual"] = actual.to_decimal();
    }
    for (const auto& line : v ? v->lines : std::vector<plan_line>{}) {
        if (!line.ring_fenced) continue;
        const auto lw = window(complete, cycle_days(line.per), pol.overspend_window_periods);
        if (lw.empty()) continue;
        const auto [lp, la] = category_totals(lw, v, line.category);
        if (!over(lp, la, pol)) continue;
        if (!total_over) amount += la - lp;  // within the total, the ring-fenced lines' excess is what is at stake
        found.push_back("ring-fenced " + line.category + " was " + pounds(la) + " against " + pounds(lp) + " from " +
                        iso(lw.front()->span.first) + " to " + iso(lw.back()->span.last));
        inputs["ring_fenced:" + line.category] = lp.to_decimal() + " planned, " + la.to_decimal() + " spent";
    }
    if (found.empty()) return;
    std::string reason = "Spending is over the plan: ";
    for (std::size_t i = 0; i < found.size(); ++i) reason += (i ? "; " : "") + found[i];
    reason += " (more than " + std::to_string(pol.overspend_tolerance_pct) + "% and " + pounds(pol.min_flag_amount) + " over).";
    out.push_back(make_flag(flag_code::overspend, "OVERSPEND", w.back()->span, amount, reason, std::move(inputs), w.front()->span.first));
}

// UNDERSPEND: spend under underspend_pct of the plan for underspend_periods complete periods in a row, up to
// the latest, and at least min_flag_amount unspent over them: care may not be being delivered.
void underspend_flags(const rule_input& in, std::vector<flag>& out) {
    const policy& pol = in.pol();
    const auto complete = in.complete_periods();
    std::int64_t run = 0;
    money planned, actual;
    for (auto it = complete.rbegin(); it != complete.rend(); ++it) {
        const auto* f = *it;
        if (f->planned_spend.is_zero() || f->actual_spend >= percent_of(f->planned_spend, pol.underspend_pct)) break;
        ++run;
        planned += f->planned_spend;
        actual += f->actual_spend;
    }
    if (run < pol.underspend_periods || planned - actual < pol.min_flag_amount) return;
    const period_figures& first = *complete[complete.size() - static_cast<std::size_t>(run)];
    const period_figures& last = *complete.back();
    out.push_back(make_flag(flag_code::underspend, "UNDERSPEND", last.span, planned - actual,
                            "Spending has been under " + std::to_string(pol.underspend_pct) + "% of the plan for " +
                                std::to_string(run) + " periods in a row since " + iso(first.span.first) + " (" + pounds(actual) +
                                " against " + pounds(planned) + "): care may not be being delivered.",
                            {{"rule", "actual < underspend_pct of plan for underspend_periods periods, by min_flag_amount"},
                             {"planned", planned.to_decimal()},
                             {"actual", actual.to_decimal()},
                             {"periods_in_a_row", std::to_string(run)},
                             {"underspend_pct", std::to_string(pol.underspend_pct)}},
                            first.span.first));
}

// PROJECTED_SHORTFALL: at the spending rate of the last complete period, the balance on the last statement
// day runs out before the next council payment after it, by at least min_flag_amount.
void shortfall_flags(const rule_input& in, std::vector<flag>& out) {
    const auto complete = in.complete_periods();
    if (complete.empty() || !in.judged_to) return;
    const period_figures& last = *complete.back();
    const civil_date at = *in.judged_to;
    const auto next = scheduled_payments(in.facts.plans, add_days(at, 1), add_days(at, 400));
    if (next.empty()) return;
    const money balance = in.balances.at(at).first;
    const std::int64_t days = days_inclusive(add_days(at, 1), next.front().first) - 1;
    const money need = money::from_pence(last.actual_spend.pence() * days / last.span.days());
    if (balance.is_negative() || need - balance < in.pol().min_flag_amount) return;
    out.push_back(make_flag(flag_code::projected_shortfall, "PROJECTED_SHORTFALL", in.period_of(at), need - balance,
                            "At the recent rate of spending (" + pounds(last.actual_spend) + " in " + std::to_string(last.span.days()) +
                                " days) the balance of " + pounds(balance) + " on " + iso(at) +
                                " runs out before the next council payment on " + iso(next.front().first) + "; about " +
                                pounds(need - balance) + " short.",
                            {{"rule", "balance < spending rate x days to the next council payment, by min_flag_amount"},
                             {"balance", balance.to_decimal()},
                             {"needed", need.to_decimal()},
                             {"next_payment", iso(next.front().first)}},
                            at));
}

}  // namespace dpmon::core::rules
