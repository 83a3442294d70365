#include "surplus_routes.hpp"
#include "dpmon/app/system_clock.hpp"

#include <boost/json/parse.hpp>

#include <chrono>
#include <map>

#include "dpmon/core/money.hpp"
#include "dpmon/views/audit_pack.hpp"
#include "dpmon/app/surplus.hpp"
#include "dpmon/storage/accounts.hpp"
#include "dpmon/storage/flag_store.hpp"
#include "dpmon/storage/outbox_store.hpp"
#include "dpmon/storage/review_store.hpp"
#include "route_helpers.hpp"
#include "dpmon/views/views.hpp"

namespace dpmon::daemon {
namespace {


struct body {
    boost::json::value holder;
    const boost::json::object* o = nullptr;
    explicit body(const http::request& req) {
        boost::system::error_code ec;
        holder = boost::json::parse(req.body, ec);
        if (!ec) o = holder.if_object();
    }
    std::string text(const char* key) const {
        const auto* v = o ? o->if_contains(key) : nullptr;
        return v && v->is_string() ? std::string(v->as_string()) : std::string();
    }
};

http::response not_json(const std::string& expected) {
    return http::error_response(400, "bad_request", "the body must be a JSON object " + expected);
}

}  // namespace

void add_surplus_routes(http::router& r, storage::database& db, const std::string& token, const reconcile_settings& settings,
                        std::function<core::civil_date()> today) {
    r.add("GET", "/api/v1/accounts/{ref}/exemptions", [&db, today](const http::request&, const http::route_match& m) {
        auto a = storage::find_account(db, m.params.at("ref"));
        if (!a) return storage_failure(a.error());
        if (!*a) return http::error_response(404, "not_found", "no account " + m.params.at("ref"));
        auto list = storage::list_exemptions(db, (*a)->id);
        if (!list) return storage_failure(list.error());
        const std::string day = core::format_iso_date(today());
        boost::json::array rows;
        for (const auto& e : *list) rows.push_back(exemption_view(e, day));
        return json(boost::json::object{{"exemptions", std::move(rows)}});
    });

    r.add("POST", "/api/v1/accounts/{ref}/exemptions", [&db, &token, today](const http::request& req, const http::route_match& m) {
        if (auto refused = refuse_unauthorised(req, token)) return *refused;
        const body b(req);
        if (!b.o) return not_json("{\"reason\", \"detail\", \"until\", \"by\"}");
        const std::string day = core::format_iso_date(today());
        auto e = record_exemption(db, m.params.at("ref"), b.text("reason"), b.text("detail"), b.text("until"), b.text("by"), day,
                                  now_utc());
        if (!e) return error_answer(e.error());
        return json(exemption_view(*e, day), 201);
    });

    r.add("GET", "/api/v1/accounts/{ref}/recoveries", [&db](const http::request&, const http::route_match& m) {
        auto a = storage::find_account(db, m.params.at("ref"));
        if (!a) return storage_failure(a.error());
        if (!*a) return http::error_response(404, "not_found", "no account " + m.params.at("ref"));
        auto list = storage::list_recoveries(db, (*a)->id, query(m, "state"));
        if (!list) return storage_failure(list.error());
        boost::json::array rows;
        for (const auto& rec : *list) rows.push_back(recovery_view(rec));
        return json(boost::json::object{{"recoveries", std::move(rows)}});
    });

    r.add("POST", "/api/v1/accounts/{ref}/recoveries",
          [&db, &token, &settings, today](const http::request& req, const http::route_match& m) {
              if (auto refused = refuse_unauthorised(req, token)) return *refused;
              const body b(req);
              if (!b.o) return not_json("{\"by\", \"liabilities\" (optional), \"note\" (optional)}");
              auto rec = propose_surplus_recovery(db, settings, m.params.at("ref"), b.text("liabilities"), b.text("by"),
                                                  b.text("note"), today(), now_utc());
              if (!rec) return error_answer(rec.error());
              return json(recovery_view(*rec), 201);
          });

    r.add("GET", "/api/v1/accounts/{ref}/recoveries/{id}", [&db](const http::request&, const http::route_match& m) {
        const auto id = id_param(m, "id");
        if (!id) return http::error_response(404, "not_found", "no recovery " + m.params.at("id"));
        auto rec = recovery_of(db, m.params.at("ref"), *id);
        if (!rec) return error_answer(rec.error());
        boost::json::object o = recovery_view(*rec);
        auto events = storage::recovery_history(db, *id);
        if (!events) return storage_failure(events.error());
        boost::json::array history;
        for (const auto& e : *events) history.push_back(boost::json::object{{"at", e.at}, {"event", e.event}, {"by", e.by}, {"note", e.note}});
        o["history"] = std::move(history);
        return json(o);
    });

    r.add("GET", "/api/v1/accounts/{ref}/recoveries/{id}/notice", [&db](const http::request&, const http::route_match& m) {
        const auto id = id_param(m, "id");
        if (!id) return http::error_response(404, "not_found", "no recovery " + m.params.at("id"));
        auto rec = recovery_of(db, m.params.at("ref"), *id);
        if (!rec) return error_answer(rec.error());
        if (rec->notice_text.empty())
            return http::error_response(409, "conflict", "recovery " + std::to_string(*id) + " is " + rec->state + ": no notice has been issued");
        if (query(m, "format") == "html") return http::response{200, "text/html; charset=utf-8", rec->notice_html, {}};
        return http::response{200, "text/plain; charset=utf-8", rec->notice_text, {}};
    });

    r.add("POST", "/api/v1/accounts/{ref}/recoveries/{id}/notify",
          [&db, &token, today](const http::request& req, const http::route_match& m) {
              if (auto refused = refuse_unauthorised(req, token)) return *refused;
              const auto id = id_param(m, "id");
              if (!id) return http::error_response(404, "not_found", "no recovery " + m.params.at("id"));
              const body b(req);
              if (!b.o) return not_json("{\"recover_on\", \"by\"}");
              auto rec = notify_surplus_recovery(db, m.params.at("ref"), *id, b.text("recover_on"), b.text("by"), today(), now_utc());
              if (!rec) return error_answer(rec.error());
              return json(recovery_view(*rec));
          });

    for (const char* state : {"recovered", "offset", "waived"}) {
        r.add("POST", std::string("/api/v1/accounts/{ref}/recoveries/{id}/") + state,
              [&db, &token, state](const http::request& req, const http::route_match& m) {
                  if (auto refused = refuse_unauthorised(req, token)) return *refused;
                  const auto id = id_param(m, "id");
                  if (!id) return http::error_response(404, "not_found", "no recovery " + m.params.at("id"));
                  const body b(req);
                  if (!b.o) return not_json("{\"by\", \"amount\" (optional), \"note\"}");
                  auto rec = close_surplus_recovery(db, m.params.at("ref"), *id, state, b.text("amount"), b.text("by"),
                                                    b.text("note"), now_utc());
                  if (!rec) return error_answer(rec.error());
                  return json(recovery_view(*rec));
              });
    }

    r.add("GET", "/api/v1/accounts/{ref}/audit-pack", [&db, &settings, today](const http::request&, const http::route_match& m) {
        auto a = storage::find_account(db, m.params.at("ref"));
        if (!a) return storage_failure(a.error());
        if (!*a) return http::error_response(404, "not_found", "no account " + m.params.at("ref"));
        auto pack = build_audit_pack(db, settings, **a, query(m, "from"), query(m, "to"), today());
        if (!pack) {
            if (pack.error().code == errc::invalid_argument) return http::error_response(400, "bad_request", pack.error().message);
            return storage_failure(pack.error());
        }
        const std::string format = query(m, "format");
        if (format == "csv") return http::response{200, "text/csv; charset=utf-8", pack->transactions_csv, {}};
        if (format == "flags.csv") return http::response{200, "text/csv; charset=utf-8", pack->flags_csv, {}};
        if (format == "html") return http::response{200, "text/html; charset=utf-8", pack->html, {}};
        if (!format.empty() && format != "json")
            return http::error_response(400, "bad_request", "format must be json, csv, flags.csv or html");
        boost::json::object doc = pack->document;
        doc["transactions_csv"] = pack->transactions_csv;
        doc["flags_csv"] = pack->flags_csv;
        doc["html"] = pack->html;
        return json(doc);
    });

    r.add("GET", "/api/v1/summary", [&db, today](const http::request&, const http::route_match&) {
        const std::string day = core::format_iso_date(today());
        auto rows = storage::list_account_rows(db);
        if (!rows) return storage_failure(rows.error());
        auto exempt = exemptions_in_force(db, day);
        if (!exempt) return storage_failure(exempt.error());
        std::map<std::string, std::int64_t> by_flag;
        std::int64_t recoverable = 0, exempt_total = 0, no_statement = 0, active = 0;
        for (const auto& row : *rows) {
            if (row.account.status == "active") ++active;
            for (const auto& c : row.open_flags) ++by_flag[c];
            if (std::find(row.open_flags.begin(), row.open_flags.end(), "STATEMENT_OVERDUE") != row.open_flags.end()) ++no_statement;
            if (!row.status) continue;
            if (exempt->count(row.account.account_ref)) exempt_total += row.status->recoverable_pence;
            else recoverable += row.status->recoverable_pence;
        }
        auto recs = storage::list_recoveries(db, 0, "");
        if (!recs) return storage_failure(recs.error());
        std::map<std::string, std::pair<std::int64_t, std::int64_t>> by_state;
        for (const auto& rec : *recs) {
            auto& s = by_state[rec.state];
            ++s.first;
            s.second += rec.state == "recovered" || rec.state == "offset" ? rec.closed_amount_pence : rec.amount_pence;
        }
        boost::json::object flags, states;
        for (const auto& [c, n] : by_flag) flags[c] = n;
        for (const auto& [s, v] : by_state)
            states[s] = boost::json::object{{"count", v.first}, {"amount", core::money::from_pence(v.second).to_decimal()}};
        auto reviews = storage::count_reviews(db, day);
        if (!reviews) return storage_failure(reviews.error());
        auto outbox = storage::count_outbox(db);
        if (!outbox) return storage_failure(outbox.error());
        return json(boost::json::object{
            {"as_of", day},
            {"accounts", static_cast<std::int64_t>(rows->size())},
            {"active_accounts", active},
            {"accounts_by_open_flag", std::move(flags)},
            {"recoverable_surplus", core::money::from_pence(recoverable).to_decimal()},
            {"recoverable_surplus_exempt", core::money::from_pence(exempt_total).to_decimal()},
            {"recoveries_by_state", std::move(states)},
            {"accounts_without_statement_for_return_period", no_statement},
            {"reviews", boost::json::object{{"due", reviews->due}, {"overdue", reviews->overdue}}},
            {"outbox", boost::json::object{{"pending", outbox->pending}, {"failed", outbox->failed}}}});
    });
}

}  // namespace dpmon::daemon
