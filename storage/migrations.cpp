#include "migrations.hpp"

#include <array>

namespace dpmon::storage {
namespace {

// Money columns hold integer pence; dates are ISO 8601 text (YYYY-MM-DD), instants UTC text.
constexpr const char* v1_sql = R"sql(
CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    account_ref     TEXT NOT NULL UNIQUE COLLATE NOCASE,
    person_ref      TEXT NOT NULL,
    account_type    TEXT NOT NULL CHECK (account_type IN ('dedicated_bank', 'prepaid_card', 'managed_account')),
    sort_code       TEXT,
    account_number  TEXT,
    card_id         TEXT,
    dp_start        TEXT NOT NULL,
    finance_officer TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'closed')),
    closed_on       TEXT,
    plans_json      TEXT NOT NULL DEFAULT '[]',  -- support-plan versions as given in the plan file
    updated_at      TEXT NOT NULL
);
CREATE INDEX accounts_bank ON accounts (sort_code, account_number);
CREATE INDEX accounts_card ON accounts (card_id);

CREATE TABLE imports (
    id           INTEGER PRIMARY KEY,
    file_name    TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL DEFAULT 0,
    profile      TEXT,
    accounts     TEXT NOT NULL DEFAULT '',  -- account references, comma-separated
    status       TEXT NOT NULL CHECK (status IN ('imported', 'duplicate', 'rejected')),
    rows         INTEGER NOT NULL DEFAULT 0,
    duplicates   INTEGER NOT NULL DEFAULT 0,
    error        TEXT,
    first_date   TEXT,
    last_date    TEXT,
    imported_at  TEXT NOT NULL
);
CREATE INDEX imports_sha256 ON imports (sha256);

CREATE TABLE transactions (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    import_id      INTEGER NOT NULL REFERENCES imports (id),
    posted_on      TEXT NOT NULL,
    amount_pence   INTEGER NOT NULL,
    description    TEXT NOT NULL,
    bank_reference TEXT NOT NULL DEFAULT '',
    balance_pence  INTEGER,
    fingerprint    BLOB NOT NULL,  -- 16 bytes of SHA-256 of amount|description|reference|occurrence (importers/fingerprint)
    source_line    INTEGER NOT NULL,
    category       TEXT,
    rule           TEXT,
    -- One index does both jobs: it drops a row already held, and it serves an account's date ranges.
    UNIQUE (account_id, posted_on, fingerprint)
);

-- Facts found while importing that reconciliation turns into flags (BALANCE_MISMATCH for now).
CREATE TABLE import_findings (
    id             INTEGER PRIMARY KEY,
    import_id      INTEGER NOT NULL REFERENCES imports (id),
    account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    posted_on      TEXT NOT NULL,
    source_line    INTEGER NOT NULL,
    expected_pence INTEGER,
    actual_pence   INTEGER,
    detail         TEXT NOT NULL
);
CREATE INDEX import_findings_account ON import_findings (account_id);
)sql";

// Flags raised by reconciliation, one row per account and condition (key), with their history.
constexpr const char* v2_sql = R"sql(
CREATE TABLE flags (
    id                INTEGER PRIMARY KEY,
    account_id        INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code              TEXT NOT NULL,
    key               TEXT NOT NULL,
    period_first      TEXT NOT NULL,
    period_last       TEXT NOT NULL,
    amount_pence      INTEGER NOT NULL,
    reason            TEXT NOT NULL,
    inputs_json       TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
    raised_on         TEXT NOT NULL,
    acknowledged_by   TEXT,
    acknowledged_note TEXT,
    acknowledged_at   TEXT,
    resolved_on       TEXT,
    UNIQUE (account_id, key)
);
CREATE INDEX flags_state_code ON flags (state, code);

CREATE TABLE flag_history (
    id      INTEGER PRIMARY KEY,
    flag_id INTEGER NOT NULL REFERENCES flags (id) ON DELETE CASCADE,
    at      TEXT NOT NULL,
    event   TEXT NOT NULL CHECK (event IN ('raised', 'updated', 'acknowledged', 'resolved', 'reopened')),
    by      TEXT,
    detail  TEXT NOT NULL
);
CREATE INDEX flag_history_flag ON flag_history (flag_id);
)sql";

// Each account's figures as of its last reconciliation, for list views that must not recompute.
constexpr const char* v3_sql = R"sql(
CREATE TABLE account_status (
    account_id             INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    balance_pence          INTEGER NOT NULL,
    balance_date           TEXT,
    balance_from_statement INTEGER NOT NULL,
    recoverable_pence      INTEGER NOT NULL,
    reconciled_on          TEXT NOT NULL
);
)sql";

// Per-account policy overrides and statement-return frequency from the plan file.
constexpr const char* v4_sql = R"sql(
ALTER TABLE accounts ADD COLUMN policy_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE accounts ADD COLUMN return_frequency TEXT NOT NULL DEFAULT '';
)sql";

// Which way each imported file runs, so a day's rows can be put in the order the money moved.
constexpr const char* v5_sql = R"sql(
ALTER TABLE imports ADD COLUMN newest_first INTEGER NOT NULL DEFAULT 0;
)sql";

// What the stored categories were computed from, so an unchanged account need not be categorised again.
constexpr const char* v6_sql = R"sql(
ALTER TABLE account_status ADD COLUMN rules_key TEXT NOT NULL DEFAULT '';
)sql";

// Reviews and audits (scheduled, completed, cancelled), their history, the reminders they gave (one per
// key: review and kind of reminder), and the scheduler's own state (the last daily run).
constexpr const char* v7_sql = R"sql(
CREATE TABLE reviews (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    nominal_on      TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    basis           TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('scheduled', 'completed', 'cancelled')),
    scheduled_on    TEXT NOT NULL,
    reason          TEXT,
    requested_by    TEXT,
    completed_on    TEXT,
    completed_by    TEXT,
    outcome         TEXT,
    next_due        TEXT,
    next_due_reason TEXT
);
-- One scheduled review of each statutory kind per account; early reviews may be several.
CREATE UNIQUE INDEX reviews_one_scheduled ON reviews (account_id, kind) WHERE state = 'scheduled' AND kind <> 'EARLY_REVIEW';
CREATE INDEX reviews_state_due ON reviews (state, due_on);

CREATE TABLE review_history (
    id        INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    at        TEXT NOT NULL,
    event     TEXT NOT NULL,
    by        TEXT,
    detail    TEXT NOT NULL
);
CREATE INDEX review_history_review ON review_history (review_id);

CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    review_id   INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    key         TEXT NOT NULL UNIQUE,
    on_date     TEXT NOT NULL,
    to_team     INTEGER NOT NULL,
    produced_at TEXT NOT NULL
);
CREATE INDEX reminders_review ON reminders (review_id);

CREATE TABLE scheduler_state (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
)sql";

// Alerts waiting for delivery and delivered: one row per idempotency key, written in the transaction that
// raised the flag or reminder; the message is composed once, so every attempt sends the same bytes.
constexpr const char* v8_sql = R"sql(
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    account_ref     TEXT,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    message         TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed_permanent')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    reply_code      INTEGER,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_state_next ON outbox (state, next_attempt_at);
)sql";

// Audit checks and surplus recovery: the household members a plan names, surplus exemptions, and recovery
// records with their history.
constexpr const char* v9_sql = R"sql(
ALTER TABLE accounts ADD COLUMN household_json TEXT NOT NULL DEFAULT '[]';

CREATE TABLE exemptions (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL CHECK (reason IN ('hospital_stay', 'pa_vacancy', 'saving_for_purchase', 'other')),
    detail      TEXT NOT NULL,
    from_date   TEXT NOT NULL,
    until_date  TEXT NOT NULL,
    by          TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX exemptions_account ON exemptions (account_id, until_date);

CREATE TABLE recoveries (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    state           TEXT NOT NULL CHECK (state IN ('proposed', 'notified', 'recovered', 'offset', 'waived')),
    amount_pence    INTEGER NOT NULL,
    computation     TEXT NOT NULL,   -- JSON: balance, retained weeks, liabilities, overpaid contributions
    proposed_by     TEXT NOT NULL,
    proposed_at     TEXT NOT NULL,
    recover_on      TEXT,            -- the date of recovery the notice gives
    notice_text     TEXT,
    notice_html     TEXT,
    notified_by     TEXT,
    notified_at     TEXT,
    closed_amount_pence INTEGER,
    closed_by       TEXT,
    closed_at       TEXT,
    note            TEXT
);
CREATE INDEX recoveries_account ON recoveries (account_id);

CREATE TABLE recovery_history (
    id          INTEGER PRIMARY KEY,
    recovery_id INTEGER NOT NULL REFERENCES recoveries (id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    event       TEXT NOT NULL,
    by          TEXT NOT NULL,
    note        TEXT NOT NULL
);
)sql";

// A flag is a condition (docs/rules.md#one-flag-per-condition): since when it holds, the transactions an
// event check lists, and the amount an officer acknowledged (it alerts again when that grows by 25 %).
constexpr const char* v10_sql = R"sql(
ALTER TABLE flags ADD COLUMN since TEXT;
ALTER TABLE flags ADD COLUMN transaction_ids TEXT NOT NULL DEFAULT '';
ALTER TABLE flags ADD COLUMN acknowledged_amount_pence INTEGER;
CREATE INDEX flags_account_state ON flags (account_id, state);
)sql";

// Alerts waiting to be grouped per officer, when each officer was last sent a group, and accounts being
// onboarded (their first reconciliation mails nothing per flag; one summary per officer instead).
constexpr const char* v11_sql = R"sql(
CREATE TABLE alert_queue (
    id        INTEGER PRIMARY KEY,
    officer   TEXT NOT NULL,
    flag_id   INTEGER NOT NULL REFERENCES flags (id) ON DELETE CASCADE,
    raised_at TEXT NOT NULL
);
CREATE TABLE alert_groups (
    officer      TEXT PRIMARY KEY,
    last_sent_at TEXT NOT NULL
);
CREATE TABLE onboarding (
    account_id INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    officer    TEXT NOT NULL,
    day        TEXT NOT NULL,
    at         TEXT NOT NULL,
    summarised_on TEXT  -- the local day its summary was written; NULL until then
);
-- Accounts reconciled before onboarding existed are not new.
INSERT INTO onboarding (account_id, officer, day, at, summarised_on)
    SELECT s.account_id, a.finance_officer, s.reconciled_on, s.reconciled_on, s.reconciled_on
    FROM account_status s JOIN accounts a ON a.id = s.account_id;
)sql";

// Counts for GET /api/v1/status kept by triggers in the transaction that changes them, so reading them
// scans nothing: accounts, transactions, imports, messages by outbox state, unresolved flags by code.
constexpr const char* v12_sql = R"sql(
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO counters SELECT 'accounts', count(*) FROM accounts;
INSERT INTO counters SELECT 'transactions', count(*) FROM transactions;
INSERT INTO counters SELECT 'imports', count(*) FROM imports;
INSERT INTO counters SELECT 'outbox:' || state, count(*) FROM outbox GROUP BY state;
INSERT INTO counters SELECT 'flags:' || code, count(*) FROM flags WHERE state <> 'resolved' GROUP BY code;

CREATE TRIGGER accounts_counted AFTER INSERT ON accounts BEGIN
    UPDATE counters SET n = n + 1 WHERE name = 'accounts'; END;
CREATE TRIGGER accounts_uncounted AFTER DELETE ON accounts BEGIN
    UPDATE counters SET n = n - 1 WHERE name = 'accounts'; END;
CREATE TRIGGER transactions_counted AFTER INSERT ON transactions BEGIN
    UPDATE counters SET n = n + 1 WHERE name = 'transactions'; END;
CREATE TRIGGER transactions_uncounted AFTER DELETE ON transactions BEGIN
    UPDATE counters SET n = n - 1 WHERE name = 'transactions'; END;
CREATE TRIGGER imports_counted AFTER INSERT ON imports BEGIN
    UPDATE counters SET n = n + 1 WHERE name = 'imports'; END;
CREATE TRIGGER imports_uncounted AFTER DELETE ON imports BEGIN
    UPDATE counters SET n = n - 1 WHERE name = 'imports'; END;

CREATE TRIGGER outbox_counted AFTER INSERT ON outbox BEGIN
    INSERT INTO counters VALUES ('outbox:' || new.state, 1) ON CONFLICT (name) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER outbox_uncounted AFTER DELETE ON outbox BEGIN
    UPDATE counters SET n = n - 1 WHERE name = 'outbox:' || old.state; END;
CREATE TRIGGER outbox_recounted AFTER UPDATE OF state ON outbox WHEN old.state <> new.state BEGIN
    UPDATE counters SET n = n - 1 WHERE name = 'outbox:' || old.state;
    INSERT INTO counters VALUES ('outbox:' || new.state, 1) ON CONFLICT (name) DO UPDATE SET n = n + 1; END;

CREATE TRIGGER flags_counted AFTER INSERT ON flags WHEN new.state <> 'resolved' BEGIN
    INSERT INTO counters VALUES ('flags:' || new.code, 1) ON CONFLICT (name) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER flags_uncounted AFTER DELETE ON flags WHEN old.state <> 'resolved' BEGIN
    UPDATE counters SET n = n - 1 WHERE name = 'flags:' || old.code; END;
CREATE TRIGGER flags_recounted AFTER UPDATE OF state, code ON flags
    WHEN (old.state <> 'resolved') <> (new.state <> 'resolved') OR old.code <> new.code BEGIN
    UPDATE counters SET n = n - 1 WHERE name = 'flags:' || old.code AND old.state <> 'resolved';
    INSERT INTO counters SELECT 'flags:' || new.code, 1 WHERE new.state <> 'resolved'
        ON CONFLICT (name) DO UPDATE SET n = n + 1; END;

CREATE INDEX imports_status ON imports (status, id);
CREATE INDEX outbox_state_id ON outbox (state, id);
)sql";

// A number that moves whenever something the worklist is built from changes (accounts, flags, reviews,
// exemptions), in the same transaction: the API keeps the built worklist until it moves.
constexpr const char* v13_sql = R"sql(
INSERT INTO counters VALUES ('worklist_generation', 0);
-- Imports count the rows they add once, at commit (storage/import_store.cpp): the trigger per row of
-- migration 12 doubled the time of a million-row import. Deletes keep theirs (they are rare).
DROP TRIGGER transactions_counted;
-- One account's reviews (the account view, the account list's next review) without a scan of them all.
CREATE INDEX reviews_account_due ON reviews (account_id, due_on);
-- The accounts with an unresolved flag of a code (GET /api/v1/accounts?flag=), from the index alone.
DROP INDEX flags_state_code;
CREATE INDEX flags_state_code_account ON flags (state, code, account_id);
CREATE TRIGGER accounts_move_worklist AFTER UPDATE ON accounts BEGIN
    UPDATE counters SET n = n + 1 WHERE name = 'worklist_generation'; END;
CREATE TRIGGER accounts_in_worklist AFTER INSERT ON accounts BEGIN
    UPDATE counters SET n = n + 1 WHERE name = 'worklist_generation'; END;
CREATE TRIGGER accounts_out_of_worklist AFTER DELETE ON accounts BEGIN
    UPDATE counters SET n = n + 1 WHERE name = 'worklist_generation'; END;
CREATE TRIGGER flags_move_worklist AFTER UPDATE ON flags BEGIN
    UPDATE counters SET n = n + 1 WHERE name = 'worklist_generation'; END;
CREATE TRIGGER flags_in_worklist AFTER INSERT ON flags BEGIN
    UPDATE counters SET n = n + 1 WHERE name = 'worklist_generation'; END;
CREATE TRIGGER flags_out_of_worklist AFTER DELETE ON flags BEGIN
    UPDATE counters SET n = n + 1 WHERE name = 'worklist_generation'; END;
CREATE TRIGGER reviews_move_worklist AFTER UPDATE ON reviews BEGIN
    UPDATE counters SET n = n + 1 WHERE name = 'worklist_generation'; END;
CREATE TRIGGER reviews_in_worklist AFTER INSERT ON reviews BEGIN
    UPDATE counters SET n = n + 1 WHERE name = 'worklist_generation'; END;
CREATE TRIGGER reviews_out_of_worklist AFTER DELETE ON reviews BEGIN
    UPDATE counters SET n = n + 1 WHERE name = 'worklist_generation'; END;
CREATE TRIGGER exemptions_move_worklist AFTER UPDATE ON exemptions BEGIN
    UPDATE counters SET n = n + 1 WHERE name = 'worklist_generation'; END;
CREATE TRIGGER exemptions_in_worklist AFTER INSERT ON exemptions BEGIN
    UPDATE counters SET n = n + 1 WHERE name = 'worklist_generation'; END;
CREATE TRIGGER exemptions_out_of_worklist AFTER DELETE ON exemptions BEGIN
    UPDATE counters SET n = n + 1 WHERE name = 'worklist_generation'; END;
)sql";

// The outbox listed newest first without reading its messages: a digest at 5,000 accounts is 120 KB, and a
// row's later columns sit past the message's overflow pages, so a page of 100 read megabytes.
constexpr const char* v14_sql = R"sql(
CREATE INDEX outbox_listing ON outbox (id, state, key, kind, account_ref, recipient, subject, message_id, attempts,
                                       next_attempt_at, last_error, reply_code, created_at, sent_at);
)sql";

// What a purge still has to remove from the folders once its transaction has committed: written in that
// transaction, cleared when the files are gone, so a crash between the two leaves the list for the next purge
// (the rows that named the files are gone by then).
constexpr const char* v15_sql = R"sql(
CREATE TABLE purge_pending (
    id     INTEGER PRIMARY KEY,
    kind   TEXT NOT NULL CHECK (kind IN ('file', 'ref', 'identifier')),
    name   TEXT NOT NULL,              -- a file name, an account reference, an account number or card id
    sha256 TEXT NOT NULL DEFAULT ''    -- a file's content hash
);
)sql";

constexpr std::array<migration, 15> migrations{{
    {1, "accounts, imports and transactions", v1_sql},
    {2, "flags and their history", v2_sql},
    {3, "account status after reconciliation", v3_sql},
    {4, "per-account policy overrides", v4_sql},
    {5, "direction of imported files", v5_sql},
    {6, "the rules behind stored categories", v6_sql},
    {7, "reviews, reminders and the scheduler", v7_sql},
    {8, "the alert outbox", v8_sql},
    {9, "household members, surplus exemptions and recoveries", v9_sql},
    {10, "flags as conditions", v10_sql},
    {11, "grouped alerts and onboarding", v11_sql},
    {12, "status counters kept by triggers", v12_sql},
    {13, "the worklist's generation", v13_sql},
    {14, "the outbox listed without its messages", v14_sql},
    {15, "files a purge still has to remove", v15_sql},
}};

}  // namespace

std::span<const migration> all_migrations() { return migrations; }

}  // namespace dpmon::storage
