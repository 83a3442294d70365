#pragma once
// The codes of the flags dpmon raises (docs/rules.md#flags): an enum inside dpmon, text ("SURPLUS") only
// at the edges (storage, JSON, config, email), converted here and nowhere else.

#include <optional>
#include <span>
#include <string_view>

namespace dpmon::core {

enum class flag_code {
    surplus,
    contribution_arrears,
    overspend,
    underspend,
    overdrawn,
    projected_shortfall,
    unplanned_spend,
    restricted_spend,
    cash_withdrawal,
    household_member_payment,
    unexplained_inflow,
    employer_obligation_missed,
    duplicate_payment,
    council_payment_missing,
    statement_overdue,
    statement_gap,
    balance_mismatch,
};

// "SURPLUS", "CONTRIBUTION_ARREARS", ...
std::string_view to_string(flag_code c);

// The code a text names (exactly, in upper case), or nullopt.
std::optional<flag_code> parse_flag_code(std::string_view text);

// Every code, in the order above.
std::span<const flag_code> all_flag_codes();

// True when `code` names a flag code.
bool is_flag_code(std::string_view code);

}  // namespace dpmon::core
