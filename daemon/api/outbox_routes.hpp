#pragma once
// GET /api/v1/outbox?state=&limit= and POST /api/v1/outbox/{id}/retry (token).

#include <functional>
#include <string>

#include "dpmon/http/router.hpp"
#include "dpmon/storage/database.hpp"
#include "dpmon/storage/outbox_store.hpp"


namespace dpmon::daemon {


// `on_retry` wakes the delivery worker.
void add_outbox_routes(http::router& r, storage::database& db, const std::string& token, std::function<void()> on_retry);

}  // namespace dpmon::daemon
