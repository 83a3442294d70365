#pragma once
// drop_folder: imports what is delivered to drop_dir/statements/ and drop_dir/plans/, exactly once.
//
// After files are handled, the accounts they touched are reconciled and their reviews rescheduled; every
// account is reconciled at start; the daily job (a full reconciliation for the flags time alone raises,
// then the review reminders) runs once per local day at daily_at, catching up after downtime.
//
// A worker thread with its own database connection scans both folders when woken (inotify, through
// the daemon's event loop), every rescan_seconds (in case an event was lost) and at start. A file is read
// when its writer closes it or moves it in (inotify), or, when found by a scan (present at start, or on a
// share without inotify), once its size and mtime have stayed the same for settle_seconds; a file whose
// end looks cut short (no final newline, no </OFX>) waits one settle time more. Size and mtime are checked
// again after reading, before the import commits: a file that changed is left for the next round. Names
// starting with "." or ending ".part"/".tmp" are left alone; symlinks, FIFOs, folders, hard-linked files and files over max_file_bytes are refused. After the
// import commits, the file moves to state_dir/archive/YYYY/MM/; a rejected file moves to
// state_dir/rejected/ with NAME.error.txt beside it. Both folders are fsynced after each move.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/clock.hpp"
#include "dpmon/core/error.hpp"
#include "dpmon/core/metrics.hpp"
#include "dpmon/jobs/health_board.hpp"
#include "dpmon/app/reconcile_accounts.hpp"
#include "dpmon/app/reviews.hpp"
#include "dpmon/importers/profile.hpp"

namespace dpmon::daemon {

struct drop_folder_options {
    std::filesystem::path drop_dir;
    std::filesystem::path state_dir;  // dpmon.db, archive/, rejected/
    std::chrono::seconds settle{5};
    std::chrono::seconds rescan{60};
    std::int64_t max_file_bytes = 256LL * 1024 * 1024;
    std::vector<importers::profile> profiles;
    std::vector<std::string> extra_categories;  // for plan files
    const date::time_zone* zone = nullptr;  // for archive/YYYY/MM and "today" (local date); UTC when null
    reconcile_settings reconciliation;
    int daily_at_minutes = 7 * 60;          // the daily job (reconciliation, review reminders), local time
    review_settings reviews;
    int digest_at_minutes = 8 * 60;  // the daily digest to the team mailbox, local time
    std::function<void()> on_outbox;  // called after messages may have been written to the outbox
    health_board* health = nullptr;   // where imports, reconciliation and integrity report; borrowed
    core::metrics* metrics = nullptr;  // counts imports and times reconciliations (GET /metrics); borrowed
};

class drop_folder {
public:
    virtual ~drop_folder() = default;
    // Asks for a scan soon. Any thread.
    virtual void wake() = 0;
    // Replaces the profiles and limits (after a config reload). Any thread.
    virtual void reconfigure(const drop_folder_options& options) = 0;
    // Stops the worker: an import in progress is abandoned (rolled back) and the call returns once the
    // thread has ended. Idempotent.
    virtual void stop() = 0;
    // Its writer closed `path` (inotify IN_CLOSE_WRITE) or moved it in (IN_MOVED_TO): read it now. Any thread.
    virtual void file_closed(const std::filesystem::path& path) = 0;
    // inotify watches both folders (true), or its events were lost (false: queue overflow, read failure).
    // While watched, a file written after start is taken when its writer closes it. Any thread.
    virtual void set_watched(bool watched) = 0;
};

// Opens the worker's database connection and starts the thread (which scans at once).
// `clock` is borrowed for the worker's life.
result<std::unique_ptr<drop_folder>> start_drop_folder(const drop_folder_options& options, const core::clock& clock);

}  // namespace dpmon::daemon
