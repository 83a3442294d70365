#pragma once
// backup_job: dpmond's daily backup. Once per local day at [backup] at (core::decide_daily: DST, clock
// jumps, downtime), a copy of the database into the backups folder on a connection of its own (it only reads
// the database), checked,
// then the old ones the keep rules let go removed. Reports the "backup" health check: degraded when the
// last attempt failed or the newest backup is more than two days old.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>

#include "dpmon/core/clock.hpp"
#include "dpmon/jobs/health_board.hpp"

namespace date {
class time_zone;
}

namespace dpmon::daemon {

struct backup_options {
    std::filesystem::path db_path;
    std::filesystem::path folder;
    int at_minutes = 150;  // after local midnight
    std::int64_t keep_daily = 7;
    std::int64_t keep_weekly = 4;
    const date::time_zone* zone = nullptr;  // nullptr: UTC
    health_board* health = nullptr;
    std::chrono::minutes retry_after{60};  // after a failed backup
};

class backup_job {
public:
    virtual ~backup_job() = default;
    virtual void stop() = 0;
};

// Starts the job's thread; its first round (at once) takes a backup when the day's is due and missing.
std::unique_ptr<backup_job> start_backup_job(const backup_options& options, const core::clock& clock);

}  // namespace dpmon::daemon
