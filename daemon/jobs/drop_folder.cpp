#include "dpmon/jobs/drop_folder.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/daily_schedule.hpp"
#include "dpmon/core/text.hpp"
#include "dpmon/app/atomic_file.hpp"
#include "dpmon/jobs/health_board.hpp"
#include "dpmon/jobs/worker_loop.hpp"
#include "dpmon/importers/ofx.hpp"
#include "dpmon/app/retention.hpp"
#include "dpmon/app/reviews.hpp"
#include "dpmon/app/alerting.hpp"
#include "dpmon/storage/review_store.hpp"
#include "dpmon/app/plan_import.hpp"
#include "dpmon/app/statement_import.hpp"
#include "dpmon/importers/drop_names.hpp"
#include "dpmon/storage/import_store.hpp"

namespace dpmon::daemon {
namespace {

double seconds_since(std::chrono::steady_clock::time_point started) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

}  // namespace

namespace {

namespace fs = std::filesystem;

void fsync_dir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

result<void> make_dir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return make_error(errc::io_error, "cannot create the folder " + dir.string() + ": " + ec.message());
    return {};
}

// `dir/name`, or `dir/name.1`, `dir/name.2`... when taken.
fs::path free_name(const fs::path& dir, const std::string& name) {
    fs::path p = dir / name;
    for (int i = 1; fs::exists(fs::symlink_status(p)); ++i) p = dir / (name + "." + std::to_string(i));
    return p;
}

// Moves `from` into `dir` (created 0700 if needed), makes it private to dpmond (0600: the uploader may
// have left it 0644) and both folders durable. The state and drop folders are normally on one file
// system; across file systems rename fails and the file stays (logged).
result<fs::path> move_into(const fs::path& from, const fs::path& dir, const fs::path& name) {
    if (auto r = make_dir(dir); !r) return r.error();
    const fs::path to = free_name(dir, name.string());
    if (::rename(from.c_str(), to.c_str()) != 0) {
        return make_error(errc::io_error, "cannot move " + from.string() + " to " + to.string() + ": " +
                                              std::strerror(errno) + " (keep drop_dir and state_dir on one file system)");
    }
    // Regular files only: chmod follows a (refused) symbolic link, and a refused folder stays traversable.
    // A file delivered by another account (group dpmon-upload) is not ours to chmod: the folder it is now
    // in (0700) keeps it private all the same.
    struct stat st {};
    if (::lstat(to.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid() &&
        ::chmod(to.c_str(), 0600) != 0)
        spdlog::warn("cannot make {} private (0600): {}", to.string(), std::strerror(errno));
    fsync_dir(dir);
    fsync_dir(from.parent_path());
    return to;
}

import_options::stamp stamp_of(const struct stat& st) {
    return {static_cast<std::int64_t>(st.st_size),
            static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

// Reads a whole (small) file, checking it still matches `expect` afterwards.
result<std::string> read_unchanged(const fs::path& path, const import_options::stamp& expect) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        const int err = errno;
        return make_error(errc::io_error, "cannot open " + path.string() + ": " + std::strerror(err) +
                                              importers::delivery_permission_hint(err));
    }
    std::string bytes;
    std::array<char, 65536> buf{};
    ssize_t n = 0;
    while ((n = ::read(fd, buf.data(), buf.size())) > 0) bytes.append(buf.data(), static_cast<std::size_t>(n));
    struct stat st {};
    const bool stat_ok = ::fstat(fd, &st) == 0;
    ::close(fd);
    if (n < 0 || !stat_ok) return make_error(errc::io_error, "cannot read " + path.string() + ": " + std::strerror(errno));
    if (stamp_of(st) != expect)
        return make_error(errc::file_changed, path.filename().string() + " changed while it was read");
    return bytes;
}

// Whether the end of the file suggests it was cut short: an OFX file without its closing </OFX>, any
// other file whose last line has no line ending.
bool looks_cut_short(const fs::path& path, std::int64_t size) {
    if (size == 0) return false;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return false;
    std::string head(4096, '\0'), tail(64, '\0');
    const ssize_t h = ::pread(fd, head.data(), head.size(), 0);
    const auto tail_at = static_cast<off_t>(std::max<std::int64_t>(0, size - 64));
    const ssize_t t = ::pread(fd, tail.data(), tail.size(), tail_at);
    ::close(fd);
    if (h <= 0 || t <= 0) return false;
    head.resize(static_cast<std::size_t>(h));
    tail.resize(static_cast<std::size_t>(t));
    if (importers::looks_like_ofx(head))
        return core::to_lower(core::trim(tail)).find("</ofx>") == std::string::npos;
    return tail.back() != '\n';
}

class worker final : public drop_folder {
public:
    worker(drop_folder_options options, storage::database db, const core::clock& clock)
        : options_(std::move(options)), db_(std::move(db)), clock_(clock) {
        for (const char* sub : {"statements", "plans"}) {
            if (auto r = make_dir(options_.drop_dir / sub); !r) spdlog::error("{}", r.error().message);
        }
        loop_.start([this] { return round(); });
    }
    ~worker() override { stop(); }

    void wake() override { loop_.wake(); }

    void reconfigure(const drop_folder_options& options) override {
        {
            std::lock_guard lock(state_mutex_);
            pending_options_ = options;
        }
        loop_.wake();
    }

    void stop() override { loop_.stop(); }

    void file_closed(const fs::path& path) override {
        {
            std::lock_guard lock(state_mutex_);
            closed_.insert(path);
        }
        loop_.wake();
    }

    void set_watched(bool watched) override {
        {
            std::lock_guard lock(state_mutex_);
            watched_ = watched;
            if (!watched) events_lost_ = true;
        }
        loop_.wake();
    }

private:
    // One round: new options, both folders (plans first, so a statement delivered with its new account
    // finds it), the daily job, reconciliation of what changed. Returns when the next round is due.
    std::chrono::steady_clock::time_point round() {
        {
            std::lock_guard lock(state_mutex_);
            if (pending_options_) {
                options_ = std::move(*pending_options_);
                pending_options_.reset();
            }
        }
        touched_.clear();
        auto soonest = scan(options_.drop_dir / "plans", true);
        auto soonest_statement = scan(options_.drop_dir / "statements", false);
        if (soonest_statement && (!soonest || *soonest_statement < *soonest)) soonest = soonest_statement;
        first_scan_done_ = true;
        const auto until_daily = holding_daily_job(soonest) ? std::chrono::steady_clock::duration(options_.rescan) : daily_pass();
        if (!touched_.empty()) {
            reconcile(touched_);
            schedule(touched_);
        }
        retry_reconciliation();
        auto next = std::chrono::steady_clock::now() + std::min<std::chrono::steady_clock::duration>(options_.rescan, until_daily);
        for (const auto& at : {soonest, full_reconcile_due_, import_retry_at_}) {
            if (at) next = std::min(next, *at);
        }
        return next;
    }

    bool stopping() const { return loop_.stopping(); }

    // Files found at start (statements that came while dpmond was down) are taken before the start-up
    // reconciliation and the day's job, so the day's reminders and digest count them: the job waits while
    // one is still settling (`pending_file`), for at most startup_hold after the first round.
    bool holding_daily_job(const std::optional<std::chrono::steady_clock::time_point>& pending_file) {
        if (daily_released_) return false;
        const auto now = std::chrono::steady_clock::now();
        if (!startup_hold_until_) startup_hold_until_ = now + startup_hold;
        if (pending_file && now < *startup_hold_until_) return true;
        daily_released_ = true;
        return false;
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
                reject(path, {name + ": " + refusal}, 0, refusal);
                continue;
            }
            const auto now = std::chrono::steady_clock::now();
            const auto ready_at = when_ready(path, st, now);
            if (ready_at > now) {
                if (!soonest || ready_at < *soonest) soonest = ready_at;
                continue;
            }
            if (import_retry_at_ && now < *import_retry_at_) {
                if (!soonest || *import_retry_at_ < *soonest) soonest = *import_retry_at_;
                continue;
            }
            if (plans) {
                handle_plan(path, stamp_of(st));
            } else {
                handle_statement(path, stamp_of(st));
            }
        }
        forget_gone(dir, names);
        return soonest;
    }

    core::civil_date today() const {
        const auto now = clock_.now();
        return options_.zone ? core::local_date(now, *options_.zone) : core::civil_date{date::floor<date::days>(now)};
    }

    // Plans changed: their reviews follow at once.
    void schedule(const std::vector<std::string>& refs) {
        auto r = schedule_reviews(db_, options_.reviews, refs, today(),
                                  core::format_utc_timestamp(clock_.now()));
        if (!r) {
            spdlog::error("scheduling reviews failed: {}", r.error().message);
            return;
        }
        for (const auto& p : r->problems) spdlog::warn("reviews not scheduled: {}", p);
        if (r->changed > 0) spdlog::info("reviews: {} scheduled, moved or cancelled", r->changed);
    }

    // The daily full integrity check (quick_check at start misses an index that disagrees with its table).
    void check_integrity() {
        auto r = db_.check(storage::integrity::full);
        if (r) {
            if (options_.health) options_.health->ok("integrity");
            return;
        }
        spdlog::critical("{}", r.error().message);
        if (options_.health)
            options_.health->set("integrity", core::health_state::failing,
                                 r.error().message + " See docs/operations.md, \"A damaged database\".");
    }

    // Reconciles `refs` (every account when empty). A failure (disk full, database busy) is shown in the
    // health check and a full pass is tried again after a growing pause, not left for the next daily job.
    bool reconcile(const std::vector<std::string>& refs) {
        const auto started = std::chrono::steady_clock::now();
        auto summary = reconcile_accounts(db_, options_.reconciliation, refs, today(), core::format_utc_timestamp(clock_.now()),
                                          [this] { return stopping(); });
        if (summary && options_.metrics) options_.metrics->reconciliation_done(refs.empty(), seconds_since(started));
        if (!summary) {
            if (summary.error().code == errc::cancelled) return false;
            spdlog::error("reconciliation failed: {}", summary.error().message);
            reconcile_backoff_ = std::clamp(reconcile_backoff_ * 2, std::chrono::seconds(1), std::chrono::seconds(300));
            full_reconcile_due_ = std::chrono::steady_clock::now() + reconcile_backoff_;
            if (options_.health)
                options_.health->set("reconciliation", core::health_state::degraded,
                                     "reconciliation failed (" + summary.error().message + "); retried in " +
                                         std::to_string(reconcile_backoff_.count()) + " s");
            return false;
        }
        for (const auto& p : summary->problems) spdlog::warn("not reconciled: {}", p);
        if (options_.on_outbox) options_.on_outbox();
        spdlog::info("reconciled {} account(s): {} flag(s) raised, {} resolved", summary->accounts, summary->raised,
                     summary->resolved);
        if (refs.empty()) {
            full_reconcile_due_.reset();
            reconcile_backoff_ = std::chrono::seconds(0);
            if (options_.health) options_.health->ok("reconciliation");
        }
        return true;
    }

    void retry_reconciliation() {
        if (!full_reconcile_due_ || std::chrono::steady_clock::now() < *full_reconcile_due_ || stopping()) return;
        spdlog::info("trying the failed reconciliation again (every account)");
        reconcile({});
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
            check_integrity();
            purge_closed(*decision.run_for);
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

    // Retention: accounts closed more than [policy] retention_years ago go, with their files. The log
    // gives counts only.
    void purge_closed(core::civil_date day) {
        const fs::path& s = options_.state_dir;
        auto r = app::purge_closed_accounts(db_, {s / "archive", s / "rejected", s / "maildir"},
                                       options_.reconciliation.rules.retention_years, day, false);
        if (!r) {
            spdlog::error("retention purge for {} failed: {}; tried again at the next daily job", core::format_iso_date(day),
                          r.error().message);
            return;
        }
        const auto& c = r->counts;
        if (c.accounts > 0 || c.imports > 0 || r->rejected_files > 0)
            spdlog::info("retention: {} account(s) closed on or before {} purged: {} transaction(s), {} flag(s), {} review(s), "
                         "{} message(s), {} import record(s); files: {} archived, {} rejected, {} in the maildir",
                         c.accounts, core::format_iso_date(r->cutoff), c.transactions, c.flags, c.reviews, c.outbox, c.imports,
                         r->archive_files, r->rejected_files, r->mail_files);
        if (r->waiting > 0) spdlog::info("retention: {} account(s) past the period wait for an open recovery or final audit", r->waiting);
        if (!r->checkpoint_problem.empty()) spdlog::warn("retention: the WAL was not emptied after the purge: {}", r->checkpoint_problem);
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

    // A file's name, safe to log: control characters escaped by the logger; kept whole here.
    static std::string name_of(const fs::path& path) { return path.filename().string(); }

    // When `path` may be read: at once when its writer closed it or moved it in (inotify); otherwise once
    // its size and mtime have stayed the same for the settle time (files found by a scan: present at
    // start, or on a share without inotify). A file born while inotify watched waits for its close event,
    // or, should that be lost, lost_event_wait without change. A file that looks cut short (no newline at
    // the end, no </OFX>) waits one settle time more.
    std::chrono::steady_clock::time_point when_ready(const fs::path& path, const struct stat& st,
                                                     std::chrono::steady_clock::time_point now) {
        const import_options::stamp stamp = stamp_of(st);
        bool closed_now = false;
        bool watched = false;
        {
            std::lock_guard lock(state_mutex_);
            closed_now = closed_.erase(path) > 0;
            watched = watched_ && !events_lost_;
        }
        auto [it, fresh] = seen_.try_emplace(path);
        sighting& s = it->second;
        if (fresh || s.stamp != stamp) {
            const bool born_watched = fresh ? watched && first_scan_done_ : s.born_watched && watched;
            s = sighting{stamp, now, false, born_watched, std::nullopt};
        }
        if (closed_now) s.closed = true;
        if (!watched) s.born_watched = false;
        std::chrono::steady_clock::time_point ready = s.stable_since + (s.born_watched ? lost_event_wait : options_.settle);
        if (s.closed) ready = std::min(ready, now);
        if (ready > now) return ready;
        if (!s.tail_wait_until && looks_cut_short(path, stamp.size)) {
            s.tail_wait_until = now + options_.settle;
            spdlog::info("{} ends without a line ending or </OFX>; waiting {} s more in case it is still being written",
                         name_of(path), options_.settle.count());
        }
        return s.tail_wait_until ? std::max(*s.tail_wait_until, now) : now;
    }

    // Forgets the files of `dir` no longer in it (`present`, sorted): taken away by their sender.
    void forget_gone(const fs::path& dir, const std::vector<fs::path>& present) {
        std::erase_if(seen_, [&](const auto& entry) {
            return entry.first.parent_path() == dir && !std::binary_search(present.begin(), present.end(), entry.first);
        });
    }

    void archive(const fs::path& path) {
        auto moved = move_into(path, archive_dir(), path.filename());
        if (!moved) spdlog::error("{}", moved.error().message);
        seen_.erase(path);
    }

    // Moves a rejected file to state_dir/rejected/ with NAME.error.txt beside it, which alone quotes the
    // offending values. The log names the file and the first problem without values. A report that
    // cannot be written leaves the file where it is (tried again later).
    void reject(const fs::path& path, const std::vector<std::string>& details, std::int64_t more,
                const std::string& log_reason) {
        const fs::path dir = options_.state_dir / "rejected";
        if (auto r = make_dir(dir); !r) {
            spdlog::error("{}", r.error().message);
            return;
        }
        const fs::path target = free_name(dir, path.filename().string());
        std::string text = "dpmon rejected " + path.filename().string() + " at " +
                           core::format_utc_timestamp(clock_.now()) + "; nothing from it was imported.\n";
        for (const auto& e : details) text += e + "\n";
        if (more > 0) text += "... and " + std::to_string(more) + " more problems\n";
        text += "Correct the file and deliver it again.\n";
        if (auto w = write_file_atomic(target.parent_path() / (target.filename().string() + ".error.txt"), text); !w) {
            spdlog::error("rejecting {}: {}; the file stays in the drop folder", name_of(path), w.error().message);
            failed_import(w.error());
            return;
        }
        auto moved = move_into(path, dir, target.filename());
        if (!moved) spdlog::error("{}", moved.error().message);
        seen_.erase(path);
        spdlog::warn("rejected {}: {} (the reasons, with the values, are in {}.error.txt)", name_of(path), log_reason,
                     (dir / target.filename()).string());
    }

    // A file that could not be taken this round: still being written (read again once it settles), or a
    // failure outside the file (logged, retried after a pause).
    void not_taken(const fs::path& path, const error& e) {
        if (e.code == errc::file_changed) {
            spdlog::info("{}; it is read again once it has settled", e.message);
            seen_.erase(path);
            return;
        }
        spdlog::error("{} was not taken: {}; will try again", name_of(path), e.message);
        failed_import(e);
    }

    // An import that failed for a reason not in the file (disk full, database busy or broken): the file
    // stays, the health check says why, and it is tried again after a growing pause (1 s to 5 min).
    void failed_import(const error& e) {
        import_backoff_ = std::clamp(import_backoff_ * 2, std::chrono::seconds(1), std::chrono::seconds(300));
        import_retry_at_ = std::chrono::steady_clock::now() + import_backoff_;
        const std::string why = e.code == errc::disk_full
                                    ? "imports are failing for lack of disk space (" + e.message + "); free space in " +
                                          options_.state_dir.string() + ": dpmond retries by itself"
                                    : "imports are failing: " + e.message + "; dpmond retries by itself";
        if (options_.health) options_.health->set("imports", core::health_state::degraded, why);
    }

    void import_succeeded() {
        import_backoff_ = std::chrono::seconds(0);
        import_retry_at_.reset();
        if (options_.health) options_.health->ok("imports");
    }

    void handle_statement(const fs::path& path, const import_options::stamp& stamp) {
        import_options opts;
        opts.max_file_bytes = options_.max_file_bytes;
        opts.cancelled = [this] { return stopping(); };
        opts.expect = stamp;
        opts.unterminated_last_line = seen_[path].tail_wait_until.has_value();
        const std::string now = core::format_utc_timestamp(clock_.now());
        const auto started = std::chrono::steady_clock::now();
        auto report = import_statement_file(db_, path, options_.profiles, opts, now);
        if (!report) {
            if (report.error().code == errc::cancelled) return;  // rolled back
            if (options_.metrics) options_.metrics->import_done("failed", 0, seconds_since(started));
            not_taken(path, report.error());
            return;
        }
        import_succeeded();
        const import_report& r = *report;
        if (options_.metrics) options_.metrics->import_done(core::to_string(r.status), r.rows, seconds_since(started));
        if (r.status == core::import_status::rejected) {
            const std::string first = r.errors.empty() ? std::string("rejected") : r.errors.front();
            reject(path, r.details, r.error_count - static_cast<std::int64_t>(r.details.size()), first);
            return;
        }
        if (r.status == core::import_status::duplicate) {
            record_duplicate(r, now);
            spdlog::info("{}: already imported (import #{}); archived", r.file_name, r.import_id);
            archive(path);
            return;
        }
        std::string accounts;
        for (const auto& a : r.accounts) accounts += (accounts.empty() ? "" : ",") + a;
        touched_.insert(touched_.end(), r.accounts.begin(), r.accounts.end());
        spdlog::info("imported {}: {} rows ({} new, {} already held) for {} with profile {} [import #{}]", r.file_name,
                     r.rows, r.added, r.duplicates, accounts.empty() ? "-" : accounts, r.profile, r.import_id);
        archive(path);
    }

    // The same bytes again. Under the same name it is the file whose import committed just before a crash
    // or stop, so it only needs archiving; under another name it is recorded as a duplicate.
    void record_duplicate(const import_report& r, const std::string& now) {
        auto earlier = storage::find_imported(db_, r.sha256);
        if (!earlier || !*earlier || (*earlier)->file_name == r.file_name) return;
        storage::import_record dup;
        dup.file_name = r.file_name;
        dup.sha256 = r.sha256;
        dup.profile = r.profile;
        dup.status = core::to_string(core::import_status::duplicate);
        dup.error = "the same bytes as import #" + std::to_string((*earlier)->id) + " (" + (*earlier)->file_name + ")";
        dup.imported_at = now;
        if (auto rec = storage::record_import(db_, dup); !rec) spdlog::error("{}", rec.error().message);
    }

    void handle_plan(const fs::path& path, const import_options::stamp& stamp) {
        auto bytes = read_unchanged(path, stamp);
        if (!bytes) return not_taken(path, bytes.error());
        auto report = apply_plan_bytes(db_, *bytes, path.filename().string(), options_.extra_categories,
                                       app::retention_cutoff(today(), options_.reconciliation.rules.retention_years));
        if (!report) return not_taken(path, report.error());
        import_succeeded();
        if (!report->errors.empty()) {
            // Plan files name people's payees and household: the log gives only the count.
            reject(path, report->errors, 0, std::to_string(report->errors.size()) + " problem(s) in the plan file");
            return;
        }
        touched_.insert(touched_.end(), report->accounts.begin(), report->accounts.end());
        spdlog::info("applied plan file {}: {} account(s)", report->file_name, report->accounts.size());
        if (!report->past_retention.empty()) {
            spdlog::info("plan file {}: {} closed account(s) past the retention period ([policy] retention_years) not stored again",
                         report->file_name, report->past_retention.size());
        }
        archive(path);
    }

    // What a scan knows of a file it has not taken yet.
    struct sighting {
        import_options::stamp stamp;
        std::chrono::steady_clock::time_point stable_since;  // first seen with this size and mtime
        bool closed = false;        // its writer closed it (or moved it in) since it last changed
        bool born_watched = false;  // appeared while inotify watched: a close event will come
        std::optional<std::chrono::steady_clock::time_point> tail_wait_until;  // looked cut short
    };
    // A file born while watched whose close event never came is taken after this long without change.
    static constexpr std::chrono::minutes lost_event_wait{15};
    // How long files still settling at start hold the start-up reconciliation and the daily job back.
    static constexpr std::chrono::minutes startup_hold{2};

    drop_folder_options options_;
    storage::database db_;
    const core::clock& clock_;
    std::mutex state_mutex_;     // guards what other threads hand over: the next four
    std::optional<drop_folder_options> pending_options_;
    std::set<fs::path> closed_;  // close/moved-in events not yet seen by a scan
    bool watched_ = false;       // inotify watches both folders
    bool events_lost_ = false;   // inotify overflowed or stopped
    bool first_scan_done_ = false;
    std::optional<std::chrono::steady_clock::time_point> startup_hold_until_;
    bool daily_released_ = false;  // the files present at start were taken (or startup_hold passed)
    std::map<fs::path, sighting> seen_;
    std::chrono::seconds import_backoff_{0};
    std::optional<std::chrono::steady_clock::time_point> import_retry_at_;
    std::optional<std::chrono::steady_clock::time_point> full_reconcile_due_;  // after a failed pass
    std::chrono::seconds reconcile_backoff_{0};
    std::vector<std::string> touched_;                 // accounts changed by this round of files
    bool started_ = false;
    worker_loop loop_;  // last: its thread stops before the members it uses go
};

}  // namespace

result<std::unique_ptr<drop_folder>> start_drop_folder(const drop_folder_options& options, const core::clock& clock) {
    auto db = storage::database::open(options.state_dir / "dpmon.db");
    if (!db) return db.error();
    return std::unique_ptr<drop_folder>(std::make_unique<worker>(options, std::move(*db), clock));
}

}  // namespace dpmon::daemon
