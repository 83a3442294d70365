#include "cli_support.hpp"

#include <date/tz.h>

#include <iostream>

#include "dpmon/app/system_clock.hpp"

namespace dpmon::daemon::cli {

int open_store(const std::string& config_path, std::optional<config>& cfg, std::optional<storage::database>& db) {
    auto loaded = load_config(config_path);
    if (!loaded) {
        std::cerr << loaded.error().message << "\n";
        return 2;
    }
    auto opened = storage::database::open(loaded->daemon.state_dir / "dpmon.db");
    if (!opened) {
        std::cerr << "dpmon: " << opened.error().message << "\n";
        return 1;
    }
    cfg.emplace(std::move(*loaded));
    db.emplace(std::move(*opened));
    return 0;
}

int fail(const error& e) {
    std::cerr << "dpmon: " << e.message << "\n";
    return e.code == errc::invalid_argument || e.code == errc::not_found || e.code == errc::conflict ? 1 : 3;
}

std::optional<core::civil_date> today_option(const config& c, const std::string& text) {
    if (text.empty()) return local_today(c);
    auto d = core::parse_iso_date(text);
    if (!d) {
        std::cerr << "dpmon: --today: " << d.error().message << "\n";
        return std::nullopt;
    }
    return *d;
}

core::civil_date local_today(const config& c) {
    return core::local_date(system_clock().now(), *date::locate_zone(c.daemon.timezone));
}

}  // namespace dpmon::daemon::cli
