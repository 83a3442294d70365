// GET /api/v1/flags, POST /api/v1/flags/{id}/acknowledge.
#include "routes.hpp"

#include <boost/json/monotonic_resource.hpp>

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
    const auto today = ctx.today;
    add_read(r, ctx, "/api/v1/flags", [today](const storage::database& db, const http::request& req, const http::route_match& m) {
        const std::string state = query(m, "state");
        if (!state.empty() && state != "open" && state != "acknowledged" && state != "resolved")
            return http::error_response(400, "bad_request", "state must be open, acknowledged or resolved");
        std::int64_t account_id = 0;
        if (const std::string ref = query(m, "account"); !ref.empty()) {
            auto account = app::account_named(db, ref);
            if (!account) return error_answer(account.error());
            account_id = account->id;
        }
        auto page = page_params(m, "flags", 1);
        if (!page) return error_answer(page.error());
        const auto before = cursor_number(*page, 0);
        if (!before) return error_answer(before.error());
        auto flags = app::list_flags(db, state, query(m, "code"), account_id, *before, page->limit + 1);
        if (!flags) return storage_failure(flags.error());
        auto exempt = app::exemptions_in_force(db, today());
        if (!exempt) return storage_failure(exempt.error());
        boost::json::monotonic_resource arena(64 * 1024);  // the page's documents, given back at once
        boost::json::array rows(&arena);
        rows.reserve(flags->size());
        for (const auto& f : *flags) {
            auto e = exempt->find(f.account_ref);
            rows.push_back(flag_view(f, e == exempt->end() ? nullptr : &e->second, rows.storage()));
        }
        return page_answer(req, "flags", *page, std::move(rows),
                           [&](std::size_t i) { return std::vector<std::string>{std::to_string((*flags)[i].id)}; });
    });

    add_write(r, ctx, "POST", "/api/v1/flags/{id}/acknowledge", core::role::officer,
          [](storage::database& db, const http::request& req, const http::route_match& m) {
        const auto id = id_param(m, "id");
        if (!id) return http::error_response(404, "not_found", "no flag " + m.params.at("id"));
        boost::system::error_code ec;
        const boost::json::value body = boost::json::parse(req.body, ec);
        const auto* o = ec ? nullptr : body.if_object();
        auto field = [&](const char* key) -> std::string {
            const auto* v = o ? o->if_contains(key) : nullptr;
            return v && v->is_string() ? std::string(v->as_string()) : std::string();
        };
        const std::string note = field("note");
        if (!o) return http::error_response(400, "bad_request", "the body must be a JSON object {\"note\": ...}");
        if (note.empty()) return http::error_response(422, "invalid", "\"note\" (why the flag needs no more action) is required");
        auto done = app::acknowledge_flag(db, *id, signed_in(m), note, now_utc());
        if (!done) return error_answer(done.error());
        return json(flag_view(*done));
    });
}

}  // namespace dpmon::daemon
