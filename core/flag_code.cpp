#include "dpmon/core/flag_code.hpp"

#include "dpmon/core/enum_names.hpp"

#include <array>
#include <utility>

namespace dpmon::core {
namespace {

constexpr std::array<std::pair<flag_code, std::string_view>, 17> names{{
    {flag_code::surplus, "SURPLUS"},
    {flag_code::contribution_arrears, "CONTRIBUTION_ARREARS"},
    {flag_code::overspend, "OVERSPEND"},
    {flag_code::underspend, "UNDERSPEND"},
    {flag_code::overdrawn, "OVERDRAWN"},
    {flag_code::projected_shortfall, "PROJECTED_SHORTFALL"},
    {flag_code::unplanned_spend, "UNPLANNED_SPEND"},
    {flag_code::restricted_spend, "RESTRICTED_SPEND"},
    {flag_code::cash_withdrawal, "CASH_WITHDRAWAL"},
    {flag_code::household_member_payment, "HOUSEHOLD_MEMBER_PAYMENT"},
    {flag_code::unexplained_inflow, "UNEXPLAINED_INFLOW"},
    {flag_code::employer_obligation_missed, "EMPLOYER_OBLIGATION_MISSED"},
    {flag_code::duplicate_payment, "DUPLICATE_PAYMENT"},
    {flag_code::council_payment_missing, "COUNCIL_PAYMENT_MISSING"},
    {flag_code::statement_overdue, "STATEMENT_OVERDUE"},
    {flag_code::statement_gap, "STATEMENT_GAP"},
    {flag_code::balance_mismatch, "BALANCE_MISMATCH"},
}};

constexpr std::array<flag_code, names.size()> codes = [] {
    std::array<flag_code, names.size()> out{};
    for (std::size_t i = 0; i < names.size(); ++i) out[i] = names[i].first;
    return out;
}();

}  // namespace

std::string_view to_string(flag_code c) { return name_in(names, c); }

std::optional<flag_code> parse_flag_code(std::string_view text) { return value_in(names, text); }

std::span<const flag_code> all_flag_codes() { return codes; }

bool is_flag_code(std::string_view code) { return parse_flag_code(code).has_value(); }

}  // namespace dpmon::core
