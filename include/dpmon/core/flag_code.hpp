#pragma once
// The codes of the flags dpmon raises (docs/rules.md#flags).

#include <span>
#include <string_view>

namespace dpmon::core {

std::span<const std::string_view> flag_codes();

// True when `code` is one of flag_codes().
bool is_flag_code(std::string_view code);

}  // namespace dpmon::core
