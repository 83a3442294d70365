#include "dpmon/jobs/backup_job.hpp"

#include <date/tz.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

#include "dpmon/app/backups.hpp"
#include "dpmon/core/daily_schedule.hpp"
#include "dpmon/jobs/worker_loop.hpp"

namespace dpmon::daemon {
namespace {

using steady = std::chrono::steady_clock;

class daily_backups final : public backup_job {
public:
    daily_backups(backup_options options, const core::clock& clock) : options_(std::move(options)), clock_(clock) {
        if (options_.health) options_.health->declare("backup");
        loop_.start([this] { return round(); });
    }
    ~daily_backups() override { stop(); }
    void stop() override { loop_.stop(); }

private:
    const date::time_zone& zone() const { return options_.zone ? *options_.zone : *date::locate_zone("UTC"); }

    steady::time_point round() {
        const auto now = clock_.now();
        const auto backups = app::list_daily_backups(options_.folder);
        std::optional<core::civil_date> last;
        if (!backups.empty()) last = backups.front().day;
        const auto decision = core::decide_daily(now, last, options_.at_minutes, zone());
        std::chrono::system_clock::time_point next = decision.next_run;
        if (decision.run_for) {
            if (take(*decision.run_for)) {
                last = decision.run_for;
                next = core::decide_daily(now, last, options_.at_minutes, zone()).next_run;
            } else {
                next = now + options_.retry_after;
            }
        }
        check_age(last, now);
        const auto wait = std::clamp<steady::duration>(std::chrono::duration_cast<steady::duration>(next - now),
                                                       std::chrono::seconds(1), std::chrono::minutes(10));
        return steady::now() + wait;
    }

    // One backup, on a connection of its own (a read transaction: imports and the API go on meanwhile).
    bool take(core::civil_date day) {
        const auto started = steady::now();
        auto done = app::take_daily_backup(options_.db_path, options_.folder, day, options_.keep_daily, options_.keep_weekly);
        if (!done) {
            failed_ = done.error().message;
            spdlog::error("daily backup for {} failed: {}; trying again in {} min", core::format_iso_date(day), failed_,
                          options_.retry_after.count());
            return false;
        }
        failed_.clear();
        const double seconds = std::chrono::duration<double>(steady::now() - started).count();
        spdlog::info("daily backup for {}: {} ({:.1f} MB, checked) in {:.1f} s; {} older backup(s) removed",
                     core::format_iso_date(day), done->backup.file.string(), static_cast<double>(done->backup.bytes) / 1e6,
                     seconds, done->removed.size());
        return true;
    }

    void check_age(std::optional<core::civil_date> last, std::chrono::system_clock::time_point now) {
        if (!options_.health) return;
        const core::civil_date today = core::local_date(now, zone());
        if (!failed_.empty()) {
            options_.health->set("backup", core::health_state::degraded, "the last daily backup failed: " + failed_);
        } else if (!last) {
            options_.health->set("backup", core::health_state::degraded, "no daily backup yet in " + options_.folder.string());
        } else if (date::sys_days{*last} + date::days{2} < date::sys_days{today}) {
            options_.health->set("backup", core::health_state::degraded,
                                 "the newest daily backup is from " + core::format_iso_date(*last) + ", more than two days ago");
        } else {
            options_.health->set("backup", core::health_state::ok, "newest daily backup: " + core::format_iso_date(*last));
        }
    }

    backup_options options_;
    const core::clock& clock_;
    std::string failed_;  // the last attempt's error; empty when it succeeded
    worker_loop loop_;    // last: its thread stops before the rest goes
};

}  // namespace

std::unique_ptr<backup_job> start_backup_job(const backup_options& options, const core::clock& clock) {
    return std::make_unique<daily_backups>(options, clock);
}

}  // namespace dpmon::daemon
