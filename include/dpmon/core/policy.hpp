#pragma once
// policy: the council's monitoring rules with the defaults in docs/rules.md#policy-keys. Config sets them council-wide; plan
// files override them per account.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dpmon/core/money.hpp"

namespace dpmon::core {

enum class period_kind { four_weekly, monthly, quarterly };

// "4-weekly", "monthly", "quarterly".
std::string_view to_string(period_kind k);
// The inverse of to_string; false when `text` names no period kind.
bool parse_period_kind(std::string_view text, period_kind& out);

struct policy {
    std::int64_t surplus_threshold_weeks = 8;
    std::int64_t retained_weeks = 4;
    std::int64_t serious_surplus_weeks = 12;  // a SURPLUS this large brings the next review forward
    period_kind period = period_kind::four_weekly;
    std::int64_t contribution_grace_days = 14;
    std::int64_t overspend_tolerance_pct = 10;
    std::int64_t overspend_window_periods = 3;         // OVERSPEND compares totals over this many periods
    money min_flag_amount = money::from_pence(10000);  // below this a money condition is not worth a flag
    std::int64_t underspend_pct = 50;
    std::int64_t underspend_periods = 2;
    money unplanned_min = money::from_pence(2500);
    money cash_limit_per_period = money::from_pence(0);
    std::int64_t hmrc_max_gap_days = 100;
    std::int64_t pension_max_gap_days = 45;
    std::int64_t insurance_max_gap_months = 13;
    std::int64_t duplicate_window_days = 3;
    std::int64_t council_payment_grace_days = 5;
    std::int64_t return_grace_days = 28;
    std::int64_t align_window_days = 60;
    std::vector<std::int64_t> reminder_days = {28, 7};
    std::int64_t escalate_after_days = 14;
    std::int64_t retention_years = 7;
    std::vector<std::string> serious_flags = {"OVERDRAWN", "BALANCE_MISMATCH", "SURPLUS"};
    std::vector<std::string> restricted_patterns = {"BET",     "CASINO",  "LOTTERY", "BOOKMAKER", "WINE",
                                                    "OFF LICENCE", "TOBACCO", "PUB ",   "OVERDRAFT FEE",
                                                    "UNPAID ITEM CHARGE"};
    // Descriptions that mark a cash withdrawal (CASH_WITHDRAWAL), case-insensitive substrings.
    std::vector<std::string> cash_patterns = {"ATM", "CASHPOINT", "CASH WDL", "CASH WITHDRAWAL", "CSH WDL"};
};

}  // namespace dpmon::core
