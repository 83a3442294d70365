// GET /api/v1/flags, POST /api/v1/flags/{id}/acknowledge.
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

namespace dpmon::daemon {

void add_flags_routes(http::router& r, const api_context& ctx) {
    storage::database& db = ctx.db;
    const std::string& token = ctx.token;
    const auto today = ctx.today;
    r.add("GET", "/api/v1/flags", [&db, today](const http::request&, const http::route_match& m) {
        const std::string state = query(m, "state");
        if (!state.empty() && state != "open" && state != "acknowledged" && state != "resolved")
            return http::error_response(400, "bad_request", "state must be open, acknowledged or resolved");
        std::int64_t account_id = 0;
        if (const std::string ref = query(m, "account"); !ref.empty()) {
            auto account = app::account_named(db, ref);
            if (!account) return error_answer(account.error());
            account_id = account->id;
        }
        auto flags = app::list_flags(db, state, query(m, "code"), account_id);
        if (!flags) return storage_failure(flags.error());
        auto exempt = app::exemptions_in_force(db, today());
        if (!exempt) return storage_failure(exempt.error());
        boost::json::array rows;
        for (const auto& f : *flags) {
            auto e = exempt->find(f.account_ref);
            rows.push_back(flag_view(f, e == exempt->end() ? nullptr : &e->second));
        }
        return json(boost::json::object{{"flags", std::move(rows)}});
    });

    r.add("POST", "/api/v1/flags/{id}/acknowledge", [&db, &token](const http::request& req, const http::route_match& m) {
        if (auto refused = refuse_unauthorised(req, token)) return *refused;
        const auto id = id_param(m, "id");
        if (!id) return http::error_response(404, "not_found", "no flag " + m.params.at("id"));
        boost::system::error_code ec;
        const boost::json::value body = boost::json::parse(req.body, ec);
        const auto* o = ec ? nullptr : body.if_object();
        auto field = [&](const char* key) -> std::string {
            const auto* v = o ? o->if_contains(key) : nullptr;
            return v && v->is_string() ? std::string(v->as_string()) : std::string();
        };
        const std::string by = field("by");
        const std::string note = field("note");
        if (!o) return http::error_response(400, "bad_request", "the body must be a JSON object {\"by\": ..., \"note\": ...}");
        if (by.empty() || note.empty())
            return http::error_response(422, "invalid", "\"by\" (who acknowledges) and \"note\" (why) are both required");
        auto done = app::acknowledge_flag(db, *id, by, note, now_utc());
        if (!done) return error_answer(done.error());
        return json(flag_view(*done));
    });
}

}  // namespace dpmon::daemon
