#include <sqlite3.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "dpmon/storage/backup.hpp"
#include "dpmon/storage/database.hpp"
#include "support/temp_dir.hpp"

using dpmon::errc;
using dpmon::storage::database;
using dpmon::testing::temp_dir;
namespace fs = std::filesystem;

namespace {

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

// A database with `n` accounts, written through a plain connection.
database database_with_accounts(const fs::path& path, int n) {
    auto db = database::open(path);
    REQUIRE(db.has_value());
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
    for (int i = 0; i < n; ++i) {
        const std::string sql = "INSERT INTO accounts (account_ref, person_ref, account_type, status, dp_start, finance_officer,"
                                " updated_at) VALUES ('DP-" + std::to_string(i) +
                                "', 'P', 'managed_account', 'active', '2024-01-01', 'Officer', '2024-01-01T00:00:00Z')";
        REQUIRE(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    sqlite3_close(raw);
    return std::move(*db);
}

std::int64_t rows_of(const dpmon::storage::backup_facts& b, const std::string& table) {
    for (const auto& t : b.tables) {
        if (t.table == table) return t.rows;
    }
    return -1;
}

}  // namespace

TEST_CASE("a backup is a checked 0600 copy that names its row counts") {
    temp_dir dir;
    auto db = database_with_accounts(dir.path() / "dpmon.db", 3);
    auto b = dpmon::storage::back_up(db.path(), dir.path() / "copy.db");
    REQUIRE((b).has_value());
    CHECK(b->file == dir.path() / "copy.db");
    CHECK(rows_of(*b, "accounts") == 3);
    CHECK(b->schema_version == database::latest_schema_version());
    CHECK(mode_of(dir.path() / "copy.db") == 0600);
    CHECK_FALSE(fs::exists(dir.path() / "copy.db.partial"));
}

TEST_CASE("a backup refuses to overwrite a file that exists") {
    temp_dir dir;
    auto db = database_with_accounts(dir.path() / "dpmon.db", 1);
    std::ofstream(dir.path() / "copy.db") << "keep me";
    auto b = dpmon::storage::back_up(db.path(), dir.path() / "copy.db");
    REQUIRE_FALSE((b).has_value());
    CHECK(b.error().code == errc::conflict);
    CHECK(b.error().message.find("exists already") != std::string::npos);
}

TEST_CASE("checking a damaged backup says it is damaged and not to restore it") {
    temp_dir dir;
    auto db = database_with_accounts(dir.path() / "dpmon.db", 50);
    REQUIRE((dpmon::storage::back_up(db.path(), dir.path() / "copy.db")).has_value());
    {
        std::fstream f(dir.path() / "copy.db", std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(4096 + 10);  // inside the second page
        const std::string junk(2000, '\x5a');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    auto c = dpmon::storage::check_backup(dir.path() / "copy.db");
    REQUIRE_FALSE((c).has_value());
    CHECK(c.error().code == errc::database_corrupt);
    CHECK(c.error().message.find("do not restore it") != std::string::npos);
}

TEST_CASE("a restore sets the database aside with its -wal and -shm and puts the backup in place") {
    temp_dir dir;
    const fs::path live = dir.path() / "state" / "dpmon.db";
    {
        auto db = database_with_accounts(live, 2);
        REQUIRE((dpmon::storage::back_up(db.path(), dir.path() / "two.db")).has_value());
    }
    {
        auto db = database_with_accounts(live, 0);  // reopened: now add more, and leave a WAL behind
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open(live.c_str(), &raw) == SQLITE_OK);
        REQUIRE(sqlite3_exec(raw, "PRAGMA wal_autocheckpoint=0; INSERT INTO accounts (account_ref, person_ref, account_type, status,"
                                  " dp_start, finance_officer, updated_at) VALUES ('DP-X', 'P', 'managed_account', 'active',"
                                  " '2024-01-01', 'O', '2024-01-01T00:00:00Z')",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
        std::ofstream(live.string() + "-wal", std::ios::app);  // present whatever SQLite did on close
        std::ofstream(live.string() + "-shm", std::ios::app);
        sqlite3_close(raw);
    }
    std::ofstream(live.string() + "-wal", std::ios::app);
    std::ofstream(live.string() + "-shm", std::ios::app);
    auto r = dpmon::storage::restore_database(live, dir.path() / "two.db", "20261202T053000Z");
    REQUIRE((r).has_value());
    CHECK(r->moved_aside == live.string() + ".before-restore-20261202T053000Z");
    for (const char* suffix : {"", "-wal", "-shm"}) CHECK(fs::exists(r->moved_aside.string() + suffix));
    CHECK_FALSE(fs::exists(live.string() + "-wal"));
    CHECK(mode_of(live) == 0600);
    auto back = dpmon::storage::check_backup(live);
    REQUIRE((back).has_value());
    CHECK(rows_of(*back, "accounts") == 2);
}

TEST_CASE("a WAL left without its database goes aside under the restore's name, not into the working folder") {
    temp_dir dir;
    const fs::path live = dir.path() / "dpmon.db";
    {
        auto db = database_with_accounts(live, 1);
        REQUIRE((dpmon::storage::back_up(db.path(), dir.path() / "b.db")).has_value());
    }
    fs::remove(live);  // deleted by hand; its WAL stays
    std::ofstream(live.string() + "-wal", std::ios::binary) << "a stray write-ahead log";
    auto r = dpmon::storage::restore_database(live, dir.path() / "b.db", "20261202T060000Z");
    REQUIRE((r).has_value());
    CHECK(r->moved_aside == live.string() + ".before-restore-20261202T060000Z");
    CHECK(fs::exists(r->moved_aside.string() + "-wal"));
    CHECK_FALSE(fs::exists(live.string() + "-wal"));
    CHECK_FALSE(fs::exists("-wal"));
    auto back = dpmon::storage::check_backup(live);
    REQUIRE((back).has_value());
    CHECK(rows_of(*back, "accounts") == 1);
}

TEST_CASE("a restore is refused while dpmond holds the state folder, and goes ahead once it stopped") {
    temp_dir dir;
    const fs::path live = dir.path() / "dpmon.db";
    {
        auto db = database_with_accounts(live, 1);
        REQUIRE((dpmon::storage::back_up(db.path(), dir.path() / "b.db")).has_value());
    }
    {
        auto held = dpmon::storage::state_lock::take(live);  // as dpmond holds it
        REQUIRE(held.has_value());
        auto r = dpmon::storage::restore_database(live, dir.path() / "b.db", "x");
        REQUIRE_FALSE((r).has_value());
        CHECK(r.error().code == errc::conflict);
        CHECK(r.error().message.find("dpmond is running") != std::string::npos);
        CHECK(fs::exists(live));
        CHECK_FALSE(fs::exists(live.string() + ".before-restore-x"));
    }
    CHECK((dpmon::storage::restore_database(live, dir.path() / "b.db", "y")).has_value());
}
