#pragma once
// The alerts waiting to be grouped (docs/alerts.md#grouping) and the accounts being onboarded
// (docs/alerts.md#onboarding). Written in the transaction that raised the flag or reconciled the account for
// the first time, so a crash loses nothing; each group becomes one outbox message in the transaction that
// removes it, so a restart sends it once.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dpmon/core/error.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::storage {

struct pending_alert {
    std::int64_t id = 0;
    std::string officer;
    std::int64_t flag_id = 0;
    std::string raised_at;  // UTC
};

result<void> queue_pending_alert(database& db, const std::string& officer, std::int64_t flag_id, const std::string& raised_at);
// Every pending alert, by officer then age.
result<std::vector<pending_alert>> pending_alerts(const database& db);
result<void> remove_pending_alerts(database& db, const std::vector<std::int64_t>& ids);

// When the officer's last group message was written, if ever.
result<std::optional<std::string>> last_group_at(const database& db, const std::string& officer);
result<void> set_last_group_at(database& db, const std::string& officer, const std::string& at);

struct onboarding_record {
    std::int64_t account_id = 0;
    std::string account_ref;
    std::string officer;
    std::string day;  // the local day of the first reconciliation
    std::string at;   // UTC
};
// An account's first reconciliation; nothing when it was recorded before.
result<void> record_onboarding(database& db, std::int64_t account_id, const std::string& officer, const std::string& day,
                               const std::string& at);
// True while the account is being onboarded: first reconciled on `day` or its onboarding summary not yet
// written, and with `summary_day`, also on the day the summary is written (the day's review notices are in it).
// Its flags (and reminders) then go in the summary, the worklist and the digest, not in messages of their own.
result<bool> onboarding_quiet(const database& db, const std::string& account_ref, const std::string& day, bool summary_day);
// Onboarded accounts whose summary has not been written, by officer.
result<std::vector<onboarding_record>> unsummarised_onboarding(const database& db);
result<void> mark_onboarding_summarised(database& db, const std::vector<std::int64_t>& account_ids, const std::string& day);

}  // namespace dpmon::storage
