#include "dpmon/pages/pages.hpp"

#include "page_routes.hpp"

namespace dpmon::pages {

void add_page(http::router& r, std::string_view pattern, http::handler h) {
    r.add("GET", pattern, std::move(h), {core::role::read, http::runs_on::readers, http::signed_in_by::session});
}

void add_form(http::router& r, std::string_view pattern, http::handler h) {
    r.add("POST", pattern, std::move(h), {core::role::officer, http::runs_on::writer, http::signed_in_by::session});
}

std::string param(const http::route_match& m, const std::string& key) {
    auto it = m.query.find(key);
    return it == m.query.end() ? std::string() : it->second;
}

http::response api_failure_page(const http::route_match& m, const api_reply& reply, std::string_view title) {
    const std::string body = "<h1>" + escape(title) + "</h1><div class=\"error-summary\" role=\"alert\"><p>" +
                             escape(reply.message) + "</p></div><p><a href=\"/\">Back to the worklist</a></p>";
    return html(layout({std::string(title), ""}, m, std::nullopt, body), reply.status >= 400 ? reply.status : 500);
}

void add_pages(http::router& r, const pages_context& c) {
    r.set_session_finder([&c](std::string_view cookie_header) -> std::optional<http::session> {
        const std::string id = cookie_value(cookie_header, session_cookie);
        auto s = c.sessions.find(id);
        if (!s) return std::nullopt;
        auto who = c.check_token(s->token);  // the users file as reloaded: a removed person is signed out
        if (!who) {
            c.sessions.close(id);
            return std::nullopt;
        }
        return http::session{id, std::move(*who), s->csrf};
    });
    add_sign_in_pages(r, c);
    add_worklist_page(r, c);
    add_account_page(r, c);
    add_list_pages(r, c);
    add_help_page(r, c);
    add_action_forms(r, c);
}

}  // namespace dpmon::pages
