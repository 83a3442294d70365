// GET /api/v1/accounts, GET and PUT /api/v1/accounts/{ref}.
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
#include "dpmon/app/plan_import.hpp"
#include "dpmon/app/reconcile_accounts.hpp"
#include "dpmon/app/retention.hpp"

namespace dpmon::daemon {

void add_accounts_routes(http::router& r, const api_context& ctx) {
    const auto today = ctx.today;
    add_read(r, ctx, "/api/v1/accounts", [](const storage::database& db, const http::request& req, const http::route_match& m) {
        auto page = page_params(m, "accounts", 1);
        if (!page) return error_answer(page.error());
        const std::string after = page->after.empty() ? std::string() : page->after[0];
        auto rows = app::list_accounts(db, {query(m, "flag"), query(m, "officer"), query(m, "status"), after, page->limit + 1});
        if (!rows) return storage_failure(rows.error());
        boost::json::monotonic_resource arena(64 * 1024);  // the page's documents, given back at once
        boost::json::array out(&arena);
        out.reserve(rows->size());
        for (const auto& a : *rows) out.push_back(account_row_view(a, out.storage()));
        return page_answer(req, "accounts", *page, std::move(out),
                           [&](std::size_t i) { return std::vector<std::string>{(*rows)[i].account.account_ref}; });
    });

    add_write(r, ctx, "PUT", "/api/v1/accounts/{ref}", core::role::admin,
          [&ctx, today](storage::database& db, const http::request& req, const http::route_match& m) {
        const auto settings = ctx.reconcile();
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
        auto report = apply_plan_text(db, text, "PUT /api/v1/accounts/" + ref, settings.extra_categories,
                                      app::retention_cutoff(today(), settings.rules.retention_years));
        if (!report) return storage_failure(report.error());
        if (!report->errors.empty()) {
            std::string msg;
            for (const auto& e : report->errors) msg += (msg.empty() ? "" : "\n") + e;
            return http::error_response(422, "invalid", msg);
        }
        if (!report->past_retention.empty()) {
            return http::error_response(422, "past_retention",
                                        ref + " closed more than [policy] retention_years ago and is not stored (it was purged, "
                                              "or never held): it is not stored again");
        }
        auto summary = reconcile_accounts(db, settings, {ref}, today(), now_utc());
        if (!summary) return storage_failure(summary.error());
        return json(boost::json::object{{"account_ref", ref},
                                        {"applied", true},
                                        {"flags_raised", summary->raised},
                                        {"flags_resolved", summary->resolved}});
    });

    add_read(r, ctx, "/api/v1/accounts/{ref}", [&ctx, today](const storage::database& db, const http::request&, const http::route_match& m) {
        const auto settings = ctx.reconcile();
        auto account = app::account_named(db, m.params.at("ref"));
        if (!account) return error_answer(account.error());
        const core::civil_date day = today();
        auto detail = app::account_details(db, *account, settings, day);
        if (!detail) return error_answer(detail.error());
        boost::json::monotonic_resource arena(32 * 1024);  // the answer's nodes, given back at once
        return json(account_view(*detail, day, settings.rules, &arena));
    });
}

}  // namespace dpmon::daemon
