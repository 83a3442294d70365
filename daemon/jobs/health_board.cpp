#include "dpmon/jobs/health_board.hpp"

#include <algorithm>

#include "dpmon/core/civil_date.hpp"

namespace dpmon::daemon {

void health_board::declare(std::string_view name) {
    std::lock_guard lock(mutex_);
    if (std::none_of(checks_.begin(), checks_.end(), [&](const core::health_check& c) { return c.name == name; }))
        checks_.push_back(core::health_check{std::string(name), core::health_state::ok, {}, core::format_utc_timestamp(clock_.now()), {}});
}

void health_board::set(std::string_view name, core::health_state state, std::string detail) {
    std::lock_guard lock(mutex_);
    const std::string now = core::format_utc_timestamp(clock_.now());
    auto it = std::find_if(checks_.begin(), checks_.end(), [&](const core::health_check& c) { return c.name == name; });
    if (it == checks_.end()) it = checks_.insert(checks_.end(), core::health_check{std::string(name), state, {}, now, {}});
    if (it->state != state) it->since = now;
    it->state = state;
    it->detail = std::move(detail);
    if (state == core::health_state::ok) it->last_ok = now;
}

std::vector<core::health_check> health_board::snapshot() const {
    std::lock_guard lock(mutex_);
    return checks_;
}

}  // namespace dpmon::daemon
