#pragma once
// The officer's worklist (docs/worklist.md): accounts in priority order, each with the money involved by
// kind (never summed across kinds), its open concerns and the next thing to do, in words. Pure: the same
// concerns always give the same order. GET /api/v1/worklist, `dpmon worklist`, the summary and the digest
// all use this one ordering.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/flag_code.hpp"
#include "dpmon/core/money.hpp"
#include "dpmon/core/reviews.hpp"

namespace dpmon::core {

// One open flag, or an overdue review (no flag id, no code).
struct concern {
    std::int64_t flag_id = 0;
    std::optional<flag_code> code;              // none: an overdue review
    std::optional<review_kind> review;          // the overdue review's kind
    money amount;                               // as the flag stores it (OVERDRAWN: the lowest balance)
    civil_date since;                           // the flag's first day, or the review's due date
    std::string reason;                         // one line
};

struct account_concerns {
    std::string account_ref;
    std::string finance_officer;
    std::vector<concern> concerns;
};

struct worklist_entry {
    std::string account_ref;
    std::string finance_officer;
    std::int64_t priority = 0;
    int severity = 0;  // 1 (least) to 9, the highest of its concerns
    // The money involved by kind, each as a positive sum; never added together.
    money recoverable_surplus, arrears, overdrawn, unexplained_inflows;
    std::vector<concern> concerns;  // most severe first
    std::string next_action;        // what to do first, in words
};

// The severity of a flag code or (no code) an overdue review, 1 to 9 (docs/worklist.md#priority).
int severity_of(std::optional<flag_code> code);

// priority = 100 x severity + min(99, largest amount at stake in whole £100s) (docs/worklist.md#priority).
// Accounts without concerns are left out; the rest come highest priority first, then most concerns, then by
// account reference.
std::vector<worklist_entry> build_worklist(std::vector<account_concerns> accounts);

// The money and work in a worklist, or in one officer's part of it: the heading of the dashboard.
struct worklist_totals {
    std::int64_t accounts = 0;
    money recoverable_surplus, arrears, overdrawn, unexplained_inflows;
    std::int64_t reviews_overdue = 0;
    std::vector<std::string> officers;  // every finance officer in the whole list (officers_of), sorted, each once
};

// Every finance officer with an entry in `list`, sorted, each once.
std::vector<std::string> officers_of(const std::vector<worklist_entry>& list);

// Which entries a reader asks for: one finance officer's (in any case; empty: all) with a concern of one code
// ("SURPLUS", or "REVIEW_OVERDUE" for an overdue review; empty: any).
struct worklist_filter {
    std::string officer;
    std::string concern;
    bool matches(const worklist_entry& e) const;
};

// The totals of the entries `filter` matches; `officers` is left for the caller (officers_of, kept per list).
worklist_totals total(const std::vector<worklist_entry>& list, const worklist_filter& filter);

// The first sentence of a flag's reason, for a one-line concern.
std::string first_sentence(const std::string& reason);

}  // namespace dpmon::core
