#pragma once
// backups: the use cases behind `dpmon backup`, `dpmon restore` and dpmond's daily backup, and which daily
// backups are kept (docs/operations.md#backups).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/error.hpp"
#include "dpmon/storage/backup.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::daemon::app {

// Copies the live database to `out` (one consistent snapshot; writers go on) and checks the copy.
result<storage::backup_facts> take_backup(const std::filesystem::path& db_path, const std::filesystem::path& out);

// Checks a backup file without changing anything.
result<storage::backup_facts> check_backup(const std::filesystem::path& file);

// Puts `from` in place of the database at `db_path` (dpmond stopped; see storage::restore_database).
// `stamp` names the set-aside files ("20261202T0530Z").
result<storage::restored> restore_backup(const std::filesystem::path& db_path, const std::filesystem::path& from,
                                         const std::string& stamp);

// A daily backup in the backups folder: "dpmon-YYYY-MM-DD.db".
struct daily_backup {
    std::filesystem::path file;
    core::civil_date day;
};

// The daily backups in `folder`, newest first (other files are ignored).
std::vector<daily_backup> list_daily_backups(const std::filesystem::path& folder);

// The file name of the daily backup of `day`.
std::string daily_backup_name(core::civil_date day);

// Which days to keep, of backups taken on `days` (any order): the newest `keep_daily`, and the newest
// backup of each of the newest `keep_weekly` weeks (Monday to Sunday) that have one.
std::vector<core::civil_date> backups_to_keep(std::vector<core::civil_date> days, std::int64_t keep_daily,
                                              std::int64_t keep_weekly);

struct daily_backup_result {
    storage::backup_facts backup;
    std::vector<std::filesystem::path> removed;  // older backups the keep rules let go
};

// Takes the backup of `day` into `folder` (created 0700), then removes the daily backups the keep rules
// no longer keep. A backup of that day already there is kept as it is (errc::conflict is not an error
// here: the result names it, with no removals).
result<daily_backup_result> take_daily_backup(const std::filesystem::path& db_path, const std::filesystem::path& folder,
                                              core::civil_date day, std::int64_t keep_daily, std::int64_t keep_weekly);

// The newest daily backup in `folder` that passes check_backup, for the message of a refused database.
std::optional<std::filesystem::path> newest_good_backup(const std::filesystem::path& folder);

}  // namespace dpmon::daemon::app
