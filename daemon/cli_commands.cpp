#include "cli_commands.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

#include "dpmon/daemon/config.hpp"
#include "dpmon/daemon/demo_data.hpp"

namespace dpmon::daemon::cli {

int check_config(const std::string& path) {
    auto cfg = load_config(path);
    if (!cfg) {
        std::cerr << cfg.error().message << "\n";
        std::cerr << "dpmon: the configuration is not valid\n";
        return 2;
    }
    std::cout << render_config(*cfg);
    std::cerr << "dpmon: " << path << " is valid\n";
    return 0;
}

int demo_data(const std::string& out_dir, const demo_args& args) {
    auto until = core::parse_iso_date(args.until);
    if (!until) {
        std::cerr << "dpmon: --until: " << until.error().message << "\n";
        return 2;
    }
    const auto files = generate_demo_data({args.accounts, args.months, *until, args.seed});
    const std::filesystem::path root(out_dir);
    for (const demo_file& f : files) {
        const auto path = root / f.relative_path;
        std::error_code ec;
        std::filesystem::create_directories(path.parent_path(), ec);
        // Write beside, then rename: a watched drop folder never sees half a file.
        const auto tmp = path.parent_path() / ("." + path.filename().string() + ".part");
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << f.content;
        out.close();
        if (!out || (std::filesystem::rename(tmp, path, ec), ec)) {
            std::cerr << "dpmon: cannot write " << path.string() << (ec ? ": " + ec.message() : "") << "\n";
            return 1;
        }
    }
    std::cerr << "dpmon: wrote " << files.size() << " files under " << root.string() << "\n";
    return 0;
}

}  // namespace dpmon::daemon::cli
