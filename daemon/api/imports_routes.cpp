// GET /api/v1/imports, GET /api/v1/accounts/{ref}/transactions.
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
#include "transactions_csv.hpp"

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

boost::json::object import_row(const storage::import_record& i) {
    return boost::json::object{{"id", i.id},
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
                               {"imported_at", i.imported_at}};
}

boost::json::object transaction_row(const storage::transaction_record& t, const boost::json::storage_ptr& sp) {
    return boost::json::object(
        {{"id", t.id},
        {"date", t.posted_on},
        {"amount", core::money::from_pence(t.amount_pence).to_decimal()},
        {"description", t.description},
        {"reference", nullable(t.bank_reference)},
        {"balance", t.balance_pence ? boost::json::value(core::money::from_pence(*t.balance_pence).to_decimal())
                                    : boost::json::value(nullptr)},
        {"category", t.category.empty() ? boost::json::value("uncategorised") : boost::json::value(t.category)},
        {"rule", nullable(t.rule)},
        {"import_id", t.import_id},
        {"line", t.source_line}},
        sp);
}

// GET /api/v1/accounts/{ref}/transactions: a page by (date, id), or with format=csv all of them, streamed.
http::response transactions_answer(const api_context& ctx, const storage::database& db, const http::request& req,
                                   const http::route_match& m) {
    const std::string from = query(m, "from");
    const std::string to = query(m, "to");
    for (const auto& [name, value] : {std::pair{"from", from}, {"to", to}}) {
        if (value.empty()) continue;
        if (auto d = core::parse_iso_date(value); !d)
            return http::error_response(400, "bad_request", std::string(name) + ": " + d.error().message);
    }
    auto account = app::account_named(db, m.params.at("ref"));
    if (!account) return error_answer(account.error());
    const std::string format = query(m, "format");
    if (format == "csv") {
        http::response res{200, "text/csv; charset=utf-8", {}, {}, transactions_csv_stream(ctx, *account, from, to)};
        res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + account->account_ref + "-transactions.csv\"");
        return res;
    }
    if (!format.empty() && format != "json") return http::error_response(400, "bad_request", "format must be json or csv");
    auto page = page_params(m, "transactions", 2);
    if (!page) return error_answer(page.error());
    const auto after_id = cursor_number(*page, 1);
    if (!after_id) return error_answer(after_id.error());
    const std::string after_date = page->after.empty() ? from : page->after[0];
    auto txns = app::list_transaction_page(db, account->account_ref, account->id, after_date, *after_id, page->limit + 1, to, query(m, "q"));
    if (!txns) return storage_failure(txns.error());
    // A page's thousand small documents come from one arena, given back at once when the answer is written.
    boost::json::monotonic_resource arena(64 * 1024);
    boost::json::array rows(&arena);
    rows.reserve(txns->size());
    for (const auto& t : *txns) rows.push_back(transaction_row(t, rows.storage()));
    return page_answer(req, "transactions", *page, std::move(rows),
                       [&](std::size_t i) {
                           return std::vector<std::string>{(*txns)[i].posted_on, std::to_string((*txns)[i].id)};
                       },
                       boost::json::object{{"account_ref", account->account_ref}, {"from", nullable(from)}, {"to", nullable(to)}});
}

}  // namespace

void add_imports_routes(http::router& r, const api_context& ctx) {
    add_read(r, ctx, "/api/v1/imports", [](const storage::database& db, const http::request& req, const http::route_match& m) {
        const std::string status = query(m, "status");
        if (!status.empty() && status != "imported" && status != "duplicate" && status != "rejected")
            return http::error_response(400, "bad_request", "status must be imported, duplicate or rejected");
        auto page = page_params(m, "imports", 1);
        if (!page) return error_answer(page.error());
        const auto before = cursor_number(*page, 0);
        if (!before) return error_answer(before.error());
        auto imports = app::list_imports(db, status, page->limit + 1, *before);
        if (!imports) return storage_failure(imports.error());
        boost::json::array rows;
        for (const auto& i : *imports) rows.push_back(import_row(i));
        return page_answer(req, "imports", *page, std::move(rows),
                           [&](std::size_t i) { return std::vector<std::string>{std::to_string((*imports)[i].id)}; });
    });

    add_read(r, ctx, "/api/v1/accounts/{ref}/transactions",
             [&ctx](const storage::database& db, const http::request& req, const http::route_match& m) {
                 return transactions_answer(ctx, db, req, m);
             });
}

}  // namespace dpmon::daemon
