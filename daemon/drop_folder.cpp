#include "dpmon/daemon/drop_folder.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/daily_schedule.hpp"
#include "dpmon/daemon/reviews.hpp"
#include "dpmon/daemon/alerting.hpp"
#include "dpmon/storage/review_store.hpp"
#include "dpmon/daemon/plan_import.hpp"
#include "dpmon/daemon/statement_import.hpp"
#include "dpmon/importers/drop_names.hpp"
#include "dpmon/storage/import_store.hpp"

namespace dpmon::daemon {
namespace {

namespace fs = std::filesystem;

void fsync_dir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

void make_dir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
}

// `dir/name`, or `dir/name.1`, `dir/name.2`... when taken.
fs::path free_name(const fs::path& dir, const std::string& name) {
    fs::path p = dir / name;
    for (int i = 1; fs::exists(fs::symlink_status(p)); ++i) p = dir / (name + "." + std::to_string(i));
    return p;
}

// Moves `from` into `dir` (created if needed) and makes both folders durable. The state and drop folders
// are normally on one file system; across file systems rename fails and the file stays (logged).
result<fs::path> move_into(const fs::path& from, const fs::path& dir) {
    make_dir(dir);
    const fs::path to = free_name(dir, from.filename().string());
    if (::rename(from.c_str(), to.c_str()) != 0) {
        return make_error(errc::io_error, "cannot move " + from.string() + " to " + to.string() + ": " +
                                              std::strerror(errno) + " (keep drop_dir and state_dir on one file system)");
    }
    fsync_dir(dir);
    fsync_dir(from.parent_path());
    return to;
}

// Writes `text` to `path` durably: beside it first, then renamed into place.
void write_file(const fs::path& path, const std::string& text) {
    const fs::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp");
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
    }
    const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
    ::rename(tmp.c_str(), path.c_str());
}

class worker final : public drop_folder {
public:
    worker(drop_folder_options options, storage::database db, const core::clock& clock)
        : options_(std::move(options)), db_(std::move(db)), clock_(clock) {
        thread_ = std::thread([this] { run(); });
    }
    ~worker() override { stop(); }

    void wake() override {
        {
            std::lock_guard lock(mutex_);
            woken_ = true;
        }
        cv_.notify_one();
    }

    void reconfigure(const drop_folder_options& options) override {
        {
            std::lock_guard lock(mutex_);
            pending_options_ = options;
            woken_ = true;
        }
        cv_.notify_one();
    }

    void stop() override {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) {
                if (thread_.joinable()) thread_.join();
                return;
            }
            stopping_ = true;
        }
        cv_.notify_one();
        if (thread_.joinable()) thread_.join();
    }

    std::int64_t files_handled() const override { return handled_.load(); }

private:
    void run() {
        make_dir(options_.drop_dir / "statements");
        make_dir(options_.drop_dir / "plans");
        auto next_wake = std::chrono::steady_clock::now();
        for (;;) {
            {
                std::unique_lock lock(mutex_);
                cv_.wait_until(lock, next_wake, [this] { return stopping_ || woken_; });
                if (stopping_) return;
                woken_ = false;
                if (pending_options_) {
                    options_ = std::move(*pending_options_);
                    pending_options_.reset();
                }
            }
            // Plans first, so a statement delivered with its new account finds it.
            touched_.clear();
            auto soonest = scan(options_.drop_dir / "plans", true);
            auto soonest_statement = scan(options_.drop_dir / "statements", false);
            if (soonest_statement && (!soonest || *soonest_statement < *soonest)) soonest = soonest_statement;
            const auto until_daily = daily_pass();
            if (!touched_.empty()) {
                reconcile(touched_);
                schedule(touched_);
            }
            next_wake = std::chrono::steady_clock::now() + std::min<std::chrono::steady_clock::duration>(options_.rescan, until_daily);
            if (soonest) next_wake = std::min(next_wake, *soonest);
        }
    }

    bool stopping() {
        std::lock_guard lock(mutex_);
        return stopping_;
    }

    // Handles every ready file in `dir`; returns when the next unsettled file will be ready.
    std::optional<std::chrono::steady_clock::time_point> scan(const fs::path& dir, bool plans) {
        std::optional<std::chrono::steady_clock::time_point> soonest;
        std::vector<fs::path> names;
        std::error_code ec;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) names.push_back(it->path());
        if (ec) {
            spdlog::warn("cannot list {}: {}", dir.string(), ec.message());
            return soonest;
        }
        std::sort(names.begin(), names.end());  // oldest-named first: statements usually sort by period
        const auto now_wall = std::chrono::system_clock::now();
        for (const fs::path& path : names) {
            if (stopping()) return soonest;
            const std::string name = path.filename().string();
            if (importers::is_ignored_drop_name(name)) continue;
            struct stat st {};
            if (::lstat(path.c_str(), &st) != 0) continue;  // gone meanwhile
            std::string refusal;
            if (S_ISLNK(st.st_mode)) refusal = "symbolic links are refused: deliver the file itself";
            else if (S_ISFIFO(st.st_mode)) refusal = "FIFOs (named pipes) are refused: deliver a regular file";
            else if (S_ISDIR(st.st_mode)) refusal = "folders are refused: deliver files one by one";
            else if (!S_ISREG(st.st_mode)) refusal = "only regular files are read";
            else if (st.st_nlink > 1)
                refusal = "hard-linked files are refused, since the file could change through its other name; "
                          "deliver a copy";
            else if (st.st_size > options_.max_file_bytes)
                refusal = "the file is " + std::to_string(st.st_size) + " bytes, over the limit of " +
                          std::to_string(options_.max_file_bytes) + " (daemon.max_file_bytes)";
            if (!refusal.empty()) {
                reject(path, {name + ": " + refusal});
                continue;
            }
            // Not yet settled: still being written, perhaps.
            const auto mtime = std::chrono::system_clock::time_point(
                std::chrono::duration_cast<std::chrono::system_clock::duration>(
                    std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
            const auto age = now_wall - mtime;
            if (age < options_.settle) {
                const auto ready = std::chrono::steady_clock::now() + (options_.settle - age) + std::chrono::milliseconds(50);
                if (!soonest || ready < *soonest) soonest = ready;
                continue;
            }
            if (plans) {
                handle_plan(path);
            } else {
                handle_statement(path);
            }
        }
        return soonest;
    }

    core::civil_date today() const {
        const auto now = clock_.now();
        return options_.zone ? core::local_date(now, *options_.zone) : core::civil_date{date::floor<date::days>(now)};
    }

    // Plans changed: their reviews follow at once.
    void schedule(const std::vector<std::string>& refs) {
        auto r = schedule_reviews(db_, options_.reviews, refs, core::format_iso_date(today()),
                                  core::format_utc_timestamp(clock_.now()));
        if (!r) {
            spdlog::error("scheduling reviews failed: {}", r.error().message);
            return;
        }
        for (const auto& p : r->problems) spdlog::warn("reviews not scheduled: {}", p);
        if (r->changed > 0) spdlog::info("reviews: {} scheduled, moved or cancelled", r->changed);
    }

    void reconcile(const std::vector<std::string>& refs) {
        auto summary = reconcile_accounts(db_, options_.reconciliation, refs, today(), core::format_utc_timestamp(clock_.now()),
                                          [this] { return stopping(); });
        if (!summary) {
            if (summary.error().code == errc::cancelled) return;
            spdlog::error("reconciliation failed: {}", summary.error().message);
            return;
        }
        for (const auto& p : summary->problems) spdlog::warn("not reconciled: {}", p);
        if (options_.on_outbox) options_.on_outbox();
        spdlog::info("reconciled {} account(s): {} flag(s) raised, {} resolved", summary->accounts, summary->raised,
                     summary->resolved);
    }

    // At start every account is reconciled (an import may have committed just before a crash). The daily
    // job runs once per local day at daily_at (core::decide_daily: DST, clock jumps and downtime), with
    // the day recorded in the database in the same transaction as its reminders: a full reconciliation for
    // the flags time alone raises, then the reviews rescheduled and their reminders written. Returns the
    // time until it is next due, at most 10 minutes (so a wall-clock change is noticed soon).
    std::chrono::steady_clock::duration daily_pass() {
        bool reconciled_now = false;
        if (!started_) {
            spdlog::info("start-up reconciliation of every account");
            reconcile({});
            touched_.clear();
            started_ = true;
            reconciled_now = true;
        }
        const date::time_zone& zone = options_.zone ? *options_.zone : *date::locate_zone("UTC");
        auto last = last_daily_run(db_);
        if (!last) {
            spdlog::error("cannot read the last daily run: {}", last.error().message);
            return std::chrono::minutes(1);
        }
        auto now = clock_.now();
        auto decision = core::decide_daily(now, *last, options_.daily_at_minutes, zone);
        if (decision.run_for) {
            const std::string day = core::format_iso_date(*decision.run_for);
            spdlog::info("daily job for {}{}", day, *decision.run_for < today() ? " (catching up after downtime)" : "");
            if (!reconciled_now) reconcile({});
            touched_.clear();
            if (stopping()) return std::chrono::seconds(1);
            auto run = run_daily_reviews(db_, options_.reviews, *decision.run_for, core::format_utc_timestamp(now));
            if (!run) {
                spdlog::error("daily review job for {} failed: {}; will try again", day, run.error().message);
                return std::chrono::minutes(1);
            }
            for (const auto& p : run->problems) spdlog::warn("reviews not scheduled: {}", p);
            for (const auto& m : run->reminders) {
                spdlog::info("reminder {}: {} of {} due {} ({})", m.key, m.kind, m.account_ref, m.due_on,
                             m.to_team ? "escalated to the team" : "to the finance officer");
            }
            spdlog::info("daily job for {} done: {} account(s) scheduled, {} review(s) changed, {} reminder(s)", day,
                         run->accounts, run->changed, run->reminders.size());
            if (options_.on_outbox) options_.on_outbox();
            now = clock_.now();
            decision = core::decide_daily(now, *decision.run_for, options_.daily_at_minutes, zone);
        }
        auto next_run = decision.next_run;
        if (auto digest_next = digest_pass(now, zone)) next_run = std::min(next_run, *digest_next);
        const auto until = next_run - now;
        return std::clamp<std::chrono::steady_clock::duration>(
            std::chrono::duration_cast<std::chrono::steady_clock::duration>(until), std::chrono::seconds(1),
            std::chrono::minutes(10));
    }

    // The daily digest to the team mailbox at digest_at, once per local day; a day missed while down is
    // recorded but not sent late (the next digest says it all). Returns when the next is due.
    std::optional<std::chrono::system_clock::time_point> digest_pass(std::chrono::system_clock::time_point now,
                                                                     const date::time_zone& zone) {
        constexpr const char* key = "digest_last_day";
        auto stored = storage::scheduler_value(db_, key);
        if (!stored) {
            spdlog::error("cannot read the last digest day: {}", stored.error().message);
            return std::nullopt;
        }
        std::optional<core::civil_date> last;
        if (*stored) {
            if (auto d = core::parse_iso_date(**stored)) last = *d;
        }
        auto decision = core::decide_daily(now, last, options_.digest_at_minutes, zone);
        if (!decision.run_for) return decision.next_run;
        const core::civil_date day = *decision.run_for;
        const bool send = day == today();
        auto done = db_.in_transaction([&]() -> result<void> {
            if (send) {
                if (auto q = queue_digest(db_, options_.reviews.alerts, day, now); !q) return q.error();
            }
            return storage::set_scheduler_value(db_, key, core::format_iso_date(day));
        });
        if (!done) {
            spdlog::error("daily digest for {} failed: {}", core::format_iso_date(day), done.error().message);
            return std::nullopt;
        }
        if (send) {
            spdlog::info("daily digest for {} written to the outbox", core::format_iso_date(day));
            if (options_.on_outbox) options_.on_outbox();
        }
        return core::decide_daily(now, day, options_.digest_at_minutes, zone).next_run;
    }

    fs::path archive_dir() const {
        const auto now = clock_.now();
        const core::civil_date d = options_.zone ? core::local_date(now, *options_.zone)
                                                 : core::civil_date{date::floor<date::days>(now)};
        return options_.state_dir / "archive" / date::format("%Y", d) / date::format("%m", d);
    }

    void archive(const fs::path& path) {
        auto moved = move_into(path, archive_dir());
        if (!moved) spdlog::error("{}", moved.error().message);
    }

    void reject(const fs::path& path, const std::vector<std::string>& errors, std::int64_t more = 0) {
        const fs::path dir = options_.state_dir / "rejected";
        make_dir(dir);
        const fs::path target = free_name(dir, path.filename().string());
        std::string text = "dpmon rejected " + path.filename().string() + " at " +
                           core::format_utc_timestamp(clock_.now()) + "; nothing from it was imported.\n";
        for (const auto& e : errors) text += e + "\n";
        if (more > 0) text += "... and " + std::to_string(more) + " more problems\n";
        text += "Correct the file and deliver it again.\n";
        write_file(target.parent_path() / (target.filename().string() + ".error.txt"), text);
        if (::rename(path.c_str(), target.c_str()) != 0) {
            spdlog::error("cannot move {} to {}: {}", path.string(), target.string(), std::strerror(errno));
        }
        fsync_dir(dir);
        fsync_dir(path.parent_path());
        ++handled_;
        spdlog::warn("rejected {}: {}", path.filename().string(), errors.empty() ? "" : errors.front());
    }

    void handle_statement(const fs::path& path) {
        import_options opts;
        opts.max_file_bytes = options_.max_file_bytes;
        opts.cancelled = [this] { return stopping(); };
        const std::string now = core::format_utc_timestamp(clock_.now());
        auto report = import_statement_file(db_, path, options_.profiles, opts, now);
        if (!report) {
            if (report.error().code == errc::cancelled) return;  // rolled back; next start imports it
            spdlog::error("import of {} failed: {}; will try again", path.filename().string(), report.error().message);
            return;
        }
        const import_report& r = *report;
        if (r.status == "rejected") {
            reject(path, r.errors, r.error_count - static_cast<std::int64_t>(r.errors.size()));
            return;
        }
        if (r.status == "duplicate") {
            // The same bytes again. Under the same name it is the file whose import committed just before a
            // crash or stop, so it only needs archiving; under another name it is recorded as a duplicate.
            auto earlier = storage::find_imported(db_, r.sha256);
            if (earlier && *earlier && (*earlier)->file_name != r.file_name) {
                storage::import_record dup;
                dup.file_name = r.file_name;
                dup.sha256 = r.sha256;
                dup.profile = r.profile;
                dup.status = "duplicate";
                dup.error = "the same bytes as import #" + std::to_string((*earlier)->id) + " (" + (*earlier)->file_name + ")";
                dup.imported_at = now;
                if (auto rec = storage::record_import(db_, dup); !rec) spdlog::error("{}", rec.error().message);
            }
            spdlog::info("{}: already imported (import #{}); archived", r.file_name, r.import_id);
            archive(path);
            ++handled_;
            return;
        }
        std::string accounts;
        for (const auto& a : r.accounts) accounts += (accounts.empty() ? "" : ",") + a;
        touched_.insert(touched_.end(), r.accounts.begin(), r.accounts.end());
        spdlog::info("imported {}: {} rows ({} new, {} already held) for {} with profile {} [import #{}]", r.file_name,
                     r.rows, r.added, r.duplicates, accounts.empty() ? "-" : accounts, r.profile, r.import_id);
        archive(path);
        ++handled_;
    }

    void handle_plan(const fs::path& path) {
        auto report = apply_plan_file(db_, path, options_.extra_categories);
        if (!report) {
            spdlog::error("plan file {} failed: {}; will try again", path.filename().string(), report.error().message);
            return;
        }
        if (!report->errors.empty()) {
            reject(path, report->errors);
            return;
        }
        touched_.insert(touched_.end(), report->accounts.begin(), report->accounts.end());
        spdlog::info("applied plan file {}: {} account(s)", report->file_name, report->accounts.size());
        archive(path);
        ++handled_;
    }

    drop_folder_options options_;
    std::optional<drop_folder_options> pending_options_;
    storage::database db_;
    const core::clock& clock_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool woken_ = true;
    bool stopping_ = false;
    std::atomic<std::int64_t> handled_{0};
    std::vector<std::string> touched_;                 // accounts changed by this round of files
    bool started_ = false;
    std::thread thread_;
};

}  // namespace

result<std::unique_ptr<drop_folder>> start_drop_folder(const drop_folder_options& options, const core::clock& clock) {
    auto db = storage::database::open(options.state_dir / "dpmon.db");
    if (!db) return db.error();
    return std::unique_ptr<drop_folder>(std::make_unique<worker>(options, std::move(*db), clock));
}

}  // namespace dpmon::daemon
