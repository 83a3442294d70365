#include "dpmon/core/reviews.hpp"
#include "dpmon/app/alerting.hpp"

#include <algorithm>
#include <map>
#include <charconv>

#include "dpmon/alerts/masking.hpp"
#include "dpmon/alerts/notices.hpp"
#include "dpmon/core/money.hpp"
#include "dpmon/storage/outbox_store.hpp"
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
                              std::chrono::system_clock::time_point now) {
    const std::string today = core::format_iso_date(today_date);
    if (changes.raised.empty()) return 0;
    std::vector<storage::flag_record> raised;
    for (const std::int64_t id : changes.raised) {
        auto f = storage::find_flag(db, id);
        if (!f) return f.error();
        if (*f) raised.push_back(std::move(**f));
    }
    const auto* flags = &raised;
    int queued = 0;
    auto day = core::parse_iso_date(today);
    if (!day) return day.error();
    const std::string oldest = core::format_iso_date(core::add_days(*day, -s.immediate_max_age_days));
    for (const auto& f : *flags) {
        if (f.period_last < oldest) continue;
        if (std::find(s.immediate_flags.begin(), s.immediate_flags.end(), f.code) == s.immediate_flags.end()) continue;
        if (f.code == core::flag_code::surplus) {
            auto exempt = storage::active_exemption(db, account.id, today);
            if (!exempt) return exempt.error();
            if (*exempt) continue;  // an exempt surplus sends no alert
        }
        const bool reopened = f.raised_on != today;  // raised before, come back today
        alerts::flag_notice n{f.id, f.code, account.account_ref, masked(account),
                              core::money::from_pence(f.amount_pence), f.period_first, f.period_last, reopened};
        auto r = queue_alert(db, s, alerts::flag_alert(n, account.finance_officer, s.dashboard_url, today), account.account_ref, now);
        if (!r) return r.error();
        queued += *r ? 1 : 0;
    }
    return queued;
}

result<int> queue_reminder_alerts(storage::database& db, const alert_settings& s,
                                  const std::vector<storage::reminder_record>& reminders,
                                  std::chrono::system_clock::time_point now) {
    int queued = 0;
    std::map<std::string, std::string> masks;
    for (const auto& m : reminders) {
        if (!masks.count(m.account_ref)) {
            auto account = storage::find_account(db, m.account_ref);
            if (!account) return account.error();
            masks[m.account_ref] = *account ? masked(**account) : "****";
        }
        core::review_kind kind{};
        if (!core::parse_review_kind(m.review_kind, kind))
            return make_error(errc::database_error, "reminder " + m.key + ": unknown review kind '" + m.review_kind + "'");
        alerts::reminder_notice n{m.key, m.kind, m.review_id, kind, m.account_ref, masks[m.account_ref], m.due_on};
        auto r = queue_alert(db, s, alerts::reminder_alert(n, m.to_team ? s.team_mailbox : m.finance_officer, s.dashboard_url),
                             m.account_ref, now);
        if (!r) return r.error();
        queued += *r ? 1 : 0;
    }
    return queued;
}

result<bool> queue_digest(storage::database& db, const alert_settings& s, core::civil_date day,
                          std::chrono::system_clock::time_point now) {
    const std::string today = core::format_iso_date(day);
    std::map<std::string, std::vector<std::string>> per_officer;
    auto accounts = storage::list_accounts(db);
    if (!accounts) return accounts.error();
    std::map<std::string, std::string> officer_of;
    for (const auto& a : *accounts) officer_of[a.account_ref] = a.finance_officer;
    auto flags = storage::list_flags(db, "open", "", 0);
    if (!flags) return flags.error();
    auto exemptions = storage::list_exemptions(db, 0);
    if (!exemptions) return exemptions.error();
    std::map<std::string, std::string> exempt_until;
    for (const auto& e : *exemptions) {
        if (e.from_date <= today && e.until_date >= today) exempt_until[e.account_ref] = std::max(exempt_until[e.account_ref], e.until_date);
    }
    for (const auto& f : *flags) {
        const bool exempt = f.code == core::flag_code::surplus && exempt_until.count(f.account_ref);
        per_officer[officer_of[f.account_ref]].push_back(
            f.account_ref + "  " + std::string(core::to_string(f.code)) + "  " + core::money::from_pence(f.amount_pence).to_display() + "  since " +
            f.raised_on + (exempt ? "  (exempt until " + exempt_until[f.account_ref] + ")" : ""));
    }
    for (const char* state : {"overdue", "due"}) {
        storage::review_filter rf;
        rf.state = state;
        rf.today = today;
        auto reviews = storage::list_reviews(db, rf);
        if (!reviews) return reviews.error();
        for (const auto& r : *reviews) {
            per_officer[r.finance_officer].push_back(r.account_ref + "  " + r.kind + "  due " + r.due_on +
                                                     (std::string(state) == "overdue" ? " (OVERDUE)" : ""));
        }
    }
    return queue_alert(db, s, alerts::digest_alert(today, per_officer, s.team_mailbox, s.dashboard_url), "", now);
}

}  // namespace dpmon::daemon
