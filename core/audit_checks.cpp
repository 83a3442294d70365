#include "dpmon/core/audit_checks.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>

#include "dpmon/core/category.hpp"
#include "dpmon/core/text.hpp"

namespace dpmon::core {
namespace {

bool contains_ci(std::string_view haystack, std::string_view needle) {
    if (needle.empty()) return false;
    return to_lower(haystack).find(to_lower(needle)) != std::string::npos;
}

// Patterns lower-cased once; a description is lower-cased once and padded with a space, so that a pattern's
// trailing space also matches the end ("PUB " finds "THE RED LION PUB").
struct pattern_set {
    std::vector<std::string> lowered;
    const std::vector<std::string>* original;
    explicit pattern_set(const std::vector<std::string>& patterns) : original(&patterns) {
        for (const auto& p : patterns) lowered.push_back(to_lower(p));
    }
    const std::string* match(const std::string& lowered_padded) const {
        for (std::size_t i = 0; i < lowered.size(); ++i) {
            if (!lowered[i].empty() && lowered_padded.find(lowered[i]) != std::string::npos) return &(*original)[i];
        }
        return nullptr;
    }
};

bool is_inflow_category(std::string_view c) {
    return c == "council_payment" || c == "client_contribution" || c == "refund" || c == "interest";
}

// The categories the plan in force on `d` plans for.
bool planned_category(const std::vector<plan_version>& plans, civil_date d, std::string_view category) {
    const plan_version* v = version_on(plans, d);
    if (!v) return false;
    return std::any_of(v->lines.begin(), v->lines.end(), [&](const plan_line& l) { return l.category == category; });
}

std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

std::string normalised_payee(std::string_view description) {
    std::string out;
    for (char c : to_lower(description)) {
        if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
        out += c;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

struct period_totals {
    money total;
    std::int64_t count = 0;
    money largest;
    std::set<std::string> labels;  // categories, patterns or relationships involved
    void add(money out, const std::string& label) {
        total += out;
        ++count;
        largest = std::max(largest, out);
        labels.insert(label);
    }
};

std::string joined(const std::set<std::string>& s) {
    std::string out;
    for (const auto& x : s) out += (out.empty() ? "" : ", ") + x;
    return out;
}

// What the per-period checks find in one period's transactions.
struct period_finds {
    period_totals unplanned, restricted, cash, household_paid, inflow;
};

// How the checks see the account: its policy, the council's patterns and its unapproved household payees.
struct audit_lens {
    explicit audit_lens(const account_facts& f)
        : facts(f), pol(f.rules), cash_patterns(pol.cash_patterns), restricted_patterns(pol.restricted_patterns) {
        for (const auto& h : f.household) {
            if (!h.approved) household.emplace_back(to_lower(h.payee), &h);
        }
    }
    const account_facts& facts;
    const policy& pol;
    const pattern_set cash_patterns, restricted_patterns;
    std::vector<std::pair<std::string, const household_member*>> household;
};

// Sorts the transactions [first, until] (from index `next`) into what each check looks for. Each outflow
// counts once: cash, else restricted, else a household payee, else unplanned.
period_finds classify(const audit_lens& lens, std::size_t next, civil_date until) {
    const account_facts& facts = lens.facts;
    period_finds finds;
    std::string lowered;
    for (std::size_t k = next; k < facts.transactions.size() && facts.transactions[k].t.date <= until; ++k) {
        const auto& c = facts.transactions[k];
        if (!c.t.amount.is_negative()) {
            if (!is_inflow_category(c.category)) finds.inflow.add(c.t.amount, c.category);
            continue;
        }
        const money spent = -c.t.amount;
        lowered = to_lower(c.t.description);
        lowered += ' ';
        if (const std::string* pat = lens.cash_patterns.match(lowered)) {
            finds.cash.add(spent, *pat);
            continue;
        }
        if (const std::string* pat = lens.restricted_patterns.match(lowered)) {
            finds.restricted.add(spent, *pat);
            continue;
        }
        const household_member* member = nullptr;
        for (const auto& [payee, h] : lens.household) {
            if (!payee.empty() && lowered.find(payee) != std::string::npos) member = h;
        }
        if (member) {
            finds.household_paid.add(spent, member->relationship.empty() ? "household member" : member->relationship);
            continue;
        }
        const bool off_plan = c.category == uncategorised || !planned_category(facts.plans, c.t.date, c.category);
        if (off_plan && spent > lens.pol.unplanned_min) finds.unplanned.add(spent, c.category);
    }
    return finds;
}

// UNPLANNED_SPEND, RESTRICTED_SPEND, CASH_WITHDRAWAL, HOUSEHOLD_MEMBER_PAYMENT and UNEXPLAINED_INFLOW for
// one period, from what classify found.
void period_flags(const period& p, const period_finds& found, const policy& pol, std::vector<flag>& out) {
    const auto& [unplanned, restricted, cash, household_paid, inflow] = found;
    const std::string first = format_iso_date(p.first);
    if (unplanned.count > 0) {
        out.push_back({flag_code::unplanned_spend, "UNPLANNED_SPEND:" + first, p, unplanned.total,
                       std::to_string(unplanned.count) + " payment(s) over " + pol.unplanned_min.to_display() +
                           " went to categories the plan does not cover (" + joined(unplanned.labels) + "): " +
                           unplanned.total.to_display() + " in all, the largest " + unplanned.largest.to_display() + ".",
                       {{"rule", "outflow to uncategorised or a category not in the plan, above unplanned_min"},
                        {"unplanned_min", pol.unplanned_min.to_decimal()},
                        {"count", std::to_string(unplanned.count)},
                        {"largest", unplanned.largest.to_decimal()},
                        {"categories", joined(unplanned.labels)}}});
    }
    if (restricted.count > 0) {
        out.push_back({flag_code::restricted_spend, "RESTRICTED_SPEND:" + first, p, restricted.total,
                       std::to_string(restricted.count) + " payment(s) match the council's restricted list (" +
                           joined(restricted.labels) + "): " + restricted.total.to_display() + ".",
                       {{"rule", "description matches restricted_patterns"},
                        {"patterns", joined(restricted.labels)},
                        {"count", std::to_string(restricted.count)}}});
    }
    if (cash.count > 0 && cash.total > pol.cash_limit_per_period) {
        out.push_back({flag_code::cash_withdrawal, "CASH_WITHDRAWAL:" + first, p, cash.total,
                       std::to_string(cash.count) + " cash withdrawal(s) of " + cash.total.to_display() +
                           " in all: ask for receipts (cash is allowed; this is a prompt, not a breach).",
                       {{"rule", "cash withdrawals in the period above cash_limit_per_period"},
                        {"cash_limit_per_period", pol.cash_limit_per_period.to_decimal()},
                        {"count", std::to_string(cash.count)}}});
    }
    if (household_paid.count > 0) {
        out.push_back({flag_code::household_member_payment, "HOUSEHOLD_MEMBER_PAYMENT:" + first, p, household_paid.total,
                       std::to_string(household_paid.count) + " payment(s) to a relative living in the household (" +
                           joined(household_paid.labels) + ") without a recorded approval: " + household_paid.total.to_display() +
                           " (Direct Payments Regulations 2014, reg. 3).",
                       {{"rule", "payment to a household member the plan lists without approval"},
                        {"relationships", joined(household_paid.labels)},
                        {"count", std::to_string(household_paid.count)}}});
    }
    if (inflow.count > 0) {
        out.push_back({flag_code::unexplained_inflow, "UNEXPLAINED_INFLOW:" + first, p, inflow.total,
                       std::to_string(inflow.count) + " payment(s) in that are not a council payment, a contribution, "
                           "a refund or interest: " + inflow.total.to_display() + ". A dedicated account holds DP money only.",
                       {{"rule", "inflow not council_payment, client_contribution, refund or interest"},
                        {"count", std::to_string(inflow.count)},
                        {"categories", joined(inflow.labels)}}});
    }
}

// DUPLICATE_PAYMENT: the same payee and amount twice within the window, unless the plan says it recurs.
void duplicate_flags(const account_facts& facts, civil_date today, std::vector<flag>& out) {
    const policy& pol = facts.rules;
    const auto& txns = facts.transactions;
    for (std::size_t j = 0; j < txns.size(); ++j) {
        const auto& b = txns[j].t;
        if (!b.amount.is_negative() || b.date > today) continue;
        std::optional<std::string> payee;  // worked out only when an earlier row has the same amount
        for (std::size_t i = j; i-- > 0;) {
            const auto& a = txns[i].t;
            if (add_days(a.date, static_cast<int>(pol.duplicate_window_days)) < b.date) break;
            if (a.amount != b.amount) continue;
            if (!payee) payee = normalised_payee(b.description);
            if (normalised_payee(a.description) != *payee) continue;
            const plan_version* v = version_on(facts.plans, b.date);
            bool recurs = false;
            if (v) {
                for (const auto& l : v->lines) {
                    for (const auto& pay : l.payees) recurs = recurs || (l.repeats && contains_ci(b.description, pay));
                }
            }
            if (recurs) break;
            const period p = period_containing(pol.period, facts.dp_start, b.date);
            out.push_back({flag_code::duplicate_payment,
                           "DUPLICATE_PAYMENT:" + format_iso_date(b.date) + ":" + std::to_string((-b.amount).pence()) + ":" +
                               std::to_string(fnv1a(*payee) % 1000000007ULL),
                           p, -b.amount,
                           "The same payment of " + (-b.amount).to_display() + " to the same payee on " +
                               format_iso_date(a.date) + " and " + format_iso_date(b.date) + " (within " +
                               std::to_string(pol.duplicate_window_days) + " days): check it was not paid twice.",
                           {{"rule", "same payee and amount within duplicate_window_days"},
                            {"duplicate_window_days", std::to_string(pol.duplicate_window_days)},
                            {"first", format_iso_date(a.date)},
                            {"second", format_iso_date(b.date)},
                            {"category", txns[j].category}}});
            break;
        }
    }

}

// EMPLOYER_OBLIGATION_MISSED: a PA employer with no HMRC, pension or employer's-liability insurance payment
// for too long, judged up to the last day the statements cover (not today: statements come late).
void employer_flags(const account_facts& facts, civil_date today, std::vector<flag>& out) {
    const policy& pol = facts.rules;
    const auto& txns = facts.transactions;
    civil_date known_to = facts.dp_start;
    for (const auto& s : facts.statements) known_to = std::max(known_to, s.last);
    if (!txns.empty()) known_to = std::max(known_to, txns.back().t.date);
    known_to = std::min(known_to, today);
    std::optional<civil_date> employer_from;
    bool plans_pension = false;
    for (const auto& v : facts.plans) {
        for (const auto& l : v.lines) {
            if (l.category == "pa_wages" && (!employer_from || v.effective_from < *employer_from)) employer_from = v.effective_from;
            if (l.category == "pension") plans_pension = true;
        }
    }
    const plan_version* now_v = version_on(facts.plans, known_to);
    const bool employs_now = now_v && std::any_of(now_v->lines.begin(), now_v->lines.end(),
                                                  [](const plan_line& l) { return l.category == "pa_wages"; });
    if (employer_from && employs_now) {
        auto last_paid = [&](std::string_view category) {
            std::optional<civil_date> last;
            for (const auto& c : txns) {
                if (c.category == category && c.t.amount.is_negative() && c.t.date <= known_to) last = c.t.date;
            }
            return last;
        };
        const bool pension_seen = last_paid("pension").has_value();
        auto check = [&](std::string_view category, std::string_view what, bool applies, auto overdue_after,
                         const std::string& threshold_key, const std::string& threshold) {
            if (!applies) return;
            const auto last = last_paid(category);
            const civil_date from = last ? *last : *employer_from;
            const civil_date limit = overdue_after(from);
            if (known_to <= limit) return;
            const period p = period_containing(pol.period, facts.dp_start, known_to);
            out.push_back({flag_code::employer_obligation_missed,
                           "EMPLOYER_OBLIGATION_MISSED:" + std::string(category) + ":" + format_iso_date(from), p, money{},
                           "No " + std::string(what) + " payment " +
                               (last ? "since " + format_iso_date(*last) : "since employing a PA from " + format_iso_date(from)) +
                               " (statements reach " + format_iso_date(known_to) + "; the limit is " + threshold + ").",
                           {{"rule", "PA employer without " + std::string(category) + " payment within " + threshold_key},
                            {threshold_key, threshold},
                            {"last_payment", last ? format_iso_date(*last) : ""},
                            {"statements_to", format_iso_date(known_to)}}});
        };
        check("hmrc", "HMRC (PAYE)", true,
              [&](civil_date d) { return add_days(d, static_cast<int>(pol.hmrc_max_gap_days)); }, "hmrc_max_gap_days",
              std::to_string(pol.hmrc_max_gap_days) + " days");
        check("pension", "workplace pension", plans_pension || pension_seen,
              [&](civil_date d) { return add_days(d, static_cast<int>(pol.pension_max_gap_days)); }, "pension_max_gap_days",
              std::to_string(pol.pension_max_gap_days) + " days");
        check("insurance", "employer's liability insurance", true,
              [&](civil_date d) { return add_months(d, static_cast<int>(pol.insurance_max_gap_months)); },
              "insurance_max_gap_months", std::to_string(pol.insurance_max_gap_months) + " months");
    }
}

}  // namespace

void audit_flags(const account_facts& facts, const std::vector<period_figures>& periods, civil_date today,
                 std::vector<flag>& out) {
    const audit_lens lens(facts);
    // Transactions are in date order and periods follow each other: one pass over both.
    std::size_t next = 0;
    for (const auto& pf : periods) {
        const period& p = pf.span;
        while (next < facts.transactions.size() && facts.transactions[next].t.date < p.first) ++next;
        period_flags(p, classify(lens, next, std::min(p.last, today)), lens.pol, out);
    }
    duplicate_flags(facts, today, out);
    employer_flags(facts, today, out);
}

}  // namespace dpmon::core
