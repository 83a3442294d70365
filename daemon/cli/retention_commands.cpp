// dpmon purge [--dry-run] [--today DATE].
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "cli_support.hpp"
#include "dpmon/app/retention.hpp"

namespace dpmon::daemon::cli {

app::retention_paths retention_paths_of(const config& c) {
    return {c.daemon.state_dir / "archive", c.daemon.state_dir / "rejected", c.daemon.state_dir / "maildir"};
}

void print_purge(const app::purge_report& r) {
    const std::string cutoff = core::format_iso_date(r.cutoff);
    if (r.dry_run) {
        std::cout << r.accounts.size() << " account(s) closed on or before " << cutoff << " would be purged";
        std::cout << (r.accounts.empty() ? "" : ":") << "\n";
        for (const auto& ref : r.accounts) std::cout << "  " << ref << "\n";
    } else {
        const auto& c = r.counts;
        std::cout << "purged " << c.accounts << " account(s) closed on or before " << cutoff << ": " << c.transactions
                  << " transaction(s), " << c.flags << " flag(s), " << c.reviews << " review(s), " << c.outbox
                  << " message(s), " << c.imports << " import record(s); files: " << r.archive_files << " archived, "
                  << r.rejected_files << " rejected, " << r.mail_files << " in the maildir\n";
    }
    if (!r.checkpoint_problem.empty())
        std::cout << "warning: the WAL was not emptied (" << r.checkpoint_problem << "); the next purge or checkpoint does it\n";
    if (r.waiting > 0)
        std::cout << r.waiting << " account(s) past the retention period wait for an open recovery or final audit\n";
}

namespace {

int purge(const std::string& config_path, bool dry_run, const std::string& today_text) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    const auto today = today_option(*cfg, today_text);
    if (!today) return 2;
    auto r = app::purge_closed_accounts(*db, retention_paths_of(*cfg), cfg->policy.retention_years, *today, dry_run);
    if (!r) return fail(r.error());
    print_purge(*r);
    return 0;
}

}  // namespace

void add_retention_commands(CLI::App& app, const cli_context& ctx) {
    struct options {
        bool dry_run = false;
        std::string today;
    };
    auto o = std::make_shared<options>();
    auto* cmd = app.add_subcommand("purge", "remove accounts closed more than [policy] retention_years ago, with "
                                            "everything that names them (dpmond also does it daily)");
    cmd->add_flag("--dry-run", o->dry_run, "list the accounts that would go; change nothing");
    cmd->add_option("--today", o->today, "purge as of this date, YYYY-MM-DD (default: today)");
    cmd->callback([o, &ctx] { ctx.status = purge(ctx.config_path, o->dry_run, o->today); });
}

}  // namespace dpmon::daemon::cli
