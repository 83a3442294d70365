#pragma once
// Categorisation (docs/rules.md#categories-and-categorisation): rules map a transaction to a category by a description pattern, the
// amount's sign and optionally an amount range. Account rules (from the plan) come before council-wide
// rules (from config); the first match wins; the rule that matched is kept with the transaction.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dpmon/core/bank_transaction.hpp"
#include "dpmon/core/error.hpp"
#include "dpmon/core/plan.hpp"

namespace re2 {
class RE2;
}

namespace dpmon::core {

enum class direction { any, money_in, money_out };

struct category_rule {
    std::string id;        // names the rule in the audit trail: "plan:pa_wages 'J BLOGGS'", "config line 42"
    std::string match;     // case-insensitive substring, or
    std::string pattern;   // an RE2 regular expression, case-insensitive (exactly one of the two)
    std::string category;
    direction dir = direction::any;
    std::optional<money> min;  // on the amount's magnitude, inclusive
    std::optional<money> max;
};

struct categorisation {
    std::string category;  // "uncategorised" when no rule matched
    std::string rule;      // the matching rule's id; empty when none matched
};

class categoriser {
public:
    // Compiles the council-wide rules. Patterns were validated with the config (check_rule_pattern); an
    // invalid one here is a bug and throws std::invalid_argument.
    explicit categoriser(std::vector<category_rule> council_rules);

    struct compiled {
        category_rule rule;  // match held in upper case
        std::shared_ptr<const re2::RE2> re;  // RE2: linear time, no recursion, whatever the description
    };
    // Account rules prepared once (upper-cased, patterns compiled), for categorising many transactions.
    using prepared_rules = std::vector<compiled>;
    static prepared_rules prepare(const std::vector<category_rule>& rules);

    // Account rules first, then council rules; the first match wins.
    categorisation categorise(const bank_transaction& t, const std::vector<category_rule>& account_rules) const;
    categorisation categorise(const bank_transaction& t, const prepared_rules& account_rules) const;

private:
    static bool matches(const compiled& c, const bank_transaction& t, const std::string& upper_description);
    std::vector<compiled> council_;
};

// Checks a council rule's pattern as the categoriser will compile it (RE2 syntax, case-insensitive):
// an error says what is wrong (RE2 has no backreferences or lookaround, by design: it runs in linear time).
result<void> check_rule_pattern(std::string_view pattern);

// The rules a plan version implies: the council payment's payer (money in, council_payment), the
// contribution payer (money in, client_contribution), and each line's payees (money out, the line's
// category).
std::vector<category_rule> account_rules(const plan_version& v);

}  // namespace dpmon::core
