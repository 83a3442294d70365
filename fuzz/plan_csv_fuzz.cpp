// libFuzzer target: a CSV plan file, converted to the JSON plan file and read as one.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dpmon/importers/plan_csv.hpp"
#include "dpmon/importers/plan_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto json = dpmon::importers::plan_csv_to_json(text);
    if (json) (void)dpmon::importers::parse_plan_file(*json);
    return 0;
}
