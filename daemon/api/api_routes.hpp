#pragma once
// The JSON API over the store: imports and transactions (docs/http-api.md).

#include <string>

#include <functional>

#include "dpmon/app/reconcile_accounts.hpp"
#include "dpmon/http/router.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::daemon {

// Adds GET /api/v1/imports, GET /api/v1/accounts/{ref}/transactions, GET /api/v1/flags and
// POST /api/v1/flags/{id}/acknowledge to `r`. `db` and `token` are borrowed and must outlive `r`; `token`
// is the bearer token writes need (empty: writes are refused). Handlers run on the event-loop thread.
// GET /api/v1/accounts and GET /api/v1/accounts/{ref} too: `settings` (borrowed, may change between
// requests) and `today` give the live figures.
void add_api_routes(http::router& r, storage::database& db, const std::string& token, const reconcile_settings& settings,
                    std::function<core::civil_date()> today);

}  // namespace dpmon::daemon
