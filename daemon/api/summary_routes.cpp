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
#include <algorithm>
#include <map>
#include <tuple>

#include "dpmon/core/money.hpp"

namespace dpmon::daemon {

void add_summary_routes(http::router& r, const api_context& ctx) {
    const auto today = ctx.today;
    add_read(r, ctx, "/api/v1/summary", [today](const storage::database& db, const http::request&, const http::route_match&) {
        auto summary = app::summarise_caseload(db, today());
        if (!summary) return storage_failure(summary.error());
        return json(summary_view(*summary));
    });
    // The worklist is built whole (it ranks every account) and paged by its order: priority, then the number
    // of concerns (both descending), then reference.
    add_read(r, ctx, "/api/v1/worklist", [today](const storage::database& db, const http::request& req, const http::route_match& m) {
        auto page = page_params(m, "accounts", 3);
        if (!page) return error_answer(page.error());
        auto list = app::caseload_worklist(db, today());
        if (!list) return storage_failure(list.error());
        const std::string officer = query(m, "officer");
        auto key = [](const core::worklist_entry& e) {
            return std::tuple(-e.priority, -static_cast<std::int64_t>(e.concerns.size()), std::string_view(e.account_ref));
        };
        auto first = (*list)->begin();
        if (!page->after.empty()) {
            const auto priority = cursor_number(*page, 0);
            const auto concerns = cursor_number(*page, 1);
            if (!priority || !concerns) return error_answer(priority ? concerns.error() : priority.error());
            const auto after = std::tuple(-*priority, -*concerns, std::string_view(page->after[2]));
            first = std::upper_bound((*list)->begin(), (*list)->end(), after,
                                     [&](const auto& a, const core::worklist_entry& e) { return a < key(e); });
        }
        std::vector<core::worklist_entry> slice;
        for (auto it = first; it != (*list)->end() && static_cast<std::int64_t>(slice.size()) <= page->limit; ++it) {
            if (officer.empty() || core::iequals(it->finance_officer, officer)) slice.push_back(*it);
        }
        return page_answer(req, "accounts", *page, worklist_view(slice),
                           [&](std::size_t i) {
                               return std::vector<std::string>{std::to_string(slice[i].priority),
                                                               std::to_string(slice[i].concerns.size()), slice[i].account_ref};
                           },
                           boost::json::object{{"as_of", core::format_iso_date(today())}});
    });
}

}  // namespace dpmon::daemon
