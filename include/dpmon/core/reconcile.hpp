#pragma once
// reconcile(): what happened in an account against what its support plan says, period by period, and the
// flags that follow (docs/rules.md#flags). Pure and deterministic: the same facts and the same
// `today` always give the same result.
//
// Flags computed here: SURPLUS, CONTRIBUTION_ARREARS, OVERSPEND, UNDERSPEND, OVERDRAWN,
// PROJECTED_SHORTFALL, COUNCIL_PAYMENT_MISSING, STATEMENT_OVERDUE, STATEMENT_GAP, BALANCE_MISMATCH, and the
// audit flags of audit_checks.hpp.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dpmon/core/bank_transaction.hpp"
#include "dpmon/core/flag_code.hpp"
#include "dpmon/core/period.hpp"
#include "dpmon/core/plan.hpp"
#include "dpmon/core/policy.hpp"

namespace dpmon::core {

struct categorised_transaction {
    bank_transaction t;
    std::string category;
};

// One imported statement's reach for this account: the dates it covers and the bank's balances at its
// ends (opening = the first row's balance less its amount), when the file had a balance column.
struct statement_cover {
    std::string file_name;
    civil_date first;
    civil_date last;
    std::optional<money> opening;
    std::optional<money> closing;
};

// A running-balance break found while importing (see importers/fingerprint balance_checker).
struct balance_finding {
    std::string file_name;
    std::int64_t line = 0;
    civil_date date;
    money expected;
    money actual;
};

// A relative living in the person's household whom the plan names as a payee (Direct Payments
// Regulations 2014, reg. 3): paid only with the council's recorded approval.
struct household_member {
    std::string payee;  // case-insensitive substring of the transaction description
    std::string relationship;
    bool approved = false;
};

// How often the person must send statements (docs/rules.md#statement_overdue).
enum class return_frequency { quarterly, six_monthly, annually };

struct account_facts {
    std::string account_ref;
    civil_date dp_start;
    std::vector<plan_version> plans;  // normalised (see normalise_versions)
    policy rules;
    std::vector<categorised_transaction> transactions;  // in date order, file order within a day
    std::vector<statement_cover> statements;            // any order
    std::vector<balance_finding> findings;
    std::optional<return_frequency> returns;  // from the plan file; else by risk tier
    std::vector<household_member> household;
};

// The risk tier: PA employers quarterly, £2,000 a year or more 6-monthly, else annually.
return_frequency return_tier(const std::vector<plan_version>& plans, civil_date on);

struct category_figures {
    std::string category;
    money planned;  // prorated by day from the plan lines
    money actual;   // money out, as a positive amount
};

struct period_figures {
    period span;
    bool complete = false;  // the period ended before today
    money expected_council, actual_council;
    money expected_contribution, actual_contribution;  // net payment basis only
    money other_inflows;                                // refunds, interest and anything else paid in
    std::vector<category_figures> spend;                // every planned or used category, sorted
    money planned_spend, actual_spend;
    money opening, closing;
    bool balance_from_statement = false;  // closing is the bank's own figure, not computed
};

struct flag {
    flag_code code;
    std::string key;         // the condition's identity: the same condition never makes two flags
    period span;             // the period it concerns
    money amount;            // the sum at stake (surplus recoverable, arrears, lowest balance, missing payment)
    std::string reason;      // a sentence a finance officer can read out
    std::map<std::string, std::string> inputs;  // rule, threshold and figures, for the audit trail
};

struct reconciliation {
    std::vector<period_figures> periods;
    std::vector<flag> flags;
};

// Reconciles from the DP start to `today` (inclusive).
reconciliation reconcile(const account_facts& facts, civil_date today);

}  // namespace dpmon::core
