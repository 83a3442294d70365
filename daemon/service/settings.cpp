#include "dpmon/service/settings.hpp"

#include "dpmon/core/working_days.hpp"

namespace dpmon::daemon {

alert_settings alert_settings_from(const config& c) {
    alert_settings s;
    if (c.smtp) {
        if (!c.smtp->from.empty()) s.from = c.smtp->from;
        if (!c.smtp->team_mailbox.empty()) s.team_mailbox = c.smtp->team_mailbox;
        s.allowed_domains = c.smtp->allowed_recipient_domains;
    }
    s.immediate_flags.clear();
    for (const auto& code : c.alerts.immediate_flags) {
        if (auto known = core::parse_flag_code(code)) s.immediate_flags.push_back(*known);  // checked at load
    }
    s.dashboard_url = c.http.public_url;  // set at load: public_url, dashboard_url, or http:// + listen
    // Checked at load.
    s.group_wait = std::chrono::seconds(parse_duration(c.alerts.group_wait).value_or(300));
    s.group_interval = std::chrono::seconds(parse_duration(c.alerts.group_interval).value_or(3600));
    s.repeat_interval = std::chrono::seconds(parse_duration(c.alerts.repeat_interval).value_or(7 * 86400));
    s.zone = date::locate_zone(c.daemon.timezone);  // checked at load
    return s;
}

reconcile_settings reconcile_settings_from(const config& c) {
    reconcile_settings s;
    s.rules = c.policy;
    s.extra_categories = c.extra_categories;
    s.alerts = alert_settings_from(c);
    for (const auto& r : c.rules) {
        s.council.push_back({"config line " + std::to_string(r.line), r.match, r.regex, r.category, core::direction::any,
                             std::nullopt, std::nullopt});
    }
    return s;
}

review_settings review_settings_from(const config& c) {
    review_settings s;
    s.rules.align_window_days = c.policy.align_window_days;
    s.reminder_days = c.policy.reminder_days;
    s.escalate_after_days = c.policy.escalate_after_days;
    auto holidays = core::england_and_wales_bank_holidays();
    holidays.insert(holidays.end(), c.bank_holidays.begin(), c.bank_holidays.end());
    s.calendar = core::working_calendar(std::move(holidays));
    s.extra_categories = c.extra_categories;
    s.alerts = alert_settings_from(c);
    return s;
}

}  // namespace dpmon::daemon
