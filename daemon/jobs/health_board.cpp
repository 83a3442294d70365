#include "dpmon/jobs/health_board.hpp"

#include <algorithm>

#include "dpmon/core/civil_date.hpp"

namespace dpmon::daemon {

void health_board::set(std::string_view name, core::health_state state, std::string detail) {
    std::lock_guard lock(mutex_);
    auto it = std::find_if(checks_.begin(), checks_.end(), [&](const core::health_check& c) { return c.name == name; });
    if (it == checks_.end()) {
        checks_.push_back(core::health_check{std::string(name), state, std::move(detail),
                                             core::format_utc_timestamp(clock_.now())});
        return;
    }
    if (it->state != state) it->since = core::format_utc_timestamp(clock_.now());
    it->state = state;
    it->detail = std::move(detail);
}

std::vector<core::health_check> health_board::snapshot() const {
    std::lock_guard lock(mutex_);
    return checks_;
}

}  // namespace dpmon::daemon
