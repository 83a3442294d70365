#pragma once
// Support plans (docs/rules.md#money-and-dates): versioned with effective dates; each version holds the
// weekly budget, the person's assessed contribution, the council's payment schedule and the plan lines.

#include <optional>
#include <string>
#include <vector>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/money.hpp"

namespace dpmon::core {

enum class frequency { week, four_weeks, month, quarter, year, one_off };

// "week", "4w" (or "four_weeks"), "month", "quarter", "year", "one_off"; false for anything else.
bool parse_frequency(std::string_view text, frequency& out);
std::string_view to_string(frequency f);

enum class payment_basis {
    net,    // the person pays the contribution into the account
    gross,  // the council pays the whole budget and invoices the contribution outside the account
};

struct plan_line {
    std::string category;
    money amount;
    frequency per = frequency::week;
    std::vector<std::string> payees;  // case-insensitive substrings of the transaction description
    bool repeats = false;  // payments to these payees may repeat within days (no DUPLICATE_PAYMENT)
    bool ring_fenced = false;  // money for this purpose only: its spend is checked on its own (OVERSPEND)
};

struct council_payment_schedule {
    money amount;
    frequency every = frequency::four_weeks;  // four_weeks or month
    civil_date first;
    std::string payer;  // a case-insensitive substring that recognises the payment
};

struct plan_version {
    civil_date effective_from;
    std::optional<civil_date> effective_to;  // inclusive; none: open-ended
    money weekly_budget;                     // the gross personal budget
    money weekly_contribution;               // the person's assessed contribution
    payment_basis basis = payment_basis::net;
    council_payment_schedule council_payment;
    std::string contribution_payer;
    std::vector<plan_line> lines;

    bool in_force_on(civil_date d) const { return d >= effective_from && (!effective_to || d <= *effective_to); }
};

// The amount that `amount` per `f` comes to over `days` days, rounded half away from zero once at the end.
// The daily rate is exact: a week is 7 days, 4 weeks 28, a month 365.25 / 12, a quarter 365.25 / 4 and a
// year 365.25 days (so twelve monthly amounts make a year's). One-off amounts give zero: not periodic.
money prorate(money amount, frequency f, std::int64_t days);

// The plan version in force on `d`, if any. `versions` is borrowed.
const plan_version* version_on(const std::vector<plan_version>& versions, civil_date d);

// Closes versions so that each ends the day before the next starts (a new version closes the previous
// one), sorted by effective_from. Two versions starting on the same day keep the later in the list.
std::vector<plan_version> normalise_versions(std::vector<plan_version> versions);

}  // namespace dpmon::core
