// GET /: the worklist. My accounts (the officer chosen once, remembered in a cookie), most at stake first,
// with the money involved, the concerns in words and the next thing to do; totals at the top.
#include "page_routes.hpp"

#include "dpmon/core/flag_code.hpp"

namespace dpmon::pages {
namespace {

constexpr std::string_view officer_cookie = "dpmon_officer";

std::string totals_html(const boost::json::object& t) {
    auto item = [](std::string_view label, const std::string& value) {
        return "<li><b>" + value + "</b>" + std::string(label) + "</li>";
    };
    return "<ul class=\"totals\" aria-label=\"Totals\">" + item("accounts needing action", text(t.at("accounts"))) +
           item("recoverable surplus", pounds(t.at("recoverable_surplus"))) + item("contribution arrears", pounds(t.at("arrears"))) +
           item("overdrawn", pounds(t.at("overdrawn"))) + item("reviews overdue", text(t.at("reviews_overdue"))) + "</ul>";
}

std::string filters_html(const boost::json::object& totals, const std::string& officer, const std::string& concern) {
    std::vector<std::pair<std::string, std::string>> officers{{"", "Every officer"}};
    for (const auto& o : totals.at("officers").as_array()) officers.emplace_back(text(o), text(o));
    std::vector<std::pair<std::string, std::string>> concerns{{"", "Any concern"}, {"REVIEW_OVERDUE", "Review overdue"}};
    for (core::flag_code code : core::all_flag_codes()) concerns.emplace_back(std::string(core::to_string(code)), std::string(core::to_string(code)));
    return "<form method=\"get\" action=\"/\" class=\"filters\" aria-label=\"Filters\"><div>" +
           field("filter", {"officer", "Finance officer", "select", "", officer, officers, false}, std::nullopt) + "</div><div>" +
           field("filter", {"concern", "Concern", "select", "", concern, concerns, false}, std::nullopt) +
           "</div><div><button type=\"submit\">Show</button></div></form>";
}

std::string concerns_html(const boost::json::array& concerns) {
    std::string out = "<ul>";
    for (const auto& cv : concerns) {
        const auto& c = cv.as_object();
        const std::string code = text(c.at("code"));
        out += "<li><span class=\"tag\">" + escape(code) + "</span> " + escape(text(c.at("reason"))) + "</li>";
    }
    return out + "</ul>";
}

std::string money_html(const boost::json::object& money) {
    std::string out;
    for (const auto& [key, label] : {std::pair{"recoverable_surplus", "surplus"}, {"arrears", "arrears"},
                                     {"overdrawn", "overdrawn"}, {"unexplained_inflows", "unexplained in"}}) {
        const std::string p = pounds(money.at(key));
        if (p != "£0.00") out += "<div>" + p + " <span class=\"hint\">" + label + "</span></div>";
    }
    return out.empty() ? "<span class=\"hint\">–</span>" : out;
}

std::string rows_html(const boost::json::array& accounts) {
    if (accounts.empty()) return "<p>No account needs action with these filters.</p>";
    std::string out = "<table><caption class=\"hint\">Most at stake first</caption><thead><tr><th scope=\"col\">Account</th>"
                      "<th scope=\"col\">Officer</th><th scope=\"col\" class=\"num\">Money at stake</th>"
                      "<th scope=\"col\">Concerns</th><th scope=\"col\">Next action</th></tr></thead><tbody>";
    for (const auto& av : accounts) {
        const auto& a = av.as_object();
        const std::string ref = text(a.at("account_ref"));
        out += "<tr><td><a href=\"/accounts/" + url_part(ref) + "\">" + escape(ref) + "</a></td><td>" +
               escape(text(a.at("finance_officer"))) + "</td><td class=\"num\">" + money_html(a.at("money").as_object()) +
               "</td><td>" + concerns_html(a.at("concerns").as_array()) + "</td><td>" + escape(text(a.at("next_action"))) +
               "</td></tr>";
    }
    return out + "</tbody></table>";
}

}  // namespace

void add_worklist_page(http::router& r, const pages_context& c) {
    add_page(r, "/", [&c](const http::request& req, const http::route_match& m) {
        const bool chosen = m.query.contains("officer");
        const std::string officer = chosen ? param(m, "officer") : cookie_value(req.cookie, officer_cookie);
        const std::string concern = param(m, "concern");
        std::string target = "/api/v1/worklist?limit=100&officer=" + url_part(officer) + "&concern=" + url_part(concern);
        if (const std::string cursor = param(m, "cursor"); !cursor.empty()) target += "&cursor=" + url_part(cursor);
        const api_reply list = api_client(c.api).get(m, target);
        if (!list.ok()) return api_failure_page(m, list, "Worklist");
        const auto& o = list.body.as_object();
        const auto& totals = o.at("totals").as_object();
        std::string body = "<h1>Worklist" + (officer.empty() ? std::string() : " for " + escape(officer)) +
                           "</h1><p class=\"hint\">As of " + escape(text(o.at("as_of"))) +
                           ". Accounts with something to do, most at stake first.</p>";
        body += totals_html(totals) + filters_html(totals, officer, concern) + rows_html(o.at("accounts").as_array());
        if (o.at("next").is_string()) {
            body += "<p><a href=\"/?officer=" + url_part(officer) + "&amp;concern=" + url_part(concern) + "&amp;cursor=" +
                    url_part(text(o.at("next"))) + "\">Next 100 accounts</a></p>";
        }
        http::response res = html(layout({"Worklist", "worklist"}, m, c.sessions.take_flash(m.session_id), body));
        if (chosen) {
            res.headers.emplace_back("Set-Cookie", std::string(officer_cookie) + "=" + url_part(officer) +
                                                       "; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000" +
                                                       (c.secure_cookies() ? "; Secure" : ""));
        }
        return res;
    });
}

}  // namespace dpmon::pages
