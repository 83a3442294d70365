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
};


// Composes `a` now and writes it to the outbox unless its key is there already; true when written.
result<bool> queue_alert(storage::database& db, const alert_settings& s, const alerts::alert_content& a,
                         const std::string& account_ref, std::chrono::system_clock::time_point now);

// One message per flag raised or reopened (`changes`) whose code is immediate, to the account's officer.
result<int> queue_flag_alerts(storage::database& db, const alert_settings& s, const storage::account_record& account,
                              const storage::flag_changes& changes, core::civil_date today,
                              std::chrono::system_clock::time_point now);

// One message per reminder: to the officer, escalations to the team mailbox.
result<int> queue_reminder_alerts(storage::database& db, const alert_settings& s,
                                  const std::vector<storage::reminder_record>& reminders,
                                  std::chrono::system_clock::time_point now);

// The daily digest for `day` to the team mailbox: open flags and reviews due or overdue, per officer.
result<bool> queue_digest(storage::database& db, const alert_settings& s, core::civil_date day,
                          std::chrono::system_clock::time_point now);



}  // namespace dpmon::daemon
