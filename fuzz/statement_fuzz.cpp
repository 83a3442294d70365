// libFuzzer target: a CSV statement read with each built-in bank profile (the first byte picks one, so
// every profile is fuzzed), in two chunks, and every row's identifiers split as an import does.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dpmon/importers/csv_statement.hpp"
#include "dpmon/importers/detect.hpp"
#include "dpmon/importers/profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const auto profiles = dpmon::importers::builtin_profiles();
    const auto& p = profiles[data[0] % profiles.size()];
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 2, size - 2);
    const std::size_t split = bytes.empty() ? 0 : data[1] % (bytes.size() + 1);
    dpmon::importers::csv_statement_parser parser(p, 20);
    std::size_t rows = 0;
    const auto on_row = [&](const dpmon::importers::statement_row& r) {
        rows += r.description.size();
        return true;
    };
    if (parser.feed(bytes.substr(0, split), on_row) && parser.feed(bytes.substr(split), on_row)) (void)parser.finish(on_row);
    for (const auto& d : parser.diagnostics()) (void)dpmon::importers::format_diagnostic_safe("fuzz.csv", d);
    (void)dpmon::importers::choose_profile("fuzz.csv", bytes.substr(0, 4096), {});
    return 0;
}
