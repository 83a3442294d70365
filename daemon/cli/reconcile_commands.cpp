// dpmon reconcile.
#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "cli_support.hpp"
#include "dpmon/app/queries.hpp"
#include "dpmon/service/settings.hpp"
#include "dpmon/views/views.hpp"
#include "dpmon/app/reconcile_accounts.hpp"
#include "dpmon/app/system_clock.hpp"

namespace dpmon::daemon::cli {
namespace {

int reconcile(const std::string& config_path, const std::vector<std::string>& refs, const std::string& today) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    const auto clock = make_system_clock();
    const auto as_of = today_option(*cfg, today);
    if (!as_of) return 2;
    const core::civil_date day = *as_of;
    const auto started = std::chrono::steady_clock::now();
    auto summary = reconcile_accounts(*db, reconcile_settings_from(*cfg), refs, day,
                                      core::format_utc_timestamp(clock->now()));
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    if (!summary) {
        std::cerr << "dpmon: " << summary.error().message << "\n";
        return 1;
    }
    std::cout << "reconciled " << summary->accounts << " account(s) as of " << core::format_iso_date(day) << ": "
              << summary->raised << " flag(s) raised, " << summary->resolved << " resolved, " << summary->recategorised
              << " transaction(s) recategorised, in " << ms << " ms\n";
    for (const auto& p : summary->problems) std::cout << "  not reconciled: " << p << "\n";
    return summary->problems.empty() ? 0 : 1;
}

}  // namespace

void add_reconcile_commands(CLI::App& app, const cli_context& ctx) {
    auto* reconcile_cmd = app.add_subcommand("reconcile", "reconcile accounts against their plans and update their flags");
    struct options {
        std::vector<std::string> refs;
        std::string today;
    };
    auto o = std::make_shared<options>();
    reconcile_cmd->add_option("accounts", o->refs, "account references (default: all)");
    reconcile_cmd->add_option("--today", o->today, "reconcile as of this date, YYYY-MM-DD (default: today)");
    reconcile_cmd->callback([o, &ctx] { ctx.status = reconcile(ctx.config_path, o->refs, o->today); });
}

}  // namespace dpmon::daemon::cli
