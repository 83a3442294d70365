#pragma once
// GET /api/v1/outbox?state=&limit= and POST /api/v1/outbox/{id}/retry (token).

#include <functional>
#include <string>

#include "dpmon/http/router.hpp"
#include "dpmon/storage/database.hpp"
#include "dpmon/storage/outbox_store.hpp"

#include <boost/json/object.hpp>

namespace dpmon::daemon {

// One outbox message without its text: key, kind, account, recipient, subject, state, attempts, times, error.
boost::json::object outbox_view(const storage::outbox_message& m);

// `on_retry` wakes the delivery worker.
void add_outbox_routes(http::router& r, storage::database& db, const std::string& token, std::function<void()> on_retry);

}  // namespace dpmon::daemon
