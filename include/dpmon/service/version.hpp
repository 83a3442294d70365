#pragma once

#include <string_view>

namespace dpmon::daemon {

// "0.1.0": the project version from CMake.
std::string_view version();

}  // namespace dpmon::daemon
