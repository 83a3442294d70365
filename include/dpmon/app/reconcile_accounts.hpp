#pragma once
// Reconciling stored accounts: load an account's plan, transactions, statements and findings, categorise
// its transactions (storing any category that changed, with the rule), run core::reconcile and bring its
// flags in line, all in one transaction.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "dpmon/core/categorise.hpp"
#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/policy.hpp"
#include "dpmon/storage/database.hpp"
#include "dpmon/storage/accounts.hpp"
#include "dpmon/storage/flag_store.hpp"
#include "dpmon/storage/import_store.hpp"
#include "dpmon/core/reconcile.hpp"
#include "dpmon/app/alerting.hpp"

namespace dpmon::daemon {

struct reconcile_settings {
    core::policy rules;                          // council-wide policy
    std::vector<core::category_rule> council;    // council-wide categorisation rules, in config order
    std::vector<std::string> extra_categories;
    alert_settings alerts;  // raised flags of the immediate codes are written to the outbox with them
};

struct reconcile_summary {
    std::int64_t accounts = 0;
    std::int64_t recategorised = 0;  // transactions whose category changed
    std::int64_t raised = 0;
    std::int64_t resolved = 0;
    std::vector<std::string> problems;  // accounts that could not be reconciled, and why
};




// Everything reconciliation needs about one stored account, with its transactions categorised in memory
// (nothing is written). errc::invalid_argument when its stored plan cannot be read.
// `on_category` (optional) sees each stored transaction with the category it gets now; a failure it
// returns stops the load. With `stored_categories`, transactions keep the categories stored with them and
// their texts are not read (much faster); only those with no category yet are categorised.
result<core::account_facts> load_facts(
    const storage::database& db, const storage::account_record& account, const reconcile_settings& settings,
    const std::function<result<void>(const storage::transaction_record&, const core::categorisation&)>& on_category = {},
    bool stored_categories = false, bool texts = true);

// The account's facts for a read (the account view, a recovery proposal): the categories stored by its last
// reconciliation when they came from the same plans and rules (the stored rules key matches), so a read
// does not categorise every transaction again; otherwise, or for rows not yet categorised, computed now.
// Either way the categories equal what a reconciliation today would store. With `figures_only` (for
// core::reconcile_periods) the texts and acknowledged flags are not read when the stored categories serve.
result<core::account_facts> load_current_facts(const storage::database& db, const storage::account_record& account,
                                               const reconcile_settings& settings, bool figures_only = false);

// Identifies what an account's categories are computed from: its plans and the council's rules.
std::string rules_key(const storage::account_record& account, const reconcile_settings& settings);

// Reconciles the accounts in `refs` (all accounts when empty) as of `today`, in transactions of up to 200
// accounts (an account is never half-written); an account whose plan cannot be read is reported in
// `problems` and left as it was. errc::database_error when the database fails.
// `cancelled` is polled now and then: when it returns true the account in hand is rolled back and
// errc::cancelled returned (accounts already done stay done).
result<reconcile_summary> reconcile_accounts(storage::database& db, const reconcile_settings& settings,
                                             const std::vector<std::string>& refs, core::civil_date today,
                                             const std::string& now_utc, const std::function<bool()>& cancelled = {});

}  // namespace dpmon::daemon
