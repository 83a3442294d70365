#pragma once
// reconcile(): what happened in an account against what its support plan says, period by period, and the
// flags that follow (DESIGN.md §1, Reconciliation). Pure and deterministic: the same facts and the same
// `today` always give the same result.
//
// This first part computes the period figures and the SURPLUS, CONTRIBUTION_ARREARS, OVERDRAWN and
// COUNCIL_PAYMENT_MISSING flags; the other codes follow in later work.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dpmon/core/bank_transaction.hpp"
#include "dpmon/core/period.hpp"
#include "dpmon/core/plan.hpp"
#include "dpmon/core/policy.hpp"

namespace dpmon::core {

struct categorised_transaction {
    bank_transaction t;
    std::string category;
};

struct account_facts {
    std::string account_ref;
    civil_date dp_start;
    std::vector<plan_version> plans;  // normalised (see normalise_versions)
    policy rules;
    std::vector<categorised_transaction> transactions;  // in date order, file order within a day
};

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
    std::string code;        // SURPLUS, CONTRIBUTION_ARREARS, ...
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
