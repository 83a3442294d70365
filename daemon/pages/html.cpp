#include "html.hpp"

#include <algorithm>
#include <map>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "dpmon/core/money.hpp"
#include "dpmon/core/reviews.hpp"

namespace dpmon::pages {
namespace {

// The palette (GOV.UK Design System colours): every text colour is at least 4.5:1 on its background;
// focus is the yellow outline keyboard users look for. Printing drops navigation and forms.
constexpr std::string_view style = R"(
*{box-sizing:border-box}
body{margin:0;font:16px/1.4 system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:#0b0c0c;background:#fff}
header{background:#0b0c0c;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:1rem}
header a,header a:visited{color:#fff}
header .brand{font-weight:700;font-size:1.2rem;text-decoration:none}
header nav a{margin-right:1rem}
header nav a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
header .who{margin-left:auto;display:flex;gap:.5rem;align-items:center}
header .who button{background:#fff;color:#0b0c0c;border:0}
main{padding:1rem;max-width:1340px}
h1{font-size:1.8rem;margin:.5rem 0 1rem}h2{font-size:1.4rem;margin:1.5rem 0 .5rem}h3{font-size:1.1rem;margin:1rem 0 .25rem}
a{color:#1d70b8}a:visited{color:#4c2c92}
a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #ffdd00;outline-offset:0;box-shadow:0 0 0 5px #0b0c0c}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #b1b4b6;vertical-align:top}
th{background:#f3f2f1}
table.facts{width:auto;min-width:28rem}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
a[href^="/accounts/"]{white-space:nowrap}
.totals{display:flex;flex-wrap:wrap;gap:1rem;margin:0 0 1rem;padding:0;list-style:none}
.totals li{border-left:5px solid #1d70b8;padding:.25rem .75rem;min-width:11rem}
.totals b{display:block;font-size:1.5rem}
.hint{color:#505a5f;font-size:.95rem}
.notice{border:3px solid #00703c;padding:.5rem 1rem;margin:0 0 1rem}
.error-summary{border:3px solid #d4351c;padding:.5rem 1rem;margin:0 0 1rem}
.error{color:#d4351c;font-weight:700;display:block}
.tag{display:inline-block;padding:0 .4rem;background:#f3f2f1;border:1px solid #505a5f;font-size:.85rem;margin:0 .2rem .2rem 0}
form.inline{display:inline}
form.stack{margin:.5rem 0 1rem;max-width:40rem}
form.stack label{display:block;font-weight:700;margin-top:.6rem}
input,select,textarea{font:inherit;padding:.3rem;border:2px solid #0b0c0c;max-width:100%}
textarea{width:100%;min-height:4rem}
button{font:inherit;padding:.35rem .9rem;background:#00703c;color:#fff;border:0;border-bottom:2px solid #002d18;cursor:pointer}
.filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end;margin-bottom:1rem}
.filters label{display:block;font-weight:700}
details{margin:.25rem 0}
svg text{font:12px system-ui,Arial,sans-serif;fill:#0b0c0c}
@media print{header nav,header .who,form{display:none!important}a{color:#0b0c0c;text-decoration:none}main{max-width:none}}
)";

std::string nav_link(std::string_view href, std::string_view label, std::string_view key, std::string_view current) {
    return "<a href=\"" + std::string(href) + "\"" + (key == current ? " aria-current=\"page\"" : "") + ">" +
           std::string(label) + "</a>";
}

}  // namespace

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out.push_back(c);
        }
    }
    return out;
}

std::string label(const boost::json::value& v) {
    static const std::map<std::string_view, std::string_view> known{
        {"pa_wages", "PA wages"},
        {"hmrc", "HMRC (PAYE and NI)"},
        {"dedicated_bank", "Dedicated bank account"},
        {"prepaid_card", "Prepaid card"},
        {"managed_account", "Managed account"},
    };
    std::string name = text(v);
    if (const auto it = known.find(name); it != known.end()) return std::string(it->second);
    if (core::review_kind kind{}; core::parse_review_kind(name, kind)) name = core::plain_name(kind);
    std::replace(name.begin(), name.end(), '_', ' ');
    if (!name.empty() && name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 'a' + 'A');
    return name;
}

std::string text(const boost::json::value& v) {
    if (v.is_string()) return std::string(v.get_string());
    if (v.is_int64()) return std::to_string(v.get_int64());
    if (v.is_uint64()) return std::to_string(v.get_uint64());
    if (v.is_bool()) return v.get_bool() ? "yes" : "no";
    if (v.is_double()) return std::to_string(v.get_double());
    return {};
}

std::string pounds(const boost::json::value& amount) {
    if (!amount.is_string()) return {};
    auto m = core::parse_money(amount.get_string());
    return m ? m->to_display() : std::string(amount.get_string());
}

std::string url_part(std::string_view text) { return boost::urls::encode(text, boost::urls::unreserved_chars); }

bool may_act(const http::route_match& m) { return m.user && core::allows(m.user->grants, core::role::officer); }

std::string form_open(std::string_view action, const http::route_match& m, std::string_view css_class) {
    return "<form method=\"post\" action=\"" + escape(action) + "\"" +
           (css_class.empty() ? std::string() : " class=\"" + std::string(css_class) + "\"") + ">" +
           "<input type=\"hidden\" name=\"" + std::string(http::csrf_field) + "\" value=\"" + m.csrf + "\">";
}

std::string layout(const frame& f, const http::route_match& m, const std::optional<flash>& notice, std::string_view body) {
    std::string out = "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                      "<link rel=\"icon\" href=\"data:,\">"
                      "<title>" + escape(f.title) + " – dpmon</title><style>" + std::string(style) +
                      "</style></head><body><header><a class=\"brand\" href=\"/\">dpmon</a>";
    if (m.user) {
        out += "<nav aria-label=\"Pages\">" + nav_link("/", "Worklist", "worklist", f.current) +
               nav_link("/reviews", "Reviews", "reviews", f.current) + nav_link("/imports", "Imports", "imports", f.current) +
               nav_link("/outbox", "Emails", "outbox", f.current) + nav_link("/help", "Help", "help", f.current) + "</nav>";
        out += "<div class=\"who\"><span>" + escape(m.user->name) + " (" + std::string(core::to_string(m.user->grants)) +
               ")</span>" + form_open("/sign-out", m, "inline") + "<button type=\"submit\">Sign out</button></form></div>";
    }
    out += "</header><main>";
    if (notice && !notice->notice.empty()) out += "<div class=\"notice\" role=\"status\">" + escape(notice->notice) + "</div>";
    out += body;
    out += "</main></body></html>";
    return out;
}

std::string field(const std::string& form_id, const field_spec& f, const std::optional<flash>& error) {
    const std::string id = form_id + "-" + f.name;
    const bool mine = error && error->form == form_id;
    std::string value = f.value;
    if (mine) {
        if (auto it = error->values.find(f.name); it != error->values.end()) value = it->second;
    }
    const bool wrong = mine && error->field == f.name;
    std::string out = "<label for=\"" + id + "\">" + escape(f.label) + "</label>";
    if (!f.hint.empty()) out += "<span class=\"hint\" id=\"" + id + "-hint\">" + escape(f.hint) + "</span>";
    if (wrong) out += "<span class=\"error\" id=\"" + id + "-error\">" + escape(error->error) + "</span>";
    std::string attrs = " id=\"" + id + "\" name=\"" + f.name + "\"" + (f.required ? " required" : "");
    if (f.type == "password") attrs += " autocomplete=\"current-password\"";
    std::string described = (f.hint.empty() ? "" : id + "-hint") + std::string(wrong ? (f.hint.empty() ? "" : " ") + id + "-error" : "");
    if (!described.empty()) attrs += " aria-describedby=\"" + described + "\"";
    if (wrong) attrs += " aria-invalid=\"true\"";
    if (f.type == "textarea") {
        out += "<textarea" + attrs + ">" + escape(value) + "</textarea>";
    } else if (f.type == "select") {
        out += "<select" + attrs + ">";
        for (const auto& [v, label] : f.options)
            out += "<option value=\"" + escape(v) + "\"" + (v == value ? " selected" : "") + ">" + escape(label) + "</option>";
        out += "</select>";
    } else {
        out += "<input type=\"" + f.type + "\"" + attrs + " value=\"" + escape(value) + "\">";
    }
    return out;
}

std::string form_error(const std::string& form_id, const std::optional<flash>& error, const std::vector<std::string>& field_names) {
    if (!error || error->form != form_id || error->error.empty()) return {};
    for (const auto& n : field_names) {
        if (n == error->field) return "<p class=\"error\" role=\"alert\">There is a problem: see the field below.</p>";
    }
    return "<p class=\"error\" role=\"alert\">" + escape(error->error) + "</p>";
}

http::response html(std::string page, int status) {
    return http::response{status, "text/html; charset=utf-8", std::move(page), {}, {}};
}

http::response redirect(std::string location) {
    http::response res{303, "text/plain; charset=utf-8", "See " + location + "\n", {}, {}};
    res.headers.emplace_back("Location", std::move(location));
    return res;
}

}  // namespace dpmon::pages
