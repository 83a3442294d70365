#include "dpmon/core/daily_schedule.hpp"

namespace dpmon::core {

std::chrono::system_clock::time_point daily_run_instant(civil_date day, int daily_at_minutes, const date::time_zone& zone) {
    const date::local_seconds local{date::local_days{day}.time_since_epoch() + std::chrono::minutes(daily_at_minutes)};
    // A time the clocks skip maps to the transition; a time they repeat, to its first occurrence.
    return zone.to_sys(local, date::choose::earliest);
}

daily_decision decide_daily(std::chrono::system_clock::time_point now, std::optional<civil_date> last_run,
                            int daily_at_minutes, const date::time_zone& zone) {
    const civil_date today = local_date(now, zone);
    const civil_date yesterday = add_days(today, -1);
    const auto today_at = daily_run_instant(today, daily_at_minutes, zone);
    const auto tomorrow_at = daily_run_instant(add_days(today, 1), daily_at_minutes, zone);
    daily_decision d;
    const bool today_done = last_run && *last_run >= today;
    if (!today_done && now >= today_at) {
        d.run_for = today;
        d.next_run = tomorrow_at;
        return d;
    }
    if (!last_run || *last_run < yesterday) d.run_for = yesterday;
    d.next_run = today_done ? tomorrow_at : today_at;
    return d;
}

}  // namespace dpmon::core
