#include "dpmon/storage/flag_store.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "dpmon/core/text.hpp"
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
    " coalesce(f.acknowledged_at, ''), coalesce(f.resolved_on, ''), coalesce(f.since, f.raised_on), f.transaction_ids";

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
    r.since = st.column_text(15);
    const std::string ids = st.column_text(16);
    for (std::size_t at = 0; at < ids.size();) {
        const std::size_t space = std::min(ids.find(' ', at), ids.size());
        r.transaction_ids.push_back(std::stoll(ids.substr(at, space - at)));
        at = space + 1;
    }
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

namespace {

// A stored flag as sync_flags compares it.
struct stored_flag {
    std::int64_t id = 0;
    core::flag_state state = core::flag_state::open;
    core::flag_code code = core::flag_code::surplus;
    std::int64_t amount = 0;
    std::string reason;
    std::optional<std::int64_t> acknowledged_amount;
};

result<std::map<std::string, stored_flag, std::less<>>> stored_flags(database& db, std::int64_t account_id) {
    std::map<std::string, stored_flag, std::less<>> have;
    auto all = db.statements().get("SELECT key, id, state, code, amount_pence, reason, acknowledged_amount_pence FROM flags"
                                   " WHERE account_id = ?1");
    if (!all) return all.error();
    (*all)->bind(1, account_id);
    for (;;) {
        auto row = (*all)->step();
        if (!row) return row.error();
        if (!*row) return have;
        stored_flag f;
        f.id = (*all)->column_int(1);
        const auto state = core::parse_flag_state((*all)->column_text(2));
        const auto code = core::parse_flag_code((*all)->column_text(3));
        if (!state || !code) return make_error(errc::database_error, "flag " + std::to_string(f.id) + " has an unknown state or code");
        f.state = *state;
        f.code = *code;
        f.amount = (*all)->column_int(4);
        f.reason = (*all)->column_text(5);
        if (!(*all)->column_is_null(6)) f.acknowledged_amount = (*all)->column_int(6);
        have.emplace((*all)->column_text(0), std::move(f));
    }
}

// The first day the condition held; a flag that does not say is taken to hold from its period's start.
std::string since_of(const core::flag& f) { return core::format_iso_date(f.since.ok() ? f.since : f.span.first); }

result<std::int64_t> insert_flag(database& db, std::int64_t account_id, const core::flag& f, const std::string& today) {
    auto ins = db.statements().get("INSERT INTO flags (account_id, code, key, period_first, period_last, amount_pence, reason, inputs_json,"
                                   " state, raised_on, resolved_on, since, transaction_ids)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, nullif(?11, ''), ?12, ?13) RETURNING id");
    if (!ins) return ins.error();
    const std::string inputs = json_object(f.inputs), first = core::format_iso_date(f.span.first),
                      last = core::format_iso_date(f.span.last), since = since_of(f),
                      ended = f.ended ? core::format_iso_date(*f.ended) : "", ids = core::id_list(f.transactions);
    (*ins)->bind(1, account_id).bind(2, core::to_string(f.code)).bind(3, std::string_view(f.key)).bind(4, std::string_view(first))
        .bind(5, std::string_view(last)).bind(6, f.amount.pence()).bind(7, std::string_view(f.reason)).bind(8, std::string_view(inputs))
        .bind(9, f.ended ? "resolved" : "open").bind(10, std::string_view(today)).bind(11, std::string_view(ended))
        .bind(12, std::string_view(since)).bind(13, std::string_view(ids));
    auto r = (*ins)->step();
    if (!r) return r.error();
    return (*ins)->column_int(0);
}

// New figures for a stored flag; `state` is what it becomes.
result<void> update_flag(database& db, std::int64_t id, const core::flag& f, core::flag_state state) {
    auto upd = db.statements().get("UPDATE flags SET amount_pence = ?2, reason = ?3, inputs_json = ?4, period_first = ?5,"
                                   " period_last = ?6, since = ?7, transaction_ids = ?8, state = ?9,"
                                   " resolved_on = CASE ?9 WHEN 'resolved' THEN resolved_on ELSE NULL END WHERE id = ?1");
    if (!upd) return upd.error();
    const std::string inputs = json_object(f.inputs), first = core::format_iso_date(f.span.first),
                      last = core::format_iso_date(f.span.last), since = since_of(f), ids = core::id_list(f.transactions);
    (*upd)->bind(1, id).bind(2, f.amount.pence()).bind(3, std::string_view(f.reason)).bind(4, std::string_view(inputs))
        .bind(5, std::string_view(first)).bind(6, std::string_view(last)).bind(7, std::string_view(since))
        .bind(8, std::string_view(ids)).bind(9, core::to_string(state));
    return (*upd)->run();
}

result<void> resolve_flag(database& db, std::int64_t id, const std::string& on) {
    auto upd = db.statements().get("UPDATE flags SET state = 'resolved', resolved_on = ?2 WHERE id = ?1");
    if (!upd) return upd.error();
    (*upd)->bind(1, id).bind(2, std::string_view(on));
    return (*upd)->run();
}

std::string amount_text(std::int64_t pence) { return core::money::from_pence(pence).to_display(); }

// An acknowledged condition alerts again when its amount has grown by 25 % or more since.
bool grew_past_acknowledgement(const stored_flag& s, const core::flag& f) {
    if (s.state != core::flag_state::acknowledged || !s.acknowledged_amount) return false;
    const std::int64_t was = std::llabs(*s.acknowledged_amount), now = std::llabs(f.amount.pence());
    return was > 0 && now * 4 >= was * 5;
}

}  // namespace

result<flag_changes> sync_flags(database& db, std::int64_t account_id, const std::vector<core::flag>& computed,
                                const std::string& today, const std::string& now_utc) {
    flag_changes changes;
    std::set<std::string, std::less<>> holding;
    auto have = stored_flags(db, account_id);
    if (!have) return have.error();
    for (const core::flag& f : computed) {
        holding.insert(f.key);
        const auto found = have->find(f.key);
        if (found == have->end()) {
            auto id = insert_flag(db, account_id, f, today);
            if (!id) return id.error();
            if (auto hr = history(db, *id, now_utc, "raised", "", f.reason); !hr) return hr.error();
            if (f.ended) {
                const std::string on = core::format_iso_date(*f.ended);
                if (auto hr = history(db, *id, now_utc, "resolved", "", "the episode ended on " + on); !hr) return hr.error();
                continue;
            }
            changes.raised.push_back(*id);
            continue;
        }
        const stored_flag& s = found->second;
        if (f.ended) {
            if (s.state == core::flag_state::resolved) continue;
            const std::string on = core::format_iso_date(*f.ended);
            if (auto u = update_flag(db, s.id, f, s.state); !u) return u.error();
            if (auto r = resolve_flag(db, s.id, on); !r) return r.error();
            if (auto hr = history(db, s.id, now_utc, "resolved", "", "the episode ended on " + on); !hr) return hr.error();
            changes.resolved.push_back(s.id);
            continue;
        }
        const bool reopen = s.state == core::flag_state::resolved || grew_past_acknowledgement(s, f);
        if (!reopen && s.amount == f.amount.pence() && s.reason == f.reason) continue;
        if (auto u = update_flag(db, s.id, f, reopen ? core::flag_state::open : s.state); !u) return u.error();
        std::string detail = s.amount == f.amount.pence() ? std::string()
                                                            : "amount " + amount_text(s.amount) + " -> " + f.amount.to_display() + ": ";
        if (s.state == core::flag_state::acknowledged && reopen) detail = "grew by 25% or more since it was acknowledged; " + detail;
        if (auto hr = history(db, s.id, now_utc, reopen ? "reopened" : "updated", "", detail + f.reason); !hr) return hr.error();
        if (reopen) changes.raised.push_back(s.id);
    }
    // Conditions that no longer hold. An acknowledged event check stays as it is: its transactions happened,
    // and the officer has dealt with them.
    for (const auto& [key, s] : *have) {
        if (s.state == core::flag_state::resolved || holding.count(key) != 0) continue;
        if (s.state == core::flag_state::acknowledged && core::is_event_check(s.code)) continue;
        if (auto r = resolve_flag(db, s.id, today); !r) return r.error();
        if (auto hr = history(db, s.id, now_utc, "resolved", "", "the condition no longer holds on " + today); !hr) return hr.error();
        changes.resolved.push_back(s.id);
    }
    return changes;
}

result<std::vector<flag_record>> list_flags(const database& db, std::string_view state, std::string_view code,
                                            std::int64_t account_id, std::int64_t before_id, std::int64_t limit) {
    // Only the conditions asked for, so SQLite can use the (account_id, key) and (state, code) indexes: a
    // catch-all "(?3 = 0 OR account_id = ?3)" scanned every flag for each account.
    std::string where = " WHERE 1";
    if (!state.empty()) where += " AND f.state = ?1";
    if (!code.empty()) where += " AND f.code = ?2";
    if (account_id != 0) where += " AND f.account_id = ?3";
    if (before_id != 0) where += " AND f.id < ?4";
    auto st = db.statements().get(std::string("SELECT ") + flag_columns + " FROM flags f JOIN accounts a ON a.id = f.account_id" +
                                  where + " ORDER BY f.id DESC LIMIT ?5");
    if (!st) return st.error();
    (*st)->bind(1, state).bind(2, code).bind(3, account_id).bind(4, before_id).bind(5, limit);
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
                                                 " acknowledged_note = ?3, acknowledged_at = ?4,"
                                                 " acknowledged_amount_pence = amount_pence WHERE id = ?1");
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
    // Kept by triggers (migration 12): no scan of the flags.
    auto st = db.statements().get("SELECT substr(name, 7), n FROM counters WHERE name >= 'flags:' AND name < 'flags;' AND n > 0");
    if (!st) return st.error();
    std::map<std::string, std::int64_t> out;
    for (;;) {
        auto row = (*st)->step();
        if (!row) return row.error();
        if (!*row) return out;
        out[(*st)->column_text(0)] = (*st)->column_int(1);
    }
}

result<std::int64_t> worklist_generation(const database& db) {
    auto st = db.statements().get("SELECT n FROM counters WHERE name = 'worklist_generation'");
    if (!st) return st.error();
    auto row = (*st)->step();
    if (!row) return row.error();
    const std::int64_t n = *row ? (*st)->column_int(0) : 0;
    (*st)->reset();
    return n;
}

}  // namespace dpmon::storage
