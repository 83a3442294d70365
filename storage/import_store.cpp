#include "dpmon/storage/import_store.hpp"

#include <algorithm>

#include "sqlite.hpp"

namespace dpmon::storage {
namespace {

constexpr const char* import_columns =
    "id, file_name, sha256, size_bytes, coalesce(profile, ''), accounts, status, rows, duplicates,"
    " coalesce(error, ''), coalesce(first_date, ''), coalesce(last_date, ''), imported_at";

import_record read_import(const sqlite::statement& st) {
    return import_record{st.column_int(0),   st.column_text(1),  st.column_text(2), st.column_int(3),
                         st.column_text(4),  st.column_text(5),  st.column_text(6), st.column_int(7),
                         st.column_int(8),   st.column_text(9),  st.column_text(10), st.column_text(11),
                         st.column_text(12)};
}

result<std::int64_t> insert_import(sqlite3* db, const import_record& r) {
    auto st = sqlite::statement::prepare(
        db,
        "INSERT INTO imports (file_name, sha256, size_bytes, profile, accounts, status, rows, duplicates, error,"
        " first_date, last_date, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, nullif(?9, ''),"
        " nullif(?10, ''), nullif(?11, ''), ?12) RETURNING id");
    if (!st) return st.error();
    st->bind(1, std::string_view(r.file_name))
        .bind(2, std::string_view(r.sha256))
        .bind(3, r.size_bytes)
        .bind(4, std::string_view(r.profile))
        .bind(5, std::string_view(r.accounts))
        .bind(6, std::string_view(r.status))
        .bind(7, r.rows)
        .bind(8, r.duplicates)
        .bind(9, std::string_view(r.error))
        .bind(10, std::string_view(r.first_date))
        .bind(11, std::string_view(r.last_date))
        .bind(12, std::string_view(r.imported_at));
    auto row = st->step();
    if (!row) return row.error();
    return st->column_int(0);
}

}  // namespace

result<std::optional<import_record>> find_imported(const database& db, std::string_view sha256) {
    auto st = sqlite::statement::prepare(db.handle(), std::string("SELECT ") + import_columns +
                                                          " FROM imports WHERE sha256 = ?1 AND status = 'imported'"
                                                          " ORDER BY id LIMIT 1");
    if (!st) return st.error();
    st->bind(1, sha256);
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return std::optional<import_record>();
    return std::optional<import_record>(read_import(*st));
}

result<std::int64_t> record_import(database& db, const import_record& r) {
    return db.in_transaction([&] { return insert_import(db.handle(), r); });
}

result<std::vector<import_record>> list_imports(const database& db, std::string_view status, std::int64_t limit,
                                               std::int64_t before_id) {
    auto st = sqlite::statement::prepare(db.handle(), std::string("SELECT ") + import_columns +
                                                          " FROM imports WHERE (?1 = '' OR status = ?1) AND (?3 = 0 OR id < ?3)"
                                                          " ORDER BY id DESC LIMIT ?2");
    if (!st) return st.error();
    st->bind(1, status).bind(2, limit).bind(3, before_id);
    return sqlite::collect<import_record>(*st, read_import);
}

namespace {

// A row of "SELECT id, posted_on, amount_pence, description, bank_reference, balance_pence, category, rule,
// import_id, source_line".
transaction_record read_transaction(const sqlite::statement& row, const std::string& account_ref) {
    transaction_record t;
    t.id = row.column_int(0);
    t.account_ref = account_ref;
    t.posted_on = row.column_text(1);
    t.amount_pence = row.column_int(2);
    t.description = row.column_text(3);
    t.bank_reference = row.column_text(4);
    if (!row.column_is_null(5)) t.balance_pence = row.column_int(5);
    t.category = row.column_text(6);
    t.rule = row.column_text(7);
    t.import_id = row.column_int(8);
    t.source_line = row.column_int(9);
    return t;
}

}  // namespace

result<std::vector<transaction_record>> list_transaction_page(const database& db, const std::string& account_ref,
                                                              std::int64_t account_id, const std::string& after_date,
                                                              std::int64_t after_id, std::int64_t limit,
                                                              const std::string& to, const std::string& containing) {
    // The (account, date, ...) index gives the dates in order; only one day's rows are sorted by id.
    auto st = db.statements().get(
        "SELECT id, posted_on, amount_pence, description, bank_reference, balance_pence, coalesce(category, ''),"
        " coalesce(rule, ''), import_id, source_line FROM transactions"
        " WHERE account_id = ?1 AND posted_on >= ?2 AND (posted_on > ?2 OR id > ?3) AND posted_on <= ?5"
        " AND (?6 = '' OR instr(lower(description), lower(?6)) > 0 OR instr(lower(bank_reference), lower(?6)) > 0)"
        " ORDER BY posted_on, id LIMIT ?4");
    if (!st) return st.error();
    (*st)->bind(1, account_id).bind_static(2, after_date).bind(3, after_id).bind(4, limit);
    (*st)->bind_static(5, to.empty() ? std::string_view("9999-12-31") : std::string_view(to));
    (*st)->bind_static(6, containing);
    return sqlite::collect<transaction_record>(**st, [&](const sqlite::statement& row) { return read_transaction(row, account_ref); });
}

namespace {

// Whether the import's rows were listed newest first (its rows of a day are then read backwards).
result<bool> newest_first(const database& db, std::int64_t import_id) {
    auto st = db.statements().get("SELECT newest_first FROM imports WHERE id = ?1");
    if (!st) return st.error();
    (*st)->bind(1, import_id);
    auto row = (*st)->step();
    if (!row) return row.error();
    return *row && (*st)->column_int(0) != 0;
}

}  // namespace

result<std::vector<transaction_record>> list_transactions(const database& db, std::int64_t account_id,
                                                          std::string_view from, std::string_view to, bool with_text) {
    std::string account_ref;
    if (with_text) {
        auto ref = db.statements().get("SELECT account_ref FROM accounts WHERE id = ?1");
        if (!ref) return ref.error();
        (*ref)->bind(1, account_id);
        auto found = (*ref)->step();
        if (!found) return found.error();
        if (*found) account_ref = (*ref)->column_text(0);
    }

    // The (account, date) index gives the rows in date order without a sort.
    auto st = db.statements().get(
        std::string("SELECT id, posted_on, amount_pence, ") + (with_text ? "description, bank_reference" : "'', ''") +
        ", balance_pence, coalesce(category, ''), coalesce(rule, ''), import_id, source_line FROM transactions"
        " WHERE account_id = ?1 AND posted_on >= ?2 AND posted_on <= ?3 ORDER BY account_id, posted_on");
    if (!st) return st.error();
    const std::string_view upper = to.empty() ? std::string_view("9999-12-31") : to;
    (*st)->bind(1, account_id).bind_static(2, from).bind_static(3, upper);
    auto rows = sqlite::collect<transaction_record>(**st, [&](const sqlite::statement& row) { return read_transaction(row, account_ref); });
    if (!rows) return rows.error();

    // Within a day, the order the money moved: by import, then by line (backwards for a newest-first file).
    // Most days hold one or two rows, so only runs of a day are sorted.
    std::map<std::int64_t, bool> backwards;
    for (const auto& t : *rows) {
        if (backwards.count(t.import_id)) continue;
        auto nf = newest_first(db, t.import_id);
        if (!nf) return nf.error();
        backwards.emplace(t.import_id, *nf);
    }
    auto seq = [&](const transaction_record& t) { return backwards[t.import_id] ? -t.source_line : t.source_line; };
    auto by_movement = [&](const transaction_record& a, const transaction_record& b) {
        if (a.import_id != b.import_id) return a.import_id < b.import_id;
        return seq(a) < seq(b);
    };
    auto& v = *rows;
    for (std::size_t i = 0; i < v.size();) {
        std::size_t j = i + 1;
        while (j < v.size() && v[j].posted_on == v[i].posted_on) ++j;
        if (j - i > 1 && !std::is_sorted(v.begin() + static_cast<std::ptrdiff_t>(i), v.begin() + static_cast<std::ptrdiff_t>(j), by_movement))
            std::sort(v.begin() + static_cast<std::ptrdiff_t>(i), v.begin() + static_cast<std::ptrdiff_t>(j), by_movement);
        i = j;
    }
    return rows;
}

result<bool> transaction_exists(const database& db, std::int64_t account_id, const core::bank_transaction& row,
                                const std::string& fingerprint) {
    auto st = sqlite::statement::prepare(
        db.handle(), "SELECT 1 FROM transactions WHERE account_id = ?1 AND posted_on = ?2 AND fingerprint = ?3");
    if (!st) return st.error();
    const std::string date = core::format_iso_date(row.date);
    st->bind(1, account_id).bind(2, std::string_view(date)).bind_blob_static(3, fingerprint);
    return st->step();
}

result<void> set_category(database& db, std::int64_t transaction_id, const std::string& category, const std::string& rule) {
    auto st = db.statements().get("UPDATE transactions SET category = ?2, rule = nullif(?3, '') WHERE id = ?1");
    if (!st) return st.error();
    (*st)->bind(1, transaction_id).bind_static(2, category).bind_static(3, rule);
    return (*st)->run();
}

result<std::vector<ledger_row>> list_ledger(const database& db, std::int64_t account_id, bool texts) {
    auto st = db.statements().get(
        std::string("SELECT id, posted_on, amount_pence, ") + (texts ? "description, bank_reference" : "'', ''") +
        ", balance_pence, coalesce(category, ''), " + (texts ? "coalesce(rule, '')" : "''") +
        ", import_id, source_line FROM transactions"
        " WHERE account_id = ?1 ORDER BY account_id, posted_on");
    if (!st) return st.error();
    (*st)->bind(1, account_id);
    std::vector<ledger_row> rows;
    rows.reserve(1024);  // two years of a typical account without moving the rows
    for (;;) {
        auto more = (*st)->step();
        if (!more) return more.error();
        if (!*more) break;
        const auto& row = **st;
        ledger_row& r = rows.emplace_back();  // filled in place: a row is seven strings
        r.id = row.column_int(0);
        auto day = core::parse_iso_date(row.column_view(1));
        if (!day) return make_error(errc::database_corrupt, "transaction " + std::to_string(r.id) + " has no valid date");
        r.c.t.date = *day;
        r.c.t.amount = core::money::from_pence(row.column_int(2));
        r.c.t.description.assign(row.column_view(3));
        r.c.t.reference.assign(row.column_view(4));
        if (!row.column_is_null(5)) r.c.t.balance = core::money::from_pence(row.column_int(5));
        r.c.category.assign(row.column_view(6));
        r.rule.assign(row.column_view(7));
        r.import_id = row.column_int(8);
        r.c.t.line = static_cast<std::size_t>(row.column_int(9));
    }
    std::map<std::int64_t, bool> backwards;
    for (const auto& r : rows) {
        if (backwards.count(r.import_id)) continue;
        auto nf = newest_first(db, r.import_id);
        if (!nf) return nf.error();
        backwards.emplace(r.import_id, *nf);
    }
    auto seq = [&](const ledger_row& r) {
        const auto line = static_cast<std::int64_t>(r.c.t.line);
        return backwards[r.import_id] ? -line : line;
    };
    auto by_movement = [&](const ledger_row& a, const ledger_row& b) {
        if (a.import_id != b.import_id) return a.import_id < b.import_id;
        return seq(a) < seq(b);
    };
    for (std::size_t i = 0; i < rows.size();) {
        std::size_t j = i + 1;
        while (j < rows.size() && rows[j].c.t.date == rows[i].c.t.date) ++j;
        const auto b = rows.begin() + static_cast<std::ptrdiff_t>(i), e = rows.begin() + static_cast<std::ptrdiff_t>(j);
        if (j - i > 1 && !std::is_sorted(b, e, by_movement)) std::sort(b, e, by_movement);
        i = j;
    }
    return rows;
}

result<std::string> import_name(const database& db, std::int64_t import_id) {
    auto st = db.statements().get("SELECT file_name FROM imports WHERE id = ?1");
    if (!st) return st.error();
    (*st)->bind(1, import_id);
    auto row = (*st)->step();
    if (!row) return row.error();
    return *row ? (*st)->column_text(0) : std::string();
}

result<std::vector<finding_record>> balance_findings(const database& db, std::int64_t account_id) {
    auto st = db.statements().get(
        "SELECT i.file_name, f.source_line, f.posted_on, coalesce(f.expected_pence, 0), coalesce(f.actual_pence, 0)"
        " FROM import_findings f JOIN imports i ON i.id = f.import_id"
        " WHERE f.account_id = ?1 AND f.kind = 'BALANCE_MISMATCH' ORDER BY f.id");
    if (!st) return st.error();
    (*st)->bind(1, account_id);
    return sqlite::collect<finding_record>(**st, [](const sqlite::statement& row) {
        return finding_record{row.column_text(0), row.column_int(1), row.column_text(2), row.column_int(3), row.column_int(4)};
    });
}

struct import_writer::impl {
    sqlite3* db = nullptr;
    bool open = true;
    std::int64_t added = 0;  // rows inserted, for the status counter (once at commit, not a trigger per row)
    sqlite::statement insert_row;
    sqlite::statement insert_finding;
};

import_writer::import_writer(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

import_writer::import_writer(import_writer&& other) noexcept
    : impl_(std::move(other.impl_)), import_id_(other.import_id_) {}

import_writer::~import_writer() {
    if (impl_ && impl_->open) sqlite::exec(impl_->db, "ROLLBACK");
}

result<import_writer> import_writer::begin(database& db, const import_record& header) {
    auto p = std::make_unique<impl>();
    p->db = db.handle();
    // A larger page cache for bulk inserts (16 MiB; the default is 2 MiB). Memory stays bounded.
    if (auto c = sqlite::exec(p->db, "PRAGMA cache_size = -16384"); !c) return c.error();
    if (auto b = sqlite::exec(p->db, "BEGIN IMMEDIATE"); !b) return b.error();
    import_writer w(std::move(p));  // from here on, destruction rolls back
    auto ins = sqlite::statement::prepare(
        w.impl_->db,
        "INSERT INTO transactions (account_id, import_id, posted_on, amount_pence, description, bank_reference,"
        " balance_pence, fingerprint, source_line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        " ON CONFLICT (account_id, posted_on, fingerprint) DO NOTHING");
    if (!ins) return ins.error();
    w.impl_->insert_row = std::move(*ins);
    auto fin = sqlite::statement::prepare(
        w.impl_->db,
        "INSERT INTO import_findings (import_id, account_id, kind, posted_on, source_line, expected_pence,"
        " actual_pence, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!fin) return fin.error();
    w.impl_->insert_finding = std::move(*fin);
    auto id = insert_import(w.impl_->db, header);
    if (!id) return id.error();
    w.import_id_ = *id;
    return w;
}

result<bool> import_writer::add_row(std::int64_t account_id, const core::bank_transaction& row,
                                    const std::string& fingerprint) {
    sqlite::statement& st = impl_->insert_row;
    st.rewind();  // every parameter is bound again below
    char date[10];
    {
        const std::string iso = core::format_iso_date(row.date);  // short: no allocation
        std::copy_n(iso.data(), 10, date);
    }
    // Static binding: every bound string outlives the run() below, and this is the import's hot path.
    st.bind(1, account_id)
        .bind(2, import_id_)
        .bind_static(3, std::string_view(date, 10))
        .bind(4, row.amount.pence())
        .bind_static(5, row.description)
        .bind_static(6, row.reference)
        .bind_blob_static(8, fingerprint)
        .bind(9, static_cast<std::int64_t>(row.line));
    if (row.balance) {
        st.bind(7, row.balance->pence());
    } else {
        st.bind_null(7);
    }
    if (auto r = st.run(); !r) return r.error();
    const bool added = sqlite3_changes(impl_->db) > 0;
    impl_->added += added ? 1 : 0;
    return added;
}

result<void> import_writer::add_finding(std::int64_t account_id, std::string_view kind, const core::bank_transaction& at,
                                        std::int64_t expected_pence, std::int64_t actual_pence, std::string_view detail) {
    sqlite::statement& st = impl_->insert_finding;
    st.reset();
    const std::string date = core::format_iso_date(at.date);
    st.bind(1, import_id_)
        .bind(2, account_id)
        .bind(3, kind)
        .bind(4, std::string_view(date))
        .bind(5, static_cast<std::int64_t>(at.line))
        .bind(6, expected_pence)
        .bind(7, actual_pence)
        .bind(8, detail);
    return st.run();
}

result<void> import_writer::commit(const import_record& totals) {
    auto st = sqlite::statement::prepare(impl_->db,
                                         "UPDATE imports SET accounts = ?2, rows = ?3, duplicates = ?4,"
                                         " first_date = nullif(?5, ''), last_date = nullif(?6, ''), newest_first = ?7"
                                         " WHERE id = ?1");
    if (!st) return st.error();
    st->bind(1, import_id_)
        .bind(2, std::string_view(totals.accounts))
        .bind(3, totals.rows)
        .bind(4, totals.duplicates)
        .bind(5, std::string_view(totals.first_date))
        .bind(6, std::string_view(totals.last_date))
        .bind(7, std::int64_t{totals.newest_first ? 1 : 0});
    if (auto r = st->run(); !r) return r.error();
    // The transactions counter (GET /api/v1/status) moves here, in the import's transaction: a trigger per
    // row doubled the time of a million-row import.
    auto count = sqlite::statement::prepare(impl_->db, "UPDATE counters SET n = n + ?1 WHERE name = 'transactions'");
    if (!count) return count.error();
    count->bind(1, impl_->added);
    if (auto r = count->run(); !r) return r.error();
    if (auto c = sqlite::exec(impl_->db, "COMMIT"); !c) return c.error();
    impl_->open = false;
    return {};
}

}  // namespace dpmon::storage
