#pragma once
// Logging to stderr through spdlog. Under systemd (JOURNAL_STREAM set) lines carry no timestamp, since
// the journal adds its own, and start with a "<N>" syslog priority the journal understands.
// Log lines carry references and masked account numbers, never names.

#include <string_view>

namespace dpmon::daemon {

// Sets up the default logger. Call once, at start-up, before other threads exist.
void init_logging(std::string_view level);

// Changes the level ("trace" ... "error"); unknown names are ignored. Any thread.
void set_log_level(std::string_view level);

}  // namespace dpmon::daemon
