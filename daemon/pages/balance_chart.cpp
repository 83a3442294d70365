#include "balance_chart.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "dpmon/core/money.hpp"
#include "html.hpp"

namespace dpmon::pages {
namespace {

constexpr double width = 760, height = 240, left = 80, right = 20, top = 15, bottom = 35;

std::int64_t pence_of(const boost::json::value& v) {
    if (!v.is_string()) return 0;
    auto m = core::parse_money(v.get_string());
    return m ? m->pence() : 0;
}

std::int64_t weeks_of(const boost::json::object& account, const char* key) {
    const auto* rules = account.if_contains("surplus_rules");
    const auto* w = rules && rules->is_object() ? rules->as_object().if_contains(key) : nullptr;
    return w && w->is_int64() ? w->get_int64() : 0;
}

struct scale {
    std::int64_t lo, hi;
    std::size_t n;
    double x(std::size_t i) const { return left + (n < 2 ? 0 : (width - left - right) * static_cast<double>(i) / static_cast<double>(n - 1)); }
    double y(std::int64_t p) const {
        return top + (height - top - bottom) * (1.0 - static_cast<double>(p - lo) / static_cast<double>(std::max<std::int64_t>(1, hi - lo)));
    }
};

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string rule_line(const scale& s, std::int64_t pence, const std::string& label, const char* colour, const char* dash) {
    const std::string y = num(s.y(pence));
    return "<line x1=\"" + num(left) + "\" x2=\"" + num(width - right) + "\" y1=\"" + y + "\" y2=\"" + y + "\" stroke=\"" +
           colour + "\" stroke-width=\"2\" stroke-dasharray=\"" + dash + "\"/><text x=\"" + num(width - right - 4) + "\" y=\"" +
           num(s.y(pence) - 4) + "\" text-anchor=\"end\">" + escape(label) + "</text>";
}

}  // namespace

std::string balance_chart(const boost::json::object& account) {
    const auto& periods = account.at("periods").as_array();
    if (periods.empty()) return {};
    std::vector<std::int64_t> closing;
    for (const auto& p : periods) closing.push_back(pence_of(p.as_object().at("closing_balance")));
    const auto* plan = account.if_contains("plan");
    const std::int64_t weekly = plan && plan->is_object() ? pence_of(plan->as_object().at("weekly_budget")) : 0;
    const std::int64_t threshold = weekly * weeks_of(account, "threshold_weeks");
    const std::int64_t retained = weekly * weeks_of(account, "retained_weeks");
    scale s{std::min<std::int64_t>(0, *std::min_element(closing.begin(), closing.end())),
            std::max({*std::max_element(closing.begin(), closing.end()), threshold, std::int64_t{1}}) * 11 / 10, closing.size()};
    std::string points;
    for (std::size_t i = 0; i < closing.size(); ++i) points += num(s.x(i)) + "," + num(s.y(closing[i])) + " ";
    const std::string first = text(periods.front().as_object().at("first"));
    const std::string last = text(periods.back().as_object().at("last"));
    const std::string summary = "Closing balance of " + std::to_string(closing.size()) + " periods from " + first + " to " + last +
                                ": last " + core::money::from_pence(closing.back()).to_display() + ", highest " +
                                core::money::from_pence(*std::max_element(closing.begin(), closing.end())).to_display() +
                                (threshold > 0 ? "; surplus threshold " + core::money::from_pence(threshold).to_display() : "");
    std::string svg = "<figure><svg role=\"img\" aria-labelledby=\"chart-desc\" viewBox=\"0 0 " + num(width) + " " + num(height) +
                      "\" width=\"100%\" style=\"max-width:" + num(width) + "px\"><desc id=\"chart-desc\">" + escape(summary) + "</desc>";
    svg += "<line x1=\"" + num(left) + "\" x2=\"" + num(width - right) + "\" y1=\"" + num(s.y(0)) + "\" y2=\"" + num(s.y(0)) +
           "\" stroke=\"#505a5f\"/><text x=\"" + num(left - 6) + "\" y=\"" + num(s.y(0) + 4) + "\" text-anchor=\"end\">£0</text>";
    svg += "<text x=\"" + num(left - 6) + "\" y=\"" + num(s.y(s.hi) + 10) + "\" text-anchor=\"end\">" +
           core::money::from_pence(s.hi).to_display() + "</text>";
    if (threshold > 0) svg += rule_line(s, threshold, "surplus threshold", "#d4351c", "6 4");
    if (retained > 0) svg += rule_line(s, retained, "retained weeks", "#505a5f", "2 3");
    svg += "<polyline fill=\"none\" stroke=\"#1d70b8\" stroke-width=\"3\" points=\"" + points + "\"/>";
    svg += "<text x=\"" + num(left) + "\" y=\"" + num(height - 10) + "\">" + escape(first) + "</text><text x=\"" + num(width - right) +
           "\" y=\"" + num(height - 10) + "\" text-anchor=\"end\">" + escape(last) + "</text></svg>";
    return svg + "<figcaption class=\"hint\">" + escape(summary) + "</figcaption></figure>";
}

}  // namespace dpmon::pages
