#pragma once
// The JSON documents the HTTP API serves and `dpmon ... --json` prints, built in one place so that the
// two always agree (docs/http-api.md).

#include <boost/json/object.hpp>

#include <map>
#include <string>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/app/queries.hpp"
#include "dpmon/storage/accounts.hpp"
#include "dpmon/storage/flag_store.hpp"
#include "dpmon/storage/outbox_store.hpp"
#include "dpmon/storage/review_store.hpp"
#include "dpmon/storage/surplus_store.hpp"

namespace dpmon::daemon {

// JSON null for "", else the string.
boost::json::value nullable(const std::string& s);

// One flag with its reason, inputs and lifecycle; a SURPLUS shows the exemption in force, if any.
// `sp`: where the document is made (a page's rows share one arena).
boost::json::object flag_view(const storage::flag_record& f, const storage::exemption_record* exemption = nullptr,
                              const boost::json::storage_ptr& sp = {});

// One exemption; `active` as of `today`.
boost::json::object exemption_view(const storage::exemption_record& e, core::civil_date today);

// One recovery: state, amount, how it was computed, the notice date, who did what (not the notice text).
boost::json::object recovery_view(const storage::recovery_record& r);

// One review or audit; `overdue` as of `today` (YYYY-MM-DD).
boost::json::object review_view(const storage::review_record& r, core::civil_date today,
                                const boost::json::storage_ptr& sp = {});

// One row of the account list: balance, open flag codes, recoverable surplus, the next review (or null).
boost::json::object account_row_view(const storage::account_row& row, const boost::json::storage_ptr& sp = {});

// One account as of `today` (app::account_details): the plan in force, every period's figures, the flags
// and the reviews.
// `rules` gives surplus_rules: the weeks of budget the surplus rules use, so a reader can draw their lines.
// Built in `sp` (a request's arena: some hundred nodes for two years of periods).
boost::json::object account_view(const app::account_detail& d, core::civil_date today, const core::policy& rules,
                                 const boost::json::storage_ptr& sp = {});

// The worklist (GET /api/v1/worklist, docs/worklist.md): each account's priority, money by kind, concerns and
// next action.
boost::json::object worklist_entry_view(const core::worklist_entry& e);
boost::json::array worklist_view(const std::vector<core::worklist_entry>& list);
// {"accounts", "recoverable_surplus", "arrears", "overdrawn", "unexplained_inflows", "reviews_overdue",
//  "officers"}: the heading of a worklist (all of it, or one officer's part).
boost::json::object worklist_totals_view(const core::worklist_totals& t);

// The caseload in figures (GET /api/v1/summary).
boost::json::object summary_view(const app::caseload_summary& s);

// One outbox message without its text: key, kind, account, recipient, subject, state, attempts, times, error.
boost::json::object outbox_view(const storage::outbox_message& m);

}  // namespace dpmon::daemon
