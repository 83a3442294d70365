#pragma once
// Importing one statement file: hash it, choose its profile, parse it as a stream, match its rows to
// accounts, drop rows already held, check running balances, and write it all in one SQLite transaction,
// or nothing at all. Moving the file afterwards is the caller's business (the drop-folder watcher).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dpmon/core/error.hpp"
#include "dpmon/core/states.hpp"
#include "dpmon/importers/profile.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::daemon {

struct import_options {
    std::string profile_name;    // force this profile ("" = choose by name and content)
    bool dry_run = false;        // parse and count, write nothing
    std::int64_t max_file_bytes = 256LL * 1024 * 1024;
    // Called now and then with bytes read so far and the file size (for a progress line).
    std::function<void(std::uint64_t done, std::uint64_t total)> progress;
    // Polled between chunks; when it returns true the import stops, writes nothing and returns
    // errc::cancelled.
    std::function<bool()> cancelled;
    // The file as its reader last saw it (size and mtime in ns). When set, the import checks the file
    // still matches when opened and again after reading, before anything is committed; a file that
    // changed (still being written) gives errc::file_changed and nothing is kept.
    struct stamp {
        std::int64_t size = 0;
        std::int64_t mtime_ns = 0;
        bool operator==(const stamp&) const = default;
    };
    std::optional<stamp> expect;
    // The file's last line has no line ending (perhaps cut short): it is imported only if that row parses
    // and, where the file has running balances, its balance follows from the previous one.
    bool unterminated_last_line = false;
};

struct import_report {
    std::string file_name;
    std::string sha256;
    core::import_status status = core::import_status::imported;
    std::string profile;
    std::vector<std::string> accounts;  // references of the accounts the rows belong to
    std::int64_t rows = 0;              // transactions in the file
    std::int64_t added = 0;             // new transactions (rows - duplicates)
    std::int64_t duplicates = 0;        // rows already held (overlapping statements)
    std::int64_t balance_breaks = 0;    // BALANCE_MISMATCH findings
    std::int64_t import_id = 0;
    std::vector<std::string> errors;    // "FILE:LINE:COLUMN: field 'F': why", for a rejected file; never
                                        // quotes the file's values (safe for logs and the imports list)
    std::vector<std::string> details;   // the same problems quoting the offending values, for the rejected
                                        // file's own report and the operator's terminal
    std::int64_t error_count = 0;       // all errors, when more were found than are listed
    std::string first_date, last_date;
};

// Imports `file` into `db`. A file whose bytes were imported before is reported as "duplicate" and
// changes nothing (a rejected file may be tried again). A file with any bad row, an unknown account,
// or no profile is "rejected": nothing of it is written but a record of the rejection (none for a dry
// run). Returns an error only when the file cannot be read or the database fails; `now_utc` stamps
// the import record.
result<import_report> import_statement_file(storage::database& db, const std::filesystem::path& file,
                                            const std::vector<importers::profile>& profiles,
                                            const import_options& options, const std::string& now_utc);



}  // namespace dpmon::daemon
