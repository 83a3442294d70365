#pragma once
// Internal to core: what the flag rules share (the balance line, the rule input, small helpers) and the
// rules themselves, one function per code or family, each documented in docs/rules.md under its code.
// reconcile.cpp runs them in order; money_rules.cpp, statement_rules.cpp and audit_checks.cpp hold them.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dpmon/core/reconcile.hpp"

namespace dpmon::core::rules {

// The account's balance after each day that has transactions: the bank's figure where the statement
// gives one, else the last known balance plus the amounts (from zero when nothing is known).
class balance_line {
public:
    explicit balance_line(const std::vector<categorised_transaction>& txns);

    // The balance at the end of `d`, and whether it is the bank's figure.
    std::pair<money, bool> at(civil_date d) const;

    // A run of days when the balance went below zero: from the first such day to the day it closed at
    // zero or above again (none while it lasts).
    struct episode {
        civil_date first;
        std::optional<civil_date> ended;
        money lowest;
        civil_date lowest_on;
    };
    // Every episode up to `to`, oldest first.
    std::vector<episode> overdrawn_episodes(civil_date to) const;

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

// What every flag rule reads.
struct rule_input {
    const account_facts& facts;
    civil_date today;
    const balance_line& balances;
    const std::vector<period_figures>& periods;
    std::optional<civil_date> judged_to;  // the last day a statement covers, never after today
    std::optional<civil_date> judged_from;  // the first day a statement covers (nothing before it is judged)
    const policy& pol() const { return facts.rules; }
    period period_of(civil_date d) const;
    // The periods the statements cover to their end, oldest first.
    std::vector<const period_figures*> complete_periods() const;
};

// "£1,234.56"
inline std::string pounds(money m) { return m.to_display(); }
money percent_of(money m, std::int64_t pct);
std::int64_t overlap_days(civil_date a1, civil_date b1, civil_date a2, civil_date b2);
civil_date version_end(const plan_version& v, civil_date fallback);

// Scheduled council payment dates in [a, b], with the amount of the plan version in force on each.
std::vector<std::pair<civil_date, money>> scheduled_payments(const std::vector<plan_version>& plans, civil_date a, civil_date b);
// Contributions due in [a, b] (net payment basis only).
money due_contributions(const std::vector<plan_version>& plans, civil_date a, civil_date b);
// Money paid in under `category` in [a, b].
money paid(const std::vector<categorised_transaction>& txns, std::string_view category, civil_date a, civil_date b);

flag make_flag(flag_code code, std::string key, const period& span, money amount, std::string reason,
               std::map<std::string, std::string> inputs, civil_date since);


using flag_rule = void (*)(const rule_input&, std::vector<flag>&);

// money_rules.cpp
void surplus_flags(const rule_input& in, std::vector<flag>& out);
void overdrawn_flags(const rule_input& in, std::vector<flag>& out);
void arrears_flags(const rule_input& in, std::vector<flag>& out);
void missing_payment_flags(const rule_input& in, std::vector<flag>& out);
void overspend_flags(const rule_input& in, std::vector<flag>& out);
void underspend_flags(const rule_input& in, std::vector<flag>& out);
void shortfall_flags(const rule_input& in, std::vector<flag>& out);
// statement_rules.cpp
// Date ranges between two statements that none covers (and that the balances do not join), oldest first.
std::vector<std::pair<civil_date, civil_date>> statement_gaps(const account_facts& facts);
void statement_gap_flags(const rule_input& in, std::vector<flag>& out);
void balance_mismatch_flags(const rule_input& in, std::vector<flag>& out);
void overdue_statement_flags(const rule_input& in, std::vector<flag>& out);
// audit_checks.cpp
void event_flags(const rule_input& in, std::vector<flag>& out);
void duplicate_flags(const rule_input& in, std::vector<flag>& out);
void employer_flags(const rule_input& in, std::vector<flag>& out);

}  // namespace dpmon::core::rules
