#include "dpmon/storage/outbox_store.hpp"

#include <functional>
#include <limits>

#include "sqlite.hpp"

namespace dpmon::storage {
namespace {

constexpr const char* columns =
    "id, key, kind, coalesce(account_ref, ''), recipient, subject, message, message_id, state, attempts, next_attempt_at,"
    " coalesce(last_error, ''), coalesce(reply_code, 0), created_at, coalesce(sent_at, '')";

// A stored message; errc::database_error when its state is unknown to this dpmon.
result<outbox_message> read_message(const sqlite::statement& st) {
    outbox_message m;
    m.id = st.column_int(0);
    m.key = st.column_text(1);
    m.kind = st.column_text(2);
    m.account_ref = st.column_text(3);
    m.recipient = st.column_text(4);
    m.subject = st.column_text(5);
    m.message = st.column_text(6);
    m.message_id = st.column_text(7);
    const std::string state = st.column_text(8);
    const auto known = core::parse_outbox_state(state);
    if (!known) return make_error(errc::database_error, "outbox message " + std::to_string(m.id) + " is in the unknown state '" + state + "'");
    m.state = *known;
    m.attempts = st.column_int(9);
    m.next_attempt_at = st.column_text(10);
    m.last_error = st.column_text(11);
    m.reply_code = st.column_int(12);
    m.created_at = st.column_text(13);
    m.sent_at = st.column_text(14);
    return m;
}

result<void> run(const database& db, const std::string& sql, const std::function<void(sqlite::statement&)>& bind) {
    auto st = db.statements().get(sql);
    if (!st) return st.error();
    bind(**st);
    return (*st)->run();
}

}  // namespace

result<bool> enqueue_message(database& db, const outbox_message& m) {
    auto st = db.statements().get(
        "INSERT INTO outbox (key, kind, account_ref, recipient, subject, message, message_id, state, next_attempt_at,"
        " last_error, created_at) VALUES (?1, ?2, nullif(?3, ''), ?4, ?5, ?6, ?7, ?8, ?9, nullif(?10, ''), ?11)"
        " ON CONFLICT (key) DO NOTHING RETURNING id");
    if (!st) return st.error();
    (*st)->bind_static(1, m.key).bind_static(2, m.kind).bind_static(3, m.account_ref).bind_static(4, m.recipient);
    (*st)->bind_static(5, m.subject).bind_static(6, m.message).bind_static(7, m.message_id);
    (*st)->bind(8, core::to_string(m.state));
    (*st)->bind_static(9, m.next_attempt_at).bind_static(10, m.last_error).bind_static(11, m.created_at);
    return (*st)->step();
}

result<std::optional<outbox_message>> next_due_message(const database& db, const std::string& now_utc) {
    auto st = db.statements().get(std::string("SELECT ") + columns +
                                  " FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT 1");
    if (!st) return st.error();
    (*st)->bind_static(1, now_utc);
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row) return std::optional<outbox_message>();
    auto m = read_message(**st);
    if (!m) return m.error();
    return std::optional<outbox_message>(std::move(*m));
}

result<std::optional<std::string>> next_attempt_at(const database& db) {
    auto st = db.statements().get("SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending'");
    if (!st) return st.error();
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row || (*st)->column_is_null(0)) return std::optional<std::string>();
    return std::optional<std::string>((*st)->column_text(0));
}

result<void> mark_sent(database& db, std::int64_t id, std::int64_t reply_code, const std::string& now_utc) {
    return run(db, "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?2, reply_code = ?3, last_error = NULL WHERE id = ?1",
               [&](sqlite::statement& s) { s.bind(1, id).bind_static(2, now_utc).bind(3, reply_code); });
}

result<void> mark_retry(database& db, std::int64_t id, const std::string& error, std::int64_t reply_code,
                        const std::string& next) {
    return run(db, "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, reply_code = ?3, next_attempt_at = ?4 WHERE id = ?1",
               [&](sqlite::statement& s) { s.bind(1, id).bind_static(2, error).bind(3, reply_code).bind_static(4, next); });
}

result<void> mark_failed(database& db, std::int64_t id, const std::string& error, std::int64_t reply_code) {
    return run(db, "UPDATE outbox SET state = 'failed_permanent', attempts = attempts + 1, last_error = ?2, reply_code = ?3 WHERE id = ?1",
               [&](sqlite::statement& s) { s.bind(1, id).bind_static(2, error).bind(3, reply_code); });
}

result<outbox_message> retry_message(database& db, std::int64_t id, const std::string& now_utc) {
    outbox_message m;
    {
        auto st = db.statements().get(std::string("SELECT ") + columns + " FROM outbox WHERE id = ?1");
        if (!st) return st.error();
        (*st)->bind(1, id);
        auto row = (*st)->step();
        if (!row) return row.error();
        if (!*row) return make_error(errc::not_found, "no outbox message " + std::to_string(id));
        auto read = read_message(**st);
        if (!read) return read.error();
        m = std::move(*read);
    }
    if (m.state == core::outbox_state::sent) return make_error(errc::conflict, "message " + std::to_string(id) + " was sent on " + m.sent_at);
    auto r = run(db, "UPDATE outbox SET state = 'pending', next_attempt_at = ?2 WHERE id = ?1",
                 [&](sqlite::statement& s) { s.bind(1, id).bind_static(2, now_utc); });
    if (!r) return r.error();
    m.state = core::outbox_state::pending;
    m.next_attempt_at = now_utc;
    return m;
}

result<std::vector<outbox_message>> list_outbox(const database& db, const std::string& state, std::int64_t limit,
                                                std::int64_t before_id) {
    auto st = db.statements().get(
        "SELECT id, key, kind, coalesce(account_ref, ''), recipient, subject, '', message_id, state, attempts, next_attempt_at,"
        " coalesce(last_error, ''), coalesce(reply_code, 0), created_at, coalesce(sent_at, '') FROM outbox"
        " INDEXED BY outbox_listing WHERE (?1 = '' OR state = ?1) AND id < ?3 ORDER BY id DESC LIMIT ?2");
    if (!st) return st.error();
    const std::int64_t below = before_id == 0 ? std::numeric_limits<std::int64_t>::max() : before_id;
    (*st)->bind_static(1, state).bind(2, limit).bind(3, below);
    return sqlite::collect<outbox_message>(**st, read_message);
}

result<outbox_counts> count_outbox(const database& db) {
    auto st = db.statements().get(
        "SELECT coalesce((SELECT n FROM counters WHERE name = 'outbox:pending'), 0),"
        " coalesce((SELECT n FROM counters WHERE name = 'outbox:failed_permanent'), 0)");  // kept by triggers
    if (!st) return st.error();
    auto row = (*st)->step();
    if (!row) return row.error();
    return outbox_counts{(*st)->column_int(0), (*st)->column_int(1)};
}

}  // namespace dpmon::storage
