// GET /accounts/{ref}: one account on one page. GET /accounts/{ref}/audit-pack: its downloads.
#include "account_sections.hpp"
#include "balance_chart.hpp"
#include "page_routes.hpp"

namespace dpmon::pages {
namespace {

std::string heading(const boost::json::object& a) {
    auto row = [&](std::string_view name, const char* key, bool plain_words = false) {
        return "<tr><th scope=\"row\">" + std::string(name) + "</th><td>" +
               escape(plain_words ? label(a.at(key)) : text(a.at(key))) + "</td></tr>";
    };
    return "<h1>Account " + escape(text(a.at("account_ref"))) + "</h1><table class=\"facts\"><tbody>" +
           row("Finance officer", "finance_officer") + row("Status", "status", true) + row("Account", "account_type", true) +
           row("Account number", "account_number") + row("Direct payment since", "dp_start") + row("Figures as of", "as_of") +
           "</tbody></table>";
}

std::string plan_html(const boost::json::value& plan) {
    if (!plan.is_object()) return "<h2 id=\"plan\">Plan</h2><p>No support plan is in force today.</p>";
    const auto& p = plan.as_object();
    std::string out = "<h2 id=\"plan\">Plan in force</h2><p>From " + escape(text(p.at("effective_from"))) +
                      (p.at("effective_to").is_string() ? " to " + escape(text(p.at("effective_to"))) : std::string()) +
                      ": weekly budget <b>" + pounds(p.at("weekly_budget")) + "</b>, weekly contribution <b>" +
                      pounds(p.at("weekly_contribution")) + "</b> (paid " + escape(text(p.at("payment_basis"))) + ").</p>";
    out += "<table><thead><tr><th scope=\"col\">Category</th><th scope=\"col\" class=\"num\">Amount</th><th scope=\"col\">Per</th></tr></thead><tbody>";
    for (const auto& lv : p.at("lines").as_array()) {
        const auto& l = lv.as_object();
        out += "<tr><td>" + escape(label(l.at("category"))) + "</td><td class=\"num\">" + pounds(l.at("amount")) + "</td><td>" +
               escape(text(l.at("per"))) + "</td></tr>";
    }
    return out + "</tbody></table>";
}

std::string periods_html(const boost::json::array& periods) {
    std::string out = "<h2 id=\"periods\">Periods: planned and actual</h2><table><thead><tr><th scope=\"col\">Period</th>"
                      "<th scope=\"col\" class=\"num\">Opening</th><th scope=\"col\" class=\"num\">Council paid (expected)</th>"
                      "<th scope=\"col\" class=\"num\">Contribution paid (expected)</th><th scope=\"col\" class=\"num\">Spent (planned)</th>"
                      "<th scope=\"col\" class=\"num\">Closing</th></tr></thead><tbody>";
    for (auto it = periods.rbegin(); it != periods.rend(); ++it) {
        const auto& p = it->as_object();
        auto pair = [&](const char* key) {
            const auto& o = p.at(key).as_object();
            return pounds(o.at("actual")) + " <span class=\"hint\">(" + pounds(o.at("expected")) + ")</span>";
        };
        out += "<tr><td>" + escape(text(p.at("first"))) + " to " + escape(text(p.at("last"))) +
               (p.at("complete").as_bool() ? "" : " <span class=\"hint\">(so far)</span>") + "</td><td class=\"num\">" +
               pounds(p.at("opening_balance")) + "</td><td class=\"num\">" + pair("council_payments") + "</td><td class=\"num\">" +
               pair("contributions") + "</td><td class=\"num\">" + pounds(p.at("actual_spend")) + " <span class=\"hint\">(" +
               pounds(p.at("planned_spend")) + ")</span></td><td class=\"num\">" + pounds(p.at("closing_balance")) + "</td></tr>";
    }
    return out + "</tbody></table>";
}

std::string audit_links(const std::string& ref) {
    const std::string base = "/accounts/" + url_part(ref) + "/audit-pack";
    return "<h2 id=\"audit\">Audit pack</h2><ul><li><a href=\"" + base + "?format=html\">Audit pack (printable page)</a></li>"
           "<li><a href=\"" + base + "?format=json\">Audit pack (JSON)</a></li><li><a href=\"" + base +
           "?format=flags.csv\">Flags (CSV)</a></li><li><a href=\"" + base + "?format=csv\">Transactions (CSV)</a></li></ul>";
}

}  // namespace

void add_account_page(http::router& r, const pages_context& c) {
    add_page(r, "/accounts/{ref}", [&c](const http::request&, const http::route_match& m) {
        const std::string ref = m.params.at("ref");
        const api_client api(c.api);
        const api_reply account = api.get(m, "/api/v1/accounts/" + url_part(ref));
        if (!account.ok()) return api_failure_page(m, account, "Account " + ref);
        const auto& a = account.body.as_object();
        const std::optional<flash> notice = c.sessions.take_flash(m.session_id);
        std::string body = heading(a) + plan_html(a.at("plan")) + "<h2 id=\"balance\">Balance over time</h2>" + balance_chart(a) +
                           periods_html(a.at("periods").as_array());
        body += flags_section(m, a.at("flags").as_array(), notice);
        body += reviews_section(m, ref, a.at("reviews").as_array(), notice);
        body += surplus_section(m, api, ref, notice);
        body += transactions_section(m, api, ref);
        body += audit_links(ref);
        return html(layout({"Account " + ref, ""}, m, notice, body));
    });
    add_page(r, "/accounts/{ref}/audit-pack", [&c](const http::request&, const http::route_match& m) {
        std::string target = "/api/v1/accounts/" + url_part(m.params.at("ref")) + "/audit-pack?format=" + url_part(param(m, "format"));
        for (const char* k : {"from", "to"}) {
            if (!param(m, k).empty()) target += std::string("&") + k + "=" + url_part(param(m, k));
        }
        return api_client(c.api).pass_through(m, target);
    });
}

}  // namespace dpmon::pages
