// The checks auditors look for (docs/rules.md#audit-checks). UNPLANNED_SPEND, RESTRICTED_SPEND,
// CASH_WITHDRAWAL, HOUSEHOLD_MEMBER_PAYMENT, UNEXPLAINED_INFLOW and DUPLICATE_PAYMENT are event checks: one
// open flag per account and code lists the transactions found (count, total, ids) until an officer
// acknowledges it; finds after that make a new flag listing only the new ones. EMPLOYER_OBLIGATION_MISSED is
// a condition. Reasons and inputs name categories, patterns, relationships and figures, never a payee's name.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>

#include "dpmon/core/category.hpp"
#include "dpmon/core/text.hpp"
#include "rules.hpp"

namespace dpmon::core::rules {
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

std::string normalised_payee(std::string_view description) {
    std::string out;
    for (char c : to_lower(description)) {
        if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
        out += c;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

// The transactions one event check found: the rows (in date order), their total and largest, and the
// categories, patterns or relationships involved.
struct finds {
    std::vector<const categorised_transaction*> rows;
    money total, largest;
    std::set<std::string> labels;
    void add(const categorised_transaction& c, money out, const std::string& label) {
        rows.push_back(&c);
        total += out;
        largest = std::max(largest, out);
        labels.insert(label);
    }
    void append(const finds& other) {
        for (const auto* r : other.rows) rows.push_back(r);
        total += other.total;
        largest = std::max(largest, other.largest);
        labels.insert(other.labels.begin(), other.labels.end());
    }
};

std::string joined(const std::set<std::string>& s) {
    std::string out;
    for (const auto& x : s) out += (out.empty() ? "" : ", ") + x;
    return out;
}

// What the event checks find in one period's transactions.
struct period_finds {
    finds unplanned, restricted, cash, household_paid, inflow;
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
    period_finds found;
    std::string lowered;
    for (std::size_t k = next; k < facts.transactions.size() && facts.transactions[k].t.date <= until; ++k) {
        const auto& c = facts.transactions[k];
        if (!c.t.amount.is_negative()) {
            if (!is_inflow_category(c.category)) found.inflow.add(c, c.t.amount, c.category);
            continue;
        }
        const money spent = -c.t.amount;
        lowered = to_lower(c.t.description);
        lowered += ' ';
        if (const std::string* pat = lens.cash_patterns.match(lowered)) {
            found.cash.add(c, spent, *pat);
            continue;
        }
        if (const std::string* pat = lens.restricted_patterns.match(lowered)) {
            found.restricted.add(c, spent, *pat);
            continue;
        }
        const household_member* member = nullptr;
        for (const auto& [payee, h] : lens.household) {
            if (!payee.empty() && lowered.find(payee) != std::string::npos) member = h;
        }
        if (member) {
            found.household_paid.add(c, spent, member->relationship.empty() ? "household member" : member->relationship);
            continue;
        }
        const bool off_plan = c.category == uncategorised || !planned_category(facts.plans, c.t.date, c.category);
        if (off_plan && spent > lens.pol.unplanned_min) found.unplanned.add(c, spent, c.category);
    }
    return found;
}

// What an event flag says, besides the common parts.
struct event_text {
    std::string what;    // "cash withdrawal(s)"
    std::string advice;  // the sentence after the figures
    std::string rule;
    std::string labels;  // what the labels are: "categories", "patterns", "relationships"
};

// The open flag of an event check: the rows found that no acknowledged flag has listed, if any.
void event_flag(const rule_input& in, flag_code code, const finds& all, const event_text& text, std::vector<flag>& out) {
    const auto ack = in.facts.acknowledged.find(code);
    finds fresh;
    for (const auto* r : all.rows) {
        if (ack != in.facts.acknowledged.end() && ack->second.transactions.count(r->id)) continue;
        const money m = r->t.amount.is_negative() ? -r->t.amount : r->t.amount;
        fresh.add(*r, m, "");
    }
    if (fresh.rows.empty()) return;
    fresh.labels = all.labels;
    const std::int64_t generation = ack == in.facts.acknowledged.end() ? 1 : ack->second.flags + 1;
    const civil_date first = fresh.rows.front()->t.date, last = fresh.rows.back()->t.date;
    std::vector<std::int64_t> ids;
    for (const auto* r : fresh.rows) ids.push_back(r->id);
    const std::string count = std::to_string(fresh.rows.size());
    flag f = make_flag(code, std::string(to_string(code)) + "#" + std::to_string(generation), in.period_of(last), fresh.total,
                       fresh.rows.size() == 1
                           ? "1 " + text.what + " (" + joined(all.labels) + ") of " + pounds(fresh.total) + " on " +
                                 format_iso_date(first) + ". " + text.advice
                           : count + " " + text.what + " (" + joined(all.labels) + ") of " + pounds(fresh.total) + " in all, from " +
                                 format_iso_date(first) + " to " + format_iso_date(last) + ", the largest " + pounds(fresh.largest) +
                                 ". " + text.advice,
                       {{"rule", text.rule},
                        {"count", count},
                        {"total", fresh.total.to_decimal()},
                        {"largest", fresh.largest.to_decimal()},
                        {text.labels, joined(all.labels)},
                        {"transactions", id_list(ids)}},
                       first);
    f.transactions = std::move(ids);
    out.push_back(std::move(f));
}

}  // namespace

// UNPLANNED_SPEND, RESTRICTED_SPEND, CASH_WITHDRAWAL, HOUSEHOLD_MEMBER_PAYMENT and UNEXPLAINED_INFLOW, from
// every period the statements cover (cash counts in a period only above cash_limit_per_period).
void event_flags(const rule_input& in, std::vector<flag>& out) {
    if (!in.judged_to) return;
    const audit_lens lens(in.facts);
    const policy& pol = lens.pol;
    period_finds all;
    std::size_t next = 0;
    for (const auto& pf : in.periods) {
        if (pf.span.first > *in.judged_to) break;
        while (next < in.facts.transactions.size() && in.facts.transactions[next].t.date < pf.span.first) ++next;
        const period_finds found = classify(lens, next, std::min(pf.span.last, *in.judged_to));
        all.unplanned.append(found.unplanned);
        all.restricted.append(found.restricted);
        if (found.cash.total > pol.cash_limit_per_period) all.cash.append(found.cash);
        all.household_paid.append(found.household_paid);
        all.inflow.append(found.inflow);
    }
    event_flag(in, flag_code::unplanned_spend, all.unplanned,
               {"payment(s) over " + pounds(pol.unplanned_min) + " to categories the plan does not cover",
                "Ask what they were for; if the plan should cover them, update it.",
                "outflow to uncategorised or a category not in the plan, above unplanned_min", "categories"},
               out);
    event_flag(in, flag_code::restricted_spend, all.restricted,
               {"payment(s) matching the council's restricted list",
                "Ask the holder what they were for: direct payments may not be spent on these.", "description matches restricted_patterns",
                "patterns"},
               out);
    event_flag(in, flag_code::cash_withdrawal, all.cash,
               {"cash withdrawal(s)", "Ask for receipts (cash is allowed; this is a prompt, not a breach).",
                "cash withdrawals in a period above cash_limit_per_period (" + pol.cash_limit_per_period.to_decimal() + ")", "patterns"},
               out);
    event_flag(in, flag_code::household_member_payment, all.household_paid,
               {"payment(s) to a relative living in the household without a recorded approval",
                "Check whether the council approved it (Direct Payments Regulations 2014, reg. 3) and record the decision.",
                "payment to a household member the plan lists without approval", "relationships"},
               out);
    event_flag(in, flag_code::unexplained_inflow, all.inflow,
               {"payment(s) in that are not a council payment, a contribution, a refund or interest",
                "A dedicated account holds direct payment money only: ask the holder what they were.",
                "inflow not council_payment, client_contribution, refund or interest", "categories"},
               out);
}

// DUPLICATE_PAYMENT: the same payee and amount twice within the window, unless the plan says it recurs; the
// flag lists the second payment of each pair.
void duplicate_flags(const rule_input& in, std::vector<flag>& out) {
    if (!in.judged_to) return;
    const account_facts& facts = in.facts;
    const policy& pol = facts.rules;
    const auto& txns = facts.transactions;
    finds repeats;
    for (std::size_t j = 0; j < txns.size(); ++j) {
        const auto& b = txns[j].t;
        if (!b.amount.is_negative() || b.date > *in.judged_to) continue;
        std::optional<std::string> payee;  // worked out only when an earlier row has the same amount
        const civil_date window_start = add_days(b.date, -static_cast<int>(pol.duplicate_window_days));
        for (std::size_t i = j; i-- > 0;) {
            const auto& a = txns[i].t;
            if (a.date < window_start) break;
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
            if (!recurs) repeats.add(txns[j], -b.amount, txns[j].category);
            break;
        }
    }
    event_flag(in, flag_code::duplicate_payment, repeats,
               {"payment(s) repeating the same amount to the same payee within " + std::to_string(pol.duplicate_window_days) + " days",
                "Check with the holder that none was paid twice; if the payee is paid like this on purpose, mark the plan line \"repeats\".",
                "same payee and amount within duplicate_window_days", "categories"},
               out);
}

namespace {

struct obligation {
    std::string_view category, what;
    bool applies;
    civil_date limit;  // overdue after this day
    std::string threshold_key, threshold;
    std::optional<civil_date> last;
};

}  // namespace

// EMPLOYER_OBLIGATION_MISSED: a PA employer with no HMRC, pension or employer's-liability insurance payment
// for too long, judged up to the last day the statements cover; one flag naming every obligation missed.
void employer_flags(const rule_input& in, std::vector<flag>& out) {
    if (!in.judged_to) return;
    const account_facts& facts = in.facts;
    const policy& pol = facts.rules;
    const civil_date known_to = *in.judged_to;
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
    if (!employer_from || !employs_now) return;
    auto last_paid = [&](std::string_view category) {
        std::optional<civil_date> last;
        for (const auto& c : facts.transactions) {
            if (c.category == category && c.t.amount.is_negative() && c.t.date <= known_to) last = c.t.date;
        }
        return last;
    };
    auto from = [&](std::string_view category) { return last_paid(category).value_or(*employer_from); };
    const bool pension_seen = last_paid("pension").has_value();
    const std::vector<obligation> all = {
        {"hmrc", "HMRC (PAYE)", true, add_days(from("hmrc"), static_cast<int>(pol.hmrc_max_gap_days)), "hmrc_max_gap_days",
         std::to_string(pol.hmrc_max_gap_days) + " days", last_paid("hmrc")},
        {"pension", "workplace pension", plans_pension || pension_seen,
         add_days(from("pension"), static_cast<int>(pol.pension_max_gap_days)), "pension_max_gap_days",
         std::to_string(pol.pension_max_gap_days) + " days", last_paid("pension")},
        {"insurance", "employer's liability insurance", true,
         add_months(from("insurance"), static_cast<int>(pol.insurance_max_gap_months)), "insurance_max_gap_months",
         std::to_string(pol.insurance_max_gap_months) + " months", last_paid("insurance")},
    };
    std::string reason;
    std::map<std::string, std::string> inputs{{"rule", "PA employer without an HMRC, pension or insurance payment within its limit"},
                                              {"statements_to", format_iso_date(known_to)}};
    std::optional<civil_date> since;
    for (const auto& o : all) {
        if (!o.applies || known_to <= o.limit) continue;
        reason += (reason.empty() ? "" : " ") + std::string("No ") + std::string(o.what) + " payment " +
                  (o.last ? "since " + format_iso_date(*o.last) : "since employing a PA from " + format_iso_date(*employer_from)) +
                  " (the limit is " + o.threshold + ").";
        inputs[o.threshold_key] = o.threshold;
        inputs[std::string(o.category) + "_last_payment"] = o.last ? format_iso_date(*o.last) : "";
        if (!since || add_days(o.limit, 1) < *since) since = add_days(o.limit, 1);
    }
    if (!since) return;
    reason += " Statements reach " + format_iso_date(known_to) + ": check the employer's payroll, pension and insurance are in order.";
    out.push_back(make_flag(flag_code::employer_obligation_missed, "EMPLOYER_OBLIGATION_MISSED", in.period_of(known_to), money{},
                            reason, std::move(inputs), *since));
}

}  // namespace dpmon::core::rules
