#include "dpmon/storage/retention.hpp"

#include <algorithm>
#include <set>
#include <string_view>

#include "dpmon/core/text.hpp"
#include "sqlite.hpp"

namespace dpmon::storage {

result<retention_candidates> find_retention_candidates(const database& db, const std::string& cutoff) {
    auto st = sqlite::statement::prepare(
        db.handle(),
        "SELECT a.id, a.account_ref, a.closed_on, coalesce(a.account_number, ''), coalesce(a.card_id, ''),"
        " EXISTS (SELECT 1 FROM recoveries r WHERE r.account_id = a.id AND r.state IN ('proposed', 'notified'))"
        "  OR EXISTS (SELECT 1 FROM reviews v WHERE v.account_id = a.id AND v.kind = 'FINAL_AUDIT' AND v.state = 'scheduled')"
        " FROM accounts a WHERE a.status = 'closed' AND a.closed_on IS NOT NULL AND a.closed_on <> '' AND a.closed_on <= ?1"
        " ORDER BY a.account_ref");
    if (!st) return st.error();
    st->bind(1, std::string_view(cutoff));
    retention_candidates out;
    for (;;) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        if (st->column_int(5) != 0) {
            ++out.waiting;
            continue;
        }
        purgeable_account a{st->column_int(0), st->column_text(1), st->column_text(2), {}};
        for (int col : {3, 4}) {
            if (std::string id = st->column_text(col); !id.empty()) a.identifiers.push_back(std::move(id));
        }
        out.due.push_back(std::move(a));
    }
    return out;
}

namespace {

result<std::int64_t> count_of(sqlite3* h, const char* sql, std::int64_t id) {
    auto st = sqlite::statement::prepare(h, sql);
    if (!st) return st.error();
    st->bind(1, id);
    if (auto r = st->step(); !r) return r.error();
    return st->column_int(0);
}

result<void> run(sqlite3* h, const char* sql, std::string_view text) {
    auto st = sqlite::statement::prepare(h, sql);
    if (!st) return st.error();
    st->bind(1, text);
    return st->run();
}

// Imports with no transaction left whose listed accounts are all gone (a bulk file stays while one of
// its accounts remains). Rejected and duplicate records list no rows of their own: they go with the
// accounts they name too.
result<std::vector<std::pair<std::int64_t, released_import>>> orphaned_imports(sqlite3* h) {
    auto st = sqlite::statement::prepare(
        h, "SELECT i.id, i.file_name, i.sha256, i.accounts FROM imports i WHERE i.accounts <> ''"
           " AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.import_id = i.id)");
    if (!st) return st.error();
    auto known = sqlite::statement::prepare(h, "SELECT 1 FROM accounts WHERE account_ref = ?1");
    if (!known) return known.error();
    std::vector<std::pair<std::int64_t, released_import>> out;
    for (;;) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        const std::string refs = st->column_text(3);
        bool any_left = false;
        for (std::size_t start = 0; start <= refs.size() && !any_left;) {
            const std::size_t comma = std::min(refs.find(',', start), refs.size());
            known->bind(1, std::string_view(refs).substr(start, comma - start));
            auto found = known->step();
            if (!found) return found.error();
            any_left = *found;
            known->reset();
            start = comma + 1;
        }
        if (!any_left) out.push_back({st->column_int(0), released_import{st->column_text(1), st->column_text(2)}});
    }
    return out;
}

// Deletes the rows of `select` (id, text, text) where either text names `id_text`; returns how many.
result<std::int64_t> delete_naming(sqlite3* h, const char* select, const char* del, const std::string& id_text) {
    auto st = sqlite::statement::prepare(h, select);
    if (!st) return st.error();
    st->bind(1, std::string_view(id_text));
    std::vector<std::int64_t> doomed;
    for (;;) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        if (core::names_whole(st->column_view(1), id_text) || core::names_whole(st->column_view(2), id_text)) doomed.push_back(st->column_int(0));
    }
    auto d = sqlite::statement::prepare(h, del);
    if (!d) return d.error();
    for (const std::int64_t id : doomed) {
        d->bind(1, id);
        if (auto r = d->run(); !r) return r.error();
        d->reset();
    }
    return static_cast<std::int64_t>(doomed.size());
}

// Takes `ref` out of the account lists of the imports that still hold other accounts (a bulk statement).
result<void> unlist_account(sqlite3* h, const std::string& ref) {
    auto st = sqlite::statement::prepare(h, "SELECT id, accounts FROM imports WHERE instr(accounts, ?1) > 0");
    if (!st) return st.error();
    st->bind(1, std::string_view(ref));
    std::vector<std::pair<std::int64_t, std::string>> changed;
    for (;;) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        const std::string refs = st->column_text(1);
        std::string kept;
        for (std::size_t start = 0; start <= refs.size();) {
            const std::size_t comma = std::min(refs.find(',', start), refs.size());
            const std::string one = refs.substr(start, comma - start);
            if (one != ref) kept += (kept.empty() ? "" : ",") + one;
            start = comma + 1;
        }
        if (kept != refs) changed.emplace_back(st->column_int(0), kept);
    }
    auto upd = sqlite::statement::prepare(h, "UPDATE imports SET accounts = ?2 WHERE id = ?1");
    if (!upd) return upd.error();
    for (const auto& [id, kept] : changed) {
        upd->bind(1, id).bind(2, std::string_view(kept));
        if (auto r = upd->run(); !r) return r;
        upd->reset();
    }
    return {};
}

// The purge's list of what its files are found by (pending_file_purge), in its transaction.
result<void> record_pending(sqlite3* h, const std::vector<purgeable_account>& accounts, const std::vector<released_import>& released) {
    auto ins = sqlite::statement::prepare(h, "INSERT INTO purge_pending (kind, name, sha256) VALUES (?1, ?2, ?3)");
    if (!ins) return ins.error();
    auto add = [&](std::string_view kind, std::string_view name, std::string_view sha) -> result<void> {
        ins->bind(1, kind).bind(2, name).bind(3, sha);
        auto r = ins->run();
        ins->reset();
        return r;
    };
    for (const auto& f : released) {
        if (auto r = add("file", f.file_name, f.sha256); !r) return r;
    }
    for (const auto& a : accounts) {
        if (auto r = add("ref", a.account_ref, ""); !r) return r;
        for (const auto& id : a.identifiers) {
            if (auto r = add("identifier", id, ""); !r) return r;
        }
    }
    return {};
}

}  // namespace

result<pending_files> pending_file_purge(const database& db) {
    auto st = sqlite::statement::prepare(db.handle(), "SELECT kind, name, sha256 FROM purge_pending ORDER BY id");
    if (!st) return st.error();
    pending_files out;
    std::set<std::string> seen;  // kind and name: a purge retried after a crash lists nothing twice
    for (;;) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        const std::string kind = st->column_text(0), name = st->column_text(1);
        if (!seen.insert(kind + '\n' + name + '\n' + st->column_text(2)).second) continue;
        if (kind == "file") out.released.push_back({name, st->column_text(2)});
        else if (kind == "ref") out.refs.push_back(name);
        else out.identifiers.push_back(name);
    }
    return out;
}

result<void> clear_pending_file_purge(database& db) {
    sqlite3* h = db.handle();
    if (auto r = sqlite::exec(h, "PRAGMA secure_delete = ON"); !r) return r.error();
    auto done = sqlite::exec(h, "DELETE FROM purge_pending");
    (void)sqlite::exec(h, "PRAGMA secure_delete = OFF");
    return done;
}

result<purge_counts> purge_accounts(database& db, const std::vector<purgeable_account>& accounts, const std::string& cutoff) {
    sqlite3* h = db.handle();
    if (auto r = sqlite::exec(h, "PRAGMA secure_delete = ON"); !r) return r.error();
    auto done = db.in_transaction([&]() -> result<purge_counts> {
        purge_counts c;
        for (const auto& a : accounts) {
            auto tx = count_of(h, "SELECT count(*) FROM transactions WHERE account_id = ?1", a.id);
            auto fl = count_of(h, "SELECT count(*) FROM flags WHERE account_id = ?1", a.id);
            auto rv = count_of(h, "SELECT count(*) FROM reviews WHERE account_id = ?1", a.id);
            if (!tx || !fl || !rv) return !tx ? tx.error() : !fl ? fl.error() : rv.error();
            c.transactions += *tx;
            c.flags += *fl;
            c.reviews += *rv;
            // Its own messages, and those about several accounts that name it (an onboarding summary, a digest;
            // quoted-printable bodies may break a reference across a soft line break).
            if (auto r = run(h, "DELETE FROM outbox WHERE account_ref = ?1 COLLATE NOCASE", a.account_ref); !r) return r.error();
            c.outbox += sqlite3_changes(h);
            auto shared = delete_naming(h,
                                        "SELECT id, subject, message FROM outbox WHERE instr(subject, ?1) > 0"
                                        " OR instr(replace(message, '=' || char(13) || char(10), ''), ?1) > 0",
                                        "DELETE FROM outbox WHERE id = ?1", a.account_ref);
            if (!shared) return shared.error();
            c.outbox += *shared;
            if (auto r = run(h, "DELETE FROM accounts WHERE account_ref = ?1", a.account_ref); !r) return r.error();
            c.accounts += sqlite3_changes(h);
            // Records of files refused or seen twice that name it (their error quotes the file's values).
            std::vector<std::string> ids = a.identifiers;
            ids.push_back(a.account_ref);
            for (const auto& n : ids) {
                auto refused = delete_naming(h,
                                             "SELECT id, coalesce(error, ''), accounts FROM imports WHERE status <> 'imported'"
                                             " AND (instr(coalesce(error, ''), ?1) > 0 OR instr(accounts, ?1) > 0)",
                                             "DELETE FROM imports WHERE id = ?1", n);
                if (!refused) return refused.error();
                c.imports += *refused;
            }
        }
        auto orphans = orphaned_imports(h);
        if (!orphans) return orphans.error();
        for (auto& [id, released] : *orphans) {
            auto st = sqlite::statement::prepare(h, "DELETE FROM imports WHERE id = ?1");
            if (!st) return st.error();
            st->bind(1, id);
            if (auto r = st->run(); !r) return r.error();
            ++c.imports;
            c.released.push_back(std::move(released));
        }
        for (const auto& a : accounts) {
            if (auto r = unlist_account(h, a.account_ref); !r) return r.error();
        }
        if (auto r = record_pending(h, accounts, c.released); !r) return r.error();
        // Records of files refused or seen twice name no rows: they go by age.
        if (auto r = run(h, "DELETE FROM imports WHERE status <> 'imported' AND imported_at < ?1", cutoff); !r) return r.error();
        c.imports += sqlite3_changes(h);
        return c;
    });
    (void)sqlite::exec(h, "PRAGMA secure_delete = OFF");
    return done;
}

result<std::vector<std::string>> refs_still_stored(const database& db, const std::vector<std::string>& refs) {
    auto st = sqlite::statement::prepare(db.handle(), "SELECT account_ref FROM accounts WHERE account_ref = ?1");
    if (!st) return st.error();
    std::vector<std::string> out;
    for (const auto& ref : refs) {
        st->bind(1, std::string_view(ref));
        auto row = st->step();
        if (!row) return row.error();
        if (*row) out.push_back(ref);
        st->reset();
    }
    return out;
}

result<void> checkpoint_truncate(database& db) {
    int log = 0, done = 0;
    const int rc = sqlite3_wal_checkpoint_v2(db.handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
    if (rc != SQLITE_OK) return sqlite::db_error(db.handle(), "emptying the WAL (wal_checkpoint TRUNCATE)");
    return {};
}

}  // namespace dpmon::storage
