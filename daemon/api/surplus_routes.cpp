// Surplus exemptions and recoveries: GET/POST /api/v1/accounts/{ref}/exemptions, GET/POST .../recoveries,
// GET .../recoveries/{id}, POST .../recoveries/{id}/notify|recovered|offset|waived, GET .../recoveries/{id}/notice
// (text/plain; ?format=html for the printable one). An illegal move of a recovery is 409 with what is wrong.
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
#include "dpmon/app/surplus.hpp"

namespace dpmon::daemon {

namespace {



http::response not_json(const std::string& expected) {
    return http::error_response(400, "bad_request", "the body must be a JSON object " + expected);
}

}  // namespace

void add_surplus_routes(http::router& r, const api_context& ctx) {
    const auto today = ctx.today;
    add_read(r, ctx, "/api/v1/accounts/{ref}/exemptions", [today](const storage::database& db, const http::request&, const http::route_match& m) {
        auto a = app::account_named(db, m.params.at("ref"));
        if (!a) return error_answer(a.error());
        auto list = app::list_exemptions(db, a->id);
        if (!list) return storage_failure(list.error());
        const core::civil_date day = today();
        boost::json::array rows;
        for (const auto& e : *list) rows.push_back(exemption_view(e, day));
        return json(boost::json::object{{"exemptions", std::move(rows)}});
    });

    add_write(r, ctx, "POST", "/api/v1/accounts/{ref}/exemptions", core::role::officer,
          [today](storage::database& db, const http::request& req, const http::route_match& m) {
        const json_body b(req);
        if (!b.o) return not_json("{\"reason\", \"detail\", \"until\"}");
        const core::civil_date day = today();
        auto e = record_exemption(db, m.params.at("ref"), b.text("reason"), b.text("detail"), b.text("until"), signed_in(m), day,
                                  now_utc());
        if (!e) return error_answer(e.error());
        return json(exemption_view(*e, day), 201);
    });

    add_read(r, ctx, "/api/v1/accounts/{ref}/recoveries", [](const storage::database& db, const http::request&, const http::route_match& m) {
        auto a = app::account_named(db, m.params.at("ref"));
        if (!a) return error_answer(a.error());
        auto list = app::list_recoveries(db, a->id, query(m, "state"));
        if (!list) return storage_failure(list.error());
        boost::json::array rows;
        for (const auto& rec : *list) rows.push_back(recovery_view(rec));
        return json(boost::json::object{{"recoveries", std::move(rows)}});
    });

    add_write(r, ctx, "POST", "/api/v1/accounts/{ref}/recoveries", core::role::officer,
          [&ctx, today](storage::database& db, const http::request& req, const http::route_match& m) {
        const auto settings = ctx.reconcile();
              const json_body b(req);
              if (!b.o) return not_json("{\"liabilities\" (optional), \"note\" (optional)}");
              auto rec = propose_surplus_recovery(db, settings, m.params.at("ref"), b.text("liabilities"), signed_in(m),
                                                  b.text("note"), today(), now_utc());
              if (!rec) return error_answer(rec.error());
              return json(recovery_view(*rec), 201);
          });

    add_read(r, ctx, "/api/v1/accounts/{ref}/recoveries/{id}", [](const storage::database& db, const http::request&, const http::route_match& m) {
        const auto id = id_param(m, "id");
        if (!id) return http::error_response(404, "not_found", "no recovery " + m.params.at("id"));
        auto rec = recovery_of(db, m.params.at("ref"), *id);
        if (!rec) return error_answer(rec.error());
        boost::json::object o = recovery_view(*rec);
        auto events = app::recovery_history(db, *id);
        if (!events) return storage_failure(events.error());
        boost::json::array history;
        for (const auto& e : *events) history.push_back(boost::json::object{{"at", e.at}, {"event", e.event}, {"by", e.by}, {"note", e.note}});
        o["history"] = std::move(history);
        return json(o);
    });

    add_read(r, ctx, "/api/v1/accounts/{ref}/recoveries/{id}/notice", [](const storage::database& db, const http::request&, const http::route_match& m) {
        const auto id = id_param(m, "id");
        if (!id) return http::error_response(404, "not_found", "no recovery " + m.params.at("id"));
        auto rec = recovery_of(db, m.params.at("ref"), *id);
        if (!rec) return error_answer(rec.error());
        if (rec->notice_text.empty())
            return http::error_response(409, "conflict", "recovery " + std::to_string(*id) + " is " + std::string(core::to_string(rec->state)) + ": no notice has been issued");
        if (query(m, "format") == "html") return http::response{200, "text/html; charset=utf-8", rec->notice_html, {}, {}};
        return http::response{200, "text/plain; charset=utf-8", rec->notice_text, {}, {}};
    });

    add_write(r, ctx, "POST", "/api/v1/accounts/{ref}/recoveries/{id}/notify", core::role::officer,
          [today](storage::database& db, const http::request& req, const http::route_match& m) {
              const auto id = id_param(m, "id");
              if (!id) return http::error_response(404, "not_found", "no recovery " + m.params.at("id"));
              const json_body b(req);
              if (!b.o) return not_json("{\"recover_on\"}");
              auto rec = notify_surplus_recovery(db, m.params.at("ref"), *id, b.text("recover_on"), signed_in(m), today(), now_utc());
              if (!rec) return error_answer(rec.error());
              return json(recovery_view(*rec));
          });

    for (const char* state : {"recovered", "offset", "waived"}) {
        add_write(r, ctx, "POST", std::string("/api/v1/accounts/{ref}/recoveries/{id}/") + state, core::role::officer,
          [state](storage::database& db, const http::request& req, const http::route_match& m) {
                  const auto id = id_param(m, "id");
                  if (!id) return http::error_response(404, "not_found", "no recovery " + m.params.at("id"));
                  const json_body b(req);
                  if (!b.o) return not_json("{\"amount\" (optional), \"note\"}");
                  auto rec = close_surplus_recovery(db, m.params.at("ref"), *id, state, b.text("amount"), signed_in(m),
                                                    b.text("note"), now_utc());
                  if (!rec) return error_answer(rec.error());
                  return json(recovery_view(*rec));
              });
    }
}

}  // namespace dpmon::daemon
