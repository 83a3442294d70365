// libFuzzer target: the OFX reader (SGML 1.x and XML 2.x) and the rows it gives.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dpmon/importers/ofx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)dpmon::importers::looks_like_ofx(text.substr(0, 1024));
    const auto parsed = dpmon::importers::parse_ofx(text);
    for (const auto& s : parsed.statements) (void)dpmon::importers::to_statement_rows(s);
    return 0;
}
