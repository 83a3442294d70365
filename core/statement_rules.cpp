// The rules about the statements themselves: STATEMENT_GAP, BALANCE_MISMATCH and STATEMENT_OVERDUE
// (docs/rules.md#flags).

#include <algorithm>

#include "rules.hpp"

namespace dpmon::core::rules {
namespace {

std::string iso(civil_date d) { return format_iso_date(d); }

std::vector<statement_cover> by_first_day(const account_facts& facts) {
    std::vector<statement_cover> covers = facts.statements;
    std::sort(covers.begin(), covers.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return covers;
}

// CSV statements carry no period of their own, only their rows' dates, so days without rows at the ends of
// two statements look uncovered. When the later one opens at the earlier one's closing balance, no rows can
// be missing between them: that is no gap.
bool balances_join(const statement_cover* previous, const statement_cover& c, std::optional<civil_date> covered_to) {
    return previous && previous->closing && c.opening && covered_to && previous->last == *covered_to &&
           *c.opening == *previous->closing;
}

}  // namespace

std::vector<std::pair<civil_date, civil_date>> statement_gaps(const account_facts& facts) {
    std::optional<civil_date> covered_to;
    const statement_cover* previous = nullptr;
    const auto covers = by_first_day(facts);
    std::vector<std::pair<civil_date, civil_date>> gaps;
    for (const auto& c : covers) {
        if (covered_to && c.first > add_days(*covered_to, 1) && !balances_join(previous, c, covered_to))
            gaps.emplace_back(add_days(*covered_to, 1), add_days(c.first, -1));
        if (!covered_to || c.last > *covered_to) covered_to = c.last;
        previous = &c;
    }
    return gaps;
}

// STATEMENT_GAP: date ranges between two statements that none covers; one flag listing them all.
void statement_gap_flags(const rule_input& in, std::vector<flag>& out) {
    const auto covers = by_first_day(in.facts);
    const auto gaps = statement_gaps(in.facts);
    if (gaps.empty()) return;
    std::string listed;
    for (const auto& [from, to] : gaps) {
        // The statements either side of the gap, by name.
        std::string before = "?", after = "?";
        for (const auto& c : covers) {
            if (c.last < from) before = c.file_name;
            if (c.first > to && after == "?") after = c.file_name;
        }
        listed += std::string(listed.empty() ? "" : "; ") + iso(from) + " to " + iso(to) + " (between " + before + " and " + after + ")";
    }
    out.push_back(make_flag(flag_code::statement_gap, "STATEMENT_GAP", in.period_of(gaps.back().first), money{},
                            "No statement covers " + listed + ": ask the holder for the missing statement" +
                                (gaps.size() > 1 ? "s." : "."),
                            {{"rule", "a date range between two statements covered by none"},
                             {"gaps", std::to_string(gaps.size())},
                             {"from", iso(gaps.front().first)},
                             {"to", iso(gaps.back().second)}},
                            gaps.front().first));
}

// BALANCE_MISMATCH, one flag per statement: it opens at a different balance from the statement it adjoins
// closed at, or its running balance does not follow (found at import).
void balance_mismatch_flags(const rule_input& in, std::vector<flag>& out) {
    std::map<std::string, flag> per_file;
    auto add = [&](const std::string& file, civil_date day, money amount, const std::string& sentence,
                   const std::map<std::string, std::string>& inputs) {
        auto [it, fresh] = per_file.try_emplace(file);
        flag& f = it->second;
        if (fresh) {
            f = make_flag(flag_code::balance_mismatch, "BALANCE_MISMATCH:" + file, in.period_of(day), amount, "", {}, day);
            f.inputs["rule"] = "running balance = previous balance + amount; opening = previous statement's closing";
        } else {
            f.amount += amount;
        }
        f.reason += (f.reason.empty() ? "" : " ") + sentence;
        for (const auto& [k, v] : inputs) f.inputs[k] = v;
    };
    std::optional<civil_date> covered_to;
    const statement_cover* previous = nullptr;
    const auto covers = by_first_day(in.facts);
    for (const auto& c : covers) {
        // Across uncovered days a different opening is the gap itself; between adjoining statements it means
        // rows missing or altered.
        const bool adjoining = covered_to && c.first <= add_days(*covered_to, 1);
        const bool joined_before = previous && previous->closing && c.opening && covered_to && previous->last == *covered_to;
        if (adjoining && joined_before && *c.opening != *previous->closing) {
            add(c.file_name, std::max(c.first, in.facts.dp_start), *c.opening - *previous->closing,
                c.file_name + " opens at " + pounds(*c.opening) + " but " + previous->file_name + " closed at " +
                    pounds(*previous->closing) + ": rows may be missing or altered.",
                {{"opening", c.opening->to_decimal()}, {"previous_closing", previous->closing->to_decimal()}});
        }
        if (!covered_to || c.last > *covered_to) covered_to = c.last;
        previous = &c;
    }
    for (const auto& b : in.facts.findings) {
        add(b.file_name, b.date, b.actual - b.expected,
            b.file_name + " line " + std::to_string(b.line) + " gives the balance as " + pounds(b.actual) +
                " but the previous balance and the amount make it " + pounds(b.expected) + ": rows may be missing or altered.",
            {{"line " + std::to_string(b.line), "expected " + b.expected.to_decimal() + ", the bank says " + b.actual.to_decimal()}});
    }
    for (auto& [file, f] : per_file) out.push_back(std::move(f));
}

// STATEMENT_OVERDUE: the last return period (anchored at the DP start) ended more than return_grace_days
// ago and no statement reaches its end.
void overdue_statement_flags(const rule_input& in, std::vector<flag>& out) {
    const account_facts& facts = in.facts;
    const policy& pol = in.pol();
    const return_frequency tier = facts.returns.value_or(return_tier(facts.plans, in.today));
    const int months = tier == return_frequency::quarterly ? 3 : tier == return_frequency::six_monthly ? 6 : 12;
    std::optional<civil_date> due_end;
    for (int k = 1;; ++k) {
        const civil_date end = add_days(add_months(facts.dp_start, months * k), -1);
        if (add_days(end, static_cast<int>(pol.return_grace_days)) >= in.today) break;
        due_end = end;
    }
    const auto& covered_to = in.judged_to;
    if (!due_end || (covered_to && *covered_to >= *due_end)) return;
    const char* tier_name = tier == return_frequency::quarterly     ? "quarterly"
                            : tier == return_frequency::six_monthly ? "6-monthly"
                                                                    : "annual";
    const civil_date due_by = add_days(*due_end, static_cast<int>(pol.return_grace_days));
    out.push_back(make_flag(flag_code::statement_overdue, "STATEMENT_OVERDUE", in.period_of(in.today), money{},
                            "Statements up to " + iso(*due_end) + " (" + tier_name + " returns) were due by " + iso(due_by) + "; " +
                                (covered_to ? "the latest reaches " + iso(*covered_to) : std::string("none has arrived")) +
                                ": ask the holder to send them.",
                            {{"rule", "no statement covers the last return period + return_grace_days"},
                             {"return_period_end", iso(*due_end)},
                             {"covered_to", covered_to ? iso(*covered_to) : ""},
                             {"tier", tier_name}},
                            add_days(due_by, 1)));
}

}  // namespace dpmon::core::rules
