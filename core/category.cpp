#include "dpmon/core/category.hpp"

#include <algorithm>
#include <array>

namespace dpmon::core {
namespace {

constexpr std::array<std::string_view, 15> categories{
    "pa_wages",  "agency_care", "respite",   "day_activities", "equipment",       "payroll_service",
    "hmrc",      "pension",     "insurance", "transport",      "other_agreed",    "council_payment",
    "client_contribution",      "refund",    "interest"};

}  // namespace


bool is_builtin_category(std::string_view name) {
    return std::find(categories.begin(), categories.end(), name) != categories.end();
}

}  // namespace dpmon::core
