#pragma once
// database: dpmon's one SQLite database. Opening it creates it if needed (file 0600, folder 0700),
// refuses a damaged file or one written by a newer dpmon, and applies the numbered schema migrations.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "dpmon/core/error.hpp"

struct sqlite3;

namespace dpmon::storage {
namespace sqlite {
class statement_cache;
}

struct store_counts {
    std::int64_t accounts = 0;
    std::int64_t transactions = 0;
    std::int64_t imports = 0;
    std::string last_import_at;  // UTC, ISO 8601; empty before the first import
};

// How thoroughly a database is checked: quick_check (every start) or integrity_check, which also compares
// each index with its table and takes minutes on a database of several GB (after an unclean shutdown, and
// in the daily job).
enum class integrity { quick, full };

class database {
public:
    database(const database&) = delete;
    database& operator=(const database&) = delete;
    database(database&&) noexcept;
    database& operator=(database&&) noexcept;
    ~database();

    // The highest schema version this build knows.
    static std::int64_t latest_schema_version();

    // Opens (creating if absent) the database at `path`, in WAL mode with synchronous=FULL, foreign keys
    // on and a busy timeout, then brings its schema up to date. The parent folder is created 0700 when
    // missing; a new file is created 0600. Errors:
    //   errc::database_corrupt  the file is not a database, or the check (`level`) reports damage; the
    //                           file is left exactly as it was.
    //   errc::schema_too_new    the file was written by a newer dpmon; nothing is changed.
    //   errc::io_error          the folder or file cannot be created.
    //   errc::database_error    anything else SQLite reports, with its message.
    static result<database> open(const std::filesystem::path& path, integrity level = integrity::quick);

    // Checks the open database (errc::database_corrupt with what the check found). Reads only.
    result<void> check(integrity level) const;

    // A second connection to a database another connection has already opened (and so checked and
    // migrated), for reading alongside it from another thread: no checks, no migrations, and it refuses
    // to write (PRAGMA query_only). `map_memory` maps the file (a full pass reads it all); a connection
    // serving small reads for long does without, so pages it touched do not stay counted in its process's
    // memory. errc::invalid_argument for ":memory:", which no second connection can see.
    static result<database> open_reader(const std::filesystem::path& path, bool map_memory = true);

    // From now on, a statement still running at `deadline` is interrupted and fails with errc::timed_out
    // (checked every thousand or so SQLite steps). time_point::max() lifts the limit. One thread's use.
    void set_deadline(std::chrono::steady_clock::time_point deadline);

    // The schema version recorded in the database.
    result<std::int64_t> schema_version() const;

    // Counts for status displays.
    result<store_counts> counts() const;

    // A trivial query: succeeds when the database answers.
    result<void> ping() const;

    // BEGIN IMMEDIATE: the write lock now, or errc::database_error after the busy timeout.
    result<void> begin();
    // BEGIN (deferred), for reading: the first read takes a snapshot that lasts until commit or rollback.
    result<void> begin_read();
    // COMMIT; when it fails the transaction is rolled back and the error returned.
    result<void> commit();
    void rollback();

    // Runs `fn` (returning result<...>) in one transaction: committed when it succeeds, rolled back when
    // it fails. Not re-entrant: `fn` must not begin another.
    template <class Fn>
    auto in_transaction(Fn&& fn) -> decltype(fn()) {
        if (auto b = begin(); !b) return b.error();
        auto r = fn();
        if (!r) {
            rollback();
            return r;
        }
        if (auto c = commit(); !c) return c.error();
        return r;
    }

    const std::filesystem::path& path() const { return path_; }
    // The raw handle, for storage/ code only. Borrowed; valid while this object lives.
    sqlite3* handle() const { return db_; }
    // Compiled statements for this connection, for storage/ code only (storage/sqlite.hpp).
    sqlite::statement_cache& statements() const { return *cache_; }

private:
    database(sqlite3* db, std::filesystem::path path);
    void close() noexcept;
    sqlite3* db_ = nullptr;
    std::filesystem::path path_;
    std::unique_ptr<sqlite::statement_cache> cache_;
    std::unique_ptr<std::chrono::steady_clock::time_point> deadline_;  // stable for SQLite's progress handler
};

}  // namespace dpmon::storage
