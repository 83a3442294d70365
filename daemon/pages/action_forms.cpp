// The forms' targets (POST, officers and admins, CSRF-checked by the router): each sends the API the fields it
// asks for, as the signed-in person, then goes back to the account page with a notice, or with the API's
// message beside the field it names and what was typed kept.
#include "page_routes.hpp"

namespace dpmon::pages {
namespace {

struct form_action {
    std::string pattern;                      // the page route
    std::vector<std::string> fields;          // the form's fields, sent to the API when not empty
    std::string (*api_target)(const http::route_match& m);
    std::string (*form_id)(const http::route_match& m);
    std::string (*anchor)(const http::route_match& m);
    std::string done;                         // the notice, with {id} for the route's id
};

std::string ref_path(const http::route_match& m) { return "/api/v1/accounts/" + url_part(m.params.at("ref")); }

std::string with_id(std::string text, const http::route_match& m) {
    const auto it = m.params.find("id");
    if (const std::size_t at = text.find("{id}"); at != std::string::npos && it != m.params.end()) text.replace(at, 4, it->second);
    return text;
}

http::response run(const pages_context& c, const form_action& a, const http::request& req, const http::route_match& m) {
    const auto form = http::parse_form(req.body);
    boost::json::object body;
    std::map<std::string, std::string> typed;
    for (const auto& f : a.fields) {
        auto it = form.find(f);
        if (it == form.end()) continue;
        typed[f] = it->second;
        if (!it->second.empty()) body[f] = it->second;
    }
    const api_reply reply = api_client(c.api).send(m, "POST", a.api_target(m), body);
    const std::string page = "/accounts/" + url_part(m.params.at("ref"));
    if (reply.ok()) {
        c.sessions.set_flash(m.session_id, flash{with_id(a.done, m), "", "", "", {}});
        return redirect(page + "#" + a.anchor(m));
    }
    c.sessions.set_flash(m.session_id, flash{"", a.form_id(m), reply.message, reply.field, typed});
    return redirect(page + "#" + a.form_id(m));
}

std::string id_of(const http::route_match& m) { return m.params.at("id"); }

}  // namespace

void add_action_forms(http::router& r, const pages_context& c) {
    const std::vector<form_action> actions{
        {"/accounts/{ref}/flags/{id}/acknowledge", {"note"},
         [](const http::route_match& m) { return "/api/v1/flags/" + url_part(id_of(m)) + "/acknowledge"; },
         [](const http::route_match& m) { return "ack-" + id_of(m); },
         [](const http::route_match& m) { return "flag-" + id_of(m); }, "Flag {id} acknowledged."},
        {"/accounts/{ref}/reviews/{id}/complete", {"completed_on", "outcome", "next_due", "next_due_reason"},
         [](const http::route_match& m) { return "/api/v1/reviews/" + url_part(id_of(m)) + "/complete"; },
         [](const http::route_match& m) { return "complete-" + id_of(m); },
         [](const http::route_match& m) { return "review-" + id_of(m); }, "Review {id} completed; the next one is scheduled."},
        {"/accounts/{ref}/reviews", {"reason", "due_on"},
         [](const http::route_match&) { return std::string("/api/v1/reviews"); },
         [](const http::route_match&) { return std::string("early-review"); },
         [](const http::route_match&) { return std::string("reviews"); }, "Early review asked for."},
        {"/accounts/{ref}/exemptions", {"reason", "detail", "until"},
         [](const http::route_match& m) { return ref_path(m) + "/exemptions"; },
         [](const http::route_match&) { return std::string("exemption"); },
         [](const http::route_match&) { return std::string("surplus"); }, "Exemption recorded."},
        {"/accounts/{ref}/recoveries", {"liabilities", "note"},
         [](const http::route_match& m) { return ref_path(m) + "/recoveries"; },
         [](const http::route_match&) { return std::string("propose"); },
         [](const http::route_match&) { return std::string("surplus"); }, "Recovery proposed."},
        {"/accounts/{ref}/recoveries/{id}/{step}", {"recover_on", "amount", "note"},
         [](const http::route_match& m) { return ref_path(m) + "/recoveries/" + url_part(id_of(m)) + "/" + url_part(m.params.at("step")); },
         [](const http::route_match& m) { return "step-" + id_of(m) + "-" + m.params.at("step"); },
         [](const http::route_match& m) { return "recovery-" + id_of(m); }, "Recovery {id} moved on."},
    };
    for (const form_action& a : actions) {
        // Each account route below the API's own: the API's path check stays the one that applies. The page
        // passes only the form's fields; the API's ref in the body (early review) comes from the path.
        add_form(r, a.pattern, [&c, a](const http::request& req, const http::route_match& m) {
            if (a.pattern == "/accounts/{ref}/reviews") {
                http::request with_ref = req;
                with_ref.body += "&account_ref=" + url_part(m.params.at("ref"));
                form_action early = a;
                early.fields.push_back("account_ref");
                return run(c, early, with_ref, m);
            }
            return run(c, a, req, m);
        });
    }
    add_page(r, "/accounts/{ref}/recoveries/{id}/notice", [&c](const http::request&, const http::route_match& m) {
        return api_client(c.api).pass_through(m, ref_path(m) + "/recoveries/" + url_part(id_of(m)) + "/notice?format=html");
    });
}

}  // namespace dpmon::pages
