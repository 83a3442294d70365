#pragma once
// run_service: the dpmond process from configuration to exit. The composition root: the only code that
// knows every concrete type.

#include <filesystem>

namespace dpmon::daemon {

struct service_options {
    std::filesystem::path config_path;
};

// Exit status for a database dpmond refuses to start on (damaged, or written by a newer dpmon): restarting
// cannot help, so the unit lists it in RestartPreventExitStatus=.
constexpr int exit_database_refused = 65;

// Loads the config, opens the database, serves HTTP and handles signals until SIGTERM or SIGINT.
// Returns the process exit status: 0 after a clean stop, 2 for an invalid config, 65 for a refused
// database, 1 for any other start-up failure (each explained on stderr). Call from main() only, once.
int run_service(const service_options& options);

}  // namespace dpmon::daemon
