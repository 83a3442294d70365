#include "api_routes.hpp"
#include "dpmon/app/system_clock.hpp"

#include "route_helpers.hpp"
#include "dpmon/views/views.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <optional>
#include <boost/json/value.hpp>
#include <algorithm>
#include <charconv>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/alerts/masking.hpp"
#include "dpmon/core/money.hpp"
#include "dpmon/core/reconcile.hpp"
#include "dpmon/core/text.hpp"
#include "dpmon/storage/accounts.hpp"
#include "dpmon/app/plan_import.hpp"
#include "dpmon/storage/flag_store.hpp"
#include "dpmon/storage/import_store.hpp"

namespace dpmon::daemon {
namespace {

boost::json::array split_refs(const std::string& s) {
    boost::json::array out;
    std::size_t start = 0;
    while (start < s.size()) {
        const std::size_t comma = s.find(',', start);
        out.emplace_back(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

}  // namespace

void add_api_routes(http::router& r, storage::database& db, const std::string& token, const reconcile_settings& settings,
                    std::function<core::civil_date()> today) {
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
        if (!view) {
            if (view.error().code == errc::invalid_argument) return http::error_response(422, "invalid", view.error().message);
            return storage_failure(view.error());
        }
        return json(*view);
    });

    r.add("GET", "/api/v1/flags", [&db, today](const http::request&, const http::route_match& m) {
        const std::string state = query(m, "state");
        if (!state.empty() && state != "open" && state != "acknowledged" && state != "resolved")
            return http::error_response(400, "bad_request", "state must be open, acknowledged or resolved");
        std::int64_t account_id = 0;
        if (const std::string ref = query(m, "account"); !ref.empty()) {
            auto account = storage::find_account(db, ref);
            if (!account) return storage_failure(account.error());
            if (!*account) return http::error_response(404, "not_found", "no account " + ref);
            account_id = (*account)->id;
        }
        auto flags = storage::list_flags(db, state, query(m, "code"), account_id);
        if (!flags) return storage_failure(flags.error());
        auto exempt = exemptions_in_force(db, core::format_iso_date(today()));
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
        auto done = storage::acknowledge_flag(db, *id, by, note, now_utc());
        if (!done) {
            if (done.error().code == errc::not_found) return http::error_response(404, "not_found", done.error().message);
            if (done.error().code == errc::conflict) return http::error_response(409, "conflict", done.error().message);
            return storage_failure(done.error());
        }
        return json(flag_view(*done));
    });

    r.add("GET", "/api/v1/imports", [&db](const http::request&, const http::route_match& m) {
        const std::string status = query(m, "status");
        if (!status.empty() && status != "imported" && status != "duplicate" && status != "rejected")
            return http::error_response(400, "bad_request", "status must be imported, duplicate or rejected");
        std::int64_t limit = 500;
        if (const std::string l = query(m, "limit"); !l.empty()) {
            auto [p, ec] = std::from_chars(l.data(), l.data() + l.size(), limit);
            if (ec != std::errc() || p != l.data() + l.size() || limit < 1 || limit > 10000)
                return http::error_response(400, "bad_request", "limit must be a whole number from 1 to 10000");
        }
        auto imports = storage::list_imports(db, status, limit);
        if (!imports) return storage_failure(imports.error());
        boost::json::array rows;
        for (const auto& i : *imports) {
            rows.push_back(boost::json::object{{"id", i.id},
                                               {"file_name", i.file_name},
                                               {"sha256", i.sha256},
                                               {"size_bytes", i.size_bytes},
                                               {"profile", nullable(i.profile)},
                                               {"accounts", split_refs(i.accounts)},
                                               {"rows", i.rows},
                                               {"duplicates_skipped", i.duplicates},
                                               {"status", i.status},
                                               {"error", nullable(i.error)},
                                               {"first_date", nullable(i.first_date)},
                                               {"last_date", nullable(i.last_date)},
                                               {"imported_at", i.imported_at}});
        }
        return json(boost::json::object{{"imports", std::move(rows)}});
    });

    r.add("GET", "/api/v1/accounts/{ref}/transactions", [&db](const http::request&, const http::route_match& m) {
        const std::string ref = m.params.at("ref");
        const std::string from = query(m, "from");
        const std::string to = query(m, "to");
        for (const auto& [name, value] : {std::pair{"from", from}, {"to", to}}) {
            if (value.empty()) continue;
            if (auto d = core::parse_iso_date(value); !d)
                return http::error_response(400, "bad_request", std::string(name) + ": " + d.error().message);
        }
        auto account = storage::find_account(db, ref);
        if (!account) return storage_failure(account.error());
        if (!*account) return http::error_response(404, "not_found", "no account " + ref);
        auto txns = storage::list_transactions(db, (*account)->id, from, to);
        if (!txns) return storage_failure(txns.error());
        boost::json::array rows;
        for (const auto& t : *txns) {
            rows.push_back(boost::json::object{
                {"id", t.id},
                {"date", t.posted_on},
                {"amount", core::money::from_pence(t.amount_pence).to_decimal()},
                {"description", t.description},
                {"reference", nullable(t.bank_reference)},
                {"balance", t.balance_pence ? boost::json::value(core::money::from_pence(*t.balance_pence).to_decimal())
                                            : boost::json::value(nullptr)},
                {"category", t.category.empty() ? boost::json::value("uncategorised") : boost::json::value(t.category)},
                {"rule", nullable(t.rule)},
                {"import_id", t.import_id},
                {"line", t.source_line}});
        }
        return json(boost::json::object{{"account_ref", (*account)->account_ref},
                                        {"from", nullable(from)},
                                        {"to", nullable(to)},
                                        {"transactions", std::move(rows)}});
    });
}

}  // namespace dpmon::daemon
