// GET /api/v1/accounts, GET and PUT /api/v1/accounts/{ref}.
#include "routes.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "dpmon/app/system_clock.hpp"
#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/text.hpp"
#include "dpmon/views/views.hpp"
#include "route_helpers.hpp"
#include "dpmon/app/plan_import.hpp"
#include "dpmon/app/reconcile_accounts.hpp"
#include "dpmon/storage/accounts.hpp"

namespace dpmon::daemon {

void add_accounts_routes(http::router& r, const api_context& ctx) {
    storage::database& db = ctx.db;
    const std::string& token = ctx.token;
    const reconcile_settings& settings = ctx.reconcile;
    const auto today = ctx.today;
    r.add("GET", "/api/v1/accounts", [&db, today](const http::request&, const http::route_match& m) {
        const std::string flag = query(m, "flag");
        const std::string officer = query(m, "officer");
        const std::string status = query(m, "status");
        auto rows = storage::list_account_rows(db);
        if (!rows) return storage_failure(rows.error());
        auto next = next_reviews(db, core::format_iso_date(today()));
        if (!next) return storage_failure(next.error());
        boost::json::array out;
        for (const auto& row : *rows) {
            const auto& a = row.account;
            if (!officer.empty() && !core::iequals(officer, a.finance_officer)) continue;
            if (!status.empty() && status != a.status) continue;
            if (!flag.empty() && std::find(row.open_flags.begin(), row.open_flags.end(), flag) == row.open_flags.end()) continue;
            auto n = next->find(a.account_ref);
            out.push_back(account_row_view(row, n == next->end() ? nullptr : &n->second));
        }
        return json(boost::json::object{{"accounts", std::move(out)}});
    });

    r.add("PUT", "/api/v1/accounts/{ref}", [&db, &token, &settings, today](const http::request& req, const http::route_match& m) {
        if (auto refused = refuse_unauthorised(req, token)) return *refused;
        const std::string& ref = m.params.at("ref");
        boost::system::error_code ec;
        boost::json::value body = boost::json::parse(req.body, ec);
        if (ec || !body.is_object())
            return http::error_response(400, "bad_request", "the body must be one account as a JSON object, as in a plan file");
        auto& o = body.as_object();
        if (!o.contains("account_ref")) o["account_ref"] = ref;
        if (!o.at("account_ref").is_string() || !core::iequals(std::string_view(o.at("account_ref").as_string()), ref))
            return http::error_response(422, "invalid", "account_ref in the body must be " + ref);
        const std::string text = boost::json::serialize(boost::json::object{{"accounts", boost::json::array{body}}});
        auto report = apply_plan_text(db, text, "PUT /api/v1/accounts/" + ref, settings.extra_categories);
        if (!report) return storage_failure(report.error());
        if (!report->errors.empty()) {
            std::string msg;
            for (const auto& e : report->errors) msg += (msg.empty() ? "" : "\n") + e;
            return http::error_response(422, "invalid", msg);
        }
        auto summary = reconcile_accounts(db, settings, {ref}, today(), now_utc());
        if (!summary) return storage_failure(summary.error());
        return json(boost::json::object{{"account_ref", ref},
                                        {"applied", true},
                                        {"flags_raised", summary->raised},
                                        {"flags_resolved", summary->resolved}});
    });

    r.add("GET", "/api/v1/accounts/{ref}", [&db, &settings, today](const http::request&, const http::route_match& m) {
        auto account = storage::find_account(db, m.params.at("ref"));
        if (!account) return storage_failure(account.error());
        if (!*account) return http::error_response(404, "not_found", "no account " + m.params.at("ref"));
        auto view = account_view(db, **account, settings, today());
        if (!view) return error_answer(view.error());
        return json(*view);
    });
}

}  // namespace dpmon::daemon
