// libFuzzer target: the TOML config, checked key by key, and the effective config rendered and read again.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dpmon/service/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto c = dpmon::daemon::parse_config(text, "fuzz.toml");
    if (!c) return 0;
    (void)dpmon::daemon::config_warnings(*c);
    const std::string rendered = dpmon::daemon::render_config(*c);
    if (!dpmon::daemon::parse_config(rendered, "rendered.toml")) __builtin_trap();  // what it writes, it must read
    return 0;
}
