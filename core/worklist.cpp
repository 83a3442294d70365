#include "dpmon/core/worklist.hpp"

#include <algorithm>

#include <cstdlib>

#include "dpmon/core/text.hpp"

namespace dpmon::core {
namespace {

money magnitude(money m) { return m.is_negative() ? -m : m; }

std::string due_text(const concern& c) { return format_iso_date(c.since); }

std::string review_name(review_kind k) {
    switch (k) {
        case review_kind::dp_initial: return "the first DP review";
        case review_kind::dp_annual: return "the annual DP review";
        case review_kind::financial_audit: return "the financial audit";
        case review_kind::support_plan: return "the support plan review";
        case review_kind::final_audit: return "the final audit";
        case review_kind::early: return "the early review";
    }
    return "the review";
}

// What to do about the account's most severe concern.
std::string action_for(const concern& c) {
    const std::string amount = magnitude(c.amount).to_display();
    if (!c.code) return "complete " + review_name(c.review.value_or(review_kind::dp_annual)) + " overdue since " + due_text(c);
    switch (*c.code) {
        case flag_code::overdrawn: return "contact the holder today: overdrawn by " + amount;
        case flag_code::household_member_payment: return "decide on " + amount + " paid to a household member: approve it or recover it";
        case flag_code::underspend: return "contact the holder: care may not be delivered (" + amount + " of the plan unspent)";
        case flag_code::restricted_spend: return "ask the holder about " + amount + " of restricted spending";
        case flag_code::balance_mismatch: return "get the full statement from the holder or the bank: balances do not follow";
        case flag_code::council_payment_missing: return "ask council payments why " + amount + " due on " + due_text(c) + " was not paid";
        case flag_code::contribution_arrears: return "ask the holder to pay contribution arrears of " + amount;
        case flag_code::projected_shortfall: return "check the budget with the holder: about " + amount + " short before the next payment";
        case flag_code::duplicate_payment: return "check with the holder that " + amount + " was not paid twice";
        case flag_code::unexplained_inflow: return "ask the holder what " + amount + " paid in was";
        case flag_code::surplus: return "propose recovery of " + amount;
        case flag_code::employer_obligation_missed: return "check the employer's HMRC, pension and insurance payments";
        case flag_code::overspend: return "review spending with the holder: " + amount + " over the plan";
        case flag_code::statement_overdue: return "ask the holder for the overdue statements";
        case flag_code::statement_gap: return "ask the holder for the missing statement";
        case flag_code::cash_withdrawal: return "ask for receipts for " + amount + " of cash";
        case flag_code::unplanned_spend: return "ask what " + amount + " of unplanned spending was for";
    }
    return "look at the account";
}

}  // namespace

int severity_of(std::optional<flag_code> code) {
    if (!code) return 6;  // an overdue review
    switch (*code) {
        case flag_code::overdrawn:
        case flag_code::household_member_payment: return 9;
        case flag_code::underspend:
        case flag_code::restricted_spend: return 8;
        case flag_code::balance_mismatch:
        case flag_code::council_payment_missing: return 7;
        case flag_code::contribution_arrears: return 6;
        case flag_code::projected_shortfall:
        case flag_code::duplicate_payment:
        case flag_code::unexplained_inflow: return 5;
        case flag_code::surplus:
        case flag_code::employer_obligation_missed: return 4;
        case flag_code::overspend:
        case flag_code::statement_overdue:
        case flag_code::statement_gap: return 3;
        case flag_code::cash_withdrawal:
        case flag_code::unplanned_spend: return 2;
    }
    return 1;
}

std::string first_sentence(const std::string& reason) {
    // Up to the first ". " (a decimal point is never followed by a space).
    for (std::size_t i = 0; i + 1 < reason.size(); ++i) {
        if (reason[i] == '.' && reason[i + 1] == ' ') return reason.substr(0, i + 1);
    }
    return reason;
}

std::vector<worklist_entry> build_worklist(std::vector<account_concerns> accounts) {
    std::vector<worklist_entry> out;
    for (auto& a : accounts) {
        if (a.concerns.empty()) continue;
        worklist_entry e;
        e.account_ref = std::move(a.account_ref);
        e.finance_officer = std::move(a.finance_officer);
        e.concerns = std::move(a.concerns);
        std::stable_sort(e.concerns.begin(), e.concerns.end(), [](const concern& x, const concern& y) {
            const int sx = severity_of(x.code), sy = severity_of(y.code);
            if (sx != sy) return sx > sy;
            return magnitude(x.amount) > magnitude(y.amount);
        });
        money largest;
        for (const auto& c : e.concerns) {
            largest = std::max(largest, magnitude(c.amount));
            if (!c.code) continue;
            if (*c.code == flag_code::surplus) e.recoverable_surplus += c.amount;
            if (*c.code == flag_code::contribution_arrears) e.arrears += c.amount;
            if (*c.code == flag_code::overdrawn) e.overdrawn = std::max(e.overdrawn, magnitude(c.amount));
            if (*c.code == flag_code::unexplained_inflow) e.unexplained_inflows += c.amount;
        }
        e.severity = severity_of(e.concerns.front().code);
        e.priority = 100 * e.severity + std::min<std::int64_t>(99, largest.pence() / 10000);
        e.next_action = action_for(e.concerns.front());
        out.push_back(std::move(e));
    }
    std::stable_sort(out.begin(), out.end(), [](const worklist_entry& x, const worklist_entry& y) {
        if (x.priority != y.priority) return x.priority > y.priority;
        if (x.concerns.size() != y.concerns.size()) return x.concerns.size() > y.concerns.size();
        return x.account_ref < y.account_ref;
    });
    return out;
}

bool worklist_filter::matches(const worklist_entry& e) const {
    if (!officer.empty() && !iequals(e.finance_officer, officer)) return false;
    if (concern.empty()) return true;
    return std::any_of(e.concerns.begin(), e.concerns.end(), [&](const core::concern& c) {
        return c.code ? to_string(*c.code) == concern : concern == "REVIEW_OVERDUE";
    });
}

worklist_totals total(const std::vector<worklist_entry>& list, const worklist_filter& filter) {
    worklist_totals t;
    for (const worklist_entry& e : list) {
        if (!filter.matches(e)) continue;
        ++t.accounts;
        t.recoverable_surplus += e.recoverable_surplus;
        t.arrears += e.arrears;
        t.overdrawn += e.overdrawn;
        t.unexplained_inflows += e.unexplained_inflows;
        for (const concern& c : e.concerns) t.reviews_overdue += c.code ? 0 : 1;
    }
    return t;
}

std::vector<std::string> officers_of(const std::vector<worklist_entry>& list) {
    std::vector<std::string> out;
    for (const worklist_entry& e : list) out.push_back(e.finance_officer);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace dpmon::core
