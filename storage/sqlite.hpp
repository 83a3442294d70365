#pragma once
// Thin RAII wrappers over the SQLite C API, private to storage/. Statements always bind parameters;
// SQL is never assembled from data.

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
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
    bool column_is_null(int col) const;

private:
    explicit statement(sqlite3_stmt* s) : stmt_(s) {}
    sqlite3_stmt* stmt_ = nullptr;
};

// Steps `st` to the end, turning each row into a T with `read(st)`.
template <class T, class Read>
result<std::vector<T>> collect(statement& st, Read&& read) {
    std::vector<T> out;
    for (;;) {
        auto row = st.step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back(read(st));
    }
}

// Runs SQL text that may hold several statements and no parameters (schema migrations, pragmas).
result<void> exec(sqlite3* db, const char* sql);

}  // namespace dpmon::storage::sqlite
