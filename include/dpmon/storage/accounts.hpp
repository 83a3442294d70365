#pragma once
// Accounts as stored: the identity and bank identifiers that statements are matched against.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dpmon/core/error.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::storage {

struct account_record {
    std::int64_t id = 0;
    std::string account_ref;
    std::string person_ref;
    std::string account_type = "dedicated_bank";  // dedicated_bank | prepaid_card | managed_account
    std::string sort_code;       // six digits, or empty
    std::string account_number;  // digits, or empty
    std::string card_id;         // card or sub-account id, or empty
    std::string dp_start;        // YYYY-MM-DD
    std::string finance_officer;
    std::string status = "active";
    std::string plans_json = "[]";
    std::string policy_json = "{}";   // per-account policy overrides
    std::string return_frequency;     // "" (by risk tier), quarterly, 6-monthly, annually
    std::string closed_on;            // YYYY-MM-DD when the DP ended, else empty
    std::string household_json = "[]";  // household members the plan names (reg. 3)
};

// Inserts or updates by account_ref (case-insensitive); returns the account's id. Runs in the caller's
// transaction if one is open.
result<std::int64_t> upsert_account(database& db, const account_record& a);

// Upserts every account in one transaction: all of them or none.
result<void> upsert_accounts(database& db, const std::vector<account_record>& accounts);

// Every account, by reference.
result<std::vector<account_record>> list_accounts(const database& db);

// The account with this reference (case-insensitive), or nullopt.
result<std::optional<account_record>> find_account(const database& db, std::string_view account_ref);

// An account's figures as of its last reconciliation.
struct account_status {
    std::int64_t balance_pence = 0;
    std::string balance_date;  // the last transaction's date; empty without transactions
    bool balance_from_statement = false;
    std::int64_t recoverable_pence = 0;
    std::string reconciled_on;
    std::string rules_key;  // identifies the plan and rules the stored categories came from
};

// The account's stored status, if it was ever reconciled.
result<std::optional<account_status>> find_account_status(const database& db, std::int64_t account_id);

// Replaces the account's status (in the caller's transaction).
result<void> save_account_status(database& db, std::int64_t account_id, const account_status& s);

// Every account's reference and finance officer, by reference: what ranking the caseload needs, without
// the plans and policies each account carries.
struct account_officer {
    std::string account_ref;
    std::string finance_officer;
};
result<std::vector<account_officer>> list_account_officers(const database& db);

// One row per account for list views: what the list shows of the account (not its plans and policies, which
// would be copied for every row and never read), its status (if reconciled), its open flag codes and its
// soonest scheduled review.
struct account_line {
    std::int64_t id = 0;
    std::string account_ref;
    std::string status;  // active | suspended | closed
    std::string finance_officer;
};
struct next_review {
    std::int64_t id = 0;
    std::string kind;  // core::to_string(review_kind)
    std::string due_on;
};
struct account_row {
    account_line account;
    std::optional<account_status> status;
    std::vector<std::string> open_flags;  // distinct codes of open and acknowledged flags, sorted
    std::optional<next_review> review;    // the soonest scheduled review, by due date then id
};
// Which accounts, and a page of them by reference: those after `after_ref` (empty: from the first), at most
// `limit` (-1: all). Filters: an unresolved flag's code, the finance officer (any case), the status.
struct account_query {
    std::string flag, officer, status;
    std::string after_ref;
    std::int64_t limit = -1;
};
result<std::vector<account_row>> list_account_rows(const database& db, const account_query& q);

}  // namespace dpmon::storage
