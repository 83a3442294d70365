#pragma once
// The closed list of transaction categories (docs/rules.md#categories-and-categorisation), which a council may extend in config.

#include <span>
#include <string_view>

namespace dpmon::core {

inline constexpr std::string_view uncategorised = "uncategorised";

// True for a built-in category name.
bool is_builtin_category(std::string_view name);

}  // namespace dpmon::core
