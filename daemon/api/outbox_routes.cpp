#include "routes.hpp"
#include "dpmon/app/system_clock.hpp"

#include <chrono>
#include <charconv>

#include "dpmon/core/civil_date.hpp"
#include "route_helpers.hpp"
#include "dpmon/app/queries.hpp"
#include "dpmon/views/views.hpp"

namespace dpmon::daemon {


void add_outbox_routes(http::router& r, const api_context& ctx) {
    storage::database& db = ctx.db;
    const std::string& token = ctx.token;
    const auto on_retry = ctx.on_outbox_retry;
    r.add("GET", "/api/v1/outbox", [&db](const http::request&, const http::route_match& m) {
        std::string state = query(m, "state");
        if (state == "failed") state = "failed_permanent";
        if (!state.empty() && state != "pending" && state != "sent" && state != "failed_permanent")
            return http::error_response(400, "bad_request", "state must be pending, sent or failed_permanent (or failed)");
        std::int64_t limit = 500;
        if (const std::string l = query(m, "limit"); !l.empty()) {
            if (auto [p, ec] = std::from_chars(l.data(), l.data() + l.size(), limit);
                ec != std::errc() || p != l.data() + l.size() || limit < 1 || limit > 10000)
                return http::error_response(400, "bad_request", "limit must be a whole number from 1 to 10000");
        }
        auto rows = app::list_outbox(db, state, limit);
        if (!rows) return storage_failure(rows.error());
        boost::json::array out;
        for (const auto& msg : *rows) out.push_back(outbox_view(msg));
        return json(boost::json::object{{"messages", std::move(out)}});
    });

    r.add("POST", "/api/v1/outbox/{id}/retry", [&db, &token, on_retry](const http::request& req, const http::route_match& m) {
        if (auto refused = refuse_unauthorised(req, token)) return *refused;
        const auto id = id_param(m, "id");
        if (!id) return http::error_response(404, "not_found", "no outbox message " + m.params.at("id"));
        auto done = app::retry_message(db, *id, now_utc());
        if (!done) return error_answer(done.error());
        if (on_retry) on_retry();
        return json(outbox_view(*done));
    });
}

}  // namespace dpmon::daemon
