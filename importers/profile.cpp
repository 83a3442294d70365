#include "dpmon/importers/profile.hpp"

#include "dpmon/core/text.hpp"

namespace dpmon::importers {
bool glob_match(std::string_view pattern, std::string_view name) {
    std::size_t p = 0;
    std::size_t n = 0;
    std::size_t star = std::string_view::npos;
    std::size_t mark = 0;
    while (n < name.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || core::ascii_lower(pattern[p]) == core::ascii_lower(name[n]))) {
            ++p;
            ++n;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = n;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            n = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

result<void> validate_profile(const profile& p) {
    auto bad = [&](std::string_view field, std::string_view why) {
        return make_error(errc::invalid_argument,
                          "profile '" + p.name + "': " + std::string(field) + ": " + std::string(why));
    };
    if (p.format != "csv" && p.format != "ofx") return bad("format", "must be \"csv\" or \"ofx\"");
    if (p.format == "ofx") return {};
    if (p.match_header.empty() && p.match_filename.empty())
        return bad("match_header", "a profile needs match_header or match_filename to be chosen");
    if (p.date.empty()) return bad("date", "the date column is missing");
    if (p.description.empty()) return bad("description", "at least one description column is needed");
    const bool signed_amount = !p.amount.empty();
    const bool split = !p.debit.empty() || !p.credit.empty();
    if (signed_amount == split)
        return bad("amount", "give either amount (optionally with type) or both debit and credit");
    if (split && (p.debit.empty() || p.credit.empty())) return bad("debit", "debit and credit go together");
    if (!p.type.empty() && !signed_amount) return bad("type", "a type column goes with amount");
    if (p.skip_lines < 0) return bad("skip_lines", "must not be negative");
    auto check_number = [&](const column_ref& c, std::string_view field) -> result<void> {
        if (!p.header && !c.empty() && c.number <= 0)
            return bad(field, "without a header, columns are 1-based numbers");
        if (p.header && !c.empty() && c.name.empty())
            return bad(field, "with a header, columns are named by their header text");
        return {};
    };
    for (auto [c, field] : {std::pair{&p.date, "date"}, {&p.amount, "amount"}, {&p.debit, "debit"},
                            {&p.credit, "credit"}, {&p.type, "type"}, {&p.balance, "balance"},
                            {&p.sort_code, "sort_code"}, {&p.account_number, "account_number"},
                            {&p.account, "account"}, {&p.reference, "reference"}}) {
        if (auto r = check_number(*c, field); !r) return r;
    }
    for (const auto& d : p.description) {
        if (auto r = check_number(d, "description"); !r) return r;
    }
    return {};
}

}  // namespace dpmon::importers
