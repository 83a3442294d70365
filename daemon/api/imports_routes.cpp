// GET /api/v1/imports, GET /api/v1/accounts/{ref}/transactions.
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
#include <charconv>

#include "dpmon/core/money.hpp"

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

void add_imports_routes(http::router& r, const api_context& ctx) {
    storage::database& db = ctx.db;
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
        auto imports = app::list_imports(db, status, limit);
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
        auto account = app::account_named(db, ref);
        if (!account) return error_answer(account.error());
        auto txns = app::list_transactions(db, account->id, from, to);
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
        return json(boost::json::object{{"account_ref", account->account_ref},
                                        {"from", nullable(from)},
                                        {"to", nullable(to)},
                                        {"transactions", std::move(rows)}});
    });
}

}  // namespace dpmon::daemon
