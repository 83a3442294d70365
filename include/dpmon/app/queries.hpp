#pragma once
// queries: what the API, the CLI and the views read, in one place so the two front ends ask the same
// questions the same way. The adapters (daemon/api, daemon/cli) call these, never storage directly.
// Plain reads and the small writes an officer makes are the store's own functions, offered here by name;
// what gathers several reads (an account with its figures, the account list, the caseload summary) is
// written here once.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dpmon/app/reconcile_accounts.hpp"
#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/reconcile.hpp"
#include "dpmon/core/worklist.hpp"
#include "dpmon/storage/accounts.hpp"
#include "dpmon/storage/database.hpp"
#include "dpmon/storage/flag_store.hpp"
#include "dpmon/storage/import_store.hpp"
#include "dpmon/storage/outbox_store.hpp"
#include "dpmon/storage/review_store.hpp"
#include "dpmon/storage/surplus_store.hpp"

namespace dpmon::daemon::app {

// The store's reads and officer writes, as they are.
using storage::acknowledge_flag;
using storage::count_outbox;
using storage::count_reviews;
using storage::find_review;
using storage::flag_history;
using storage::import_name;
using storage::list_exemptions;
using storage::list_flags;
using storage::list_imports;
using storage::list_outbox;
using storage::list_recoveries;
using storage::list_reminders;
using storage::list_reviews;
using storage::list_transaction_page;
using storage::list_transactions;
using storage::recovery_history;
using storage::retry_message;
using storage::review_history;

// The account `ref`; errc::not_found "no account REF" when there is none.
result<storage::account_record> account_named(const storage::database& db, const std::string& ref);

// Exemptions in force on `today`, by account reference (the one lasting longest where several are).
result<std::map<std::string, storage::exemption_record>> exemptions_in_force(const storage::database& db,
                                                                              core::civil_date today);

// Each account's soonest scheduled review, by account reference.
result<std::map<std::string, storage::review_record>> next_reviews(const storage::database& db, core::civil_date today);

struct account_filter {
    std::string flag;     // an open flag code; "" any
    std::string officer;  // the finance officer's address (any case); "" any
    std::string status;   // active | suspended | closed; "" any
    std::string after_ref;  // a page: the accounts after this reference ("" from the first), by reference
    std::int64_t limit = -1;  // at most this many (-1: all)
};
// The account list (a page of it), each row with its open flag codes and its next review.
result<std::vector<storage::account_row>> list_accounts(const storage::database& db, const account_filter& f);

// One account as of `today`: its reconciliation (plan versions, periods, flags it would raise), its stored
// flags with the exemption in force, and its reviews (scheduled, then completed).
struct account_detail {
    storage::account_record account;
    core::account_facts facts;
    core::reconciliation reconciliation;
    std::vector<storage::flag_record> flags;
    std::optional<storage::exemption_record> exemption;
    std::vector<storage::review_record> reviews;
};
// errc::invalid_argument when its stored plan cannot be read.
result<account_detail> account_details(const storage::database& db, const storage::account_record& account,
                                       const reconcile_settings& settings, core::civil_date today);

// The worklist (docs/worklist.md): accounts with open flags or overdue reviews, highest priority first; only
// `officer`'s accounts (any case) when not empty, at most `limit` (0: all). A surplus under an exemption in
// force is no concern.
result<std::vector<core::worklist_entry>> worklist(const storage::database& db, const std::string& officer,
                                                   std::size_t limit, core::civil_date today);

// The whole caseload's worklist, shared: built once per change of what it is built from (the store's
// worklist generation) and per day, then kept, so pages of it cost a lookup. Thread-safe.
result<std::shared_ptr<const std::vector<core::worklist_entry>>> caseload_worklist(const storage::database& db,
                                                                                     core::civil_date today);

// The caseload in figures (GET /api/v1/summary).
struct caseload_summary {
    core::civil_date as_of;
    std::int64_t accounts = 0;
    std::int64_t active_accounts = 0;
    std::map<std::string, std::int64_t> accounts_by_open_flag;
    core::money recoverable_surplus;
    core::money recoverable_surplus_exempt;
    std::map<std::string, std::pair<std::int64_t, core::money>> recoveries_by_state;  // count, amount
    std::int64_t accounts_without_statement = 0;                                    // STATEMENT_OVERDUE open
    storage::review_counts reviews;
    storage::outbox_counts outbox;
    std::vector<core::worklist_entry> first_in_worklist;  // the ten accounts most at stake, in worklist order
};
result<caseload_summary> summarise_caseload(const storage::database& db, core::civil_date today);

}  // namespace dpmon::daemon::app
