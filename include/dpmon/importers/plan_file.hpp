#pragma once
// Plan files (docs/statements.md, plan files): JSON with one or many accounts, each with its identity, bank
// identifiers, officer, status, DP start and support-plan versions. Everything is checked; every mistake
// is reported with the account and the field.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dpmon/core/error.hpp"
#include "dpmon/core/plan.hpp"
#include "dpmon/core/reconcile.hpp"
#include "dpmon/core/policy.hpp"

namespace dpmon::importers {

struct plan_account {
    std::string account_ref;
    std::string person_ref;
    std::string account_type;  // dedicated_bank | prepaid_card | managed_account
    std::string finance_officer;
    std::string status;        // active | suspended | closed
    std::string dp_start;      // YYYY-MM-DD
    std::string sort_code;     // six digits (dedicated_bank)
    std::string account_number;
    std::string card_id;       // prepaid_card / managed_account
    std::string plans_json;    // the "plans" array as given (stored; read back with plan_versions_from_json)
    std::vector<core::plan_version> plans;  // the same, read and closed (a new version closes the one before)
    std::string policy_json = "{}";         // per-account policy overrides, as given (checked)
    std::string return_frequency;           // "quarterly" | "6-monthly" | "annually" | "" (by risk tier)
    std::string closed_on;                  // YYYY-MM-DD; required when status is closed
    std::string household_json = "[]";      // "household_members" as given (checked)
    // Reviews already completed before dpmon ("reviews": {"DP_INITIAL_REVIEW": {"completed_on": ...}}).
    std::vector<std::pair<std::string, std::string>> completed_reviews;  // (kind, completed_on)
};

struct plan_file {
    std::vector<plan_account> accounts;
    // "accounts[2] (DP-000123): field 'dp_start': why"; the file is applied only when this is empty.
    std::vector<std::string> errors;
};

// `extra_categories` are the council's categories beyond the built-in ones ([policy] extra_categories).
plan_file parse_plan_file(std::string_view json_text, std::span<const std::string> extra_categories = {});

// Applies stored per-account overrides ({"surplus_threshold_weeks": 6, "unplanned_min": "40.00", ...}) to
// `p`. errc::invalid_argument names a key that is unknown or has a value of the wrong kind.
result<void> apply_policy_overrides(core::policy& p, std::string_view policy_json);

// The plan versions of a stored "plans" array. errc::invalid_argument lists what is wrong.
result<std::vector<core::plan_version>> plan_versions_from_json(std::string_view plans_json,
                                                                std::span<const std::string> extra_categories = {});

// The household members stored with an account (household_json); entries that cannot be read are skipped.
std::vector<core::household_member> household_from_json(std::string_view household_json);

}  // namespace dpmon::importers
