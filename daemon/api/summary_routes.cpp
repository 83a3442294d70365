// GET /api/v1/summary: the caseload in figures.
#include "routes.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "dpmon/app/system_clock.hpp"
#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/text.hpp"
#include "dpmon/app/queries.hpp"
#include "dpmon/views/views.hpp"
#include "route_helpers.hpp"
#include <map>

#include "dpmon/core/money.hpp"

namespace dpmon::daemon {

void add_summary_routes(http::router& r, const api_context& ctx) {
    storage::database& db = ctx.db;
    const auto today = ctx.today;
    r.add("GET", "/api/v1/summary", [&db, today](const http::request&, const http::route_match&) {
        auto summary = app::summarise_caseload(db, today());
        if (!summary) return storage_failure(summary.error());
        return json(summary_view(*summary));
    });
}

}  // namespace dpmon::daemon
