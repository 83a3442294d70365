// dpmon: the command-line tool for finance officers and administrators. Each feature's commands are in
// daemon/cli/<feature>_commands.cpp.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cli_support.hpp"
#include "dpmon/service/config.hpp"
#include "dpmon/service/version.hpp"

int main(int argc, char** argv) {
    namespace cli = dpmon::daemon::cli;
    CLI::App app{"dpmon: the direct-payment monitor's command-line tool."};
    app.require_subcommand(1);
    std::string config_path(dpmon::daemon::default_config_path);
    app.add_option("-c,--config", config_path, "configuration file (TOML)")->capture_default_str();
    app.set_version_flag("--version", std::string("dpmon ") + std::string(dpmon::daemon::version()));

    int status = 0;
    const cli::cli_context ctx{config_path, status};
    for (auto add : {cli::add_config_commands, cli::add_demo_data_commands, cli::add_imports_commands,
                     cli::add_reconcile_commands, cli::add_flags_commands, cli::add_accounts_commands,
                     cli::add_reviews_commands, cli::add_outbox_commands, cli::add_audit_pack_commands,
                     cli::add_surplus_commands, cli::add_worklist_commands, cli::add_users_commands,
                     cli::add_backup_commands, cli::add_retention_commands})
        add(app, ctx);

    try {
        CLI11_PARSE(app, argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "dpmon: " << e.what() << "\n";
        return 1;
    }
    return status;
}
