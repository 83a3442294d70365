#include "dpmon/core/status.hpp"

#include <algorithm>

namespace dpmon::core {

std::string_view to_string(health_state s) {
    switch (s) {
        case health_state::ok: return "ok";
        case health_state::degraded: return "degraded";
        case health_state::failing: return "failing";
    }
    return "failing";
}

health_state overall(const std::vector<health_check>& checks) {
    health_state worst = health_state::ok;
    for (const auto& c : checks) worst = std::max(worst, c.state);
    return worst;
}

}  // namespace dpmon::core
