#include "dpmon/storage/surplus_store.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "sqlite.hpp"

namespace dpmon::storage {
namespace {

constexpr const char* exemption_columns =
    "e.id, a.account_ref, e.reason, e.detail, e.from_date, e.until_date, e.by, e.recorded_at";

exemption_record read_exemption(const sqlite::statement& st) {
    return exemption_record{st.column_int(0),  st.column_text(1), st.column_text(2), st.column_text(3),
                            st.column_text(4), st.column_text(5), st.column_text(6), st.column_text(7)};
}

constexpr const char* recovery_columns =
    "r.id, a.account_ref, r.state, r.amount_pence, r.computation, r.proposed_by, r.proposed_at, coalesce(r.recover_on, ''),"
    " coalesce(r.notice_text, ''), coalesce(r.notice_html, ''), coalesce(r.notified_by, ''), coalesce(r.notified_at, ''),"
    " coalesce(r.closed_amount_pence, 0), coalesce(r.closed_by, ''), coalesce(r.closed_at, ''), coalesce(r.note, '')";

// A stored recovery; errc::database_error when its state is unknown to this dpmon.
result<recovery_record> read_recovery(const sqlite::statement& st) {
    recovery_record r;
    r.id = st.column_int(0);
    r.account_ref = st.column_text(1);
    const std::string state = st.column_text(2);
    const auto known = core::parse_recovery_state(state);
    if (!known) return make_error(errc::database_error, "recovery " + std::to_string(r.id) + " is in the unknown state '" + state + "'");
    r.state = *known;
    r.amount_pence = st.column_int(3);
    r.computation_json = st.column_text(4);
    r.proposed_by = st.column_text(5);
    r.proposed_at = st.column_text(6);
    r.recover_on = st.column_text(7);
    r.notice_text = st.column_text(8);
    r.notice_html = st.column_text(9);
    r.notified_by = st.column_text(10);
    r.notified_at = st.column_text(11);
    r.closed_amount_pence = st.column_int(12);
    r.closed_by = st.column_text(13);
    r.closed_at = st.column_text(14);
    r.note = st.column_text(15);
    return r;
}

result<void> history(const database& db, std::int64_t id, const std::string& at, const std::string& event,
                     const std::string& by, const std::string& note) {
    auto st = db.statements().get("INSERT INTO recovery_history (recovery_id, at, event, by, note) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st) return st.error();
    (*st)->bind(1, id).bind_static(2, at).bind_static(3, event).bind_static(4, by).bind_static(5, note);
    return (*st)->run();
}

result<recovery_record> must_find(const database& db, std::int64_t id) {
    auto r = find_recovery(db, id);
    if (!r) return r.error();
    if (!*r) return make_error(errc::not_found, "no recovery " + std::to_string(id));
    return **r;
}

}  // namespace

result<exemption_record> add_exemption(database& db, std::int64_t account_id, const exemption_record& e) {
    auto st = db.statements().get(
        "INSERT INTO exemptions (account_id, reason, detail, from_date, until_date, by, recorded_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id");
    if (!st) return st.error();
    (*st)->bind(1, account_id).bind_static(2, e.reason).bind_static(3, e.detail).bind_static(4, e.from_date);
    (*st)->bind_static(5, e.until_date).bind_static(6, e.by).bind_static(7, e.recorded_at);
    auto row = (*st)->step();
    if (!row) return row.error();
    exemption_record out = e;
    out.id = (*st)->column_int(0);
    return out;
}

result<std::vector<exemption_record>> list_exemptions(const database& db, std::int64_t account_id) {
    auto st = db.statements().get(std::string("SELECT ") + exemption_columns +
                                  " FROM exemptions e JOIN accounts a ON a.id = e.account_id"
                                  " WHERE ?1 = 0 OR e.account_id = ?1 ORDER BY e.id DESC");
    if (!st) return st.error();
    (*st)->bind(1, account_id);
    return sqlite::collect<exemption_record>(**st, read_exemption);
}

result<std::optional<exemption_record>> active_exemption(const database& db, std::int64_t account_id, const std::string& day) {
    auto st = db.statements().get(std::string("SELECT ") + exemption_columns +
                                  " FROM exemptions e JOIN accounts a ON a.id = e.account_id"
                                  " WHERE e.account_id = ?1 AND e.from_date <= ?2 AND e.until_date >= ?2"
                                  " ORDER BY e.until_date DESC LIMIT 1");
    if (!st) return st.error();
    (*st)->bind(1, account_id).bind_static(2, day);
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row) return std::optional<exemption_record>();
    return std::optional<exemption_record>(read_exemption(**st));
}

std::string computation_json(const recovery_computation& c) {
    const boost::json::object o{
        {"rule", "balance - retained_weeks x weekly budget - known liabilities - overpaid contributions"},
        {"balance", c.balance.to_decimal()},
        {"balance_date", c.balance_date},
        {"weekly_budget", c.weekly_budget.to_decimal()},
        {"retained_weeks", std::to_string(c.retained_weeks)},
        {"retained", c.retained.to_decimal()},
        {"known_liabilities", c.known_liabilities.to_decimal()},
        {"overpaid_contributions_excluded", c.overpaid_contributions_excluded.to_decimal()},
        {"recoverable", c.recoverable.to_decimal()}};
    return boost::json::serialize(o);
}

result<recovery_computation> parse_computation(std::string_view json) {
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(json, ec);
    const auto* o = ec ? nullptr : v.if_object();
    auto text = [&](const char* key) -> result<std::string> {
        const auto* f = o ? o->if_contains(key) : nullptr;
        if (!f || !f->is_string())
            return make_error(errc::database_error, std::string("a stored recovery computation lacks '") + key + "'");
        return std::string(f->as_string());
    };
    recovery_computation c;
    const std::pair<const char*, core::money*> amounts[] = {
        {"balance", &c.balance}, {"weekly_budget", &c.weekly_budget}, {"retained", &c.retained},
        {"known_liabilities", &c.known_liabilities},
        {"overpaid_contributions_excluded", &c.overpaid_contributions_excluded}, {"recoverable", &c.recoverable}};
    for (const auto& [key, into] : amounts) {
        auto t = text(key);
        if (!t) return t.error();
        auto m = core::parse_money(*t);
        if (!m) return make_error(errc::database_error, std::string("a stored recovery computation's '") + key + "': " + m.error().message);
        *into = *m;
    }
    auto date = text("balance_date");
    if (!date) return date.error();
    c.balance_date = *date;
    auto weeks = text("retained_weeks");
    if (!weeks) return weeks.error();
    try {
        c.retained_weeks = std::stoll(*weeks);
    } catch (const std::exception&) {
        return make_error(errc::database_error, "a stored recovery computation's 'retained_weeks' is not a number");
    }
    return c;
}

result<recovery_record> propose_recovery(database& db, std::int64_t account_id, std::int64_t amount_pence,
                                         const recovery_computation& how, const std::string& by, const std::string& note,
                                         const std::string& now_utc) {
    auto st = db.statements().get(
        "INSERT INTO recoveries (account_id, state, amount_pence, computation, proposed_by, proposed_at, note)"
        " VALUES (?1, 'proposed', ?2, ?3, ?4, ?5, nullif(?6, '')) RETURNING id");
    if (!st) return st.error();
    const std::string json = computation_json(how);
    (*st)->bind(1, account_id).bind(2, amount_pence).bind_static(3, json).bind_static(4, by);
    (*st)->bind_static(5, now_utc).bind_static(6, note);
    auto row = (*st)->step();
    if (!row) return row.error();
    const std::int64_t id = (*st)->column_int(0);
    (*st)->reset();
    if (auto h = history(db, id, now_utc, "proposed", by, note); !h) return h.error();
    return must_find(db, id);
}

result<recovery_record> notify_recovery(database& db, std::int64_t id, const std::string& recover_on,
                                        const std::string& notice_text, const std::string& notice_html,
                                        const std::string& by, const std::string& now_utc) {
    auto r = must_find(db, id);
    if (!r) return r.error();
    if (r->state != core::recovery_state::proposed)
        return make_error(errc::conflict, "recovery " + std::to_string(id) + " is " + std::string(core::to_string(r->state)) +
                                              "; only a proposed recovery can be notified");
    auto st = db.statements().get(
        "UPDATE recoveries SET state = 'notified', recover_on = ?2, notice_text = ?3, notice_html = ?4, notified_by = ?5,"
        " notified_at = ?6 WHERE id = ?1");
    if (!st) return st.error();
    (*st)->bind(1, id).bind_static(2, recover_on).bind_static(3, notice_text).bind_static(4, notice_html);
    (*st)->bind_static(5, by).bind_static(6, now_utc);
    if (auto u = (*st)->run(); !u) return u.error();
    if (auto h = history(db, id, now_utc, "notified", by, "notice issued; recovery on " + recover_on); !h) return h.error();
    return must_find(db, id);
}

result<recovery_record> close_recovery(database& db, std::int64_t id, core::recovery_state to, std::int64_t amount_pence,
                                       const std::string& by, const std::string& note, const std::string& now_utc) {
    auto r = must_find(db, id);
    if (!r) return r.error();
    const std::string state(core::to_string(to));
    const std::string at = "recovery " + std::to_string(id) + " is " + std::string(core::to_string(r->state));
    if (to == core::recovery_state::recovered || to == core::recovery_state::offset) {
        if (r->state == core::recovery_state::proposed)
            return make_error(errc::conflict, at + ": it must be notified (a written notice of the amount and date) before it is " + state);
        if (r->state != core::recovery_state::notified) return make_error(errc::conflict, at + ": it is closed already");
        if (amount_pence > r->amount_pence)
            return make_error(errc::conflict, "recovery " + std::to_string(id) + ": " + std::to_string(amount_pence) +
                                                  " pence is more than the " + std::to_string(r->amount_pence) +
                                                  " pence proposed and notified");
        if (amount_pence <= 0) return make_error(errc::invalid_argument, "field 'amount': must be more than 0.00");
    } else if (to == core::recovery_state::waived) {
        if (r->state != core::recovery_state::proposed && r->state != core::recovery_state::notified)
            return make_error(errc::conflict, at + ": it is closed already");
        amount_pence = 0;
    } else {
        return make_error(errc::invalid_argument, "state must be recovered, offset or waived");
    }
    auto st = db.statements().get(
        "UPDATE recoveries SET state = ?2, closed_amount_pence = ?3, closed_by = ?4, closed_at = ?5,"
        " note = coalesce(nullif(?6, ''), note) WHERE id = ?1");
    if (!st) return st.error();
    (*st)->bind(1, id).bind_static(2, state).bind(3, amount_pence).bind_static(4, by).bind_static(5, now_utc).bind_static(6, note);
    if (auto u = (*st)->run(); !u) return u.error();
    if (auto h = history(db, id, now_utc, state, by, note); !h) return h.error();
    return must_find(db, id);
}

result<std::optional<recovery_record>> find_recovery(const database& db, std::int64_t id) {
    auto st = db.statements().get(std::string("SELECT ") + recovery_columns +
                                  " FROM recoveries r JOIN accounts a ON a.id = r.account_id WHERE r.id = ?1");
    if (!st) return st.error();
    (*st)->bind(1, id);
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row) return std::optional<recovery_record>();
    auto r = read_recovery(**st);
    if (!r) return r.error();
    return std::optional<recovery_record>(std::move(*r));
}

result<std::vector<recovery_record>> list_recoveries(const database& db, std::int64_t account_id, const std::string& state) {
    auto st = db.statements().get(std::string("SELECT ") + recovery_columns +
                                  " FROM recoveries r JOIN accounts a ON a.id = r.account_id"
                                  " WHERE (?1 = 0 OR r.account_id = ?1) AND (?2 = '' OR r.state = ?2) ORDER BY r.id DESC");
    if (!st) return st.error();
    (*st)->bind(1, account_id).bind_static(2, state);
    return sqlite::collect<recovery_record>(**st, read_recovery);
}

result<std::vector<recovery_event>> recovery_history(const database& db, std::int64_t id) {
    auto st = db.statements().get("SELECT at, event, by, note FROM recovery_history WHERE recovery_id = ?1 ORDER BY id");
    if (!st) return st.error();
    (*st)->bind(1, id);
    return sqlite::collect<recovery_event>(**st, [](const sqlite::statement& row) {
        return recovery_event{row.column_text(0), row.column_text(1), row.column_text(2), row.column_text(3)};
    });
}

}  // namespace dpmon::storage
