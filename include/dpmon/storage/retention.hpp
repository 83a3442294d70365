#pragma once
// retention: removing closed accounts past the retention period with everything stored that names them
// (docs/operations.md#retention). The database part; the files (archive, rejected, maildir) are the
// caller's (app::purge_closed_accounts).

#include <cstdint>
#include <string>
#include <vector>

#include "dpmon/core/error.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::storage {

struct purgeable_account {
    std::int64_t id = 0;
    std::string account_ref;
    std::string closed_on;
    std::vector<std::string> identifiers;  // account number, card id: what a statement or report shows
};

struct retention_candidates {
    std::vector<purgeable_account> due;  // closed on or before the cutoff, nothing open
    std::int64_t waiting = 0;            // closed before the cutoff, but with an open recovery or final audit
};

// Accounts closed on or before `cutoff` (YYYY-MM-DD). One waits while a recovery is proposed or notified,
// or a final audit is still scheduled.
result<retention_candidates> find_retention_candidates(const database& db, const std::string& cutoff);

// A statement file whose every account is gone: its archived copy can go too.
struct released_import {
    std::string file_name;
    std::string sha256;
};

struct purge_counts {
    std::int64_t accounts = 0;
    std::int64_t transactions = 0;
    std::int64_t flags = 0;
    std::int64_t reviews = 0;
    std::int64_t outbox = 0;
    std::int64_t imports = 0;
    std::vector<released_import> released;
};

// Deletes `accounts` and everything that names them (cascades: transactions, findings, flags and their
// history and queued alerts, status, reviews, their history and reminders, exemptions, recoveries and their
// history, onboarding; and their outbox messages), then the imports none of whose accounts remain, in one
// transaction with secure_delete on so freed pages are overwritten. Records of rejected or duplicate
// files imported before `cutoff` go too. The same transaction records what the files still to remove are
// found by (pending_file_purge), so a crash before they are removed loses nothing.
result<purge_counts> purge_accounts(database& db, const std::vector<purgeable_account>& accounts, const std::string& cutoff);

// What purges that committed have left to remove from the folders: the released statement files, and the
// references and identifiers of the purged accounts (plan files, messages and rejected files name them).
struct pending_files {
    std::vector<released_import> released;
    std::vector<std::string> refs;
    std::vector<std::string> identifiers;
    bool empty() const { return released.empty() && refs.empty() && identifiers.empty(); }
};
result<pending_files> pending_file_purge(const database& db);

// Forgets pending_file_purge's list once the files are gone (secure_delete: it names purged accounts).
result<void> clear_pending_file_purge(database& db);

// The account references still stored, of `refs`.
result<std::vector<std::string>> refs_still_stored(const database& db, const std::vector<std::string>& refs);

// PRAGMA wal_checkpoint(TRUNCATE): the WAL copied into the database and emptied, so deleted rows do not
// linger in it. errc::database_error when readers kept it from finishing (tried again next time).
result<void> checkpoint_truncate(database& db);

}  // namespace dpmon::storage
