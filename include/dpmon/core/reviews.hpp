#pragma once
// reviews: when each statutory review and audit of a direct payment falls due, and the reminders each one
// gives (docs/rules.md#reviews-and-audits; Care and Support (Direct Payments) Regulations 2014, reg. 7).
// Pure: the dates come in, nothing reads a clock.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/working_days.hpp"

namespace dpmon::core {

enum class review_kind { dp_initial, dp_annual, financial_audit, support_plan, final_audit, early };

// "DP_INITIAL_REVIEW", "DP_ANNUAL_REVIEW", "FINANCIAL_AUDIT", "SUPPORT_PLAN_REVIEW", "FINAL_AUDIT",
// "EARLY_REVIEW".
std::string_view to_string(review_kind k);
// In plain words, for people (emails, pages, the worklist): "initial direct-payment review",
// "annual direct-payment review", "financial audit", "support-plan review", "final audit", "early review".
std::string_view plain_name(review_kind k);
// The inverse of to_string; false when `text` names no kind.
bool parse_review_kind(std::string_view text, review_kind& out);

struct completed_review {
    review_kind kind = review_kind::dp_initial;
    civil_date completed_on;
    std::optional<civil_date> next_due;  // an officer's date for the next one of the kind, if set
};

// What the schedule of one account follows from.
struct review_facts {
    civil_date dp_start;
    std::optional<civil_date> closed_on;       // the DP ended (or the person died)
    std::vector<civil_date> plan_starts;       // each support-plan version's effective_from
    std::vector<completed_review> completed;   // in any order
};

struct review_rules {
    int initial_months = 6;              // DP_INITIAL_REVIEW after the DP start
    int interval_months = 12;            // DP reviews, audits and plan reviews: at most this far apart
    int support_plan_first_days = 42;    // a new plan is reviewed 6 weeks after it starts
    int final_audit_days = 28;           // after closure
    std::int64_t align_window_days = 60;  // a DP review within this many days after a plan review joins it
};

struct scheduled_review {
    review_kind kind = review_kind::dp_initial;
    civil_date nominal;  // the date the rule gives
    civil_date due;      // the same, moved back to a working day
    std::string basis;   // how it was reached, for the history ("DP start 2026-01-05 + 6 months")
};

// The next review of each kind an account owes, from what has been completed:
//   DP_INITIAL_REVIEW    DP start + 6 months, until completed;
//   DP_ANNUAL_REVIEW     12 months after the last DP review completed (initial, annual or early), brought
//                        forward to the support-plan review when that falls within align_window_days
//                        before it, never later;
//   FINANCIAL_AUDIT      DP start + 12 months, then 12 months after the last completed;
//   SUPPORT_PLAN_REVIEW  the newest plan's start + 6 weeks, then 12 months after the last completed;
//   FINAL_AUDIT          closure + 4 weeks (a closed account owes nothing else).
// An officer's next_due on a completion replaces the rule's date for the next of that kind.
std::vector<scheduled_review> schedule_reviews(const review_facts& facts, const review_rules& rules,
                                               const working_calendar& calendar);

// The kind whose next date a completion of `k` sets (EARLY_REVIEW and DP reviews: DP_ANNUAL_REVIEW).
std::optional<review_kind> next_kind_after(review_kind k);

// The latest a next_due override may be after a completion of `k` on `completed_on`: DP reviews and audits
// cannot be pushed beyond the statutory interval.
civil_date latest_next_due(review_kind k, civil_date completed_on, const review_rules& rules);

struct reminder_point {
    std::string kind;  // "28-days-before", "7-days-before", "due", "escalation"
    civil_date on;     // the day it falls due
    bool to_team = false;  // escalations go to the team mailbox, the rest to the finance officer
};

// The reminders a review due on `due` gives: `reminder_days` before, on the day, and an escalation
// `escalate_after_days` after, in date order.
std::vector<reminder_point> reminders_for(civil_date due, const std::vector<std::int64_t>& reminder_days,
                                          std::int64_t escalate_after_days);

}  // namespace dpmon::core
