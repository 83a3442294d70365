#include "dpmon/core/flag_code.hpp"

#include <algorithm>
#include <array>

namespace dpmon::core {
namespace {

constexpr std::array<std::string_view, 17> codes{
    "SURPLUS",          "CONTRIBUTION_ARREARS",     "OVERSPEND",          "UNDERSPEND",
    "OVERDRAWN",        "PROJECTED_SHORTFALL",      "UNPLANNED_SPEND",    "RESTRICTED_SPEND",
    "CASH_WITHDRAWAL",  "HOUSEHOLD_MEMBER_PAYMENT", "UNEXPLAINED_INFLOW", "EMPLOYER_OBLIGATION_MISSED",
    "DUPLICATE_PAYMENT", "COUNCIL_PAYMENT_MISSING", "STATEMENT_OVERDUE",  "STATEMENT_GAP",
    "BALANCE_MISMATCH"};

}  // namespace

std::span<const std::string_view> flag_codes() { return codes; }

bool is_flag_code(std::string_view code) { return std::find(codes.begin(), codes.end(), code) != codes.end(); }

}  // namespace dpmon::core
