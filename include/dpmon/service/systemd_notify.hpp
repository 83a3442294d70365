#pragma once
// The sd_notify protocol (libsystemd): READY=1, STOPPING=1, WATCHDOG=1. Outside systemd (no
// NOTIFY_SOCKET) every call does nothing.

#include <chrono>
#include <optional>
#include <string_view>

namespace dpmon::daemon {

// Sends `state` (e.g. "READY=1") to the service manager, if there is one.
void notify_systemd(std::string_view state);

// The interval at which to send WATCHDOG=1 (half of WATCHDOG_USEC), when systemd expects it.
std::optional<std::chrono::microseconds> watchdog_interval();

}  // namespace dpmon::daemon
