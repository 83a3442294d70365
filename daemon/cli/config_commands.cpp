// dpmon check-config, dpmon profiles.
#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "cli_support.hpp"
#include "dpmon/app/queries.hpp"
#include "dpmon/service/settings.hpp"
#include "dpmon/views/views.hpp"
#include "dpmon/importers/detect.hpp"
#include "dpmon/service/config.hpp"

namespace dpmon::daemon::cli {
namespace {

int check_config(const std::string& path) {
    auto cfg = load_config(path);
    if (!cfg) {
        std::cerr << cfg.error().message << "\n";
        std::cerr << "dpmon: the configuration is not valid\n";
        return 2;
    }
    std::cout << render_config(*cfg);
    const auto warnings = config_warnings(*cfg);
    for (const auto& w : warnings) std::cerr << "dpmon: warning: " << w << "\n";
    std::cerr << "dpmon: " << path << " is valid" << (warnings.empty() ? "" : " (with the warnings above)") << "\n";
    return 0;
}

int list_profiles(const std::string& config_path) {
    auto cfg = load_config(config_path);
    if (!cfg) {
        std::cerr << cfg.error().message << "\n";
        return 2;
    }
    for (const auto& p : importers::merge_profiles(cfg->profiles)) {
        std::cout << p.name << " (" << p.format << ")";
        if (!p.match_filename.empty()) std::cout << " files: " << p.match_filename;
        std::cout << "\n";
        if (!p.match_header.empty()) std::cout << "  header: " << p.match_header << "\n";
        if (!p.source.empty()) std::cout << "  from: " << p.source << "\n";
    }
    return 0;
}

}  // namespace

void add_config_commands(CLI::App& app, const cli_context& ctx) {
    auto* check = app.add_subcommand("check-config", "validate the configuration and print the effective values");
    check->callback([&ctx] { ctx.status = check_config(ctx.config_path); });
    auto* profiles = app.add_subcommand("profiles", "list the statement profiles (built-in and configured)");
    profiles->callback([&ctx] { ctx.status = list_profiles(ctx.config_path); });
}

}  // namespace dpmon::daemon::cli
