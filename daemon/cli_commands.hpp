#pragma once
// The dpmon subcommands. Each returns the process exit status and writes its own messages.

#include <cstdint>
#include <string>

namespace dpmon::daemon::cli {

// Prints the effective config on stdout; on an invalid config prints every problem on stderr, returns 2.
int check_config(const std::string& path);

struct demo_args {
    int accounts = 12;
    int months = 14;
    std::string until = "2026-10-31";
    std::uint64_t seed = 1;
};

// Writes generate_demo_data() under `out_dir` (plans/, statements/). Returns 0, or 1 when a file cannot
// be written, or 2 for a bad --until.
int demo_data(const std::string& out_dir, const demo_args& args);

}  // namespace dpmon::daemon::cli
