#include "dpmon/core/plan.hpp"

#include <algorithm>

namespace dpmon::core {

bool parse_frequency(std::string_view text, frequency& out) {
    if (text == "week") out = frequency::week;
    else if (text == "4w" || text == "four_weeks") out = frequency::four_weeks;
    else if (text == "month") out = frequency::month;
    else if (text == "quarter") out = frequency::quarter;
    else if (text == "year") out = frequency::year;
    else if (text == "one_off") out = frequency::one_off;
    else return false;
    return true;
}

std::string_view to_string(frequency f) {
    switch (f) {
        case frequency::week: return "week";
        case frequency::four_weeks: return "4w";
        case frequency::month: return "month";
        case frequency::quarter: return "quarter";
        case frequency::year: return "year";
        case frequency::one_off: return "one_off";
    }
    return "week";
}

money prorate(money amount, frequency f, std::int64_t days) {
    // amount * days / period_days, with period_days as an exact fraction: num / den days.
    std::int64_t num = 0;
    std::int64_t den = 1;
    switch (f) {
        case frequency::week: num = 7; break;
        case frequency::four_weeks: num = 28; break;
        case frequency::month: num = 36525; den = 1200; break;   // 365.25 / 12
        case frequency::quarter: num = 36525; den = 400; break;  // 365.25 / 4
        case frequency::year: num = 36525; den = 100; break;
        case frequency::one_off: return money{};
    }
    // amount * days * den / num, rounded half away from zero. 128-bit arithmetic keeps the product exact.
    __extension__ typedef __int128 wide;
    const wide product = static_cast<wide>(amount.pence()) * days * den;
    const wide half = num / 2;
    const wide q = product >= 0 ? (product + half) / num : -((-product + half) / num);
    return money::from_pence(static_cast<std::int64_t>(q));
}

const plan_version* version_on(const std::vector<plan_version>& versions, civil_date d) {
    for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
        if (it->in_force_on(d)) return &*it;
    }
    return nullptr;
}

std::vector<plan_version> normalise_versions(std::vector<plan_version> versions) {
    std::stable_sort(versions.begin(), versions.end(),
                     [](const plan_version& a, const plan_version& b) { return a.effective_from < b.effective_from; });
    std::vector<plan_version> out;
    for (auto& v : versions) {
        if (!out.empty() && out.back().effective_from == v.effective_from) out.pop_back();
        if (!out.empty()) {
            const civil_date day_before = add_days(v.effective_from, -1);
            if (!out.back().effective_to || *out.back().effective_to > day_before) out.back().effective_to = day_before;
        }
        out.push_back(std::move(v));
    }
    return out;
}

}  // namespace dpmon::core
