#include <sqlite3.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <sstream>

#include "dpmon/storage/database.hpp"
#include "dpmon/storage/flag_store.hpp"
#include "support/temp_dir.hpp"

using dpmon::errc;
using dpmon::storage::database;
using dpmon::testing::temp_dir;

namespace {

std::string read_all(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

void run_sql(const std::filesystem::path& p, const char* sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(p.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
}

}  // namespace

TEST_CASE("a new database is created private, in WAL mode, at the latest schema") {
    temp_dir tmp;
    const auto dir = tmp.path() / "state";
    const auto path = dir / "dpmon.db";
    auto db = database::open(path);
    REQUIRE(db.has_value());
    CHECK(db->schema_version().value() == database::latest_schema_version());
    CHECK(mode_of(dir) == 0700);
    CHECK(mode_of(path) == 0600);
    CHECK(std::filesystem::exists(dir / "dpmon.db-wal"));
    CHECK(mode_of(dir / "dpmon.db-wal") == 0600);
    CHECK(db->counts()->accounts == 0);
    CHECK(db->ping().has_value());
}

TEST_CASE("an existing database readable by others is made private on open") {
    temp_dir tmp;
    const auto path = tmp.path() / "dpmon.db";
    { REQUIRE(database::open(path).has_value()); }
    ::chmod(path.c_str(), 0644);
    ::chmod(tmp.path().c_str(), 0755);
    REQUIRE(database::open(path).has_value());
    CHECK(mode_of(path) == 0600);
    CHECK(mode_of(tmp.path()) == 0700);
}

TEST_CASE("opening a database twice applies no migration twice") {
    temp_dir tmp;
    const auto path = tmp.path() / "dpmon.db";
    { REQUIRE(database::open(path).has_value()); }
    auto again = database::open(path);
    REQUIRE(again.has_value());
    CHECK(again->schema_version().value() == database::latest_schema_version());
    sqlite3* raw = again->handle();
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, "SELECT count(*), count(DISTINCT version) FROM schema_migrations", -1, &st, nullptr) ==
            SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(sqlite3_column_int64(st, 0) == database::latest_schema_version());
    CHECK(sqlite3_column_int64(st, 1) == database::latest_schema_version());
    sqlite3_finalize(st);
}

TEST_CASE("a database with a newer schema than this build is refused and left unchanged") {
    temp_dir tmp;
    const auto path = tmp.path() / "dpmon.db";
    { REQUIRE(database::open(path).has_value()); }
    run_sql(path, "PRAGMA wal_checkpoint(TRUNCATE); INSERT INTO schema_migrations VALUES (999, 'from the future', 'x');"
                  "PRAGMA wal_checkpoint(TRUNCATE);");
    const std::string before = read_all(path);
    auto db = database::open(path);
    REQUIRE(db.has_error());
    CHECK(db.error().code == errc::schema_too_new);
    CHECK_THAT(db.error().message, Catch::Contains("schema version 999") && Catch::Contains("Nothing was changed"));
    CHECK(read_all(path) == before);
}

TEST_CASE("a file that is not a database is refused and never overwritten") {
    temp_dir tmp;
    const auto path = tmp.path() / "dpmon.db";
    const std::string garbage(8192, 'x');
    { std::ofstream(path, std::ios::binary) << garbage; }
    auto db = database::open(path);
    REQUIRE(db.has_error());
    CHECK(db.error().code == errc::database_corrupt);
    CHECK_THAT(db.error().message, Catch::Contains(path.string()) && Catch::Contains("has not changed it"));
    CHECK(read_all(path) == garbage);
}

TEST_CASE("a database with a damaged page is refused by quick_check and left as it was") {
    temp_dir tmp;
    const auto path = tmp.path() / "dpmon.db";
    {
        auto db = database::open(path);
        REQUIRE(db.has_value());
    }
    // Fill a table over many pages, checkpoint into the main file, then scribble over an interior page.
    run_sql(path,
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
            "INSERT INTO imports (file_name, sha256, status, imported_at) "
            "SELECT 'statement-' || i || '.csv', hex(randomblob(32)), 'imported', '2026-01-01T00:00:00Z' FROM n;"
            "PRAGMA wal_checkpoint(TRUNCATE);");
    std::string bytes = read_all(path);
    REQUIRE(bytes.size() > 10 * 4096);
    for (std::size_t i = 5 * 4096; i < 7 * 4096; ++i) bytes[i] = static_cast<char>(i * 7);
    { std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes; }
    auto db = database::open(path);
    REQUIRE(db.has_error());
    CHECK(db.error().code == errc::database_corrupt);
    CHECK(read_all(path) == bytes);
}

TEST_CASE("an in-memory database opens at the latest schema without touching the file system") {
    auto db = database::open(":memory:");
    REQUIRE(db.has_value());
    CHECK(db->schema_version().value() == database::latest_schema_version());
    CHECK_FALSE(std::filesystem::exists(":memory:"));
}

TEST_CASE("a state folder that cannot be created is an io error naming it") {
    auto db = database::open("/proc/dpmon-cannot-exist/dpmon.db");
    REQUIRE(db.has_error());
    CHECK(db.error().code == errc::io_error);
    CHECK_THAT(db.error().message, Catch::Contains("/proc/dpmon-cannot-exist"));
}

TEST_CASE("a statement still running at the deadline is interrupted with timed_out, and the connection works on") {
    temp_dir dir;
    auto db = database::open(dir.path() / "dpmon.db");
    REQUIRE(db.has_value());
    const char* slow = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 50000000) SELECT count(*) FROM c";
    db->set_deadline(std::chrono::steady_clock::now() + std::chrono::milliseconds(50));
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db->handle(), slow, -1, &st, nullptr) == SQLITE_OK);
    const auto start = std::chrono::steady_clock::now();
    CHECK(sqlite3_step(st) == SQLITE_INTERRUPT);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    sqlite3_finalize(st);
    db->set_deadline(std::chrono::steady_clock::time_point::max());
    CHECK(db->ping().has_value());
    // The storage error says timed_out, which the API answers 503 query_timeout.
    db->set_deadline(std::chrono::steady_clock::now() - std::chrono::seconds(1));
    auto counts = db->counts();
    if (!counts) CHECK(counts.error().code == errc::timed_out);
    db->set_deadline(std::chrono::steady_clock::time_point::max());
}

TEST_CASE("status counts come from counters kept in step with the tables by triggers and imports") {
    temp_dir dir;
    auto db = database::open(dir.path() / "dpmon.db");
    REQUIRE(db.has_value());
    auto exec = [&](const char* sql) { REQUIRE(sqlite3_exec(db->handle(), sql, nullptr, nullptr, nullptr) == SQLITE_OK); };
    exec("INSERT INTO accounts (account_ref, person_ref, account_type, dp_start, finance_officer, status, updated_at) VALUES"
         " ('DP-1', 'P-1', 'dedicated_bank', '2026-01-01', 'o@x', 'active', 'now'),"
         " ('DP-2', 'P-2', 'dedicated_bank', '2026-01-01', 'o@x', 'active', 'now')");
    exec("INSERT INTO imports (file_name, sha256, status, imported_at) VALUES ('a.csv', 'aa', 'imported', '2026-02-01T00:00:00Z')");
    exec("INSERT INTO transactions (account_id, import_id, posted_on, amount_pence, description, fingerprint, source_line)"
         " VALUES (1, 1, '2026-01-02', 100, 'x', X'01', 2), (1, 1, '2026-01-03', 200, 'y', X'02', 3), (2, 1, '2026-01-03', 5, 'z', X'03', 4)");
    exec("UPDATE counters SET n = n + 3 WHERE name = 'transactions'");  // as an import does at its commit
    exec("DELETE FROM transactions WHERE amount_pence = 5");
    auto counts = db->counts();
    REQUIRE(counts.has_value());
    CHECK(counts->accounts == 2);
    CHECK(counts->transactions == 2);
    CHECK(counts->imports == 1);
    CHECK(counts->last_import_at == "2026-02-01T00:00:00Z");

    exec("INSERT INTO flags (account_id, code, key, period_first, period_last, amount_pence, reason, inputs_json, state, raised_on)"
         " VALUES (1, 'SURPLUS', 'SURPLUS', 'a', 'b', 1, 'r', '{}', 'open', 'd'), (2, 'SURPLUS', 'SURPLUS', 'a', 'b', 1, 'r', '{}', 'open', 'd'),"
         " (1, 'OVERDRAWN', 'OVERDRAWN:1', 'a', 'b', 1, 'r', '{}', 'resolved', 'd')");
    exec("UPDATE flags SET state = 'acknowledged' WHERE account_id = 1 AND code = 'SURPLUS'");  // still counted
    exec("UPDATE flags SET state = 'resolved' WHERE account_id = 2");
    exec("UPDATE flags SET state = 'open' WHERE code = 'OVERDRAWN'");
    auto open = dpmon::storage::open_flag_counts(*db);
    REQUIRE(open.has_value());
    CHECK(*open == std::map<std::string, std::int64_t>{{"OVERDRAWN", 1}, {"SURPLUS", 1}});
}
