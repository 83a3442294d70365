#pragma once
// alerting: turns raised flags, review reminders and the daily digest into outbox messages, in the caller's
// transaction (the one that raised them), each under its idempotency key. Recipients outside
// allowed_recipient_domains are kept as failed_permanent, never sent (a misdirected alert can be a breach).

#include <chrono>
#include <string>
#include <vector>

#include "dpmon/core/flag_code.hpp"
#include "dpmon/alerts/message.hpp"
#include "dpmon/core/civil_date.hpp"

#include <date/tz.h>
#include "dpmon/storage/accounts.hpp"
#include "dpmon/storage/database.hpp"
#include "dpmon/storage/flag_store.hpp"
#include "dpmon/storage/review_store.hpp"

namespace dpmon::daemon {


struct alert_settings {
    std::string from = "dpmon@localhost";
    std::string team_mailbox = "dp-team@localhost";  // no [smtp]: the maildir keeps everything anyway
    std::vector<std::string> allowed_domains;          // empty: no restriction (only without [smtp])
    std::vector<core::flag_code> immediate_flags = {core::flag_code::overdrawn, core::flag_code::balance_mismatch,
                                                    core::flag_code::council_payment_missing};
    std::string dashboard_url = "http://127.0.0.1:8080";
    // A flag about a period that ended longer ago than this (history found by a first import) is left to
    // the digest rather than mailed at once: no flood of old news.
    int immediate_max_age_days = 35;
    // Grouping (docs/alerts.md#grouping): an officer's serious flags wait group_wait for company, then go in one
    // message, at most one per group_interval. repeat_interval: still-open serious flags are listed again in
    // the digest after this long (the digest lists every open flag daily, so it is met).
    std::chrono::seconds group_wait{300};
    std::chrono::seconds group_interval{3600};
    std::chrono::seconds repeat_interval{7 * 86400};
    const date::time_zone* zone = nullptr;  // the council's (local days); none: UTC
};


// Composes `a` now and writes it to the outbox unless its key is there already; true when written.
result<bool> queue_alert(storage::database& db, const alert_settings& s, const alerts::alert_content& a,
                         const std::string& account_ref, std::chrono::system_clock::time_point now);

// Flags raised or reopened (`changes`) whose code is immediate wait for their officer's next group
// (flush_alerts). An account being onboarded (its first reconciliation, `onboarding`, and the rest of that day,
// or until its onboarding summary is written) queues nothing: the summary, the worklist and the digest have it.
result<int> queue_flag_alerts(storage::database& db, const alert_settings& s, const storage::account_record& account,
                              const storage::flag_changes& changes, core::civil_date today,
                              std::chrono::system_clock::time_point now, bool onboarding = false);

// Writes what is due of the grouped alerts, in the caller's transaction: per officer, one message listing the
// serious flags still open whose group_wait has passed (at most one per group_interval), and one onboarding
// summary per officer once group_wait has passed since their accounts' first reconciliation. Returns the
// number of messages written and whether anything still waits.
struct flush_result {
    int written = 0;
    bool waiting = false;
};
result<flush_result> flush_alerts(storage::database& db, const alert_settings& s, std::chrono::system_clock::time_point now);

// One officer's reminders of the day make one message, the team's escalations another; reminders for an
// account first reconciled on `day` are left to its onboarding summary.
result<int> queue_reminder_alerts(storage::database& db, const alert_settings& s,
                                  const std::vector<storage::reminder_record>& reminders, const std::string& day,
                                  std::chrono::system_clock::time_point now);

// The daily digest for `day` to the team mailbox: open flags and reviews due or overdue, per officer.
result<bool> queue_digest(storage::database& db, const alert_settings& s, core::civil_date day,
                          std::chrono::system_clock::time_point now);



}  // namespace dpmon::daemon
