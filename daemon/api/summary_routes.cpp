// GET /api/v1/summary: the caseload in figures; GET /api/v1/worklist: accounts in priority order.
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
#include <charconv>
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
    r.add("GET", "/api/v1/worklist", [&db, today](const http::request&, const http::route_match& m) {
        const std::string limit_text = query(m, "limit");
        std::size_t limit = 50;
        if (!limit_text.empty()) {
            const auto [end, ec] = std::from_chars(limit_text.data(), limit_text.data() + limit_text.size(), limit);
            if (ec != std::errc() || end != limit_text.data() + limit_text.size() || limit > 100000)
                return error_answer(make_error(errc::invalid_argument, "limit must be a whole number from 0 to 100000 (0: all)"));
        }
        auto list = app::worklist(db, query(m, "officer"), limit, today());
        if (!list) return storage_failure(list.error());
        return json(boost::json::object{{"as_of", core::format_iso_date(today())}, {"accounts", worklist_view(*list)}});
    });
}

}  // namespace dpmon::daemon
