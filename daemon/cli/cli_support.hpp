#pragma once
// What the dpmon command files share: how a command is registered (one add_<feature>_commands per file,
// daemon/cli/<feature>_commands.cpp), opening the store, today's date, and reporting a failure.

#include <optional>
#include <string>

#include "dpmon/app/retention.hpp"
#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/error.hpp"
#include "dpmon/service/config.hpp"
#include "dpmon/storage/database.hpp"

namespace CLI {
class App;
}

namespace dpmon::daemon::cli {

// What every command is given: the config file (set by --config before any command runs) and where to
// put the process exit status.
struct cli_context {
    const std::string& config_path;
    int& status;
};

// Each adds its subcommands to `app`; the options live as long as `app`.
void add_config_commands(CLI::App& app, const cli_context& ctx);      // check-config, profiles
void add_demo_data_commands(CLI::App& app, const cli_context& ctx);   // demo-data
void add_imports_commands(CLI::App& app, const cli_context& ctx);     // import, plans import
void add_reconcile_commands(CLI::App& app, const cli_context& ctx);   // reconcile
void add_flags_commands(CLI::App& app, const cli_context& ctx);       // flags, flag acknowledge
void add_accounts_commands(CLI::App& app, const cli_context& ctx);    // accounts, account
void add_reviews_commands(CLI::App& app, const cli_context& ctx);     // reviews, review show|complete|request
void add_outbox_commands(CLI::App& app, const cli_context& ctx);      // outbox, outbox retry
void add_audit_pack_commands(CLI::App& app, const cli_context& ctx);  // audit-pack
void add_surplus_commands(CLI::App& app, const cli_context& ctx);     // exemption, recovery
void add_worklist_commands(CLI::App& app, const cli_context& ctx);    // worklist
void add_users_commands(CLI::App& app, const cli_context& ctx);       // users, users add|remove
void add_backup_commands(CLI::App& app, const cli_context& ctx);      // backup, backup check, restore
void add_retention_commands(CLI::App& app, const cli_context& ctx);   // purge

// Loads the config and opens its database; on failure prints why and returns the exit status (2 for the
// config, 1 for the database), else 0.
int open_store(const std::string& config_path, std::optional<config>& cfg, std::optional<storage::database>& db);

// Where the files that may name an account live (archive, rejected, maildir), and a purge's summary.
app::retention_paths retention_paths_of(const config& c);
void print_purge(const app::purge_report& r);

// Today in the configured time zone.
core::civil_date local_today(const config& c);

// The day a command works as of: `text` (its --today, YYYY-MM-DD) when given, else local_today. Prints
// "dpmon: --today: why" and returns nullopt when `text` is not a date (the command then exits 2).
std::optional<core::civil_date> today_option(const config& c, const std::string& text);

// Prints "dpmon: MESSAGE" and returns the exit status: 1 for a mistake in what was asked (invalid, not
// found, conflict), 3 when the store failed.
int fail(const error& e);

}  // namespace dpmon::daemon::cli
