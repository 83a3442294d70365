#pragma once
// The reviews part of the HTTP API (docs/http-api.md): GET /api/v1/reviews, GET /api/v1/reviews/{id},
// POST /api/v1/reviews (an early review) and POST /api/v1/reviews/{id}/complete. Writes need the token.

#include <functional>
#include <string>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/app/reviews.hpp"
#include "dpmon/http/router.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::daemon {

// `db`, `token` and `settings` are borrowed for the router's life (a reload updates them in place).
void add_review_routes(http::router& r, storage::database& db, const std::string& token, const review_settings& settings,
                       std::function<core::civil_date()> today);

}  // namespace dpmon::daemon
