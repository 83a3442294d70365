#pragma once
// The JSON documents the HTTP API serves and `dpmon ... --json` prints, built in one place so that the
// two always agree (DESIGN.md §2, HTTP API).

#include <boost/json/object.hpp>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/daemon/reconciler.hpp"
#include "dpmon/storage/accounts.hpp"
#include "dpmon/storage/flag_store.hpp"

namespace dpmon::daemon {

// One flag with its reason, inputs and lifecycle.
boost::json::object flag_view(const storage::flag_record& f);

// One row of the account list: balance, open flag codes, recoverable surplus.
boost::json::object account_row_view(const storage::account_row& row);

// One account reconciled as of `today`: the plan in force, every period's figures and the flags.
// errc::invalid_argument when its stored plan cannot be read; storage errors as they come.
result<boost::json::object> account_view(const storage::database& db, const storage::account_record& account,
                                         const reconcile_settings& settings, core::civil_date today);

}  // namespace dpmon::daemon
