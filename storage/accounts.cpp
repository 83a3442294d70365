#include "dpmon/storage/accounts.hpp"

#include <map>

#include "sqlite.hpp"

namespace dpmon::storage {
namespace {

constexpr const char* account_columns =
    "a.id, a.account_ref, a.person_ref, a.account_type, coalesce(a.sort_code, ''), coalesce(a.account_number, ''),"
    " coalesce(a.card_id, ''), a.dp_start, a.finance_officer, a.status, a.plans_json, a.policy_json, a.return_frequency,"
    " coalesce(a.closed_on, ''), a.household_json";

account_record read_account(const sqlite::statement& st) {
    return account_record{st.column_int(0),  st.column_text(1), st.column_text(2), st.column_text(3),
                          st.column_text(4), st.column_text(5), st.column_text(6), st.column_text(7),
                          st.column_text(8), st.column_text(9), st.column_text(10), st.column_text(11),
                          st.column_text(12), st.column_text(13), st.column_text(14)};
}

void bind_or_null(sqlite::statement& st, int index, const std::string& value) {
    if (value.empty()) {
        st.bind_null(index);
    } else {
        st.bind(index, std::string_view(value));
    }
}

}  // namespace

result<std::int64_t> upsert_account(database& db, const account_record& a) {
    auto st = sqlite::statement::prepare(
        db.handle(),
        "INSERT INTO accounts (account_ref, person_ref, account_type, sort_code, account_number, card_id, dp_start,"
        " finance_officer, status, plans_json, policy_json, return_frequency, closed_on, household_json,"
        " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, nullif(?13, ''), ?14,"
        " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
        " ON CONFLICT (account_ref) DO UPDATE SET person_ref = excluded.person_ref,"
        " account_type = excluded.account_type, sort_code = excluded.sort_code,"
        " account_number = excluded.account_number, card_id = excluded.card_id, dp_start = excluded.dp_start,"
        " finance_officer = excluded.finance_officer, status = excluded.status, plans_json = excluded.plans_json,"
        " policy_json = excluded.policy_json, return_frequency = excluded.return_frequency, closed_on = excluded.closed_on,"
        " household_json = excluded.household_json,"
        " updated_at = excluded.updated_at"
        " RETURNING id");
    if (!st) return st.error();
    st->bind(1, std::string_view(a.account_ref)).bind(2, std::string_view(a.person_ref)).bind(3, std::string_view(a.account_type));
    bind_or_null(*st, 4, a.sort_code);
    bind_or_null(*st, 5, a.account_number);
    bind_or_null(*st, 6, a.card_id);
    st->bind(7, std::string_view(a.dp_start)).bind(8, std::string_view(a.finance_officer)).bind(9, std::string_view(a.status));
    st->bind(10, std::string_view(a.plans_json))
        .bind(11, std::string_view(a.policy_json))
        .bind(12, std::string_view(a.return_frequency))
        .bind(13, std::string_view(a.closed_on))
        .bind(14, std::string_view(a.household_json));
    auto row = st->step();
    if (!row) return row.error();
    return st->column_int(0);
}

result<void> upsert_accounts(database& db, const std::vector<account_record>& accounts) {
    return db.in_transaction([&]() -> result<void> {
        for (const auto& a : accounts) {
            if (auto r = upsert_account(db, a); !r) return r.error();
        }
        return {};
    });
}

result<std::vector<account_record>> list_accounts(const database& db) {
    auto st = sqlite::statement::prepare(db.handle(), std::string("SELECT ") + account_columns + " FROM accounts a ORDER BY account_ref");
    if (!st) return st.error();
    return sqlite::collect<account_record>(*st, read_account);
}

result<std::vector<account_officer>> list_account_officers(const database& db) {
    auto st = db.statements().get("SELECT account_ref, finance_officer FROM accounts ORDER BY account_ref");
    if (!st) return st.error();
    return sqlite::collect<account_officer>(**st, [](const sqlite::statement& row) {
        return account_officer{row.column_text(0), row.column_text(1)};
    });
}

result<std::optional<account_record>> find_account(const database& db, std::string_view account_ref) {
    // Every account page and view starts here: the compiled statement is kept.
    auto st = db.statements().get(std::string("SELECT ") + account_columns + " FROM accounts a WHERE account_ref = ?1");
    if (!st) return st.error();
    (*st)->bind(1, account_ref);
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row) return std::optional<account_record>();
    return std::optional<account_record>(read_account(**st));
}

result<void> save_account_status(database& db, std::int64_t account_id, const account_status& s) {
    auto st = db.statements().get("INSERT OR REPLACE INTO account_status (account_id, balance_pence, balance_date, balance_from_statement,"
                     " recoverable_pence, reconciled_on, rules_key) VALUES (?1, ?2, nullif(?3, ''), ?4, ?5, ?6, ?7)");
    if (!st) return st.error();
    (*st)->bind(1, account_id)
        .bind(2, s.balance_pence)
        .bind(3, std::string_view(s.balance_date))
        .bind(4, std::int64_t{s.balance_from_statement ? 1 : 0})
        .bind(5, s.recoverable_pence)
        .bind(6, std::string_view(s.reconciled_on))
        .bind(7, std::string_view(s.rules_key));
    return (*st)->run();
}

result<std::optional<account_status>> find_account_status(const database& db, std::int64_t account_id) {
    auto st = db.statements().get("SELECT balance_pence, coalesce(balance_date, ''), balance_from_statement, recoverable_pence,"
                     " reconciled_on, rules_key FROM account_status WHERE account_id = ?1");
    if (!st) return st.error();
    (*st)->bind(1, account_id);
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row) return std::optional<account_status>();
    return std::optional<account_status>(account_status{(*st)->column_int(0), (*st)->column_text(1), (*st)->column_int(2) != 0,
                                                        (*st)->column_int(3), (*st)->column_text(4), (*st)->column_text(5)});
}

result<std::vector<account_row>> list_account_rows(const database& db, const account_query& q) {
    // One query, filtered and paged in SQL (by reference, the accounts table's unique key), each row with its
    // flag codes and its next review: a page costs one statement, not three a row.
    auto st = db.statements().get(
        "SELECT a.id, a.account_ref, a.status, a.finance_officer,"
        " s.balance_pence, coalesce(s.balance_date, ''), s.balance_from_statement, s.recoverable_pence, s.reconciled_on,"
        " (SELECT group_concat(code, ',') FROM (SELECT DISTINCT code FROM flags f"
        "   WHERE f.account_id = a.id AND f.state IN ('open', 'acknowledged') ORDER BY code)),"
        " r.id, r.kind, r.due_on"
        " FROM accounts a LEFT JOIN account_status s ON s.account_id = a.id"
        " LEFT JOIN reviews r ON r.id = (SELECT n.id FROM reviews n INDEXED BY reviews_account_due"
        "   WHERE n.account_id = a.id AND n.state = 'scheduled' ORDER BY n.due_on, n.id LIMIT 1)"
        " WHERE a.account_ref > ?1 AND (?2 = '' OR lower(a.finance_officer) = lower(?2)) AND (?3 = '' OR a.status = ?3)"
        // Each account in reference order is looked up in the (state, code, account_id) index, alone: the
        // page costs its own rows, not a list of every flagged account built per request.
        " AND (?4 = '' OR EXISTS (SELECT 1 FROM flags f WHERE f.state IN ('open', 'acknowledged') AND f.code = ?4"
        "                         AND f.account_id = a.id))"
        " ORDER BY a.account_ref LIMIT ?5");
    if (!st) return st.error();
    (*st)->bind(1, std::string_view(q.after_ref)).bind(2, std::string_view(q.officer)).bind(3, std::string_view(q.status));
    (*st)->bind(4, std::string_view(q.flag)).bind(5, q.limit);
    return sqlite::collect<account_row>(**st, [](const sqlite::statement& row) {
        account_row r{{row.column_int(0), row.column_text(1), row.column_text(2), row.column_text(3)}, std::nullopt, {}, std::nullopt};
        if (!row.column_is_null(4)) {
            r.status = account_status{row.column_int(4), row.column_text(5), row.column_int(6) != 0,
                                      row.column_int(7), row.column_text(8), ""};
        }
        const std::string codes = row.column_text(9);
        for (std::size_t start = 0; start < codes.size();) {
            const std::size_t comma = codes.find(',', start);
            r.open_flags.push_back(codes.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
        if (!row.column_is_null(10)) r.review = next_review{row.column_int(10), row.column_text(11), row.column_text(12)};
        return r;
    });
}

}  // namespace dpmon::storage
