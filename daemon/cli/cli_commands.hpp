#pragma once
// The dpmon subcommands. Each returns the process exit status and writes its own messages.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dpmon/app/queries.hpp"

namespace dpmon::daemon::cli {

// Prints the effective config on stdout; on an invalid config prints every problem on stderr, returns 2.
int check_config(const std::string& path);

struct demo_args {
    int accounts = 12;
    int months = 14;
    std::string until = "2026-10-31";
    std::uint64_t seed = 1;
};

// Writes generate_demo_data() under `out_dir` (plans/, statements/). Returns 0, or 1 when a file cannot
// be written, or 2 for a bad --until.
int demo_data(const std::string& out_dir, const demo_args& args);

struct import_args {
    std::vector<std::string> files;
    std::string profile;
    bool dry_run = false;
};

// Imports statement files into the database named by the config (they stay where they are). Prints one
// line per file, and every problem of a rejected file. Returns 0 when every file was imported, already
// held, or (dry run) would import; 1 when any was rejected or unreadable; 2 for an invalid config.
int import_files(const std::string& config_path, const import_args& args);

// Applies plan files (accounts and their plans) to the database. 0 when all were applied, 1 otherwise.
int import_plans(const std::string& config_path, const std::vector<std::string>& files);

// Reconciles accounts (all when `refs` is empty) as of `today` ("" = the real today in the council's zone)
// and prints what changed. 0, or 1 when an account could not be reconciled, 2 for a bad config or date.
int reconcile(const std::string& config_path, const std::vector<std::string>& refs, const std::string& today);

// Prints flags as a table, or as JSON with `json`. `state` and `code` filter when not empty.
int list_flags(const std::string& config_path, const std::string& state, const std::string& code, bool json);

// One line per account (balance, open flags, recoverable surplus), or JSON with `json`.
int list_accounts(const std::string& config_path, bool json);

// One account's plan in force, periods (planned vs actual) and flags as of today, or JSON with `json`.
int show_account(const std::string& config_path, const std::string& ref, bool json);

// Reviews by due date (`state`: "" scheduled, overdue, due, upcoming, completed, cancelled), or JSON.
int list_reviews(const std::string& config_path, const std::string& state, std::optional<std::int64_t> within_days, bool json);

// One review with its history.
int show_review(const std::string& config_path, std::int64_t id);

// Completes a review and prints the next one scheduled; 1 when refused (why on stderr).
int complete_review(const std::string& config_path, std::int64_t id, const storage::completion& c);

// Asks for an early review of an account (due_on "" = in 14 days).
int request_review(const std::string& config_path, const std::string& ref, const std::string& reason, const std::string& by,
                   const std::string& due_on);

// The outbox (state "" all, pending, sent, failed), newest first, or JSON.
int list_outbox(const std::string& config_path, std::string state, bool json);

// Puts a failed message back in the queue.
int retry_outbox(const std::string& config_path, std::int64_t id);

// Writes the audit pack of an account for a date range under `out_dir` (created 0700; files 0600).
int audit_pack_command(const std::string& config_path, const std::string& ref, const std::string& from, const std::string& to,
                       const std::string& out_dir);

// Records a surplus exemption.
int add_exemption(const std::string& config_path, const std::string& ref, const std::string& reason, const std::string& detail,
                  const std::string& until, const std::string& by);

struct recovery_args {
    std::string by;
    std::string liabilities;
    std::string note;
    std::string recover_on;
    std::string amount;
};

// propose | notify | recovered | offset | waived | show a surplus recovery. 1 when refused (why on stderr).
int recovery_command(const std::string& config_path, const std::string& action, const std::string& ref, std::int64_t id,
                     const recovery_args& args);

// Lists the statement profiles in force (built-in and from the config) with where each layout comes from.
int list_profiles(const std::string& config_path);

}  // namespace dpmon::daemon::cli
