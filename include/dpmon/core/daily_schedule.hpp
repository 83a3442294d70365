#pragma once
// daily_schedule: when the daily job runs (time-based flags, review reminders, the digest). Once per local
// calendar day at `daily_at`, whatever the clocks do: across the DST changes, after the wall clock jumps,
// and after downtime (the missed days are caught up at once, as one run for yesterday).

#include <chrono>
#include <optional>

#include "dpmon/core/civil_date.hpp"

namespace dpmon::core {

// The instant of the daily run on local day `day`: `daily_at_minutes` after local midnight, or, when the
// clocks skip that time (a DST gap), the instant they skip to.
std::chrono::system_clock::time_point daily_run_instant(civil_date day, int daily_at_minutes, const date::time_zone& zone);

struct daily_decision {
    std::optional<civil_date> run_for;               // the local day whose job should run now, if any
    std::chrono::system_clock::time_point next_run;  // when the next day's run falls due
};

// What to do at `now`, given the local day of the last run (nullopt: never ran).
//   - today's run instant has passed and today has not run: run for today;
//   - else, a day before yesterday was the last (or none ran): run for yesterday, which catches up every
//     reminder that fell due while the daemon was down without waiting for today's run time;
//   - else nothing, until next_run.
daily_decision decide_daily(std::chrono::system_clock::time_point now, std::optional<civil_date> last_run,
                            int daily_at_minutes, const date::time_zone& zone);

}  // namespace dpmon::core
