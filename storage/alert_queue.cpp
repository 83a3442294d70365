#include "dpmon/storage/alert_queue.hpp"

#include "sqlite.hpp"

namespace dpmon::storage {

result<void> queue_pending_alert(database& db, const std::string& officer, std::int64_t flag_id, const std::string& raised_at) {
    auto st = db.statements().get("INSERT INTO alert_queue (officer, flag_id, raised_at) VALUES (?1, ?2, ?3)");
    if (!st) return st.error();
    (*st)->bind(1, std::string_view(officer)).bind(2, flag_id).bind(3, std::string_view(raised_at));
    return (*st)->run();
}

result<std::vector<pending_alert>> pending_alerts(const database& db) {
    auto st = db.statements().get("SELECT id, officer, flag_id, raised_at FROM alert_queue ORDER BY officer, id");
    if (!st) return st.error();
    return sqlite::collect<pending_alert>(**st, [](const sqlite::statement& r) {
        return pending_alert{r.column_int(0), r.column_text(1), r.column_int(2), r.column_text(3)};
    });
}

result<void> remove_pending_alerts(database& db, const std::vector<std::int64_t>& ids) {
    auto st = db.statements().get("DELETE FROM alert_queue WHERE id = ?1");
    if (!st) return st.error();
    for (auto id : ids) {
        (*st)->bind(1, id);
        if (auto r = (*st)->run(); !r) return r;
        (*st)->reset();  // a statement binds again only once reset
    }
    return {};
}

result<std::optional<std::string>> last_group_at(const database& db, const std::string& officer) {
    auto st = db.statements().get("SELECT last_sent_at FROM alert_groups WHERE officer = ?1");
    if (!st) return st.error();
    (*st)->bind(1, std::string_view(officer));
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row) return std::optional<std::string>();
    return std::optional<std::string>((*st)->column_text(0));
}

result<void> set_last_group_at(database& db, const std::string& officer, const std::string& at) {
    auto st = db.statements().get("INSERT INTO alert_groups (officer, last_sent_at) VALUES (?1, ?2)"
                                  " ON CONFLICT (officer) DO UPDATE SET last_sent_at = excluded.last_sent_at");
    if (!st) return st.error();
    (*st)->bind(1, std::string_view(officer)).bind(2, std::string_view(at));
    return (*st)->run();
}

result<void> record_onboarding(database& db, std::int64_t account_id, const std::string& officer, const std::string& day,
                               const std::string& at) {
    auto st = db.statements().get("INSERT INTO onboarding (account_id, officer, day, at) VALUES (?1, ?2, ?3, ?4)"
                                  " ON CONFLICT (account_id) DO NOTHING");
    if (!st) return st.error();
    (*st)->bind(1, account_id).bind(2, std::string_view(officer)).bind(3, std::string_view(day)).bind(4, std::string_view(at));
    return (*st)->run();
}

result<bool> onboarding_quiet(const database& db, const std::string& account_ref, const std::string& day, bool summary_day) {
    auto st = db.statements().get("SELECT 1 FROM onboarding o JOIN accounts a ON a.id = o.account_id"
                                  " WHERE a.account_ref = ?1 AND (o.day = ?2 OR o.summarised_on IS NULL OR (?3 AND o.summarised_on = ?2))");
    if (!st) return st.error();
    (*st)->bind(1, std::string_view(account_ref)).bind(2, std::string_view(day)).bind(3, std::int64_t{summary_day ? 1 : 0});
    auto row = (*st)->step();
    if (!row) return row.error();
    return *row;
}

result<std::vector<onboarding_record>> unsummarised_onboarding(const database& db) {
    auto st = db.statements().get("SELECT o.account_id, a.account_ref, o.officer, o.day, o.at FROM onboarding o"
                                  " JOIN accounts a ON a.id = o.account_id WHERE o.summarised_on IS NULL ORDER BY o.officer, a.account_ref");
    if (!st) return st.error();
    return sqlite::collect<onboarding_record>(**st, [](const sqlite::statement& r) {
        return onboarding_record{r.column_int(0), r.column_text(1), r.column_text(2), r.column_text(3), r.column_text(4)};
    });
}

result<void> mark_onboarding_summarised(database& db, const std::vector<std::int64_t>& account_ids, const std::string& day) {
    auto st = db.statements().get("UPDATE onboarding SET summarised_on = ?2 WHERE account_id = ?1");
    if (!st) return st.error();
    for (auto id : account_ids) {
        (*st)->bind(1, id).bind(2, std::string_view(day));
        if (auto r = (*st)->run(); !r) return r;
        (*st)->reset();  // a statement binds again only once reset
    }
    return {};
}

}  // namespace dpmon::storage
