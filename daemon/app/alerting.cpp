#include "dpmon/core/reviews.hpp"
#include "dpmon/app/alerting.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <charconv>

#include "dpmon/alerts/masking.hpp"
#include "dpmon/alerts/notices.hpp"
#include "dpmon/core/money.hpp"
#include "dpmon/storage/outbox_store.hpp"
#include "dpmon/storage/alert_queue.hpp"
#include "dpmon/app/queries.hpp"
#include "dpmon/storage/surplus_store.hpp"

namespace dpmon::daemon {
namespace {

std::string masked(const storage::account_record& a) {
    return alerts::mask_account_number(!a.account_number.empty() ? a.account_number : a.card_id);
}

}  // namespace

result<bool> queue_alert(storage::database& db, const alert_settings& s, const alerts::alert_content& a,
                         const std::string& account_ref, std::chrono::system_clock::time_point now) {
    storage::outbox_message m;
    m.key = a.key;
    m.kind = a.kind;
    m.account_ref = account_ref;
    m.recipient = a.to;
    m.subject = a.subject;
    m.message = alerts::compose_message(a, s.from, now);
    m.message_id = alerts::message_id_for(a.key, now, s.from);
    m.created_at = core::format_utc_timestamp(now);
    m.next_attempt_at = m.created_at;
    if (!alerts::recipient_allowed(a.to, s.allowed_domains)) {
        m.state = core::outbox_state::failed_permanent;
        m.last_error = "recipient '" + a.to + "' is outside allowed_recipient_domains: not sent";
    }
    return storage::enqueue_message(db, m);
}

result<int> queue_flag_alerts(storage::database& db, const alert_settings& s, const storage::account_record& account,
                              const storage::flag_changes& changes, core::civil_date today_date,
                              std::chrono::system_clock::time_point now, bool onboarding) {
    if (changes.raised.empty() || onboarding) return 0;
    const std::string today = core::format_iso_date(today_date);
    auto quiet = storage::onboarding_quiet(db, account.account_ref, today, false);
    if (!quiet) return quiet.error();
    if (*quiet) return 0;  // the onboarding summary, still to be written, has it
    const std::string oldest = core::format_iso_date(core::add_days(today_date, -s.immediate_max_age_days));
    int queued = 0;
    for (const std::int64_t id : changes.raised) {
        auto f = storage::find_flag(db, id);
        if (!f) return f.error();
        if (!*f || (*f)->period_last < oldest) continue;  // old news found by a late import: the digest has it
        if (std::find(s.immediate_flags.begin(), s.immediate_flags.end(), (*f)->code) == s.immediate_flags.end()) continue;
        if ((*f)->code == core::flag_code::surplus) {
            auto exempt = storage::active_exemption(db, account.id, today);
            if (!exempt) return exempt.error();
            if (*exempt) continue;  // an exempt surplus sends no alert
        }
        if (auto q = storage::queue_pending_alert(db, account.finance_officer, id, core::format_utc_timestamp(now)); !q) return q.error();
        ++queued;
    }
    return queued;
}

namespace {

std::chrono::system_clock::time_point at(const std::string& utc) {
    auto t = core::parse_utc_timestamp(utc);
    return t ? *t : std::chrono::system_clock::time_point{};
}

// One officer's waiting flags: due when the oldest has waited group_wait and the last group is group_interval old.
result<bool> flush_officer_group(storage::database& db, const alert_settings& s, const std::vector<storage::pending_alert>& group,
                                 std::chrono::system_clock::time_point now, int& written) {
    const std::string& officer = group.front().officer;
    if (at(group.front().raised_at) + s.group_wait > now) return false;
    auto last = storage::last_group_at(db, officer);
    if (!last) return last.error();
    if (*last && at(**last) + s.group_interval > now) return false;
    std::vector<alerts::flag_notice> notices;
    std::vector<std::int64_t> ids;
    std::set<std::int64_t> listed;  // a flag raised, cleared and raised again while it waited is listed once
    for (const auto& p : group) {
        ids.push_back(p.id);
        if (!listed.insert(p.flag_id).second) continue;
        auto f = storage::find_flag(db, p.flag_id);
        if (!f) return f.error();
        if (!*f || (*f)->state != core::flag_state::open) continue;  // dealt with or cleared while it waited
        auto account = storage::find_account(db, (*f)->account_ref);
        if (!account) return account.error();
        notices.push_back({(*f)->id, (*f)->code, (*f)->account_ref, *account ? masked(**account) : "****",
                           core::money::from_pence((*f)->amount_pence), (*f)->since, (*f)->period_last, false});
    }
    if (!notices.empty()) {
        // Unique for all time (queue ids are reused once the queue empties): the moment and the first flag.
        const std::string key = "flags:" + officer + ":" + core::format_utc_timestamp(now) + ":" + std::to_string(notices.front().flag_id);
        auto q = queue_alert(db, s, alerts::flag_group_alert(notices, officer, key, s.dashboard_url), notices.size() == 1 ? notices[0].account_ref : "", now);
        if (!q) return q.error();
        written += *q ? 1 : 0;
        if (auto r = storage::set_last_group_at(db, officer, core::format_utc_timestamp(now)); !r) return r.error();
    }
    if (auto r = storage::remove_pending_alerts(db, ids); !r) return r.error();
    return true;
}

// One officer's onboarding summary, once group_wait has passed since the last of their accounts was onboarded
// in this batch (the daily review job has scheduled their reviews by then).
result<bool> flush_onboarding(storage::database& db, const alert_settings& s, const std::vector<storage::onboarding_record>& rows,
                              std::chrono::system_clock::time_point now, int& written) {
    for (const auto& r : rows) {
        if (at(r.at) + s.group_wait > now) return false;
    }
    const std::string& officer = rows.front().officer;
    auto day = core::parse_iso_date(rows.back().day);
    if (!day) return day.error();
    std::set<std::string> refs;
    std::vector<std::int64_t> ids;
    for (const auto& r : rows) refs.insert(r.account_ref), ids.push_back(r.account_id);
    alerts::onboarding_notice n;
    for (const auto& r : rows) n.accounts.push_back(r.account_ref);
    auto flags = storage::list_flags(db, "open", "", 0);
    if (!flags) return flags.error();
    for (const auto& f : *flags) {
        if (refs.count(f.account_ref)) ++n.open_flags_by_code[std::string(core::to_string(f.code))];
    }
    auto list = app::worklist(db, officer, 0, *day);
    if (!list) return list.error();
    for (const auto& e : *list) {
        if (!refs.count(e.account_ref)) continue;
        for (const auto& c : e.concerns) n.overdue_reviews += c.code ? 0 : 1;
        if (n.most_at_stake.size() < 10) n.most_at_stake.push_back(e.account_ref + "  " + e.next_action);
    }
    const std::string key = "onboarding:" + officer + ":" + rows.front().day + ":" + std::to_string(ids.front());
    auto q = queue_alert(db, s, alerts::onboarding_alert(n, officer, key, s.dashboard_url), "", now);
    if (!q) return q.error();
    written += *q ? 1 : 0;
    const core::civil_date today = s.zone ? core::local_date(now, *s.zone) : core::civil_date{date::floor<date::days>(now)};
    if (auto m = storage::mark_onboarding_summarised(db, ids, core::format_iso_date(today)); !m) return m.error();
    return true;
}

}  // namespace

result<flush_result> flush_alerts(storage::database& db, const alert_settings& s, std::chrono::system_clock::time_point now) {
    flush_result out;
    auto onboarding = storage::unsummarised_onboarding(db);
    if (!onboarding) return onboarding.error();
    for (std::size_t i = 0; i < onboarding->size();) {
        std::size_t j = i;
        while (j < onboarding->size() && (*onboarding)[j].officer == (*onboarding)[i].officer) ++j;
        const std::vector<storage::onboarding_record> rows(onboarding->begin() + static_cast<std::ptrdiff_t>(i),
                                                           onboarding->begin() + static_cast<std::ptrdiff_t>(j));
        auto done = flush_onboarding(db, s, rows, now, out.written);
        if (!done) return done.error();
        out.waiting = out.waiting || !*done;
        i = j;
    }
    auto pending = storage::pending_alerts(db);
    if (!pending) return pending.error();
    for (std::size_t i = 0; i < pending->size();) {
        std::size_t j = i;
        while (j < pending->size() && (*pending)[j].officer == (*pending)[i].officer) ++j;
        const std::vector<storage::pending_alert> group(pending->begin() + static_cast<std::ptrdiff_t>(i),
                                                        pending->begin() + static_cast<std::ptrdiff_t>(j));
        auto done = flush_officer_group(db, s, group, now, out.written);
        if (!done) return done.error();
        out.waiting = out.waiting || !*done;
        i = j;
    }
    return out;
}

result<int> queue_reminder_alerts(storage::database& db, const alert_settings& s,
                                  const std::vector<storage::reminder_record>& reminders, const std::string& day,
                                  std::chrono::system_clock::time_point now) {
    std::map<std::string, std::string> masks;
    std::map<std::string, std::vector<alerts::reminder_notice>> per_recipient;  // escalations to the team apart
    for (const auto& m : reminders) {
        auto quiet = storage::onboarding_quiet(db, m.account_ref, day, true);
        if (!quiet) return quiet.error();
        if (*quiet) continue;  // in the account's onboarding summary
        if (!masks.count(m.account_ref)) {
            auto account = storage::find_account(db, m.account_ref);
            if (!account) return account.error();
            masks[m.account_ref] = *account ? masked(**account) : "****";
        }
        core::review_kind kind{};
        if (!core::parse_review_kind(m.review_kind, kind))
            return make_error(errc::database_error, "reminder " + m.key + ": unknown review kind '" + m.review_kind + "'");
        const std::string to = m.to_team ? s.team_mailbox : m.finance_officer;
        per_recipient[(m.to_team ? "team:" : "officer:") + to].push_back(
            {m.key, m.kind, m.review_id, kind, m.account_ref, masks[m.account_ref], m.due_on});
    }
    int queued = 0;
    for (const auto& [who, notices] : per_recipient) {
        const std::string to = who.substr(who.find(':') + 1);
        const std::string key = (notices.size() == 1 ? notices[0].key : "reminders:" + who + ":" + day + ":" + notices[0].key);
        auto r = queue_alert(db, s, alerts::reminders_alert(notices, to, key, s.dashboard_url), notices.size() == 1 ? notices[0].account_ref : "", now);
        if (!r) return r.error();
        queued += *r ? 1 : 0;
    }
    return queued;
}

result<bool> queue_digest(storage::database& db, const alert_settings& s, core::civil_date day,
                          std::chrono::system_clock::time_point now) {
    const std::string today = core::format_iso_date(day);
    std::map<std::string, std::vector<std::string>> per_officer;
    // Each officer's accounts in worklist order: what to do first, then every open concern.
    auto list = app::worklist(db, "", 0, day);
    if (!list) return list.error();
    for (const auto& e : *list) {
        auto& lines = per_officer[e.finance_officer];
        lines.push_back(e.account_ref + "  " + e.next_action);
        for (const auto& c : e.concerns) {
            lines.push_back("    " + (c.code ? "flag " + std::to_string(c.flag_id) + " " + std::string(core::to_string(*c.code))
                                             : std::string("review overdue")) +
                            ", since " + core::format_iso_date(c.since) + ": " + c.reason);
        }
    }
    storage::review_filter rf;
    rf.state = "due";
    rf.today = today;
    auto reviews = storage::list_reviews(db, rf);
    if (!reviews) return reviews.error();
    for (const auto& r : *reviews) per_officer[r.finance_officer].push_back(r.account_ref + "  " + r.kind + " due " + r.due_on);
    return queue_alert(db, s, alerts::digest_alert(today, per_officer, s.team_mailbox, s.dashboard_url), "", now);
}

}  // namespace dpmon::daemon
