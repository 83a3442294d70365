// dpmon backup --out FILE, dpmon backup check FILE, dpmon restore FILE.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "cli_support.hpp"
#include "dpmon/app/backups.hpp"
#include "dpmon/app/system_clock.hpp"

namespace dpmon::daemon::cli {
namespace {

void print_facts(const storage::backup_facts& b) {
    std::printf("%s: integrity ok, schema version %lld, %.1f MB\n", b.file.c_str(), static_cast<long long>(b.schema_version),
                static_cast<double>(b.bytes) / 1e6);
    for (const auto& t : b.tables) std::printf("  %-24s %12lld rows\n", t.table.c_str(), static_cast<long long>(t.rows));
}

int back_up(const std::string& config_path, const std::string& out) {
    auto cfg = load_config(config_path);
    if (!cfg) {
        std::cerr << cfg.error().message << "\n";
        return 2;
    }
    const auto db_path = cfg->daemon.state_dir / "dpmon.db";
    std::cerr << "copying " << db_path.string() << " to " << out << " (dpmond may keep running)...\n";
    auto done = app::take_backup(db_path, out);
    if (!done) return fail(done.error());
    print_facts(*done);
    return 0;
}

int check(const std::string& file) {
    auto done = app::check_backup(file);
    if (!done) return fail(done.error());
    print_facts(*done);
    return 0;
}

// "20261202T053000Z" from "2026-12-02T05:30:00Z": a file-name friendly UTC time.
std::string stamp_now() {
    std::string s;
    for (char c : now_utc()) {
        if (c != '-' && c != ':') s += c;
    }
    return s;
}

int restore(const std::string& config_path, const std::string& file) {
    auto cfg = load_config(config_path);
    if (!cfg) {
        std::cerr << cfg.error().message << "\n";
        return 2;
    }
    const auto db_path = cfg->daemon.state_dir / "dpmon.db";
    auto done = app::restore_backup(db_path, file, stamp_now());
    if (!done) return fail(done.error());
    print_facts(done->backup);
    // A backup from before a purge holds people it removed: the purge runs again on the restored file.
    auto db = storage::database::open(db_path);
    if (!db) return fail(db.error());
    auto purged = app::purge_closed_accounts(*db, retention_paths_of(*cfg), cfg->policy.retention_years, local_today(*cfg), false);
    if (!purged) return fail(purged.error());
    print_purge(*purged);
    if (!done->moved_aside.empty())
        std::cout << "the database it replaced is kept as " << done->moved_aside.string() << " (with its -wal and -shm, if any)\n";
    std::cout << "restored into " << db_path.string() << "; start dpmond again (systemctl start dpmond)\n";
    return 0;
}

}  // namespace

void add_backup_commands(CLI::App& app, const cli_context& ctx) {
    struct options {
        std::string out;
        std::string file;
    };
    auto o = std::make_shared<options>();
    auto* backup = app.add_subcommand("backup", "copy the database while dpmond runs, then check the copy");
    backup->add_option("--out", o->out, "the file to write (must not exist)");
    auto* check_cmd = backup->add_subcommand("check", "check a backup file: integrity and row counts");
    check_cmd->add_option("file", o->file, "the backup file")->required();
    check_cmd->callback([o, &ctx] { ctx.status = check(o->file); });
    backup->callback([backup, o, &ctx] {
        if (!backup->get_subcommands().empty()) return;
        if (o->out.empty()) {
            std::cerr << "dpmon: backup needs --out FILE (for example --out /var/backups/dpmon-today.db)\n";
            ctx.status = 2;
            return;
        }
        ctx.status = back_up(ctx.config_path, o->out);
    });
    auto* restore_cmd = app.add_subcommand(
        "restore", "put a backup in place of the database (stop dpmond first); the replaced file is kept beside it");
    restore_cmd->add_option("file", o->file, "the backup file")->required();
    restore_cmd->callback([o, &ctx] { ctx.status = restore(ctx.config_path, o->file); });
}

}  // namespace dpmon::daemon::cli
