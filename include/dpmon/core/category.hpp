#pragma once
// The closed list of transaction categories (DESIGN.md §1), which a council may extend in config.

#include <span>
#include <string_view>

namespace dpmon::core {

// Spending categories, then inflow categories; "uncategorised" is what matches no rule.
std::span<const std::string_view> builtin_categories();

inline constexpr std::string_view uncategorised = "uncategorised";

// True for a built-in category name.
bool is_builtin_category(std::string_view name);

}  // namespace dpmon::core
