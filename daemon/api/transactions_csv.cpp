#include "transactions_csv.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <stdexcept>

#include "dpmon/app/queries.hpp"
#include "dpmon/core/money.hpp"

namespace dpmon::daemon {
namespace {

constexpr std::int64_t rows_per_piece = 2000;

std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

struct csv_walk {
    const api_context* ctx;
    storage::account_record account;
    std::string after_date, to;
    std::int64_t after_id = 0;
    bool header_sent = false, done = false;
    std::map<std::int64_t, std::string> files;  // import id -> file name (a handful per account)
};

std::string row_text(csv_walk& w, const storage::database& db, const storage::transaction_record& t) {
    auto file = w.files.find(t.import_id);
    if (file == w.files.end()) {
        auto name = app::import_name(db, t.import_id);
        if (!name) throw std::runtime_error(name.error().message);
        file = w.files.emplace(t.import_id, *name).first;
    }
    return t.posted_on + "," + core::money::from_pence(t.amount_pence).to_decimal() + "," + csv_field(t.description) + "," +
           csv_field(t.bank_reference) + "," +
           (t.balance_pence ? core::money::from_pence(*t.balance_pence).to_decimal() : std::string()) + "," +
           (t.category.empty() ? std::string("uncategorised") : t.category) + "," + csv_field(t.rule) + "," +
           csv_field(file->second) + "," + std::to_string(t.source_line) + "\r\n";
}

std::optional<std::string> next_piece(csv_walk& w) {
    if (w.done) return std::nullopt;
    std::string out;
    if (!w.header_sent) {
        out = "date,amount,description,reference,balance,category,rule,file,line\r\n";
        w.header_sent = true;
    }
    auto db = w.ctx->reader();
    if (!db) throw std::runtime_error(db.error().message);
    (*db)->set_deadline(std::chrono::steady_clock::now() + w.ctx->query_time_limit());
    auto rows = app::list_transaction_page(**db, w.account.account_ref, w.account.id, w.after_date, w.after_id,
                                           rows_per_piece, w.to);
    if (!rows) {
        (*db)->set_deadline(std::chrono::steady_clock::time_point::max());
        throw std::runtime_error(rows.error().message);
    }
    for (const auto& t : *rows) out += row_text(w, **db, t);
    (*db)->set_deadline(std::chrono::steady_clock::time_point::max());
    if (static_cast<std::int64_t>(rows->size()) < rows_per_piece) {
        w.done = true;
    } else {
        w.after_date = rows->back().posted_on;
        w.after_id = rows->back().id;
    }
    return out;
}

}  // namespace

std::function<std::optional<std::string>()> transactions_csv_stream(const api_context& ctx,
                                                                    const storage::account_record& account,
                                                                    std::string from, std::string to) {
    auto walk = std::make_shared<csv_walk>();
    walk->ctx = &ctx;
    walk->account = account;
    walk->after_date = std::move(from);
    walk->to = std::move(to);
    return [walk] { return next_piece(*walk); };
}

}  // namespace dpmon::daemon
