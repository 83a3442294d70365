#include "dpmon/core/policy.hpp"

namespace dpmon::core {

std::string_view to_string(period_kind k) {
    switch (k) {
        case period_kind::four_weekly: return "4-weekly";
        case period_kind::monthly: return "monthly";
        case period_kind::quarterly: return "quarterly";
    }
    return "4-weekly";
}

bool parse_period_kind(std::string_view text, period_kind& out) {
    for (period_kind k : {period_kind::four_weekly, period_kind::monthly, period_kind::quarterly}) {
        if (text == to_string(k)) {
            out = k;
            return true;
        }
    }
    return false;
}

}  // namespace dpmon::core
