#pragma once
// review_store: scheduled, completed and cancelled reviews and audits, their history, the reminders they
// gave, and the scheduler's state. Functions that write run in the caller's transaction (or their own
// statement's when none is open).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dpmon/core/error.hpp"
#include "dpmon/core/reviews.hpp"
#include "dpmon/core/states.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::storage {

struct review_record {
    std::int64_t id = 0;
    std::string account_ref;
    std::string finance_officer;
    std::string kind;  // core::to_string(review_kind)
    std::string nominal_on;
    std::string due_on;
    std::string basis;
    core::review_state state = core::review_state::scheduled;
    std::string scheduled_on;
    std::string reason;  // early reviews: why it was asked for
    std::string requested_by;
    std::string completed_on;
    std::string completed_by;
    std::string outcome;
    std::string next_due;
    std::string next_due_reason;
};

struct review_event {
    std::string at;
    std::string event;  // scheduled | rescheduled | cancelled | requested | reminder | escalated | completed
    std::string by;
    std::string detail;
};

struct reminder_record {
    std::int64_t id = 0;
    std::int64_t review_id = 0;
    std::string account_ref;
    std::string finance_officer;
    std::string review_kind;
    std::string due_on;  // the review's due date
    std::string kind;    // "28-days-before", "7-days-before", "due", "escalation"
    std::string key;     // "review:ID:KIND": the idempotency key alerts deliver by
    std::string on;      // the day it fell due
    bool to_team = false;
    std::string produced_at;
};

// An account's completed reviews, for core::schedule_reviews.
result<std::vector<core::completed_review>> completed_reviews(const database& db, std::int64_t account_id);

// Brings the account's scheduled statutory reviews in line with `planned`: a kind not yet scheduled is
// added, one whose date changed is moved, one no longer owed is cancelled, each with its history entry.
// Early reviews are left alone. Returns how many changed.
result<int> sync_reviews(database& db, std::int64_t account_id, const std::vector<core::scheduled_review>& planned,
                         const std::string& today, const std::string& now_utc);

// A completion from a plan file's "reviews" (before dpmon): kept once per kind and date.
result<void> record_past_review(database& db, std::int64_t account_id, const std::string& kind,
                                const std::string& completed_on, const std::string& source, const std::string& now_utc);

// Asks for an early review of the account, due on `due_on`.
result<review_record> request_review(database& db, std::int64_t account_id, const std::string& reason,
                                     const std::string& by, const std::string& due_on, const std::string& today,
                                     const std::string& now_utc);

struct completion {
    std::string completed_on;
    std::string by;
    std::string outcome;
    std::string next_due;  // optional
    std::string next_due_reason;
};

// Marks a scheduled review completed. errc::not_found (no such review), errc::conflict (not scheduled).
result<void> complete_review(database& db, std::int64_t review_id, const completion& c, const std::string& now_utc);

result<std::optional<review_record>> find_review(const database& db, std::int64_t review_id);

struct review_filter {
    // "" every scheduled review; "overdue" due before today; "due" due from today to today + within_days
    // (28 when not given); "upcoming" due after today (within within_days when given); "completed";
    // "cancelled".
    std::string state;
    std::optional<std::int64_t> within_days;
    std::string today;
    std::int64_t account_id = 0;  // 0: every account
    // A page: those after (after_due, after_id) in (due date, id) order (empty and 0: from the first), at
    // most `limit` (-1: all).
    std::string after_due;
    std::int64_t after_id = 0;
    std::int64_t limit = -1;
};

// Reviews by due date, then id. errc::invalid_argument for an unknown state.
result<std::vector<review_record>> list_reviews(const database& db, const review_filter& f);

result<std::vector<review_event>> review_history(const database& db, std::int64_t review_id);

// Writes every reminder of a scheduled review that has fallen due by `today` and is not yet written: once
// per key, whatever how often this runs or how long the daemon was down. Reminders before the due date
// that fell before the review was scheduled are skipped (nobody could have sent them). Returns the new ones.
result<std::vector<reminder_record>> produce_reminders(database& db, const std::string& today,
                                                       const std::vector<std::int64_t>& reminder_days,
                                                       std::int64_t escalate_after_days, const std::string& now_utc);

// Reminders written, oldest first (all when review_id is 0).
result<std::vector<reminder_record>> list_reminders(const database& db, std::int64_t review_id = 0);

// Scheduled reviews due from `today` to today + `within_days`, and overdue (due before today).
struct review_counts {
    std::int64_t due = 0;
    std::int64_t overdue = 0;
};
result<review_counts> count_reviews(const database& db, const std::string& today, std::int64_t within_days = 28);

// The scheduler's named values (the last daily run, ...).
result<std::optional<std::string>> scheduler_value(const database& db, const std::string& name);
result<void> set_scheduler_value(database& db, const std::string& name, const std::string& value);

}  // namespace dpmon::storage
