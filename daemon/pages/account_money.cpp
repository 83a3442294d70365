// The account page's surplus (exemptions, recoveries and their steps) and transactions sections.
#include "account_sections.hpp"
#include "html.hpp"
#include "page_routes.hpp"

namespace dpmon::pages {
namespace {

std::string base(const std::string& ref) { return "/accounts/" + url_part(ref); }

bool form_open_for(const std::optional<flash>& notice, const std::string& form_id) { return notice && notice->form == form_id; }

std::string exemption_form(const http::route_match& m, const std::string& ref, const std::optional<flash>& notice) {
    const std::string id = "exemption";
    return "<details" + std::string(form_open_for(notice, id) ? " open" : "") + "><summary>Record a surplus exemption</summary>" +
           form_open(base(ref) + "/exemptions", m, "stack") + form_error(id, notice, {"reason", "detail", "until"}) +
           field(id, {"reason", "Reason", "select", "", "hospital_stay",
                      {{"hospital_stay", "Hospital stay"}, {"pa_vacancy", "Personal assistant vacancy"},
                       {"saving_for_purchase", "Saving for a planned purchase"}, {"other", "Other (say what)"}}, true}, notice) +
           field(id, {"detail", "Detail", "textarea", "Needed when the reason is Other.", "", {}, false}, notice) +
           field(id, {"until", "Exempt until", "date", "", "", {}, true}, notice) +
           "<p><button type=\"submit\">Record the exemption</button></p></form></details>";
}

std::string propose_form(const http::route_match& m, const std::string& ref, const std::optional<flash>& notice) {
    const std::string id = "propose";
    return "<details" + std::string(form_open_for(notice, id) ? " open" : "") + "><summary>Propose a surplus recovery</summary>" +
           form_open(base(ref) + "/recoveries", m, "stack") + form_error(id, notice, {"liabilities", "note"}) +
           field(id, {"liabilities", "Known liabilities (optional)", "text", "Money the person owes for care already given, such as 120.00.", "", {}, false}, notice) +
           field(id, {"note", "Note (optional)", "textarea", "", "", {}, false}, notice) +
           "<p><button type=\"submit\">Propose the recovery</button></p></form></details>";
}

std::string step_form(const http::route_match& m, const std::string& ref, const std::string& rid, const std::string& step,
                      const std::optional<flash>& notice) {
    const std::string id = "step-" + rid + "-" + step;
    const std::string action = base(ref) + "/recoveries/" + rid + "/" + step;
    if (step == "notify") {
        return "<details" + std::string(form_open_for(notice, id) ? " open" : "") + "><summary>Send the notice</summary>" +
               form_open(action, m, "stack") + form_error(id, notice, {"recover_on"}) +
               field(id, {"recover_on", "Recover on", "date", "At least 14 days from today.", "", {}, true}, notice) +
               "<p><button type=\"submit\">Record the notice as sent</button></p></form></details>";
    }
    const std::string label = step == "recovered" ? "Recovered" : step == "offset" ? "Offset against future payments" : "Waived";
    return "<details" + std::string(form_open_for(notice, id) ? " open" : "") + "><summary>" + label + "</summary>" +
           form_open(action, m, "stack") + form_error(id, notice, {"amount", "note"}) +
           field(id, {"amount", "Amount (optional)", "text", "Leave empty for the whole proposed amount.", "", {}, false}, notice) +
           field(id, {"note", "Note", "textarea", "", "", {}, false}, notice) +
           "<p><button type=\"submit\">Record: " + label + "</button></p></form></details>";
}

std::string recovery_row(const http::route_match& m, const std::string& ref, const boost::json::object& rc,
                         const std::optional<flash>& notice) {
    const std::string rid = text(rc.at("id"));
    const std::string state = text(rc.at("state"));
    std::string out = "<tr id=\"recovery-" + rid + "\"><td>" + rid + "</td><td>" + escape(state) + "</td><td class=\"num\">" +
                      pounds(rc.at("amount")) + "</td><td>" + escape(text(rc.at("recover_on"))) + "</td><td>";
    if (state != "proposed")
        out += "<a href=\"" + base(ref) + "/recoveries/" + rid + "/notice\">The notice (printable)</a>";
    if (may_act(m) && state == "proposed") out += step_form(m, ref, rid, "notify", notice);
    if (may_act(m) && state == "notified") {
        for (const char* step : {"recovered", "offset", "waived"}) out += step_form(m, ref, rid, step, notice);
    }
    return out + "</td></tr>";
}

}  // namespace

std::string surplus_section(const http::route_match& m, const api_client& api, const std::string& ref,
                            const std::optional<flash>& notice) {
    std::string out = "<h2 id=\"surplus\">Surplus: exemptions and recoveries</h2>";
    const api_reply ex = api.get(m, "/api/v1/accounts/" + url_part(ref) + "/exemptions");
    const api_reply rec = api.get(m, "/api/v1/accounts/" + url_part(ref) + "/recoveries");
    if (!ex.ok() || !rec.ok()) return out + "<p class=\"error\">" + escape(ex.ok() ? rec.message : ex.message) + "</p>";
    const auto& exemptions = ex.body.as_object().at("exemptions").as_array();
    if (exemptions.empty()) out += "<p>No exemptions recorded.</p>";
    for (const auto& ev : exemptions) {
        const auto& e = ev.as_object();
        out += "<p>" + std::string(e.at("active").as_bool() ? "<b>In force</b>: " : "") + escape(text(e.at("reason"))) +
               (text(e.at("detail")).empty() ? "" : " (" + escape(text(e.at("detail"))) + ")") + ", " + escape(text(e.at("from"))) +
               " to " + escape(text(e.at("until"))) + ", recorded by " + escape(text(e.at("by"))) + ".</p>";
    }
    if (may_act(m)) out += exemption_form(m, ref, notice);
    const auto& recoveries = rec.body.as_object().at("recoveries").as_array();
    if (!recoveries.empty()) {
        out += "<table><thead><tr><th scope=\"col\">Recovery</th><th scope=\"col\">State</th><th scope=\"col\" class=\"num\">Amount</th>"
               "<th scope=\"col\">Recover on</th><th scope=\"col\">Next step</th></tr></thead><tbody>";
        for (const auto& rv : recoveries) out += recovery_row(m, ref, rv.as_object(), notice);
        out += "</tbody></table>";
    }
    if (may_act(m)) out += propose_form(m, ref, notice);
    return out;
}

std::string transactions_section(const http::route_match& m, const api_client& api, const std::string& ref) {
    const std::string from = param(m, "from"), to = param(m, "to"), q = param(m, "q"), cursor = param(m, "tcursor");
    std::string target = "/api/v1/accounts/" + url_part(ref) + "/transactions?limit=50";
    for (const auto& [k, v] : {std::pair{"from", from}, {"to", to}, {"q", q}, {"cursor", cursor}}) {
        if (!v.empty()) target += std::string("&") + k + "=" + url_part(v);
    }
    std::string out = "<h2 id=\"transactions\">Transactions</h2><form method=\"get\" action=\"" + base(ref) +
                      "#transactions\" class=\"filters\" aria-label=\"Search transactions\"><div>" +
                      field("tx", {"q", "Text in the description", "text", "", q, {}, false}, std::nullopt) + "</div><div>" +
                      field("tx", {"from", "From", "date", "", from, {}, false}, std::nullopt) + "</div><div>" +
                      field("tx", {"to", "To", "date", "", to, {}, false}, std::nullopt) +
                      "</div><div><button type=\"submit\">Search</button></div></form>";
    const api_reply tx = api.get(m, target);
    if (!tx.ok()) return out + "<p class=\"error\" role=\"alert\">" + escape(tx.message) + "</p>";
    const auto& rows = tx.body.as_object().at("transactions").as_array();
    if (rows.empty()) return out + "<p>No transactions match.</p>";
    out += "<table><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Description</th><th scope=\"col\">Category</th>"
           "<th scope=\"col\" class=\"num\">Amount</th><th scope=\"col\" class=\"num\">Balance</th></tr></thead><tbody>";
    for (const auto& tv : rows) {
        const auto& t = tv.as_object();
        out += "<tr id=\"tx-" + text(t.at("id")) + "\"><td>" + escape(text(t.at("date"))) + "</td><td>" + escape(text(t.at("description"))) +
               "</td><td>" + escape(label(t.at("category"))) + "</td><td class=\"num\">" + pounds(t.at("amount")) +
               "</td><td class=\"num\">" + pounds(t.at("balance")) + "</td></tr>";
    }
    out += "</tbody></table>";
    if (const auto& next = tx.body.as_object().at("next"); next.is_string()) {
        out += "<p><a href=\"" + base(ref) + "?from=" + url_part(from) + "&amp;to=" + url_part(to) + "&amp;q=" + url_part(q) +
               "&amp;tcursor=" + url_part(text(next)) + "#transactions\">Next 50 transactions</a></p>";
    }
    return out;
}

}  // namespace dpmon::pages
