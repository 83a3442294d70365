#pragma once
// The real clock, for the daemon and the CLI. Tests use a fixed clock instead.

#include <memory>

#include "dpmon/core/clock.hpp"

namespace dpmon::daemon {

std::unique_ptr<core::clock> make_system_clock();

}  // namespace dpmon::daemon
