#pragma once
// The /api/v1 routes (docs/http-api.md), one file per feature in daemon/api/: accounts, flags, imports and
// transactions, reviews, surplus (exemptions, recoveries), audit packs, the summary, the outbox.

#include <chrono>
#include <functional>
#include <string>

#include "dpmon/app/reconcile_accounts.hpp"
#include "dpmon/app/reviews.hpp"
#include "dpmon/core/civil_date.hpp"
#include "dpmon/http/router.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::daemon {

// What the routes work with, for the router's life.
// Reads run on a pool of reader threads, each with its own read-only connection; writes on one writer
// thread, the only user of `writer`.
struct api_context {
    std::function<result<storage::database*>()> reader;  // the calling reader thread's connection
    storage::database& writer;
    std::function<std::chrono::milliseconds()> query_time_limit;  // a read running longer is stopped (503)
    std::function<reconcile_settings()> reconcile;  // a copy: a reload may change them while a handler runs
    std::function<review_settings()> reviews;
    std::function<core::civil_date()> today;  // the council's local date
    std::function<void()> on_outbox_retry;    // wakes the delivery worker
};

// Adds every /api/v1 route to `r`.
void add_api_routes(http::router& r, const api_context& c);

}  // namespace dpmon::daemon
