#pragma once
// Statement imports as stored: one row per file seen, the transactions it brought, and its findings.
// import_writer holds one file's import in one SQLite transaction: it is committed whole or not at all.

#include <cstdint>
#include <optional>
#include <string>
#include <map>
#include <memory>
#include <vector>

#include "dpmon/core/error.hpp"
#include "dpmon/core/bank_transaction.hpp"
#include "dpmon/core/reconcile.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::storage {

struct import_record {
    std::int64_t id = 0;
    std::string file_name;
    std::string sha256;
    std::int64_t size_bytes = 0;
    std::string profile;
    std::string accounts;  // account references, comma-separated
    std::string status;    // imported | duplicate | rejected
    std::int64_t rows = 0;
    std::int64_t duplicates = 0;
    std::string error;
    std::string first_date;
    std::string last_date;
    std::string imported_at;  // UTC, ISO 8601
    bool newest_first = false;  // the file lists its rows newest first (most UK bank exports do)
};

// The import that brought in a file with these bytes, if any (status "imported").
result<std::optional<import_record>> find_imported(const database& db, std::string_view sha256);

// Records a file that brought nothing in (status "duplicate" or "rejected"), in its own transaction.
result<std::int64_t> record_import(database& db, const import_record& r);

// The most recent imports first; `status` filters when not empty.
// A page is those before `before_id` (0: from the newest).
result<std::vector<import_record>> list_imports(const database& db, std::string_view status, std::int64_t limit,
                                               std::int64_t before_id = 0);

struct transaction_record {
    std::int64_t id = 0;
    std::string account_ref;
    std::string posted_on;
    std::int64_t amount_pence = 0;
    std::string description;
    std::string bank_reference;
    std::optional<std::int64_t> balance_pence;
    std::string category;
    std::string rule;
    std::int64_t import_id = 0;
    std::int64_t source_line = 0;
};

// An account's transactions in date order (then the order money moved); from/to are inclusive ISO dates or
// empty. Without `with_text`, descriptions, references and the account reference are left empty (faster).
result<std::vector<transaction_record>> list_transactions(const database& db, std::int64_t account_id,
                                                          std::string_view from, std::string_view to, bool with_text = true);

// A page of an account's transactions by date, then id (the order they were imported): those after
// (after_date, after_id) (a date and 0: from that date on), up to `to` (inclusive; empty: no end), at most
// `limit`; with `containing`, only those whose description or bank reference holds that text (ASCII letters in
// any case). `account_ref` is copied to each.
result<std::vector<transaction_record>> list_transaction_page(const database& db, const std::string& account_ref,
                                                              std::int64_t account_id, const std::string& after_date,
                                                              std::int64_t after_id, std::int64_t limit,
                                                              const std::string& to = {}, const std::string& containing = {});

// True when the account already holds a transaction with this fingerprint (for dry runs).
result<bool> transaction_exists(const database& db, std::int64_t account_id, const core::bank_transaction& row,
                                const std::string& fingerprint);

// Sets a transaction's category and the rule that chose it.
result<void> set_category(database& db, std::int64_t transaction_id, const std::string& category, const std::string& rule);

// One stored row as reconciliation reads it: the core transaction (with its stored category, "" when none
// yet), the rule that chose that category, and where it came from.
struct ledger_row {
    std::int64_t id = 0;
    std::int64_t import_id = 0;
    std::string rule;
    core::categorised_transaction c;
};

// An account's rows in the order the money moved (by date; within a day by import, then line, backwards for
// a newest-first file), built straight from SQLite's buffers: the hot path of a full reconciliation.
// Without `texts`, descriptions, bank references and rules are left empty (not read): enough for figures.
result<std::vector<ledger_row>> list_ledger(const database& db, std::int64_t account_id, bool texts = true);

// An import's file name (empty when there is no such import).
result<std::string> import_name(const database& db, std::int64_t import_id);

struct finding_record {
    std::string file_name;
    std::int64_t line = 0;
    std::string posted_on;
    std::int64_t expected_pence = 0, actual_pence = 0;
};
result<std::vector<finding_record>> balance_findings(const database& db, std::int64_t account_id);

class import_writer {
public:
    import_writer(const import_writer&) = delete;
    import_writer& operator=(const import_writer&) = delete;
    import_writer(import_writer&&) noexcept;
    import_writer& operator=(import_writer&&) = delete;
    ~import_writer();  // rolls back unless committed

    // BEGIN IMMEDIATE and an imports row for the file. `db` is borrowed for the writer's life; one writer
    // per database connection at a time.
    static result<import_writer> begin(database& db, const import_record& header);

    // Adds a row unless the account already has one on that day with this fingerprint (bytes, stored as
    // a BLOB): true when added.
    result<bool> add_row(std::int64_t account_id, const core::bank_transaction& row, const std::string& fingerprint);

    // Records a finding (e.g. BALANCE_MISMATCH) against an account.
    result<void> add_finding(std::int64_t account_id, std::string_view kind, const core::bank_transaction& at,
                             std::int64_t expected_pence, std::int64_t actual_pence, std::string_view detail);

    // Fills in the import's totals and commits everything.
    result<void> commit(const import_record& totals);

    std::int64_t import_id() const { return import_id_; }

private:
    struct impl;
    explicit import_writer(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
    std::int64_t import_id_ = 0;
};

}  // namespace dpmon::storage
