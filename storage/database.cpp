#include "dpmon/storage/database.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "migrations.hpp"
#include "sqlite.hpp"

namespace dpmon::storage {
namespace {

error io_error(const std::filesystem::path& p, std::string_view doing) {
    return make_error(errc::io_error, "cannot " + std::string(doing) + " " + p.string() + ": " + std::strerror(errno));
}

// Removes group and other access from a path we own. A folder we do not own, or a shared sticky folder
// such as /tmp, is left alone: tightening it would break other users.
void make_private(const std::filesystem::path& p, mode_t mode) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return;
    if (st.st_uid != ::geteuid() || (st.st_mode & S_ISVTX) != 0) return;
    if ((st.st_mode & 077) != 0) ::chmod(p.c_str(), mode);
}

result<void> prepare_files(const std::filesystem::path& path) {
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) {
        std::filesystem::create_directories(dir, ec);
        if (ec) {
            return make_error(errc::io_error, "cannot create the state folder " + dir.string() + ": " + ec.message());
        }
        ::chmod(dir.c_str(), 0700);
    }
    make_private(dir, 0700);

    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::close(fd);
    } else if (errno != EEXIST) {
        return io_error(path, "create the database file");
    }
    make_private(path, 0600);
    return {};
}

// Fails unless PRAGMA quick_check (or, for a full check, integrity_check, which also compares every index
// with its table) answers exactly "ok". Reads only.
result<void> check_integrity(sqlite3* db, const std::filesystem::path& path, integrity level) {
    auto corrupt = [&](const std::string& detail) {
        return make_error(errc::database_corrupt,
                          "the database " + path.string() + " is damaged (" + detail +
                              "); dpmon will not start on it and has not changed it. Restore it from a backup, "
                              "or move it aside to start with an empty database.");
    };
    const bool full = level == integrity::full;
    const char* check = full ? "integrity_check" : "quick_check";
    auto st = sqlite::statement::prepare(db, full ? "PRAGMA integrity_check(20)" : "PRAGMA quick_check");
    if (!st) return corrupt(st.error().message);
    std::string first;
    for (int n = 0;; ++n) {
        auto row = st->step();
        if (!row) return corrupt(row.error().message);
        if (!*row) break;
        if (n == 0) first = st->column_text(0);
        if (n > 0 || first != "ok") return corrupt(std::string(check) + ": " + (first.empty() ? "failed" : first));
    }
    if (first != "ok") return corrupt(std::string(check) + " gave no answer");
    return {};
}

result<std::int64_t> recorded_version(sqlite3* db) {
    auto exists = sqlite::statement::prepare(
        db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
    if (!exists) return exists.error();
    if (auto r = exists->step(); !r) return r.error();
    if (exists->column_int(0) == 0) return std::int64_t{0};
    auto st = sqlite::statement::prepare(db, "SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (!st) return st.error();
    if (auto r = st->step(); !r) return r.error();
    return st->column_int(0);
}

result<void> migrate(sqlite3* db, std::int64_t from) {
    if (auto r = sqlite::exec(db,
                              "CREATE TABLE IF NOT EXISTS schema_migrations ("
                              " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
        !r)
        return r;
    for (const migration& m : all_migrations()) {
        if (m.version <= from) continue;
        if (auto r = sqlite::exec(db, "BEGIN IMMEDIATE"); !r) return r;
        auto fail = [&](const error& e) {
            sqlite::exec(db, "ROLLBACK");
            return make_error(errc::database_error,
                              "schema migration " + std::to_string(m.version) + " failed: " + e.message);
        };
        if (auto r = sqlite::exec(db, m.sql); !r) return fail(r.error());
        auto ins = sqlite::statement::prepare(
            db, "INSERT INTO schema_migrations (version, description, applied_at) "
                "VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
        if (!ins) return fail(ins.error());
        ins->bind(1, m.version).bind(2, std::string_view(m.description));
        if (auto r = ins->run(); !r) return fail(r.error());
        const std::string uv = "PRAGMA user_version = " + std::to_string(m.version);
        if (auto r = sqlite::exec(db, uv.c_str()); !r) return fail(r.error());
        if (auto r = sqlite::exec(db, "COMMIT"); !r) return fail(r.error());
    }
    return {};
}

}  // namespace

database::database(sqlite3* db, std::filesystem::path path)
    : db_(db), path_(std::move(path)), cache_(std::make_unique<sqlite::statement_cache>(db)) {}

database::database(database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      cache_(std::move(other.cache_)),
      deadline_(std::move(other.deadline_)) {}

database& database::operator=(database&& other) noexcept {
    if (this != &other) {
        close();
        db_ = std::exchange(other.db_, nullptr);
        path_ = std::move(other.path_);
        cache_ = std::move(other.cache_);
        deadline_ = std::move(other.deadline_);
    }
    return *this;
}

database::~database() { close(); }

void database::close() noexcept {
    if (cache_) cache_->clear();
    sqlite3_close_v2(db_);
    db_ = nullptr;
}

std::int64_t database::latest_schema_version() { return all_migrations().back().version; }

result<void> database::check(integrity level) const { return check_integrity(db_, path_, level); }

result<database> database::open(const std::filesystem::path& path, integrity level) {
    // Before the first connection: SQLite's memory statistics take a global mutex on every allocation,
    // which costs more than a row of a bulk import. dpmon does not use them.
    static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)configured;
    const bool in_memory = path == ":memory:";
    if (!in_memory) {
        if (auto r = prepare_files(path); !r) return r.error();
    }

    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    database db(raw, path);  // owns the handle even when opening failed
    if (rc != SQLITE_OK) return sqlite::db_error(raw, "opening " + path.string());
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, 5000);

    // Checks first, and read-only: a damaged or newer file must be left exactly as it is.
    if (auto r = check_integrity(raw, path, level); !r) return r.error();
    auto version = recorded_version(raw);
    if (!version) return version.error();
    if (*version > latest_schema_version()) {
        return make_error(errc::schema_too_new,
                          "the database " + path.string() + " has schema version " + std::to_string(*version) +
                              ", newer than this dpmon knows (" + std::to_string(latest_schema_version()) +
                              "); run the dpmon version that wrote it, or a newer one. Nothing was changed.");
    }

    if (auto r = sqlite::exec(raw, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
        !r)
        return r.error();
    if (auto r = migrate(raw, *version); !r) return r.error();
    return db;
}

result<database> database::open_reader(const std::filesystem::path& path, bool map_memory) {
    if (path == ":memory:") return make_error(errc::invalid_argument, "an in-memory database has no second connection");
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    database db(raw, path);
    if (rc != SQLITE_OK) return sqlite::db_error(raw, "opening " + path.string() + " for reading");
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, 5000);
    // Memory-mapped reads: a full pass reads the whole transactions table, and mapping saves copying every
    // page out of the OS cache (the address space is reserved, not memory used).
    if (auto r = sqlite::exec(raw, map_memory ? "PRAGMA query_only = 1; PRAGMA mmap_size = 4294967296;" : "PRAGMA query_only = 1;");
        !r)
        return r.error();
    return db;
}

void database::set_deadline(std::chrono::steady_clock::time_point deadline) {
    if (deadline == std::chrono::steady_clock::time_point::max()) {
        sqlite3_progress_handler(db_, 0, nullptr, nullptr);
        return;
    }
    if (!deadline_) deadline_ = std::make_unique<std::chrono::steady_clock::time_point>();
    *deadline_ = deadline;
    sqlite3_progress_handler(
        db_, 1000,
        [](void* p) { return std::chrono::steady_clock::now() >= *static_cast<std::chrono::steady_clock::time_point*>(p) ? 1 : 0; },
        deadline_.get());
}

result<std::int64_t> database::schema_version() const { return recorded_version(db_); }

result<store_counts> database::counts() const {
    // The counters table (kept by triggers) and the newest import by the (status, id) index: no scan.
    auto st = sqlite::statement::prepare(
        db_,
        "SELECT (SELECT n FROM counters WHERE name = 'accounts'), (SELECT n FROM counters WHERE name = 'transactions'),"
        " (SELECT n FROM counters WHERE name = 'imports'),"
        " (SELECT coalesce(max(imported_at), '') FROM imports WHERE id = (SELECT max(id) FROM imports WHERE status = 'imported'))");
    if (!st) return st.error();
    if (auto r = st->step(); !r) return r.error();
    return store_counts{st->column_int(0), st->column_int(1), st->column_int(2), st->column_text(3)};
}

result<void> database::begin() { return sqlite::exec(db_, "BEGIN IMMEDIATE"); }

result<void> database::begin_read() { return sqlite::exec(db_, "BEGIN DEFERRED"); }

result<void> database::commit() {
    if (auto c = sqlite::exec(db_, "COMMIT"); !c) {
        rollback();
        return c;
    }
    return {};
}

void database::rollback() { sqlite::exec(db_, "ROLLBACK"); }

result<void> database::ping() const {
    auto st = sqlite::statement::prepare(db_, "SELECT 1");
    if (!st) return st.error();
    if (auto r = st->step(); !r) return r.error();
    return {};
}

}  // namespace dpmon::storage
