#pragma once
// Surplus exemptions, recoveries and the caseload summary over HTTP:
//   GET/POST /api/v1/accounts/{ref}/exemptions
//   GET/POST /api/v1/accounts/{ref}/recoveries, GET /api/v1/accounts/{ref}/recoveries/{id},
//   POST .../recoveries/{id}/notify, .../recovered, .../offset, .../waived,
//   GET .../recoveries/{id}/notice (text/plain; ?format=html for the printable one)
//   GET /api/v1/summary
// Writes need the token; an illegal move of a recovery is 409 with what is wrong.

#include <functional>
#include <string>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/app/reconcile_accounts.hpp"
#include "dpmon/http/router.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::daemon {

void add_surplus_routes(http::router& r, storage::database& db, const std::string& token, const reconcile_settings& settings,
                        std::function<core::civil_date()> today);

}  // namespace dpmon::daemon
