#pragma once
// Thin RAII wrappers over the SQLite C API, private to storage/. Statements always bind parameters;
// SQL is never assembled from data.

#include <type_traits>
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <string_view>
#include <vector>

#include "dpmon/core/error.hpp"

namespace dpmon::storage::sqlite {

// An error for the failed call on `db`, with SQLite's message and what we were doing.
error db_error(sqlite3* db, std::string_view doing);

class statement {
public:
    statement() = default;
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;
    statement(statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}
    statement& operator=(statement&& other) noexcept;
    ~statement();

    // Compiles `sql` (one statement) on `db`.
    static result<statement> prepare(sqlite3* db, std::string_view sql);

    statement& bind(int index, std::int64_t value);
    statement& bind(int index, std::string_view value);
    // Binds text without copying it: `value` must stay valid until the statement is reset or stepped to
    // completion.
    statement& bind_static(int index, std::string_view value);
    statement& bind_null(int index);
    // Binds bytes as a BLOB without copying them (same lifetime rule as bind_static).
    statement& bind_blob_static(int index, std::string_view bytes);

    // Runs one step: true when a row is available, false when done.
    result<bool> step();
    // Steps to completion, ignoring rows.
    result<void> run();
    // Ready to run again; bindings are cleared too.
    void reset();
    // Ready to run again, keeping the bindings (for a hot loop that rebinds every parameter).
    void rewind();

    std::int64_t column_int(int col) const;
    std::string column_text(int col) const;
    // The text of a column without copying it: valid until the next step, reset or column call on it.
    std::string_view column_view(int col) const;
    bool column_is_null(int col) const;

private:
    explicit statement(sqlite3_stmt* s) : stmt_(s) {}
    sqlite3_stmt* stmt_ = nullptr;
};

// A statement borrowed from a statement_cache: reset, with its bindings cleared, when the borrow ends, so
// it never holds a read snapshot open.
class borrowed_statement {
public:
    explicit borrowed_statement(statement& s) : s_(&s) {}
    borrowed_statement(const borrowed_statement&) = delete;
    borrowed_statement& operator=(const borrowed_statement&) = delete;
    borrowed_statement(borrowed_statement&& other) noexcept : s_(std::exchange(other.s_, nullptr)) {}
    borrowed_statement& operator=(borrowed_statement&&) = delete;
    ~borrowed_statement() {
        if (s_) s_->reset();
    }
    statement* operator->() const { return s_; }
    statement& operator*() const { return *s_; }

private:
    statement* s_;
};

// Compiled statements kept for the life of one connection, keyed by their SQL text: the hot paths
// (reconciling thousands of accounts) run the same few statements over and over, and compiling them
// each time cost more than running them. One borrow of a given SQL text at a time.
class statement_cache {
public:
    explicit statement_cache(sqlite3* db) : db_(db) {}
    result<borrowed_statement> get(const std::string& sql);
    // Finalizes every statement (before the connection closes).
    void clear() { map_.clear(); }

private:
    sqlite3* db_;
    std::unordered_map<std::string, statement> map_;
};

// Steps `st` to the end, turning each row into a T with `read(st)`.
template <class T, class Read>
result<std::vector<T>> collect(statement& st, Read&& read) {
    std::vector<T> out;
    for (;;) {
        auto row = st.step();
        if (!row) return row.error();
        if (!*row) return out;
        if constexpr (std::is_same_v<std::invoke_result_t<Read&, statement&>, T>) {
            out.push_back(read(st));
        } else {  // a reader that can refuse a row (result<T>)
            auto r = read(st);
            if (!r) return r.error();
            out.push_back(std::move(*r));
        }
    }
}

// Runs SQL text that may hold several statements and no parameters (schema migrations, pragmas).
result<void> exec(sqlite3* db, const char* sql);

}  // namespace dpmon::storage::sqlite
