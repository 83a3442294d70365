#pragma once
// audit_checks: the flags auditors look for (docs/rules.md#audit-checks): UNPLANNED_SPEND,
// RESTRICTED_SPEND, CASH_WITHDRAWAL, HOUSEHOLD_MEMBER_PAYMENT, UNEXPLAINED_INFLOW, EMPLOYER_OBLIGATION_MISSED
// and DUPLICATE_PAYMENT. Pure, like reconcile(), which calls it; each flag carries its reason and inputs.
// Reasons and inputs name categories, patterns, relationships and figures, never a payee's name.

#include <vector>

#include "dpmon/core/reconcile.hpp"

namespace dpmon::core {

// Adds the audit flags for `facts` as of `today` to `out`, period by period (`periods` from reconcile()).
void audit_flags(const account_facts& facts, const std::vector<period_figures>& periods, civil_date today,
                 std::vector<flag>& out);

}  // namespace dpmon::core
