// dpmon demo-data: synthetic accounts, plans and statements (invented names).
#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "cli_support.hpp"
#include "dpmon/app/queries.hpp"
#include "dpmon/service/settings.hpp"
#include "dpmon/views/views.hpp"
#include <filesystem>

#include "dpmon/app/atomic_file.hpp"
#include "dpmon/cli/demo_data.hpp"

namespace dpmon::daemon::cli {
namespace {

struct demo_args {
    int accounts = 12;
    int months = 14;
    std::string until = "2026-10-31";
    std::uint64_t seed = 1;
};

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
        // Beside, then renamed: a watched drop folder never sees half a file.
        if (auto w = write_file_atomic(path, f.content); !w) {
            std::cerr << "dpmon: " << w.error().message << "\n";
            return 1;
        }
    }
    std::cerr << "dpmon: wrote " << files.size() << " files under " << root.string() << "\n";
    return 0;
}

}  // namespace

void add_demo_data_commands(CLI::App& app, const cli_context& ctx) {
    auto* demo = app.add_subcommand("demo-data", "write synthetic demo accounts, plans and statements (invented names)");
    struct options {
        std::string out_dir;
        demo_args args;
    };
    auto o = std::make_shared<options>();
    demo->add_option("--out", o->out_dir, "folder to write plans/ and statements/ into")->required();
    demo->add_option("--accounts", o->args.accounts, "number of accounts")->capture_default_str()->check(CLI::Range(1, 100000));
    demo->add_option("--months", o->args.months, "months of statements")->capture_default_str()->check(CLI::Range(1, 120));
    demo->add_option("--until", o->args.until, "last day of data, YYYY-MM-DD")->capture_default_str();
    demo->add_option("--seed", o->args.seed, "random seed")->capture_default_str();
    demo->callback([o, &ctx] { ctx.status = demo_data(o->out_dir, o->args); });
}

}  // namespace dpmon::daemon::cli
