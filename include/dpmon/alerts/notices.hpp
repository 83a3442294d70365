#pragma once
// notices: what each alert says. Short and actionable: what happened, the account reference and masked
// account number, the amount, what to do, a link. Amounts arrive as money and are printed here alone, as
// "£1,234.56" and "-£176.00". Built from references and figures only: a person's name,
// a payee, a full account number or a sort code is never passed in, so it can never come out.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "dpmon/alerts/message.hpp"
#include "dpmon/core/flag_code.hpp"
#include "dpmon/core/money.hpp"
#include "dpmon/core/reviews.hpp"

namespace dpmon::alerts {

struct flag_notice {
    std::int64_t flag_id = 0;
    core::flag_code code = core::flag_code::surplus;
    std::string account_ref;
    std::string masked_account;  // "****5678"
    core::money amount;          // as the flag holds it (OVERDRAWN: the lowest balance, negative)
    std::string period_first;
    std::string period_last;
    bool reopened = false;
};


struct reminder_notice {
    std::string key;          // from the reminder ("review:42:7-days-before")
    std::string kind;         // "28-days-before", "7-days-before", "due", "escalation"
    std::int64_t review_id = 0;
    core::review_kind review_kind = core::review_kind::dp_annual;
    std::string account_ref;
    std::string masked_account;
    std::string due_on;
};

// One message to an officer listing the serious flags raised since their last one (docs/alerts.md#grouping):
// the subject reads as a sentence ("DP-000110 overdrawn: lowest balance -£176.00", or "5 serious flags:
// DP-000110 overdrawn: lowest balance -£176.00 and 4 more"); the body says, for each, what happened, what to
// check and whom to contact, with the flag id and the link to it on the dashboard (`dashboard_url` +
// /accounts/{ref}#flag-{id}), never an API verb. `key` is the outbox key.
alert_content flag_group_alert(const std::vector<flag_notice>& flags, const std::string& to, const std::string& key,
                               const std::string& dashboard_url);

// The dashboard page of an account, or of one thing on it ("flag-7", "review-3"; empty: the top).
std::string account_link(const std::string& dashboard_url, const std::string& account_ref, const std::string& anchor);

// The subject line of one flag, as a sentence.
std::string flag_sentence(const flag_notice& n);

// One officer's review reminders of a day (or the team's escalations) in one message, each with the link to
// the review on its account's page.
alert_content reminders_alert(const std::vector<reminder_notice>& reminders, const std::string& to, const std::string& key,
                              const std::string& dashboard_url);

// What a first reconciliation (a bulk load) found for one officer's accounts (docs/alerts.md#onboarding).
struct onboarding_notice {
    std::vector<std::string> accounts;  // references
    std::map<std::string, std::int64_t> open_flags_by_code;
    std::vector<std::string> most_at_stake;  // worklist lines: "DP-000110  contact the holder today: ..."
    std::int64_t overdue_reviews = 0;
};
alert_content onboarding_alert(const onboarding_notice& n, const std::string& to, const std::string& key,
                               const std::string& dashboard_url);

// The daily digest for the team mailbox: for each officer, their accounts in worklist order (a line saying what
// to do, then a line per open concern, indented) and the reviews coming due. Key "digest:DAY".
alert_content digest_alert(const std::string& day, const std::map<std::string, std::vector<std::string>>& per_officer,
                           const std::string& to, const std::string& dashboard_url);

}  // namespace dpmon::alerts

namespace dpmon::alerts {

// A written notice of surplus recovery (the Ombudsman has found fault where councils recovered money without
// one): the amount, how it was reached, the date of recovery and how to challenge it. Addressed by account
// reference; no name, no full account number.
struct recovery_notice {
    std::int64_t recovery_id = 0;
    std::string account_ref;
    std::string masked_account;
    std::string issued_on;
    core::money amount;
    core::money balance;
    std::string balance_date;
    core::money weekly_budget;
    std::string retained_weeks;
    core::money retained, liabilities, overpaid;
    std::string recover_on;
    std::string officer;  // the finance officer's council address, for questions and challenges
};

std::string recovery_notice_text(const recovery_notice& n);
std::string recovery_notice_html(const recovery_notice& n);

}  // namespace dpmon::alerts
