#pragma once
// backup: copies of the database that can be trusted. A backup is taken from a live database in one read
// transaction (VACUUM INTO), so writers never make it start again, and is checked before it is kept; a
// restore refuses while the database is in use and keeps the file it replaces, with its -wal and -shm.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "dpmon/core/error.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::storage {

struct table_rows {
    std::string table;
    std::int64_t rows = 0;
};

// What a check of a backup file found: it passed PRAGMA integrity_check and holds this schema.
struct backup_facts {
    std::filesystem::path file;
    std::int64_t schema_version = 0;
    std::uintmax_t bytes = 0;
    std::vector<table_rows> tables;  // every table, by name
};

// Copies the database at `db_path` to `out` as one consistent snapshot (VACUUM INTO on a connection of its
// own; writers go on meanwhile), file 0600, then checks the copy (check_backup). The copy is written beside `out` and renamed into place only once it passed, so
// `out` is either a good backup or absent. errc::conflict when `out` exists; errc::disk_full or
// errc::io_error when it cannot be written.
result<backup_facts> back_up(const std::filesystem::path& db_path, const std::filesystem::path& out);

// Opens `file` read-only and checks it: PRAGMA integrity_check, a schema this dpmon knows, row counts.
// errc::database_corrupt (the check's words), errc::schema_too_new, errc::not_found.
result<backup_facts> check_backup(const std::filesystem::path& file);

// Where restore_database put the database it replaced.
struct restored {
    backup_facts backup;
    std::filesystem::path moved_aside;  // "<db>.before-restore-<stamp>" (with -wal, -shm); empty when none was there
};

// Puts the backup `from` in place of the database at `db_path`, which must not be in use (errc::conflict
// naming what holds it: a running dpmond, or another connection's write). The backup is checked first;
// the current database and its -wal and -shm are renamed "<db>.before-restore-<stamp>" (a WAL left beside
// the restored file would be replayed into it and damage it); the copy is written 0600 beside the
// database and renamed into place.
result<restored> restore_database(const std::filesystem::path& db_path, const std::filesystem::path& from,
                                  const std::string& stamp);

// Held by dpmond for its whole life, so that a restore (or a second dpmond) can tell the database is in
// use: an exclusive flock on the database's folder. errc::conflict when another process holds it.
class state_lock {
public:
    static result<state_lock> take(const std::filesystem::path& db_path);
    state_lock(state_lock&& other) noexcept;
    state_lock& operator=(state_lock&&) = delete;
    state_lock(const state_lock&) = delete;
    ~state_lock();

private:
    explicit state_lock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace dpmon::storage
