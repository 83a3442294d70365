#include "dpmon/core/categorise.hpp"

#include <re2/re2.h>

#include <stdexcept>

#include "dpmon/core/category.hpp"
#include "dpmon/core/text.hpp"

namespace dpmon::core {
namespace {

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = ascii_upper(c);
    return out;
}

std::shared_ptr<const re2::RE2> compile(std::string_view pattern) {
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    return std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
}

}  // namespace

result<void> check_rule_pattern(std::string_view pattern) {
    const auto re = compile(pattern);
    if (!re->ok()) return make_error(errc::invalid_argument, re->error());
    return {};
}

categoriser::prepared_rules categoriser::prepare(const std::vector<category_rule>& rules) {
    prepared_rules out;
    for (const auto& r : rules) {
        compiled c{r, nullptr};
        if (!c.rule.pattern.empty()) {
            c.re = compile(c.rule.pattern);
            if (!c.re->ok()) throw std::invalid_argument("rule " + r.id + ": " + c.re->error());
        }
        c.rule.match = upper(c.rule.match);
        out.push_back(std::move(c));
    }
    return out;
}

categoriser::categoriser(std::vector<category_rule> council_rules) : council_(prepare(council_rules)) {}

bool categoriser::matches(const compiled& c, const bank_transaction& t, const std::string& upper_description) {
    const category_rule& r = c.rule;
    if (r.dir == direction::money_in && t.amount.is_negative()) return false;
    if (r.dir == direction::money_out && !t.amount.is_negative()) return false;
    const money magnitude = t.amount.is_negative() ? -t.amount : t.amount;
    if (r.min && magnitude < *r.min) return false;
    if (r.max && magnitude > *r.max) return false;
    if (c.re) return RE2::PartialMatch(t.description, *c.re);
    return !r.match.empty() && upper_description.find(r.match) != std::string::npos;
}

categorisation categoriser::categorise(const bank_transaction& t, const std::vector<category_rule>& account_rules) const {
    return categorise(t, prepare(account_rules));
}

categorisation categoriser::categorise(const bank_transaction& t, const prepared_rules& account_rules) const {
    const std::string desc = upper(t.description);
    for (const auto& c : account_rules) {
        if (matches(c, t, desc)) return {c.rule.category, c.rule.id};
    }
    for (const auto& c : council_) {
        if (matches(c, t, desc)) return {c.rule.category, c.rule.id};
    }
    return {std::string(uncategorised), ""};
}

std::vector<category_rule> account_rules(const plan_version& v) {
    std::vector<category_rule> rules;
    if (!v.council_payment.payer.empty()) {
        rules.push_back({"plan:council_payment '" + v.council_payment.payer + "'", v.council_payment.payer, "",
                         "council_payment", direction::money_in, std::nullopt, std::nullopt});
    }
    if (!v.contribution_payer.empty()) {
        rules.push_back({"plan:client_contribution '" + v.contribution_payer + "'", v.contribution_payer, "",
                         "client_contribution", direction::money_in, std::nullopt, std::nullopt});
    }
    for (const auto& line : v.lines) {
        for (const auto& payee : line.payees) {
            rules.push_back({"plan:" + line.category + " '" + payee + "'", payee, "", line.category, direction::money_out,
                             std::nullopt, std::nullopt});
        }
    }
    return rules;
}

}  // namespace dpmon::core
