#include "dpmon/storage/flag_store.hpp"

#include <map>
#include <set>

#include "sqlite.hpp"

namespace dpmon::storage {
namespace {

// {"k":"v",...} with JSON string escaping; keys in map order.
std::string json_object(const std::map<std::string, std::string>& m) {
    auto quote = [](const std::string& s) {
        std::string out = "\"";
        for (char c : s) {
            switch (c) {
                case '"': out += "\\\""; break;
                case '\\': out += "\\\\"; break;
                case '\n': out += "\\n"; break;
                case '\r': out += "\\r"; break;
                case '\t': out += "\\t"; break;
                default:
                    if (static_cast<unsigned char>(c) < 0x20) {
                        static constexpr char hex[] = "0123456789abcdef";
                        out += "\\u00";
                        out += hex[(c >> 4) & 0xF];
                        out += hex[c & 0xF];
                    } else {
                        out += c;
                    }
            }
        }
        return out + "\"";
    };
    std::string out = "{";
    for (const auto& [k, v] : m) out += (out.size() > 1 ? "," : "") + quote(k) + ":" + quote(v);
    return out + "}";
}

constexpr const char* flag_columns =
    "f.id, a.account_ref, f.code, f.key, f.period_first, f.period_last, f.amount_pence, f.reason, f.inputs_json,"
    " f.state, f.raised_on, coalesce(f.acknowledged_by, ''), coalesce(f.acknowledged_note, ''),"
    " coalesce(f.acknowledged_at, ''), coalesce(f.resolved_on, '')";

// A stored flag; errc::database_error when its code is unknown to this dpmon (written by a newer one).
result<flag_record> read_flag(const sqlite::statement& st) {
    flag_record r;
    r.id = st.column_int(0);
    r.account_ref = st.column_text(1);
    const std::string code = st.column_text(2);
    const auto known = core::parse_flag_code(code);
    if (!known)
        return make_error(errc::database_error, "flag " + std::to_string(r.id) + " has the code '" + code +
                                                    "', which this dpmon does not know; run the dpmon that wrote it");
    r.code = *known;
    r.key = st.column_text(3);
    r.period_first = st.column_text(4);
    r.period_last = st.column_text(5);
    r.amount_pence = st.column_int(6);
    r.reason = st.column_text(7);
    r.inputs_json = st.column_text(8);
    const std::string state = st.column_text(9);
    const auto known_state = core::parse_flag_state(state);
    if (!known_state) return make_error(errc::database_error, "flag " + std::to_string(r.id) + " is in the unknown state '" + state + "'");
    r.state = *known_state;
    r.raised_on = st.column_text(10);
    r.acknowledged_by = st.column_text(11);
    r.acknowledged_note = st.column_text(12);
    r.acknowledged_at = st.column_text(13);
    r.resolved_on = st.column_text(14);
    return r;
}

result<void> history(const database& db, std::int64_t flag_id, std::string_view at, std::string_view event,
                     std::string_view by, std::string_view detail) {
    auto st = db.statements().get("INSERT INTO flag_history (flag_id, at, event, by, detail)"
                                  " VALUES (?1, ?2, ?3, nullif(?4, ''), ?5)");
    if (!st) return st.error();
    (*st)->bind(1, flag_id).bind_static(2, at).bind_static(3, event).bind_static(4, by).bind_static(5, detail);
    return (*st)->run();
}

}  // namespace

result<flag_changes> sync_flags(database& db, std::int64_t account_id, const std::vector<core::flag>& computed,
                                const std::string& today, const std::string& now_utc) {
    flag_changes changes;
    std::set<std::string> holding;
    // The account's flags, read once (one range of the (account_id, key) index).
    struct stored {
        std::int64_t id;
        std::string state;
        std::int64_t amount;
    };
    std::map<std::string, stored, std::less<>> have;
    {
        auto all = db.statements().get("SELECT key, id, state, amount_pence FROM flags WHERE account_id = ?1");
        if (!all) return all.error();
        (*all)->bind(1, account_id);
        for (;;) {
            auto row = (*all)->step();
            if (!row) return row.error();
            if (!*row) break;
            have.emplace((*all)->column_text(0), stored{(*all)->column_int(1), (*all)->column_text(2), (*all)->column_int(3)});
        }
    }
    for (const core::flag& f : computed) {
        holding.insert(f.key);
        const auto found = have.find(f.key);
        if (found == have.end()) {
            const std::string inputs = json_object(f.inputs);
            auto ins = db.statements().get("INSERT INTO flags (account_id, code, key, period_first, period_last, amount_pence, reason, inputs_json,"
                   " state, raised_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open', ?9) RETURNING id");
            if (!ins) return ins.error();
            const std::string first = core::format_iso_date(f.span.first);
            const std::string last = core::format_iso_date(f.span.last);
            (*ins)->bind(1, account_id)
                .bind(2, core::to_string(f.code))
                .bind(3, std::string_view(f.key))
                .bind(4, std::string_view(first))
                .bind(5, std::string_view(last))
                .bind(6, f.amount.pence())
                .bind(7, std::string_view(f.reason))
                .bind(8, std::string_view(inputs))
                .bind(9, std::string_view(today));
            auto r = (*ins)->step();
            if (!r) return r.error();
            const std::int64_t id = (*ins)->column_int(0);
            if (auto hr = history(db, id, now_utc, "raised", "", f.reason); !hr) return hr.error();
            changes.raised.push_back(id);
            continue;
        }
        const std::int64_t id = found->second.id;
        const std::string& state = found->second.state;
        const std::int64_t old_amount = found->second.amount;
        const bool reopen = state == "resolved";
        if (!reopen && old_amount == f.amount.pence()) continue;
        const std::string inputs = json_object(f.inputs);
        auto upd = db.statements().get("UPDATE flags SET amount_pence = ?2, reason = ?3, inputs_json = ?4,"
               " state = CASE state WHEN 'resolved' THEN 'open' ELSE state END,"
               " resolved_on = CASE state WHEN 'resolved' THEN NULL ELSE resolved_on END WHERE id = ?1");
        if (!upd) return upd.error();
        (*upd)->bind(1, id).bind(2, f.amount.pence()).bind(3, std::string_view(f.reason)).bind(4, std::string_view(inputs));
        if (auto r = (*upd)->run(); !r) return r.error();
        if (auto hr = history(db, id, now_utc, reopen ? "reopened" : "updated", "", f.reason); !hr) return hr.error();
        if (reopen) changes.raised.push_back(id);
    }
    // Conditions that no longer hold.
    std::vector<std::int64_t> to_resolve;
    for (const auto& [key, st] : have) {
        if (st.state != "resolved" && holding.count(key) == 0) to_resolve.push_back(st.id);
    }
    for (std::int64_t id : to_resolve) {
        auto upd = db.statements().get("UPDATE flags SET state = 'resolved', resolved_on = ?2 WHERE id = ?1");
        if (!upd) return upd.error();
        (*upd)->bind(1, id).bind(2, std::string_view(today));
        if (auto r = (*upd)->run(); !r) return r.error();
        if (auto hr = history(db, id, now_utc, "resolved", "", "the condition no longer holds on " + today); !hr)
            return hr.error();
        changes.resolved.push_back(id);
    }
    return changes;
}

result<std::vector<flag_record>> list_flags(const database& db, std::string_view state, std::string_view code,
                                            std::int64_t account_id) {
    // Only the conditions asked for, so SQLite can use the (account_id, key) and (state, code) indexes: a
    // catch-all "(?3 = 0 OR account_id = ?3)" scanned every flag for each account.
    std::string where = " WHERE 1";
    if (!state.empty()) where += " AND f.state = ?1";
    if (!code.empty()) where += " AND f.code = ?2";
    if (account_id != 0) where += " AND f.account_id = ?3";
    auto st = db.statements().get(std::string("SELECT ") + flag_columns + " FROM flags f JOIN accounts a ON a.id = f.account_id" +
                                  where + " ORDER BY f.id DESC");
    if (!st) return st.error();
    (*st)->bind(1, state).bind(2, code).bind(3, account_id);
    return sqlite::collect<flag_record>(**st, read_flag);
}

result<std::optional<flag_record>> find_flag(const database& db, std::int64_t flag_id) {
    auto st = db.statements().get(std::string("SELECT ") + flag_columns +
                                  " FROM flags f JOIN accounts a ON a.id = f.account_id WHERE f.id = ?1");
    if (!st) return st.error();
    (*st)->bind(1, flag_id);
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row) return std::optional<flag_record>();
    auto r = read_flag(**st);
    if (!r) return r.error();
    return std::optional<flag_record>(std::move(*r));
}

result<flag_record> acknowledge_flag(database& db, std::int64_t flag_id, const std::string& by, const std::string& note,
                                     const std::string& now_utc) {
    sqlite3* h = db.handle();
    return db.in_transaction([&]() -> result<flag_record> {
        auto st = sqlite::statement::prepare(h, std::string("SELECT ") + flag_columns +
                                                    " FROM flags f JOIN accounts a ON a.id = f.account_id WHERE f.id = ?1");
        if (!st) return st.error();
        st->bind(1, flag_id);
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) return make_error(errc::not_found, "no flag " + std::to_string(flag_id));
        auto read = read_flag(*st);
        if (!read) return read.error();
        flag_record r = std::move(*read);
        if (r.state != core::flag_state::open) {
            return make_error(errc::conflict, "flag " + std::to_string(flag_id) + " is " + std::string(core::to_string(r.state)) +
                                                  (r.state == core::flag_state::acknowledged ? " already (by " + r.acknowledged_by + ")" : "") +
                                                  "; only an open flag can be acknowledged");
        }
        auto upd = sqlite::statement::prepare(h, "UPDATE flags SET state = 'acknowledged', acknowledged_by = ?2,"
                                                 " acknowledged_note = ?3, acknowledged_at = ?4 WHERE id = ?1");
        if (!upd) return upd.error();
        upd->bind(1, flag_id).bind(2, std::string_view(by)).bind(3, std::string_view(note)).bind(4, std::string_view(now_utc));
        if (auto u = upd->run(); !u) return u.error();
        if (auto hr = history(db, flag_id, now_utc, "acknowledged", by, note); !hr) return hr.error();
        r.state = core::flag_state::acknowledged;
        r.acknowledged_by = by;
        r.acknowledged_note = note;
        r.acknowledged_at = now_utc;
        return r;
    });
}

result<std::vector<flag_event>> flag_history(const database& db, std::int64_t flag_id) {
    auto st = sqlite::statement::prepare(db.handle(), "SELECT at, event, coalesce(by, ''), detail FROM flag_history"
                                                      " WHERE flag_id = ?1 ORDER BY id");
    if (!st) return st.error();
    st->bind(1, flag_id);
    return sqlite::collect<flag_event>(*st, [](const sqlite::statement& row) {
        return flag_event{row.column_text(0), row.column_text(1), row.column_text(2), row.column_text(3)};
    });
}

result<std::map<std::string, std::int64_t>> open_flag_counts(const database& db) {
    auto st = db.statements().get("SELECT code, count(*) FROM flags WHERE state <> 'resolved' GROUP BY code");
    if (!st) return st.error();
    std::map<std::string, std::int64_t> out;
    for (;;) {
        auto row = (*st)->step();
        if (!row) return row.error();
        if (!*row) return out;
        out[(*st)->column_text(0)] = (*st)->column_int(1);
    }
}

}  // namespace dpmon::storage
