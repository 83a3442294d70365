#pragma once
// The real clock, for the daemon and the CLI. Tests use a fixed clock instead.

#include <memory>
#include <string>

#include "dpmon/core/clock.hpp"

namespace dpmon::daemon {

std::unique_ptr<core::clock> make_system_clock();

// The process's one real clock (for code that is given no clock: CLI commands, HTTP handlers).
const core::clock& system_clock();

// system_clock() now, as stored: "2026-12-01T09:30:00Z".
std::string now_utc();

}  // namespace dpmon::daemon
