#include "dpmon/http/status_routes.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "dpmon/core/civil_date.hpp"

namespace dpmon::http {
namespace {

response json_response(const boost::json::value& v, int status = 200) {
    return response{status, "application/json", boost::json::serialize(v), {}, {}};
}

boost::json::object to_json(const core::status_snapshot& s) {
    boost::json::object flags;
    for (const auto& [code, n] : s.open_flags_by_code) flags[code] = n;
    boost::json::object o;
    o["version"] = s.version;
    o["started_at"] = core::format_utc_timestamp(s.started_at);
    o["schema_version"] = s.schema_version;
    o["config_generation"] = s.config_generation;
    o["config_loaded_at"] = core::format_utc_timestamp(s.config_loaded_at);
    o["last_import"] = s.last_import_at.empty() ? boost::json::value(nullptr) : boost::json::value(s.last_import_at);
    o["counts_as_of"] = core::format_utc_timestamp(s.counts_as_of);
    o["counts"] = boost::json::object{{"accounts", s.accounts}, {"transactions", s.transactions}, {"imports", s.imports}};
    o["open_flags"] = std::move(flags);
    o["reviews"] = boost::json::object{{"due", s.reviews_due}, {"overdue", s.reviews_overdue}};
    o["outbox"] = boost::json::object{{"pending", s.outbox_pending}, {"failed", s.outbox_failed}};
    return o;
}

}  // namespace

void add_status_routes(router& r, core::status_query& source) {
    r.add("GET", "/healthz", [&source](const request&, const route_match&) {
        const auto checks = source.health();
        boost::json::array list;
        for (const auto& c : checks) {
            list.push_back(boost::json::object{{"name", c.name},
                                               {"status", core::to_string(c.state)},
                                               {"detail", c.detail},
                                               {"since", c.since},
                                               {"last_ok", c.last_ok.empty() ? boost::json::value(nullptr) : boost::json::value(c.last_ok)}});
        }
        const core::health_state worst = core::overall(checks);
        return json_response(boost::json::object{{"status", core::to_string(worst)}, {"checks", std::move(list)}},
                             worst == core::health_state::failing ? 503 : 200);
    }, {std::nullopt, runs_on::loop});
    r.add("GET", "/api/v1/status", [&source](const request&, const route_match&) {
        auto s = source.status();
        if (!s) return error_response(503, "unavailable", s.error().message);
        return json_response(to_json(*s));
    }, {core::role::read, runs_on::loop});
}

}  // namespace dpmon::http
