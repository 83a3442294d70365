#pragma once
// reconcile(): what happened in an account against what its support plan says, period by period, and the
// flags that follow (docs/rules.md#flags). Pure and deterministic: the same facts and the same
// `today` always give the same result.
//
// Flags computed here: SURPLUS, CONTRIBUTION_ARREARS, OVERSPEND, UNDERSPEND, OVERDRAWN,
// PROJECTED_SHORTFALL, COUNCIL_PAYMENT_MISSING, STATEMENT_OVERDUE, STATEMENT_GAP, BALANCE_MISMATCH, and the
// audit checks (core/audit_checks.cpp). A flag is a condition, not a period: see `flag` below.

#include <map>
#include <optional>
#include <set>
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
    std::int64_t id = 0;  // the stored row's id (the event checks list the rows they find by it)
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

// What officers have acknowledged of an event check (docs/rules.md#one-flag-per-condition): the rows their
// acknowledged flags listed, which are not listed again, and how many such flags there are.
struct acknowledged_finds {
    std::set<std::int64_t> transactions;
    std::int64_t flags = 0;
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
    std::map<flag_code, acknowledged_finds> acknowledged;  // event checks only
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

// A condition that holds (or, with `ended`, an episode that held and is over). One flag per account and
// code, except COUNCIL_PAYMENT_MISSING (one per scheduled payment), BALANCE_MISMATCH (one per statement)
// and OVERDRAWN's past episodes (docs/rules.md#one-flag-per-condition).
struct flag {
    flag_code code = flag_code::surplus;
    std::string key;         // the condition's identity: the same condition never makes two flags
    period span;             // the period it concerns (the latest, for a condition that lasts)
    money amount;            // the sum at stake (surplus recoverable, arrears, lowest balance, missing payment)
    std::string reason;      // a sentence a finance officer can read out
    std::map<std::string, std::string> inputs;  // rule, threshold and figures, for the audit trail
    civil_date since;                           // the first day the condition held, as far as the facts show
    std::optional<civil_date> ended;            // an episode that is over: recorded resolved on this day
    std::vector<std::int64_t> transactions;     // event checks: the rows found (ids), oldest first
};

// True for the event checks (cash, restricted spend, household payee, unexplained inflow, duplicate payment,
// unplanned spend): their flags list transactions and stay until acknowledged.
bool is_event_check(flag_code c);

struct reconciliation {
    std::vector<period_figures> periods;
    std::vector<flag> flags;
    // The last day the statements reach: conditions that need the bank's view of a day are judged up to it
    // (never past today). None: no statement yet, so none of them is judged.
    std::optional<civil_date> judged_to;
};

// Reconciles from the DP start to `today` (inclusive).
reconciliation reconcile(const account_facts& facts, civil_date today);

// The figures alone (periods and judged_to; no flags): what an account's page shows beside its stored
// flags. Needs no transaction texts.
reconciliation reconcile_periods(const account_facts& facts, civil_date today);

}  // namespace dpmon::core
