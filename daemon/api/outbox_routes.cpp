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
    add_read(r, ctx, "/api/v1/outbox", [](const storage::database& db, const http::request& req, const http::route_match& m) {
        std::string state = query(m, "state");
        if (state == "failed") state = "failed_permanent";
        if (!state.empty() && state != "pending" && state != "sent" && state != "failed_permanent")
            return http::error_response(400, "bad_request", "state must be pending, sent or failed_permanent (or failed)");
        auto page = page_params(m, "messages", 1);
        if (!page) return error_answer(page.error());
        const auto before = cursor_number(*page, 0);
        if (!before) return error_answer(before.error());
        auto rows = app::list_outbox(db, state, page->limit + 1, *before);
        if (!rows) return storage_failure(rows.error());
        boost::json::array out;
        for (const auto& msg : *rows) out.push_back(outbox_view(msg));
        return page_answer(req, "messages", *page, std::move(out),
                           [&](std::size_t i) { return std::vector<std::string>{std::to_string((*rows)[i].id)}; });
    });

    add_write(r, ctx, "POST", "/api/v1/outbox/{id}/retry", core::role::admin,
              [&ctx](storage::database& db, const http::request&, const http::route_match& m) {
                  const auto id = id_param(m, "id");
                  if (!id) return http::error_response(404, "not_found", "no outbox message " + m.params.at("id"));
                  auto done = app::retry_message(db, *id, now_utc());
                  if (!done) return error_answer(done.error());
                  if (ctx.on_outbox_retry) ctx.on_outbox_retry();
                  return json(outbox_view(*done));
              });
}

}  // namespace dpmon::daemon
