#include "sqlite.hpp"

#include <utility>

namespace dpmon::storage::sqlite {

error db_error(sqlite3* db, std::string_view doing) {
    const int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
    const int primary = code & 0xff;
    const errc e = (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) ? errc::database_corrupt
                   : primary == SQLITE_FULL                                 ? errc::disk_full
                   : primary == SQLITE_INTERRUPT                            ? errc::timed_out
                                                                            : errc::database_error;
    std::string msg = std::string(doing) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(code));
    if (e == errc::disk_full) msg += " (no space left on the disk holding the database: free some space)";
    return make_error(e, std::move(msg));
}

statement& statement::operator=(statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        stmt_ = std::exchange(other.stmt_, nullptr);
    }
    return *this;
}

statement::~statement() { sqlite3_finalize(stmt_); }

result<statement> statement::prepare(sqlite3* db, std::string_view sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &s, nullptr) != SQLITE_OK) {
        sqlite3_finalize(s);
        return db_error(db, "preparing '" + std::string(sql.substr(0, 60)) + "'");
    }
    return statement(s);
}

statement& statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
}

statement& statement::bind(int index, std::string_view value) {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    return *this;
}

statement& statement::bind_static(int index, std::string_view value) {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
    return *this;
}

statement& statement::bind_blob_static(int index, std::string_view bytes) {
    sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
    return *this;
}

statement& statement::bind_null(int index) {
    sqlite3_bind_null(stmt_, index);
    return *this;
}

result<bool> statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return db_error(sqlite3_db_handle(stmt_), "running '" + std::string(sqlite3_sql(stmt_)).substr(0, 60) + "'");
}

result<void> statement::run() {
    for (;;) {
        auto r = step();
        if (!r) return r.error();
        if (!*r) return {};
    }
}

void statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

void statement::rewind() { sqlite3_reset(stmt_); }

std::int64_t statement::column_int(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string statement::column_text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
}

std::string_view statement::column_view(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string_view();
}

bool statement::column_is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

result<borrowed_statement> statement_cache::get(const std::string& sql) {
    auto it = map_.find(sql);
    if (it == map_.end()) {
        auto st = statement::prepare(db_, sql);
        if (!st) return st.error();
        it = map_.emplace(sql, std::move(*st)).first;
    }
    return borrowed_statement(it->second);
}

result<void> exec(sqlite3* db, const char* sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
        sqlite3_free(msg);
        return db_error(db, "executing SQL");
    }
    return {};
}

}  // namespace dpmon::storage::sqlite
