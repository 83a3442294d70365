#include "dpmon/alerts/masking.hpp"

namespace dpmon::alerts {

std::string mask_account_number(std::string_view number) {
    std::string compact;
    for (char c : number) {
        if (c != ' ' && c != '-') compact.push_back(c);
    }
    if (compact.size() <= 4) return "****";
    return "****" + compact.substr(compact.size() - 4);
}

}  // namespace dpmon::alerts
