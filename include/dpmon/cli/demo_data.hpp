#pragma once
// Deterministic synthetic data for the demo and the tests: DP accounts with plans, and a bank statement
// per account and month. Every name in it is invented; the same options give the same bytes.

#include <cstdint>
#include <string>
#include <vector>

#include "dpmon/core/civil_date.hpp"

namespace dpmon::daemon {

struct demo_options {
    int accounts = 12;
    int months = 14;  // of statements, ending with the month that holds `until`
    core::civil_date until = core::civil_date{date::year{2026}, date::month{10}, date::day{31}};
    std::uint64_t seed = 1;
};

struct demo_file {
    std::string relative_path;  // "plans/demo-accounts.json", "statements/DP-000101-2026-03.csv"
    std::string content;
};

// The files, in a stable order. Plans follow docs/statements.md (plan files); statements use the Lloyds
// layout (docs/statements.md, profiles) with a running balance.
std::vector<demo_file> generate_demo_data(const demo_options& options);

}  // namespace dpmon::daemon
