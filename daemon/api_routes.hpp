#pragma once
// The JSON API over the store: imports and transactions (DESIGN.md §2, HTTP API).

#include "dpmon/http/router.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::daemon {

// Adds GET /api/v1/imports and GET /api/v1/accounts/{ref}/transactions to `r`. `db` is borrowed and
// must outlive `r`; handlers run on the event-loop thread.
void add_api_routes(http::router& r, storage::database& db);

}  // namespace dpmon::daemon
