// dpmon import (statements), dpmon plans import.
#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "cli_support.hpp"
#include "dpmon/app/queries.hpp"
#include "dpmon/app/retention.hpp"
#include "dpmon/service/settings.hpp"
#include "dpmon/views/views.hpp"
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "dpmon/app/plan_import.hpp"
#include "dpmon/importers/detect.hpp"
#include "dpmon/app/statement_import.hpp"
#include "dpmon/app/system_clock.hpp"

namespace dpmon::daemon::cli {
namespace {

// "\r  NAME: 45% of 270 MB" on a terminal, at most a few times a second.
class progress_line {
public:
    explicit progress_line(std::string name) : name_(std::move(name)), enabled_(::isatty(STDERR_FILENO) == 1) {}
    void operator()(std::uint64_t done, std::uint64_t total) {
        if (!enabled_ || total < 4 * 1024 * 1024) return;
        const auto now = std::chrono::steady_clock::now();
        if (done < total && now - last_ < std::chrono::milliseconds(200)) return;
        last_ = now;
        std::cerr << "\r  " << name_ << ": " << (done * 100 / total) << "% of " << (total / (1024 * 1024)) << " MB"
                  << std::flush;
        shown_ = true;
    }
    ~progress_line() {
        if (shown_) std::cerr << "\r\033[K" << std::flush;
    }

private:
    std::string name_;
    bool enabled_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point last_{};
};

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}


struct import_args {
    std::vector<std::string> files;
    std::string profile;
    bool dry_run = false;
};

int import_files(const std::string& config_path, const import_args& args) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    const auto profiles = importers::merge_profiles(cfg->profiles);
    const auto clock = make_system_clock();
    int status = 0;
    for (const auto& file : args.files) {
        progress_line progress(std::filesystem::path(file).filename().string());
        import_options options;
        options.profile_name = args.profile;
        options.dry_run = args.dry_run;
        options.max_file_bytes = cfg->daemon.max_file_bytes;
        options.progress = [&](std::uint64_t done, std::uint64_t total) { progress(done, total); };
        auto report = import_statement_file(*db, file, profiles, options, core::format_utc_timestamp(clock->now()));
        if (!report) {
            std::cerr << "dpmon: " << file << ": " << report.error().message << "\n";
            status = 1;
            continue;
        }
        const import_report& r = *report;
        const std::string accounts = r.accounts.empty()  ? ""
                                     : r.accounts.size() > 5 ? " for " + std::to_string(r.accounts.size()) + " accounts"
                                                             : " for " + join(r.accounts);
        if (r.status == core::import_status::duplicate) {
            std::cout << file << ": already imported (import #" << r.import_id << "); nothing to do\n";
        } else if (r.status == core::import_status::rejected) {
            std::cout << file << ": " << (args.dry_run ? "would be rejected" : "rejected") << " ("
                      << r.error_count << " problem" << (r.error_count == 1 ? "" : "s") << ")"
                      << (r.profile.empty() ? "" : " with profile " + r.profile) << "\n";
            for (const auto& e : r.details) std::cout << "  " << e << "\n";
            if (r.error_count > static_cast<std::int64_t>(r.errors.size()))
                std::cout << "  ... and " << (r.error_count - static_cast<std::int64_t>(r.errors.size())) << " more\n";
            status = 1;
        } else {
            std::cout << file << ": " << (args.dry_run ? "would import " : "imported ") << r.rows << " rows ("
                      << r.added << " new, " << r.duplicates << " already held)" << accounts << " with profile "
                      << r.profile;
            if (r.balance_breaks > 0) std::cout << "; " << r.balance_breaks << " running-balance break(s) recorded";
            if (!args.dry_run) std::cout << " [import #" << r.import_id << "]";
            std::cout << "\n";
        }
    }
    return status;
}

int import_plans(const std::string& config_path, const std::vector<std::string>& files) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    int status = 0;
    for (const auto& file : files) {
        auto report = apply_plan_file(*db, file, cfg->extra_categories,
                                      app::retention_cutoff(local_today(*cfg), cfg->policy.retention_years));
        if (!report) {
            std::cerr << "dpmon: " << file << ": " << report.error().message << "\n";
            status = 1;
        } else if (!report->errors.empty()) {
            std::cout << file << ": rejected, nothing applied\n";
            for (const auto& e : report->errors) std::cout << "  " << e << "\n";
            status = 1;
        } else {
            std::cout << file << ": applied " << report->accounts.size() << " account(s)\n";
            if (!report->past_retention.empty()) {
                std::cout << "  not stored again: closed past the retention period ([policy] retention_years):";
                for (const auto& ref : report->past_retention) std::cout << " " << ref;
                std::cout << "\n";
            }
        }
    }
    return status;
}

}  // namespace

void add_imports_commands(CLI::App& app, const cli_context& ctx) {
    auto* import = app.add_subcommand("import", "import statement files into the database (the files stay where they are)");
    auto args = std::make_shared<import_args>();
    import->add_option("files", args->files, "statement files (CSV or OFX)")->required()->check(CLI::ExistingFile);
    import->add_option("--profile", args->profile, "read every file with this profile instead of choosing one");
    import->add_flag("--dry-run", args->dry_run, "show what would be imported; write nothing");
    import->callback([args, &ctx] { ctx.status = import_files(ctx.config_path, *args); });

    auto* plans = app.add_subcommand("plans", "support plans and accounts");
    plans->require_subcommand(1);
    auto* plans_import = plans->add_subcommand("import", "apply plan files (JSON or CSV): each file whole or not at all");
    auto files = std::make_shared<std::vector<std::string>>();
    plans_import->add_option("files", *files, "plan files")->required()->check(CLI::ExistingFile);
    plans_import->callback([files, &ctx] { ctx.status = import_plans(ctx.config_path, *files); });
}

}  // namespace dpmon::daemon::cli
