#include "dpmon/core/reviews.hpp"

#include "dpmon/core/enum_names.hpp"

#include <algorithm>
#include <array>

namespace dpmon::core {
namespace {

constexpr std::array<std::pair<review_kind, std::string_view>, 6> names{{
    {review_kind::dp_initial, "DP_INITIAL_REVIEW"},
    {review_kind::dp_annual, "DP_ANNUAL_REVIEW"},
    {review_kind::financial_audit, "FINANCIAL_AUDIT"},
    {review_kind::support_plan, "SUPPORT_PLAN_REVIEW"},
    {review_kind::final_audit, "FINAL_AUDIT"},
    {review_kind::early, "EARLY_REVIEW"},
}};

bool is_dp_review(review_kind k) {
    return k == review_kind::dp_initial || k == review_kind::dp_annual || k == review_kind::early;
}

// The latest completion of any of `kinds`, with its override.
std::optional<completed_review> latest(const std::vector<completed_review>& done, bool (*match)(review_kind)) {
    std::optional<completed_review> best;
    for (const auto& c : done) {
        if (match(c.kind) && (!best || c.completed_on >= best->completed_on)) best = c;
    }
    return best;
}

scheduled_review make(review_kind k, civil_date nominal, std::string basis, const working_calendar& cal) {
    return scheduled_review{k, nominal, cal.on_or_before(nominal), std::move(basis)};
}

std::string months_after(std::string_view what, civil_date from, int months) {
    return std::string(what) + " " + format_iso_date(from) + " + " + std::to_string(months) + " months";
}

}  // namespace

std::string_view to_string(review_kind k) { return name_in(names, k); }

std::string_view plain_name(review_kind k) {
    switch (k) {
        case review_kind::dp_initial: return "initial direct-payment review";
        case review_kind::dp_annual: return "annual direct-payment review";
        case review_kind::financial_audit: return "financial audit";
        case review_kind::support_plan: return "support-plan review";
        case review_kind::final_audit: return "final audit";
        case review_kind::early: return "early review";
    }
    return to_string(k);
}

bool parse_review_kind(std::string_view text, review_kind& out) {
    const auto kind = value_in(names, text);
    if (kind) out = *kind;
    return kind.has_value();
}

std::optional<review_kind> next_kind_after(review_kind k) {
    switch (k) {
        case review_kind::dp_initial:
        case review_kind::dp_annual:
        case review_kind::early: return review_kind::dp_annual;
        case review_kind::financial_audit: return review_kind::financial_audit;
        case review_kind::support_plan: return review_kind::support_plan;
        case review_kind::final_audit: return std::nullopt;
    }
    return std::nullopt;
}

civil_date latest_next_due(review_kind k, civil_date completed_on, const review_rules& rules) {
    (void)k;
    return add_months(completed_on, rules.interval_months);
}

std::vector<scheduled_review> schedule_reviews(const review_facts& f, const review_rules& rules,
                                               const working_calendar& cal) {
    std::vector<scheduled_review> out;
    if (f.closed_on) {
        bool audited = false;
        for (const auto& c : f.completed) audited = audited || (c.kind == review_kind::final_audit && c.completed_on >= *f.closed_on);
        if (!audited) {
            out.push_back(make(review_kind::final_audit, add_days(*f.closed_on, rules.final_audit_days),
                               "closed " + format_iso_date(*f.closed_on) + " + " + std::to_string(rules.final_audit_days) + " days", cal));
        }
        return out;
    }

    // The support-plan review first: the DP review may align with it.
    std::optional<scheduled_review> plan_review;
    if (!f.plan_starts.empty()) {
        const civil_date newest = *std::max_element(f.plan_starts.begin(), f.plan_starts.end());
        const auto last = latest(f.completed, [](review_kind k) { return k == review_kind::support_plan; });
        if (!last || last->completed_on < newest) {
            plan_review = make(review_kind::support_plan, add_days(newest, rules.support_plan_first_days),
                               "new plan from " + format_iso_date(newest) + " + " + std::to_string(rules.support_plan_first_days) + " days", cal);
        } else if (last->next_due) {
            plan_review = make(review_kind::support_plan, *last->next_due, "date set at the completion of " + format_iso_date(last->completed_on), cal);
        } else {
            plan_review = make(review_kind::support_plan, add_months(last->completed_on, rules.interval_months),
                               months_after("last plan review", last->completed_on, rules.interval_months), cal);
        }
    }

    const auto initial = latest(f.completed, [](review_kind k) { return k == review_kind::dp_initial; });
    if (!initial) {
        out.push_back(make(review_kind::dp_initial, add_months(f.dp_start, rules.initial_months),
                           months_after("DP start", f.dp_start, rules.initial_months), cal));
    } else {
        const auto last = latest(f.completed, is_dp_review);
        scheduled_review annual =
            last->next_due ? make(review_kind::dp_annual, *last->next_due,
                                  "date set at the completion of " + format_iso_date(last->completed_on), cal)
                           : make(review_kind::dp_annual, add_months(last->completed_on, rules.interval_months),
                                  months_after("last DP review", last->completed_on, rules.interval_months), cal);
        // Brought forward to the plan review when that comes shortly before; never moved later.
        if (plan_review && plan_review->nominal < annual.nominal &&
            add_days(plan_review->nominal, static_cast<int>(rules.align_window_days)) >= annual.nominal) {
            annual.basis += ", brought forward to the support-plan review on " + format_iso_date(plan_review->nominal);
            annual.nominal = plan_review->nominal;
            annual.due = plan_review->due;
        }
        out.push_back(std::move(annual));
    }

    const auto audit = latest(f.completed, [](review_kind k) { return k == review_kind::financial_audit; });
    if (!audit) {
        out.push_back(make(review_kind::financial_audit, add_months(f.dp_start, rules.interval_months),
                           months_after("DP start", f.dp_start, rules.interval_months), cal));
    } else if (audit->next_due) {
        out.push_back(make(review_kind::financial_audit, *audit->next_due,
                           "date set at the completion of " + format_iso_date(audit->completed_on), cal));
    } else {
        out.push_back(make(review_kind::financial_audit, add_months(audit->completed_on, rules.interval_months),
                           months_after("last audit", audit->completed_on, rules.interval_months), cal));
    }
    if (plan_review) out.push_back(std::move(*plan_review));
    return out;
}

std::vector<reminder_point> reminders_for(civil_date due, const std::vector<std::int64_t>& reminder_days,
                                          std::int64_t escalate_after_days) {
    std::vector<std::int64_t> days = reminder_days;
    std::sort(days.begin(), days.end(), std::greater<>());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    std::vector<reminder_point> out;
    for (std::int64_t d : days) {
        if (d <= 0) continue;
        out.push_back({std::to_string(d) + "-days-before", add_days(due, -static_cast<int>(d)), false});
    }
    out.push_back({"due", due, false});
    out.push_back({"escalation", add_days(due, static_cast<int>(escalate_after_days)), true});
    return out;
}

}  // namespace dpmon::core
