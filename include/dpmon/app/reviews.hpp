#pragma once
// Reviews and audits in the daemon: schedule each account's reviews from its stored facts (core::
// schedule_reviews), complete them, ask for early ones, and the daily job that writes the reminders.
// Each operation is one transaction: the schedule, its history and the reminders it writes commit together.

#include <cstdint>
#include <string>
#include <vector>

#include "dpmon/core/reviews.hpp"
#include "dpmon/app/alerting.hpp"
#include "dpmon/core/working_days.hpp"
#include "dpmon/storage/accounts.hpp"
#include "dpmon/storage/database.hpp"
#include "dpmon/storage/review_store.hpp"

namespace dpmon::daemon {


struct review_settings {
    core::review_rules rules;
    core::working_calendar calendar{core::england_and_wales_bank_holidays()};
    std::vector<std::int64_t> reminder_days{28, 7};
    std::int64_t escalate_after_days = 14;
    std::vector<std::string> extra_categories;  // to read stored plans
    alert_settings alerts;  // reminders are written to the outbox with them
};



// What an account's schedule follows from: its DP start, closure, plan starts and completed reviews.
// errc::invalid_argument when its stored dates or plan cannot be read.
result<core::review_facts> review_facts_of(const storage::database& db, const storage::account_record& account,
                                           const review_settings& settings);

struct review_summary {
    std::int64_t accounts = 0;
    std::int64_t changed = 0;  // reviews scheduled, moved or cancelled
    std::vector<storage::reminder_record> reminders;  // written by this run
    std::vector<std::string> problems;  // accounts that could not be scheduled, and why
};

// Schedules the reviews of the accounts in `refs` (all when empty), in one transaction.
result<review_summary> schedule_reviews(storage::database& db, const review_settings& settings,
                                        const std::vector<std::string>& refs, core::civil_date today,
                                        const std::string& now_utc);

// The daily job for local day `day`: every account rescheduled, every reminder fallen due by `day` written
// once with its outbox message, and `day` recorded as the last daily run, all in one transaction.
result<review_summary> run_daily_reviews(storage::database& db, const review_settings& settings, core::civil_date day,
                                         const std::string& now_utc);

// The local day of the last daily run, if any.
result<std::optional<core::civil_date>> last_daily_run(const storage::database& db);

// Completes a scheduled review and schedules the next from the completion date, in one transaction.
// errc::invalid_argument (what is wrong, naming the field) for a completion dated after `today` or before
// the DP started, a missing `by` or `outcome`, or a next_due that is not after the completion, beyond the
// statutory interval, or without a reason; errc::not_found; errc::conflict when it is not scheduled.
result<storage::review_record> complete_review(storage::database& db, const review_settings& settings,
                                               std::int64_t review_id, const storage::completion& c,
                                               core::civil_date today, const std::string& now_utc);

// Asks for an early review of `account_ref` with a reason, due on `due_on` (default: today + 14 days).
// errc::not_found for an unknown account; errc::invalid_argument for a missing reason or a bad date.
result<storage::review_record> request_early_review(storage::database& db, const std::string& account_ref,
                                                    const std::string& reason, const std::string& by, std::string due_on,
                                                    core::civil_date today, const std::string& now_utc);

}  // namespace dpmon::daemon
