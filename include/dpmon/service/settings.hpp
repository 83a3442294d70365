#pragma once
// From the config file to the settings each use case takes: the one place that reads config for them, so
// the use cases (app/) do not depend on the config file's shape.

#include "dpmon/app/alerting.hpp"
#include "dpmon/service/config.hpp"
#include "dpmon/app/reconcile_accounts.hpp"
#include "dpmon/app/reviews.hpp"

namespace dpmon::daemon {

// Sender, team mailbox, allowed domains, immediate flag codes and the link in mails.
alert_settings alert_settings_from(const config& c);

// Its policy, its [[rules]] (ids "config line N") and extra categories.
reconcile_settings reconcile_settings_from(const config& c);

// [policy] align_window_days, reminder_days, escalate_after_days and bank_holidays (added to the shipped
// England and Wales list).
review_settings review_settings_from(const config& c);

}  // namespace dpmon::daemon
