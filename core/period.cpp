#include "dpmon/core/period.hpp"

namespace dpmon::core {
namespace {

int months_per_period(period_kind kind) { return kind == period_kind::quarterly ? 3 : 1; }

civil_date start_of(period_kind kind, civil_date anchor, std::int64_t index) {
    if (kind == period_kind::four_weekly) return add_days(anchor, static_cast<int>(index * 28));
    return add_months(anchor, static_cast<int>(index) * months_per_period(kind));
}

}  // namespace

std::int64_t days_inclusive(civil_date a, civil_date b) {
    const auto n = (date::sys_days{b} - date::sys_days{a}).count() + 1;
    return n > 0 ? n : 0;
}

std::int64_t period::days() const { return days_inclusive(first, last); }

period period_at(period_kind kind, civil_date anchor, std::int64_t index) {
    return period{index, start_of(kind, anchor, index), add_days(start_of(kind, anchor, index + 1), -1)};
}

period period_containing(period_kind kind, civil_date anchor, civil_date d) {
    std::int64_t index = 0;
    const std::int64_t days = (date::sys_days{d} - date::sys_days{anchor}).count();
    if (kind == period_kind::four_weekly) {
        index = days >= 0 ? days / 28 : -((-days + 27) / 28);
    } else {
        // A first guess from whole months, then a step either way for the clamped month ends.
        const int per = months_per_period(kind);
        const auto ym = [](civil_date x) { return static_cast<int>(x.year()) * 12 + static_cast<int>(static_cast<unsigned>(x.month())); };
        const int diff = ym(d) - ym(anchor);
        index = (diff >= 0 ? diff : diff - per + 1) / per;
    }
    period p = period_at(kind, anchor, index);
    while (d < p.first) p = period_at(kind, anchor, --index);
    while (d > p.last) p = period_at(kind, anchor, ++index);
    return p;
}

std::vector<period> periods_between(period_kind kind, civil_date anchor, civil_date from, civil_date to) {
    std::vector<period> out;
    if (to < from) return out;
    for (period p = period_containing(kind, anchor, from); p.first <= to; p = period_at(kind, anchor, p.index + 1)) {
        out.push_back(p);
    }
    return out;
}

}  // namespace dpmon::core
