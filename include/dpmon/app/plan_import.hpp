#pragma once
// Applying a plan file (JSON): every account in it is created or updated in one transaction, or, when any
// part of the file is wrong, nothing is.

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/error.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::daemon {

struct plan_report {
    std::string file_name;
    std::vector<std::string> accounts;  // references applied
    // Closed on or before the retention cutoff and not stored (purged, or never held): not stored again, so
    // a case-management export that lists every account ever closed does not bring purged people back.
    std::vector<std::string> past_retention;
    std::vector<std::string> errors;    // when rejected: "FILE: accounts[2] (DP-000123): field 'x': why"
};

// Reads and applies `file`. errc::io_error when it cannot be read, errc::database_error when the database
// fails; a file with mistakes is not an error but a report with `errors` and nothing applied.
// `extra_categories` are the council's own categories ([policy] extra_categories). With a
// `retention_cutoff` (app::retention_cutoff of today), a closed account that closed on or before it and is
// not stored is left out (plan_report::past_retention); one still stored (waiting to be purged) is applied.
result<plan_report> apply_plan_file(storage::database& db, const std::filesystem::path& file,
                                    std::span<const std::string> extra_categories,
                                    std::optional<core::civil_date> retention_cutoff = std::nullopt);

// Applies a plan file's bytes already read (the drop folder reads them itself, to check the file did not
// change meanwhile): CSV when `file_name` ends in .csv, JSON otherwise.
result<plan_report> apply_plan_bytes(storage::database& db, const std::string& bytes, const std::string& file_name,
                                     std::span<const std::string> extra_categories,
                                     std::optional<core::civil_date> retention_cutoff = std::nullopt);

// The same for plan-file text already in memory (PUT /api/v1/accounts/{ref}); `source` names it in errors.
result<plan_report> apply_plan_text(storage::database& db, std::string_view json_text, const std::string& source,
                                    std::span<const std::string> extra_categories,
                                    std::optional<core::civil_date> retention_cutoff = std::nullopt);

}  // namespace dpmon::daemon
