#pragma once
// What the dpmon subcommand files share.

#include <optional>
#include <string>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/service/config.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::daemon::cli {

// Loads the config and opens its database; on failure prints why and returns the exit status (2 for the
// config, 1 for the database), else 0.
int open_store(const std::string& config_path, std::optional<config>& cfg, std::optional<storage::database>& db);

// Today in the configured time zone.
core::civil_date local_today(const config& c);

// Prints "dpmon: MESSAGE" and returns the exit status: 1 for a mistake in what was asked (invalid, not
// found, conflict), 3 when the store failed.
int fail(const error& e);

}  // namespace dpmon::daemon::cli
