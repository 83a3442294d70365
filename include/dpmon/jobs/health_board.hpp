#pragma once
// health_board: the state of each health check as the workers last reported it, with the time it entered
// that state. Workers report as they go (an import failed, space came back); GET /healthz reads it
// without touching the database. Thread-safe.

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "dpmon/core/clock.hpp"
#include "dpmon/core/status.hpp"

namespace dpmon::daemon {

class health_board {
public:
    explicit health_board(const core::clock& clock) : clock_(clock) {}

    // Adds a check, ok, that has not yet reported (its last_ok stays empty).
    void declare(std::string_view name);
    // Sets a check (added on first use, in order). `since` moves only when the state changes; an ok report
    // is also the check's last success.
    void set(std::string_view name, core::health_state state, std::string detail = {});
    void ok(std::string_view name) { set(name, core::health_state::ok); }

    std::vector<core::health_check> snapshot() const;

private:
    const core::clock& clock_;
    mutable std::mutex mutex_;
    std::vector<core::health_check> checks_;
};

}  // namespace dpmon::daemon
