// GET and POST /sign-in, POST /sign-out: a person's API token in, a session cookie out.
#include "page_routes.hpp"

#include "dpmon/core/text.hpp"

namespace dpmon::pages {
namespace {

// Where to go after signing in: a path of this server only (never another site, "//host" included).
std::string safe_next(const std::string& next) {
    if (next.empty() || next[0] != '/' || next.starts_with("//") || next.find('\\') != std::string::npos) return "/";
    return next;
}

std::string cookie(std::string_view name, std::string_view value, long max_age, bool secure) {
    return std::string(name) + "=" + std::string(value) + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
           std::to_string(max_age) + (secure ? "; Secure" : "");
}

http::response sign_in_form(const http::route_match& m, const std::string& next, const std::string& error, int status) {
    std::optional<flash> problem;
    if (!error.empty()) problem = flash{"", "sign-in", error, "token", {}};
    std::string body = "<h1>Sign in to dpmon</h1>";
    if (!error.empty()) body += "<div class=\"error-summary\" role=\"alert\"><h2>There is a problem</h2><p><a href=\"#sign-in-token\">" + escape(error) + "</a></p></div>";
    body += "<form method=\"post\" action=\"/sign-in\" class=\"stack\">"
            "<input type=\"hidden\" name=\"next\" value=\"" + escape(next) + "\">" +
            field("sign-in", {"token", "Your dpmon token", "password",
                              "The token an administrator gave you (dpmon users add prints it once). "
                              "The demo prints one when it starts.", "", {}, true},
                  problem) +
            "<p><button type=\"submit\">Sign in</button></p></form>"
            "<p class=\"hint\">Lost your token? Ask your dpmon administrator for a new one. Signing in keeps you "
            "signed in on this browser until you sign out or the session ends.</p>";
    return html(layout({"Sign in", ""}, m, std::nullopt, body), status);
}

}  // namespace

void add_sign_in_pages(http::router& r, const pages_context& c) {
    const http::route_options open_on_loop{std::nullopt, http::runs_on::loop, http::signed_in_by::session};
    r.add("GET", "/sign-in", [](const http::request&, const http::route_match& m) {
        const std::string next = safe_next(param(m, "next"));
        if (m.user) return redirect(next);
        return sign_in_form(m, next, "", 200);
    }, open_on_loop);

    r.add("POST", "/sign-in", [&c](const http::request& req, const http::route_match& m) {
        const auto form = http::parse_form(req.body);
        auto get = [&](const char* k) { auto it = form.find(k); return it == form.end() ? std::string() : it->second; };
        const std::string next = safe_next(get("next"));
        const std::string token(core::trim(get("token")));
        if (token.empty()) return sign_in_form(m, next, "Enter your token", 400);
        if (!c.check_token(token))
            return sign_in_form(m, next, "That token is not one dpmon knows: check it, or ask your administrator for a new one", 401);
        const auto opened = c.sessions.open(token);
        http::response res = redirect(next);
        const long max_age = static_cast<long>(c.sessions.lifetime().count()) * 60;
        res.headers.emplace_back("Set-Cookie", cookie(session_cookie, opened.id, max_age, c.secure_cookies()));
        return res;
    }, open_on_loop);

    r.add("POST", "/sign-out", [&c](const http::request&, const http::route_match& m) {
        c.sessions.close(m.session_id);
        http::response res = redirect("/sign-in");
        res.headers.emplace_back("Set-Cookie", cookie(session_cookie, "", 0, c.secure_cookies()));
        return res;
    }, {core::role::read, http::runs_on::loop, http::signed_in_by::session});
}

}  // namespace dpmon::pages
