#pragma once
// retention: the purge of closed accounts after [policy] retention_years, with everything that names them
// in the database and in the state folder's files (docs/operations.md#retention). Run by the daily job,
// by `dpmon purge` and after `dpmon restore`.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/error.hpp"
#include "dpmon/storage/database.hpp"
#include "dpmon/storage/retention.hpp"

namespace dpmon::daemon::app {

// The folders whose files may name an account.
struct retention_paths {
    std::filesystem::path archive;   // state_dir/archive: statement and plan files imported
    std::filesystem::path rejected;  // state_dir/rejected: files refused, with NAME.error.txt
    std::filesystem::path maildir;   // state_dir/maildir: messages written when [smtp] is absent
};

struct purge_report {
    core::civil_date cutoff;            // accounts closed on or before this day go
    bool dry_run = false;
    std::vector<std::string> accounts;  // their references (gone, or, in a dry run, would go)
    std::int64_t waiting = 0;           // past the cutoff, kept for an open recovery or final audit
    storage::purge_counts counts;       // rows (zero in a dry run)
    std::int64_t archive_files = 0;
    std::int64_t rejected_files = 0;
    std::int64_t mail_files = 0;
    std::string checkpoint_problem;  // why the WAL could not be emptied at the end (readers), or empty
};

// The day on or before which an account must have closed to be purged on `today`.
core::civil_date retention_cutoff(core::civil_date today, std::int64_t retention_years);

// Purges the accounts closed on or before the cutoff (none waiting on a recovery or final audit): their rows
// in one transaction with secure_delete, then the archived files that named only purged accounts (a bulk
// statement or plan file stays until all of its accounts can go), rejected files older than the cutoff or
// naming a purged account, and maildir messages naming one; ends with a WAL checkpoint (TRUNCATE). A dry
// run changes nothing and lists the accounts.
result<purge_report> purge_closed_accounts(storage::database& db, const retention_paths& paths,
                                           std::int64_t retention_years, core::civil_date today, bool dry_run);

}  // namespace dpmon::daemon::app
