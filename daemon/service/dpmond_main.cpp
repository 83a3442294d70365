// dpmond: the service. Parses options and hands over to run_service(); nothing else lives here.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "dpmon/service/config.hpp"
#include "dpmon/service/service.hpp"
#include "dpmon/service/version.hpp"

int main(int argc, char** argv) {
    CLI::App app{"dpmond: watches the bank accounts that hold social-care direct payments.\n"
                 "Imports statements from the drop folder, reconciles them against support plans,\n"
                 "raises flags, schedules reviews and serves the dashboard and JSON API over local HTTP."};
    std::string config_path(dpmon::daemon::default_config_path);
    app.add_option("-c,--config", config_path, "configuration file (TOML)")->capture_default_str();
    app.set_version_flag("--version", std::string("dpmond ") + std::string(dpmon::daemon::version()));
    CLI11_PARSE(app, argc, argv);

    try {
        return dpmon::daemon::run_service({config_path});
    } catch (const std::exception& e) {
        std::cerr << "dpmond: fatal: " << e.what() << "\n";
        return 1;
    }
}
