// libFuzzer target: a JSON plan file, and what is stored of each account read back as dpmon reads it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dpmon/core/policy.hpp"
#include "dpmon/importers/plan_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto file = dpmon::importers::parse_plan_file(text);
    for (const auto& a : file.accounts) {
        (void)dpmon::importers::plan_versions_from_json(a.plans_json);
        (void)dpmon::importers::household_from_json(a.household_json);
        dpmon::core::policy p;
        (void)dpmon::importers::apply_policy_overrides(p, a.policy_json);
    }
    return 0;
}
