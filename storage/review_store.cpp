#include "dpmon/storage/review_store.hpp"

#include <map>

#include "sqlite.hpp"

namespace dpmon::storage {
namespace {

constexpr const char* review_columns =
    "r.id, a.account_ref, a.finance_officer, r.kind, r.nominal_on, r.due_on, r.basis, r.state, r.scheduled_on,"
    " coalesce(r.reason, ''), coalesce(r.requested_by, ''), coalesce(r.completed_on, ''), coalesce(r.completed_by, ''),"
    " coalesce(r.outcome, ''), coalesce(r.next_due, ''), coalesce(r.next_due_reason, '')";

// A stored review; errc::database_error when its state is unknown to this dpmon.
result<review_record> read_review(const sqlite::statement& st) {
    review_record r;
    r.id = st.column_int(0);
    r.account_ref = st.column_text(1);
    r.finance_officer = st.column_text(2);
    r.kind = st.column_text(3);
    r.nominal_on = st.column_text(4);
    r.due_on = st.column_text(5);
    r.basis = st.column_text(6);
    const std::string state = st.column_text(7);
    const auto known = core::parse_review_state(state);
    if (!known) return make_error(errc::database_error, "review " + std::to_string(r.id) + " is in the unknown state '" + state + "'");
    r.state = *known;
    r.scheduled_on = st.column_text(8);
    r.reason = st.column_text(9);
    r.requested_by = st.column_text(10);
    r.completed_on = st.column_text(11);
    r.completed_by = st.column_text(12);
    r.outcome = st.column_text(13);
    r.next_due = st.column_text(14);
    r.next_due_reason = st.column_text(15);
    return r;
}

result<void> history(const database& db, std::int64_t review_id, const std::string& at, std::string_view event,
                     std::string_view by, const std::string& detail) {
    auto st = db.statements().get("INSERT INTO review_history (review_id, at, event, by, detail)"
                                  " VALUES (?1, ?2, ?3, nullif(?4, ''), ?5)");
    if (!st) return st.error();
    (*st)->bind(1, review_id).bind_static(2, at).bind_static(3, event).bind_static(4, by).bind_static(5, detail);
    return (*st)->run();
}

result<std::int64_t> insert_review(const database& db, std::int64_t account_id, std::string_view kind,
                                   const std::string& nominal, const std::string& due, const std::string& basis,
                                   const std::string& today) {
    auto st = db.statements().get(
        "INSERT INTO reviews (account_id, kind, nominal_on, due_on, basis, state, scheduled_on)"
        " VALUES (?1, ?2, ?3, ?4, ?5, 'scheduled', ?6) RETURNING id");
    if (!st) return st.error();
    (*st)->bind(1, account_id).bind_static(2, kind).bind_static(3, nominal).bind_static(4, due).bind_static(5, basis).bind_static(6, today);
    auto row = (*st)->step();
    if (!row) return row.error();
    return (*st)->column_int(0);
}

}  // namespace

result<std::vector<core::completed_review>> completed_reviews(const database& db, std::int64_t account_id) {
    auto st = db.statements().get("SELECT kind, completed_on, coalesce(next_due, '') FROM reviews"
                                  " WHERE account_id = ?1 AND state = 'completed' ORDER BY completed_on, id");
    if (!st) return st.error();
    (*st)->bind(1, account_id);
    std::vector<core::completed_review> out;
    for (;;) {
        auto row = (*st)->step();
        if (!row) return row.error();
        if (!*row) return out;
        core::completed_review c;
        if (!core::parse_review_kind((*st)->column_text(0), c.kind)) continue;
        auto on = core::parse_iso_date((*st)->column_text(1));
        if (!on) continue;
        c.completed_on = *on;
        if (auto next = core::parse_iso_date((*st)->column_text(2))) c.next_due = *next;
        out.push_back(c);
    }
}

result<int> sync_reviews(database& db, std::int64_t account_id, const std::vector<core::scheduled_review>& planned,
                         const std::string& today, const std::string& now_utc) {
    struct open_review {
        std::int64_t id;
        std::string due;
    };
    std::map<std::string, open_review> open;
    {
        auto st = db.statements().get("SELECT kind, id, due_on FROM reviews"
                                      " WHERE account_id = ?1 AND state = 'scheduled' AND kind <> 'EARLY_REVIEW'");
        if (!st) return st.error();
        (*st)->bind(1, account_id);
        for (;;) {
            auto row = (*st)->step();
            if (!row) return row.error();
            if (!*row) break;
            open[(*st)->column_text(0)] = {(*st)->column_int(1), (*st)->column_text(2)};
        }
    }
    int changed = 0;
    for (const auto& p : planned) {
        const std::string kind(core::to_string(p.kind));
        const std::string nominal = core::format_iso_date(p.nominal);
        const std::string due = core::format_iso_date(p.due);
        auto it = open.find(kind);
        if (it == open.end()) {
            auto id = insert_review(db, account_id, kind, nominal, due, p.basis, today);
            if (!id) return id.error();
            if (auto h = history(db, *id, now_utc, "scheduled", "", "due " + due + " (" + p.basis + ")"); !h) return h.error();
            ++changed;
            continue;
        }
        const open_review o = it->second;
        open.erase(it);
        if (o.due == due) continue;
        auto st = db.statements().get("UPDATE reviews SET nominal_on = ?2, due_on = ?3, basis = ?4 WHERE id = ?1");
        if (!st) return st.error();
        (*st)->bind(1, o.id).bind_static(2, nominal).bind_static(3, due).bind_static(4, p.basis);
        if (auto r = (*st)->run(); !r) return r.error();
        if (auto h = history(db, o.id, now_utc, "rescheduled", "", "due " + o.due + " -> " + due + " (" + p.basis + ")"); !h)
            return h.error();
        ++changed;
    }
    for (const auto& [kind, o] : open) {
        auto st = db.statements().get("UPDATE reviews SET state = 'cancelled' WHERE id = ?1");
        if (!st) return st.error();
        (*st)->bind(1, o.id);
        if (auto r = (*st)->run(); !r) return r.error();
        if (auto h = history(db, o.id, now_utc, "cancelled", "", "no longer owed (the account closed, or its plan changed)"); !h)
            return h.error();
        ++changed;
    }
    return changed;
}

result<void> record_past_review(database& db, std::int64_t account_id, const std::string& kind,
                                const std::string& completed_on, const std::string& source, const std::string& now_utc) {
    auto seen = db.statements().get("SELECT 1 FROM reviews WHERE account_id = ?1 AND kind = ?2 AND completed_on = ?3"
                                    " AND state = 'completed'");
    if (!seen) return seen.error();
    (*seen)->bind(1, account_id).bind_static(2, kind).bind_static(3, completed_on);
    auto row = (*seen)->step();
    if (!row) return row.error();
    if (*row) return {};
    auto st = db.statements().get(
        "INSERT INTO reviews (account_id, kind, nominal_on, due_on, basis, state, scheduled_on, completed_on, completed_by,"
        " outcome) VALUES (?1, ?2, ?3, ?3, 'completed before dpmon', 'completed', ?3, ?3, ?4, 'recorded from a plan file')"
        " RETURNING id");
    if (!st) return st.error();
    (*st)->bind(1, account_id).bind_static(2, kind).bind_static(3, completed_on).bind_static(4, source);
    auto ins = (*st)->step();
    if (!ins) return ins.error();
    const std::int64_t id = (*st)->column_int(0);
    return history(db, id, now_utc, "completed", source, "completed on " + completed_on + " (from " + source + ")");
}

result<review_record> request_review(database& db, std::int64_t account_id, const std::string& reason,
                                     const std::string& by, const std::string& due_on, const std::string& today,
                                     const std::string& now_utc) {
    auto id = insert_review(db, account_id, core::to_string(core::review_kind::early), due_on, due_on, "asked for: " + reason, today);
    if (!id) return id.error();
    auto st = db.statements().get("UPDATE reviews SET reason = ?2, requested_by = ?3 WHERE id = ?1");
    if (!st) return st.error();
    (*st)->bind(1, *id).bind_static(2, reason).bind_static(3, by);
    if (auto r = (*st)->run(); !r) return r.error();
    if (auto h = history(db, *id, now_utc, "requested", by, "early review due " + due_on + ": " + reason); !h) return h.error();
    auto found = find_review(db, *id);
    if (!found) return found.error();
    return **found;
}

result<void> complete_review(database& db, std::int64_t review_id, const completion& c, const std::string& now_utc) {
    auto found = find_review(db, review_id);
    if (!found) return found.error();
    if (!*found) return make_error(errc::not_found, "no review " + std::to_string(review_id));
    if ((*found)->state != core::review_state::scheduled)
        return make_error(errc::conflict, "review " + std::to_string(review_id) + " is " +
                                              std::string(core::to_string((*found)->state)) + ", not scheduled");
    auto st = db.statements().get(
        "UPDATE reviews SET state = 'completed', completed_on = ?2, completed_by = ?3, outcome = ?4,"
        " next_due = nullif(?5, ''), next_due_reason = nullif(?6, '') WHERE id = ?1");
    if (!st) return st.error();
    (*st)->bind(1, review_id)
        .bind_static(2, c.completed_on)
        .bind_static(3, c.by)
        .bind_static(4, c.outcome)
        .bind_static(5, c.next_due)
        .bind_static(6, c.next_due_reason);
    if (auto r = (*st)->run(); !r) return r.error();
    std::string detail = "completed on " + c.completed_on + ": " + c.outcome;
    if (!c.next_due.empty()) detail += "; next due " + c.next_due + " because " + c.next_due_reason;
    return history(db, review_id, now_utc, "completed", c.by, detail);
}

result<std::optional<review_record>> find_review(const database& db, std::int64_t review_id) {
    auto st = db.statements().get(std::string("SELECT ") + review_columns +
                                  " FROM reviews r JOIN accounts a ON a.id = r.account_id WHERE r.id = ?1");
    if (!st) return st.error();
    (*st)->bind(1, review_id);
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row) return std::optional<review_record>();
    auto r = read_review(**st);
    if (!r) return r.error();
    return std::optional<review_record>(std::move(*r));
}

result<std::vector<review_record>> list_reviews(const database& db, const review_filter& f) {
    std::string where;
    std::string upper = "9999-12-31";
    const auto today = core::parse_iso_date(f.today);
    if (!today) return today.error();
    auto plus = [&](std::int64_t days) { return core::format_iso_date(core::add_days(*today, static_cast<int>(days))); };
    if (f.state.empty()) {
        where = "r.state = 'scheduled'";
        if (f.within_days) upper = plus(*f.within_days);
    } else if (f.state == "overdue") {
        where = "r.state = 'scheduled' AND r.due_on < ?1";
    } else if (f.state == "due") {
        where = "r.state = 'scheduled' AND r.due_on >= ?1";
        upper = plus(f.within_days.value_or(28));
    } else if (f.state == "upcoming") {
        where = "r.state = 'scheduled' AND r.due_on > ?1";
        if (f.within_days) upper = plus(*f.within_days);
    } else if (f.state == "completed" || f.state == "cancelled") {
        where = "r.state = '" + f.state + "'";  // one of two fixed words
    } else {
        return make_error(errc::invalid_argument, "state must be overdue, due, upcoming, completed or cancelled");
    }
    // Cached by its text: the account list asks this once per row.
    auto st = db.statements().get(
        std::string("SELECT ") + review_columns + " FROM reviews r" + (f.account_id != 0 ? " INDEXED BY reviews_account_due" : "") +
                         " JOIN accounts a ON a.id = r.account_id WHERE " + where + " AND r.due_on <= ?2" + (f.account_id != 0 ? " AND r.account_id = ?3" : "") +
                         // Only the conditions asked for, so one account's reviews come by its index, not a scan.
                         (f.after_due.empty() && f.after_id == 0 ? "" : " AND r.due_on >= ?4 AND (r.due_on > ?4 OR r.id > ?5)") +
                         " ORDER BY r.due_on, r.id LIMIT ?6");
    if (!st) return st.error();
    (*st)->bind(1, std::string_view(f.today)).bind(2, std::string_view(upper)).bind(3, f.account_id);
    (*st)->bind(4, std::string_view(f.after_due)).bind(5, f.after_id).bind(6, f.limit);
    return sqlite::collect<review_record>(**st, read_review);
}

result<std::vector<review_event>> review_history(const database& db, std::int64_t review_id) {
    auto st = db.statements().get("SELECT at, event, coalesce(by, ''), detail FROM review_history WHERE review_id = ?1 ORDER BY id");
    if (!st) return st.error();
    (*st)->bind(1, review_id);
    return sqlite::collect<review_event>(**st, [](const sqlite::statement& row) {
        return review_event{row.column_text(0), row.column_text(1), row.column_text(2), row.column_text(3)};
    });
}

result<std::vector<reminder_record>> produce_reminders(database& db, const std::string& today,
                                                       const std::vector<std::int64_t>& reminder_days,
                                                       std::int64_t escalate_after_days, const std::string& now_utc) {
    // Reviews whose earliest reminder has come: due within the longest reminder lead.
    std::int64_t lead = 0;
    for (auto d : reminder_days) lead = std::max(lead, d);
    auto day = core::parse_iso_date(today);
    if (!day) return day.error();
    review_filter f;
    f.today = today;
    f.within_days = lead;
    auto reviews = list_reviews(db, f);
    if (!reviews) return reviews.error();
    auto insert = db.statements().get(
        "INSERT INTO reminders (review_id, kind, key, on_date, to_team, produced_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
        " ON CONFLICT (key) DO NOTHING RETURNING id");
    if (!insert) return insert.error();
    std::vector<reminder_record> made;
    for (const auto& r : *reviews) {
        auto due = core::parse_iso_date(r.due_on);
        if (!due) continue;
        for (const auto& p : core::reminders_for(*due, reminder_days, escalate_after_days)) {
            const std::string on = core::format_iso_date(p.on);
            if (on > today) break;  // in date order
            if (p.kind != "due" && p.kind != "escalation" && on < r.scheduled_on) continue;
            const std::string key = "review:" + std::to_string(r.id) + ":" + p.kind;
            (*insert)->reset();
            (*insert)->bind(1, r.id).bind_static(2, p.kind).bind_static(3, key).bind_static(4, on);
            (*insert)->bind(5, std::int64_t{p.to_team ? 1 : 0}).bind_static(6, now_utc);
            auto row = (*insert)->step();
            if (!row) return row.error();
            if (!*row) continue;  // written before
            reminder_record m{(*insert)->column_int(0), r.id, r.account_ref, r.finance_officer, r.kind, r.due_on,
                              p.kind, key, on, p.to_team, now_utc};
            (*insert)->reset();
            if (auto h = history(db, r.id, now_utc, p.to_team ? "escalated" : "reminder", "",
                                 p.kind + " reminder for " + r.kind + " due " + r.due_on + (p.to_team ? ", to the team mailbox" : ", to the finance officer"));
                !h)
                return h.error();
            made.push_back(std::move(m));
        }
    }
    return made;
}

result<std::vector<reminder_record>> list_reminders(const database& db, std::int64_t review_id) {
    auto st = db.statements().get(
        "SELECT m.id, m.review_id, a.account_ref, a.finance_officer, r.kind, r.due_on, m.kind, m.key, m.on_date, m.to_team,"
        " m.produced_at FROM reminders m JOIN reviews r ON r.id = m.review_id JOIN accounts a ON a.id = r.account_id"
        " WHERE ?1 = 0 OR m.review_id = ?1 ORDER BY m.id");
    if (!st) return st.error();
    (*st)->bind(1, review_id);
    return sqlite::collect<reminder_record>(**st, [](const sqlite::statement& row) {
        return reminder_record{row.column_int(0),  row.column_int(1), row.column_text(2),
                               row.column_text(3), row.column_text(4), row.column_text(5), row.column_text(6),
                               row.column_text(7), row.column_text(8), row.column_int(9) != 0, row.column_text(10)};
    });
}

result<review_counts> count_reviews(const database& db, const std::string& today, std::int64_t within_days) {
    auto day = core::parse_iso_date(today);
    if (!day) return day.error();
    const std::string upper = core::format_iso_date(core::add_days(*day, static_cast<int>(within_days)));
    // Two ranges of the (state, due_on) index: the rows counted, not the table.
    auto st = db.statements().get("SELECT (SELECT count(*) FROM reviews WHERE state = 'scheduled' AND due_on BETWEEN ?1 AND ?2),"
                                  " (SELECT count(*) FROM reviews WHERE state = 'scheduled' AND due_on < ?1)");
    if (!st) return st.error();
    (*st)->bind_static(1, today).bind_static(2, upper);
    auto row = (*st)->step();
    if (!row) return row.error();
    return review_counts{(*st)->column_int(0), (*st)->column_int(1)};
}

result<std::optional<std::string>> scheduler_value(const database& db, const std::string& name) {
    auto st = db.statements().get("SELECT value FROM scheduler_state WHERE name = ?1");
    if (!st) return st.error();
    (*st)->bind_static(1, name);
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row) return std::optional<std::string>();
    return std::optional<std::string>((*st)->column_text(0));
}

result<void> set_scheduler_value(database& db, const std::string& name, const std::string& value) {
    auto st = db.statements().get("INSERT INTO scheduler_state (name, value) VALUES (?1, ?2)"
                                  " ON CONFLICT (name) DO UPDATE SET value = excluded.value");
    if (!st) return st.error();
    (*st)->bind_static(1, name).bind_static(2, value);
    return (*st)->run();
}

}  // namespace dpmon::storage
