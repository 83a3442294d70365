#pragma once
// The JSON documents the HTTP API serves and `dpmon ... --json` prints, built in one place so that the
// two always agree (DESIGN.md §2, HTTP API).

#include <boost/json/object.hpp>

#include <map>
#include <string>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/daemon/reconciler.hpp"
#include "dpmon/storage/accounts.hpp"
#include "dpmon/storage/flag_store.hpp"
#include "dpmon/storage/review_store.hpp"

namespace dpmon::daemon {

// JSON null for "", else the string.
boost::json::value nullable(const std::string& s);

// One flag with its reason, inputs and lifecycle.
boost::json::object flag_view(const storage::flag_record& f);

// Each account's soonest scheduled review, by account reference.
result<std::map<std::string, storage::review_record>> next_reviews(const storage::database& db, const std::string& today);

// One review or audit; `overdue` as of `today` (YYYY-MM-DD).
boost::json::object review_view(const storage::review_record& r, const std::string& today);

// One row of the account list: balance, open flag codes, recoverable surplus, the next review (or null).
boost::json::object account_row_view(const storage::account_row& row, const storage::review_record* next_review);

// One account reconciled as of `today`: the plan in force, every period's figures and the flags.
// errc::invalid_argument when its stored plan cannot be read; storage errors as they come.
result<boost::json::object> account_view(const storage::database& db, const storage::account_record& account,
                                         const reconcile_settings& settings, core::civil_date today);

}  // namespace dpmon::daemon
