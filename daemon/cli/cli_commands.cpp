#include "dpmon/service/settings.hpp"
#include "dpmon/app/atomic_file.hpp"
#include "cli_commands.hpp"

#include <boost/json/serialize.hpp>

#include "cli_support.hpp"
#include "dpmon/app/queries.hpp"
#include "dpmon/views/views.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

#include "dpmon/service/config.hpp"
#include "dpmon/cli/demo_data.hpp"
#include "dpmon/app/plan_import.hpp"
#include "dpmon/app/reconcile_accounts.hpp"
#include "dpmon/app/statement_import.hpp"
#include "dpmon/app/system_clock.hpp"
#include "dpmon/importers/detect.hpp"
#include "dpmon/storage/database.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <optional>

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
        // Beside, then renamed: a watched drop folder never sees half a file.
        if (auto w = write_file_atomic(path, f.content); !w) {
            std::cerr << "dpmon: " << w.error().message << "\n";
            return 1;
        }
    }
    std::cerr << "dpmon: wrote " << files.size() << " files under " << root.string() << "\n";
    return 0;
}

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

}  // namespace

int open_store(const std::string& config_path, std::optional<config>& cfg, std::optional<storage::database>& db) {
    auto loaded = load_config(config_path);
    if (!loaded) {
        std::cerr << loaded.error().message << "\n";
        return 2;
    }
    auto opened = storage::database::open(loaded->daemon.state_dir / "dpmon.db");
    if (!opened) {
        std::cerr << "dpmon: " << opened.error().message << "\n";
        return 1;
    }
    cfg.emplace(std::move(*loaded));
    db.emplace(std::move(*opened));
    return 0;
}

int fail(const error& e) {
    std::cerr << "dpmon: " << e.message << "\n";
    return e.code == errc::invalid_argument || e.code == errc::not_found || e.code == errc::conflict ? 1 : 3;
}

core::civil_date local_today(const config& c) {
    return core::local_date(system_clock().now(), *date::locate_zone(c.daemon.timezone));
}

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
        if (r.status == "duplicate") {
            std::cout << file << ": already imported (import #" << r.import_id << "); nothing to do\n";
        } else if (r.status == "rejected") {
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
        auto report = apply_plan_file(*db, file, cfg->extra_categories);
        if (!report) {
            std::cerr << "dpmon: " << file << ": " << report.error().message << "\n";
            status = 1;
        } else if (!report->errors.empty()) {
            std::cout << file << ": rejected, nothing applied\n";
            for (const auto& e : report->errors) std::cout << "  " << e << "\n";
            status = 1;
        } else {
            std::cout << file << ": applied " << report->accounts.size() << " account(s)\n";
        }
    }
    return status;
}

int reconcile(const std::string& config_path, const std::vector<std::string>& refs, const std::string& today) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    const auto clock = make_system_clock();
    core::civil_date day = core::local_date(clock->now(), *date::locate_zone(cfg->daemon.timezone));
    if (!today.empty()) {
        auto d = core::parse_iso_date(today);
        if (!d) {
            std::cerr << "dpmon: --today: " << d.error().message << "\n";
            return 2;
        }
        day = *d;
    }
    const auto started = std::chrono::steady_clock::now();
    auto summary = reconcile_accounts(*db, reconcile_settings_from(*cfg), refs, day,
                                      core::format_utc_timestamp(clock->now()));
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    if (!summary) {
        std::cerr << "dpmon: " << summary.error().message << "\n";
        return 1;
    }
    std::cout << "reconciled " << summary->accounts << " account(s) as of " << core::format_iso_date(day) << ": "
              << summary->raised << " flag(s) raised, " << summary->resolved << " resolved, " << summary->recategorised
              << " transaction(s) recategorised, in " << ms << " ms\n";
    for (const auto& p : summary->problems) std::cout << "  not reconciled: " << p << "\n";
    return summary->problems.empty() ? 0 : 1;
}

int list_flags(const std::string& config_path, const std::string& state, const std::string& code, bool json) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    auto flags = app::list_flags(*db, state, code, 0);
    if (!flags) return fail(flags.error());
    if (json) {
        // The document GET /api/v1/flags serves.
        auto exempt = app::exemptions_in_force(*db, local_today(*cfg));
        if (!exempt) return fail(exempt.error());
        boost::json::array rows;
        for (const auto& f : *flags) {
            auto e = exempt->find(f.account_ref);
            rows.push_back(flag_view(f, e == exempt->end() ? nullptr : &e->second));
        }
        std::cout << boost::json::serialize(boost::json::object{{"flags", std::move(rows)}}) << "\n";
        return 0;
    }
    std::printf("%-6s %-11s %-26s %-13s %12s  %s\n", "ID", "ACCOUNT", "CODE", "STATE", "AMOUNT", "PERIOD FROM");
    for (const auto& f : *flags) {
        std::printf("%-6lld %-11s %-26s %-13s %12s  %s\n", static_cast<long long>(f.id), f.account_ref.c_str(), f.code.c_str(),
                    f.state.c_str(), core::money::from_pence(f.amount_pence).to_display().c_str(), f.period_first.c_str());
    }
    std::cout << flags->size() << " flag(s)\n";
    return 0;
}

int list_accounts(const std::string& config_path, bool json) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    auto rows = app::list_accounts(*db, {}, local_today(*cfg));
    if (!rows) return fail(rows.error());
    if (json) {
        // The document GET /api/v1/accounts serves.
        boost::json::array out;
        for (const auto& a : *rows) out.push_back(account_row_view(a.row, a.next_review ? &*a.next_review : nullptr));
        std::cout << boost::json::serialize(boost::json::object{{"accounts", std::move(out)}}) << "\n";
        return 0;
    }
    std::printf("%-11s %-9s %14s %-10s %14s  %-31s %s\n", "ACCOUNT", "STATUS", "BALANCE", "AS OF", "RECOVERABLE",
                "NEXT REVIEW", "OPEN FLAGS");
    for (const auto& [r, n] : *rows) {
        std::string codes;
        for (const auto& c : r.open_flags) codes += (codes.empty() ? "" : " ") + c;
        const std::string review = n ? n->due_on + " " + n->kind : "-";
        std::printf("%-11s %-9s %14s %-10s %14s  %-31s %s\n", r.account.account_ref.c_str(), r.account.status.c_str(),
                    r.status ? core::money::from_pence(r.status->balance_pence).to_display().c_str() : "-",
                    r.status ? r.status->balance_date.c_str() : "-",
                    core::money::from_pence(r.status ? r.status->recoverable_pence : 0).to_display().c_str(), review.c_str(),
                    codes.c_str());
    }
    std::cout << rows->size() << " account(s)\n";
    return 0;
}

int show_account(const std::string& config_path, const std::string& ref, bool json) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    auto account = app::account_named(*db, ref);
    if (!account) return fail(account.error());
    const core::civil_date today = local_today(*cfg);
    auto d = app::account_details(*db, *account, reconcile_settings_from(*cfg), today);
    if (!d) return fail(d.error());
    if (json) {
        // The document GET /api/v1/accounts/{ref} serves.
        std::cout << boost::json::serialize(account_view(*d, today)) << "\n";
        return 0;
    }
    const auto& a = d->account;
    std::cout << a.account_ref << " (" << a.account_type << ", " << a.status << "), DP from " << a.dp_start
              << ", officer " << a.finance_officer << "; as of " << core::format_iso_date(today) << "\n\n";
    std::printf("%-10s %-10s %12s %12s %12s %12s %12s\n", "FROM", "TO", "OPENING", "COUNCIL IN", "PLANNED", "SPENT", "CLOSING");
    for (const auto& p : d->reconciliation.periods) {
        std::printf("%-10s %-10s %12s %12s %12s %12s %12s%s\n", core::format_iso_date(p.span.first).c_str(),
                    core::format_iso_date(p.span.last).c_str(), p.opening.to_display().c_str(),
                    p.actual_council.to_display().c_str(), p.planned_spend.to_display().c_str(),
                    p.actual_spend.to_display().c_str(), p.closing.to_display().c_str(), p.complete ? "" : "  (so far)");
    }
    if (!d->flags.empty()) {
        std::cout << "\nflags:\n";
        for (const auto& f : d->flags) std::cout << "  #" << f.id << " " << f.code << " [" << f.state << "] " << f.reason << "\n";
    }
    return 0;
}

int list_profiles(const std::string& config_path) {
    auto cfg = load_config(config_path);
    if (!cfg) {
        std::cerr << cfg.error().message << "\n";
        return 2;
    }
    for (const auto& p : importers::merge_profiles(cfg->profiles)) {
        std::cout << p.name << " (" << p.format << ")";
        if (!p.match_filename.empty()) std::cout << " files: " << p.match_filename;
        std::cout << "\n";
        if (!p.match_header.empty()) std::cout << "  header: " << p.match_header << "\n";
        if (!p.source.empty()) std::cout << "  from: " << p.source << "\n";
    }
    return 0;
}

}  // namespace dpmon::daemon::cli
