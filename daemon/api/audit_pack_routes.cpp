// GET /api/v1/accounts/{ref}/audit-pack?from=&to=&format=json|csv|flags.csv|html.
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
#include "transactions_csv.hpp"
#include "dpmon/views/audit_pack.hpp"

namespace dpmon::daemon {

void add_audit_pack_routes(http::router& r, const api_context& ctx) {
    const auto today = ctx.today;
    add_read(r, ctx, "/api/v1/accounts/{ref}/audit-pack", [&ctx, today](const storage::database& db, const http::request&, const http::route_match& m) {
        const auto settings = ctx.reconcile();
        auto a = app::account_named(db, m.params.at("ref"));
        if (!a) return error_answer(a.error());
        if (query(m, "format") == "csv") {  // every transaction of the range, streamed
            auto range = audit_pack_range(*a, query(m, "from"), query(m, "to"), today());
            if (!range) return http::error_response(400, "bad_request", range.error().message);
            return http::response{200, "text/csv; charset=utf-8", {}, {},
                                  transactions_csv_stream(ctx, *a, range->first, range->second)};
        }
        auto pack = build_audit_pack(db, settings, *a, query(m, "from"), query(m, "to"), today());
        if (!pack) {
            if (pack.error().code == errc::invalid_argument) return http::error_response(400, "bad_request", pack.error().message);
            return storage_failure(pack.error());
        }
        const std::string format = query(m, "format");
        if (format == "flags.csv") return http::response{200, "text/csv; charset=utf-8", pack->flags_csv, {}, {}};
        if (format == "html") return http::response{200, "text/html; charset=utf-8", pack->html, {}, {}};
        if (!format.empty() && format != "json")
            return http::error_response(400, "bad_request", "format must be json, csv, flags.csv or html");
        boost::json::object doc = pack->document;
        doc["transactions_csv"] = pack->transactions_csv;
        doc["flags_csv"] = pack->flags_csv;
        doc["html"] = pack->html;
        return json(doc);
    });
}

}  // namespace dpmon::daemon
