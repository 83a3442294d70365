#include "dpmon/storage/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>

#include "sqlite.hpp"

namespace dpmon::storage {
namespace {

namespace fs = std::filesystem;

error io_error(const fs::path& p, std::string_view doing, int err) {
    return make_error(err == ENOSPC ? errc::disk_full : errc::io_error,
                      "cannot " + std::string(doing) + " " + p.string() + ": " + std::strerror(err));
}

// A connection closed when it goes out of scope.
using connection = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;

result<connection> open_read_only(const fs::path& file) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    connection c(raw, &sqlite3_close);
    if (rc != SQLITE_OK) return sqlite::db_error(raw, "opening the backup " + file.string());
    sqlite3_extended_result_codes(raw, 1);
    return c;
}

// Creates `path` empty, 0600, failing when it exists (VACUUM INTO writes into an empty file).
result<void> create_private(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return io_error(path, "create", errno);
    ::close(fd);
    return {};
}

result<void> sync_file(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return io_error(path, "open", errno);
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) return io_error(path, "write out", err);
    return {};
}

result<std::vector<table_rows>> count_rows(sqlite3* db) {
    auto names = sqlite::statement::prepare(
        db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    if (!names) return names.error();
    auto tables = sqlite::collect<table_rows>(*names, [](const sqlite::statement& st) { return table_rows{st.column_text(0), 0}; });
    if (!tables) return tables.error();
    for (auto& t : *tables) {
        // The name comes from sqlite_master, quoted as an identifier: never data a user typed.
        std::string quoted = "\"";
        for (char ch : t.table) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        quoted += "\"";
        auto st = sqlite::statement::prepare(db, "SELECT count(*) FROM " + quoted);
        if (!st) return st.error();
        if (auto r = st->step(); !r) return r.error();
        t.rows = st->column_int(0);
    }
    return tables;
}

// The process holding a lock on `file` (any byte), or 0. SQLite keeps a lock on a WAL database's -shm
// for as long as a connection is open, and on the database file while a transaction runs. Asked with
// F_GETLK, so nothing is opened through SQLite and nothing is written (a checkpoint on close would change
// the file being set aside).
pid_t lock_holder(const fs::path& file) {
    const int fd = ::open(file.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return 0;
    struct flock probe {};
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    probe.l_start = 0;
    probe.l_len = 0;  // to the end, however large
    const bool asked = ::fcntl(fd, F_GETLK, &probe) == 0;
    ::close(fd);  // this process held no lock on it, so closing releases nothing of SQLite's
    return asked && probe.l_type != F_UNLCK ? probe.l_pid : 0;
}

// Copies `from` into a new 0600 file `to`, written out to the disk.
result<void> copy_private(const fs::path& from, const fs::path& to) {
    const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) return io_error(from, "read", errno);
    const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
        const int err = errno;
        ::close(in);
        return io_error(to, "create", err);
    }
    std::vector<char> buf(1 << 20);
    result<void> done;
    for (;;) {
        const ssize_t n = ::read(in, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) { done = io_error(from, "read", errno); break; }
        if (n == 0) break;
        for (ssize_t off = 0; off < n;) {
            const ssize_t w = ::write(out, buf.data() + off, static_cast<std::size_t>(n - off));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) { done = io_error(to, "write", errno); break; }
            off += w;
        }
        if (!done) break;
    }
    if (done && ::fsync(out) != 0) done = io_error(to, "write out", errno);
    ::close(in);
    ::close(out);
    return done;
}

}  // namespace

result<backup_facts> check_backup(const fs::path& file) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        return make_error(errc::not_found, "no backup file " + file.string() + ": give the path of a file dpmon backup wrote");
    auto c = open_read_only(file);
    if (!c) return c.error();
    sqlite3* db = c->get();
    auto damaged = [&](const std::string& detail) {
        return make_error(errc::database_corrupt, "the backup " + file.string() + " is damaged (" + detail +
                                                      "): do not restore it; use an older backup");
    };
    auto check = sqlite::statement::prepare(db, "PRAGMA integrity_check(20)");
    if (!check) return damaged(check.error().message);
    std::string found;
    for (;;) {
        auto row = check->step();
        if (!row) return damaged(row.error().message);
        if (!*row) break;
        found += (found.empty() ? "" : "; ") + check->column_text(0);
    }
    if (found != "ok") return damaged(found.empty() ? "integrity_check gave no answer" : "integrity_check: " + found);
    backup_facts facts;
    facts.file = file;
    facts.bytes = fs::file_size(file, ec);
    auto version = sqlite::statement::prepare(db, "PRAGMA user_version");
    if (!version) return version.error();
    if (auto r = version->step(); !r) return r.error();
    facts.schema_version = version->column_int(0);
    if (facts.schema_version > database::latest_schema_version())
        return make_error(errc::schema_too_new, "the backup " + file.string() + " has schema version " +
                                                    std::to_string(facts.schema_version) + ", newer than this dpmon knows (" +
                                                    std::to_string(database::latest_schema_version()) +
                                                    "): restore it with the dpmon version that wrote it");
    auto tables = count_rows(db);
    if (!tables) return tables.error();
    facts.tables = std::move(*tables);
    return facts;
}

result<backup_facts> back_up(const fs::path& db_path, const fs::path& out) {
    std::error_code ec;
    if (!fs::is_regular_file(db_path, ec))
        return make_error(errc::not_found, "no database at " + db_path.string() + ": check [daemon] state_dir in the config");
    // A connection of its own: VACUUM INTO counts as a write for a query_only reader, and this one never
    // writes the database (it reads one snapshot and writes only the new file).
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(db_path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    connection source(raw, &sqlite3_close);
    if (rc != SQLITE_OK) return sqlite::db_error(raw, "opening " + db_path.string() + " to back it up");
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, 5000);
    if (fs::exists(out, ec))
        return make_error(errc::conflict, "the backup file " + out.string() + " exists already: give a new name, or remove it first");
    const fs::path partial = out.string() + ".partial";
    fs::remove(partial, ec);  // left by a copy that was stopped
    if (auto r = create_private(partial); !r) return r.error();
    auto cleanup = [&](error e) {
        fs::remove(partial, ec);
        return e;
    };
    {
        auto st = sqlite::statement::prepare(raw, "VACUUM INTO ?1");
        if (!st) return cleanup(st.error());
        const std::string target = partial.string();
        st->bind(1, std::string_view(target));
        if (auto r = st->run(); !r) return cleanup(r.error());
    }
    source.reset();
    if (auto r = sync_file(partial); !r) return cleanup(r.error());
    auto facts = check_backup(partial);
    if (!facts) return cleanup(facts.error());
    if (::rename(partial.c_str(), out.c_str()) != 0) return cleanup(io_error(out, "rename the checked copy to", errno));
    facts->file = out;
    return facts;
}

result<restored> restore_database(const fs::path& db_path, const fs::path& from, const std::string& stamp) {
    auto lock = state_lock::take(db_path);  // held until the restore ends: no dpmond starts meanwhile
    if (!lock) return lock.error();
    for (const fs::path& f : {db_path, fs::path(db_path.string() + "-shm")}) {
        if (const pid_t pid = lock_holder(f); pid != 0)
            return make_error(errc::conflict, "the database " + db_path.string() + " is in use by process " + std::to_string(pid) +
                                                  " (a dpmon command or another program): wait for it to finish, then restore");
    }
    auto facts = check_backup(from);
    if (!facts) return facts.error();
    restored r;
    r.backup = std::move(*facts);
    std::error_code ec;
    const fs::path incoming = db_path.string() + ".restoring";
    fs::remove(incoming, ec);  // left by a restore that was stopped
    if (auto c = copy_private(from, incoming); !c) {
        fs::remove(incoming, ec);
        return c.error();
    }
    // Run as root (as an administrator would), the copy would be root's and dpmond, which runs as the state
    // folder's owner, could not open it: it gets the folder's owner.
    struct stat folder {};
    const fs::path dir = db_path.has_parent_path() ? db_path.parent_path() : fs::path(".");
    if (::geteuid() == 0 && ::stat(dir.c_str(), &folder) == 0 && ::chown(incoming.c_str(), folder.st_uid, folder.st_gid) != 0) {
        const int err = errno;
        fs::remove(incoming, ec);
        return io_error(incoming, "give the state folder's owner", err);
    }
    // A WAL or shared-memory file left without its database (a database deleted by hand) goes aside too,
    // under the same name: replayed into the restored file it would corrupt it.
    const fs::path aside_base = db_path.string() + ".before-restore-" + stamp;
    for (const char* suffix : {"", "-wal", "-shm"}) {
        const fs::path f = db_path.string() + suffix;
        if (!fs::exists(f, ec)) continue;
        r.moved_aside = aside_base;
        const fs::path aside = aside_base.string() + suffix;
        if (::rename(f.c_str(), aside.c_str()) != 0) return io_error(f, "move aside", errno);
    }
    if (::rename(incoming.c_str(), db_path.c_str()) != 0) return io_error(db_path, "put the backup in place as", errno);
    return r;
}

state_lock::state_lock(state_lock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

state_lock::~state_lock() {
    if (fd_ >= 0) ::close(fd_);
}

result<state_lock> state_lock::take(const fs::path& db_path) {
    const fs::path dir = db_path.has_parent_path() ? db_path.parent_path() : fs::path(".");
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return io_error(dir, "open the state folder", errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        ::close(fd);
        if (err == EWOULDBLOCK)
            return make_error(errc::conflict, "dpmond is running on " + db_path.string() +
                                                  " (it holds the state folder " + dir.string() +
                                                  "): stop it first (systemctl stop dpmond)");
        return io_error(dir, "lock the state folder", err);
    }
    return state_lock(fd);
}

}  // namespace dpmon::storage
