// libFuzzer target: the CSV reader, fed the input in two chunks split where its first byte says (a record
// across feed() calls), with the delimiter ',' or ';' chosen by the second byte.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dpmon/importers/csv_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::string_view all(reinterpret_cast<const char*>(data) + 2, size - 2);
    const std::size_t split = all.empty() ? 0 : data[0] % (all.size() + 1);
    dpmon::importers::csv_reader reader(data[1] % 2 ? ';' : ',', 4096);
    std::size_t fields = 0;
    const auto on_record = [&](std::span<const std::string_view> f, std::size_t) {
        for (const auto& s : f) fields += s.size();  // touch every field's bytes
        return true;
    };
    if (reader.feed(all.substr(0, split), on_record) && reader.feed(all.substr(split), on_record)) (void)reader.finish(on_record);
    return 0;
}
