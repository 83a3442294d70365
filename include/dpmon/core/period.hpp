#pragma once
// Reconciliation periods: 4-weekly cycles anchored at the DP start (the default), or calendar-like months
// and quarters anchored at the DP start's day of month. Every period is a closed range of civil dates.

#include <cstdint>
#include <vector>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/policy.hpp"

namespace dpmon::core {

struct period {
    std::int64_t index = 0;  // 0 for the period that starts at the anchor
    civil_date first;        // inclusive
    civil_date last;         // inclusive
    std::int64_t days() const;
    bool contains(civil_date d) const { return d >= first && d <= last; }
    friend bool operator==(const period&, const period&) = default;
};

// The period number `index` from `anchor`. Months are counted from the anchor each time (never chained),
// so a plan starting on 31 January has periods 31 Jan–27 Feb, 28 Feb–30 Mar, 31 Mar–29 Apr, ...
period period_at(period_kind kind, civil_date anchor, std::int64_t index);

// The period holding `d` (d on or after the anchor).
period period_containing(period_kind kind, civil_date anchor, civil_date d);

// Every period that overlaps [from, to], in order (from on or after the anchor).
std::vector<period> periods_between(period_kind kind, civil_date anchor, civil_date from, civil_date to);

// Days in [a, b] inclusive; 0 when b is before a.
std::int64_t days_inclusive(civil_date a, civil_date b);

}  // namespace dpmon::core
