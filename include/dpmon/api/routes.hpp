#pragma once
// The /api/v1 routes (docs/http-api.md), one file per feature in daemon/api/: accounts, flags, imports and
// transactions, reviews, surplus (exemptions, recoveries), audit packs, the summary, the outbox.

#include <functional>
#include <string>

#include "dpmon/app/reconcile_accounts.hpp"
#include "dpmon/app/reviews.hpp"
#include "dpmon/core/civil_date.hpp"
#include "dpmon/http/router.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::daemon {

// What the routes work with. The references are borrowed for the router's life (a config reload updates
// the settings and the token in place); handlers run on the thread that calls router::handle.
struct api_context {
    storage::database& db;
    const std::string& token;  // the bearer token writes need (empty: writes are refused)
    const reconcile_settings& reconcile;
    const review_settings& reviews;
    std::function<core::civil_date()> today;  // the council's local date
    std::function<void()> on_outbox_retry;    // wakes the delivery worker
};

// Adds every /api/v1 route to `r`.
void add_api_routes(http::router& r, const api_context& c);

}  // namespace dpmon::daemon
