#include <boost/json/parse.hpp>
#include <boost/json/value_to.hpp>
#include <catch2/catch.hpp>
#include <stdexcept>

#include "dpmon/http/router.hpp"

using dpmon::http::request;
using dpmon::http::response;
using dpmon::http::route_match;
using dpmon::http::router;

namespace {

router make_router() {
    router r;
    const dpmon::http::route_options open{std::nullopt, dpmon::http::runs_on::loop};
    r.add("GET", "/healthz", [](const request&, const route_match&) { return response{200, "application/json", "{}", {}, {}}; },
          open);
    r.add("GET", "/api/v1/accounts/{ref}", [](const request&, const route_match& m) {
        return response{200, "text/plain", m.params.at("ref") + "|" + (m.query.count("from") ? m.query.at("from") : ""), {}, {}};
    }, open);
    r.add("POST", "/api/v1/flags/{id}/acknowledge",
          [](const request&, const route_match& m) { return response{200, "text/plain", "ack " + m.params.at("id"), {}, {}}; },
          open);
    r.add("GET", "/boom", [](const request&, const route_match&) -> response { throw std::runtime_error("kaput"); }, open);
    return r;
}

request get(std::string target, std::string host = "127.0.0.1:8080") {
    return request{"GET", std::move(target), std::move(host), "", "", "", "", ""};
}

std::string error_code_of(const response& res) {
    return boost::json::value_to<std::string>(boost::json::parse(res.body).at("error").at("code"));
}

}  // namespace

TEST_CASE("a known route answers and path and query parameters reach the handler decoded") {
    const router r = make_router();
    CHECK(r.handle(get("/healthz")).status == 200);
    const response res = r.handle(get("/api/v1/accounts/DP-000123?from=2026-01-01"));
    CHECK(res.status == 200);
    CHECK(res.body == "DP-000123|2026-01-01");
    CHECK(r.handle(get("/api/v1/accounts/DP%2D000123")).body == "DP-000123|");
}

TEST_CASE("an unknown path is a JSON 404 and a wrong method a 405 with Allow") {
    const router r = make_router();
    const response missing = r.handle(get("/api/v1/nothing"));
    CHECK(missing.status == 404);
    CHECK(error_code_of(missing) == "not_found");
    request post = get("/healthz");
    post.method = "DELETE";
    const response wrong = r.handle(post);
    CHECK(wrong.status == 405);
    CHECK(error_code_of(wrong) == "method_not_allowed");
    REQUIRE(wrong.headers.size() == 1);
    CHECK(wrong.headers[0] == std::pair<std::string, std::string>{"Allow", "GET"});
}

TEST_CASE("requests for a Host that is not allowed are refused, which defeats DNS rebinding") {
    router r = make_router();
    CHECK(r.handle(get("/healthz", "evil.example")).status == 421);
    CHECK(r.handle(get("/healthz", "evil.example:8080")).status == 421);
    CHECK(r.handle(get("/healthz", "")).status == 421);
    CHECK(r.handle(get("/healthz", "localhost:8080")).status == 200);
    CHECK(r.handle(get("/healthz", "LOCALHOST")).status == 200);
    CHECK(r.handle(get("/healthz", "[::1]:8080")).status == 200);
    CHECK(r.handle(get("/healthz", "dpmon.council.example")).status == 421);
    r.set_allowed_hosts({"dpmon.council.example"});
    CHECK(r.handle(get("/healthz", "dpmon.council.example:443")).status == 200);
}

TEST_CASE("a write from another site's page is refused, one from this server's own page or its public address is not") {
    router r = make_router();
    request post = get("/api/v1/flags/7/acknowledge");
    post.method = "POST";
    CHECK(r.handle(post).body == "ack 7");
    post.origin = "http://evil.example";
    const response refused = r.handle(post);
    CHECK(refused.status == 403);
    CHECK(error_code_of(refused) == "forbidden");
    post.origin = "http://127.0.0.1:8080";  // the page this server sent (Host 127.0.0.1:8080)
    CHECK(r.handle(post).body == "ack 7");
    post.origin = "https://dpmon.council.example";  // the proxy's address, before and after it is configured
    CHECK(r.handle(post).status == 403);
    r.set_allowed_origins({"https://DPMON.council.example"});
    CHECK(r.handle(post).body == "ack 7");
    request read = get("/healthz");
    read.origin = "http://evil.example";
    CHECK(r.handle(read).status == 200);
}

TEST_CASE("a handler that throws gives a JSON 500 and the router carries on") {
    const router r = make_router();
    const response res = r.handle(get("/boom"));
    CHECK(res.status == 500);
    CHECK(error_code_of(res) == "internal_error");
    CHECK(r.handle(get("/healthz")).status == 200);
}

TEST_CASE("HEAD is answered like GET and a target that is not a path is a 400") {
    const router r = make_router();
    request head = get("/healthz");
    head.method = "HEAD";
    CHECK(r.handle(head).status == 200);
    CHECK(r.handle(get("http://example.com/healthz")).status == 400);
    CHECK(r.handle(get("/bad%zzescape")).status == 400);
}

namespace {

using dpmon::core::role;

router guarded_router() {
    router r;
    r.set_authenticator([](std::string_view token) -> std::optional<dpmon::core::user> {
        if (token == "reader-token") return dpmon::core::user{"Rita Reader", "rita@council.example", role::read};
        if (token == "officer-token") return dpmon::core::user{"Omar Officer", "omar@council.example", role::officer};
        return std::nullopt;
    });
    r.add("GET", "/api/v1/flags", [](const request&, const route_match& m) { return response{200, "text/plain", m.user->name, {}, {}}; },
          {role::read, dpmon::http::runs_on::readers});
    r.add("POST", "/api/v1/flags/{id}/acknowledge",
          [](const request&, const route_match& m) { return response{200, "text/plain", "by " + m.user->name, {}, {}}; },
          {role::officer, dpmon::http::runs_on::writer});
    r.add("PUT", "/api/v1/accounts/{ref}", [](const request&, const route_match&) { return response{200, "text/plain", "", {}, {}}; },
          {role::admin, dpmon::http::runs_on::writer});
    return r;
}

request with_token(std::string method, std::string target, std::string authorization) {
    return request{std::move(method), std::move(target), "127.0.0.1", "", std::move(authorization), "", "", ""};
}

}  // namespace

TEST_CASE("a route that needs a role answers 401 naming the header when no known token comes") {
    const router r = guarded_router();
    for (const char* auth : {"", "Bearer wrong", "Basic cmVhZGVyLXRva2Vu", "Bearer"}) {
        const response res = r.handle(with_token("GET", "/api/v1/flags", auth));
        CHECK(res.status == 401);
        CHECK(res.body.find("Authorization: Bearer") != std::string::npos);
        CHECK(res.headers.at(0).first == "WWW-Authenticate");
    }
}

TEST_CASE("a role below the route's answers 403 saying which role it needs, and the signed-in person reaches the handler") {
    const router r = guarded_router();
    const response refused = r.handle(with_token("POST", "/api/v1/flags/3/acknowledge", "Bearer reader-token"));
    CHECK(refused.status == 403);
    CHECK(refused.body.find("needs officer") != std::string::npos);
    CHECK(r.handle(with_token("PUT", "/api/v1/accounts/DP-1", "Bearer officer-token")).status == 403);
    const response read = r.handle(with_token("GET", "/api/v1/flags", "bearer reader-token"));
    CHECK(read.status == 200);
    CHECK(read.body == "Rita Reader");
    CHECK(r.handle(with_token("POST", "/api/v1/flags/3/acknowledge", "Bearer officer-token")).body == "by Omar Officer");
}

TEST_CASE("routing says where a handler runs and lists every route with the role it needs") {
    const router r = guarded_router();
    CHECK(r.route(with_token("GET", "/api/v1/flags", "Bearer reader-token")).where == dpmon::http::runs_on::readers);
    CHECK(r.route(with_token("POST", "/api/v1/flags/3/acknowledge", "Bearer officer-token")).where == dpmon::http::runs_on::writer);
    const auto routes = r.routes();
    REQUIRE(routes.size() == 3);
    CHECK(routes[2].pattern == "/api/v1/accounts/{ref}");
    CHECK(routes[2].needs == role::admin);
}

namespace {

router page_router() {
    router r = guarded_router();
    r.add("GET", "/accounts/{ref}", [](const request&, const route_match& m) {
        return response{200, "text/html", m.user->name + " " + m.csrf, {}, {}};
    }, {role::read, dpmon::http::runs_on::readers, dpmon::http::signed_in_by::session});
    r.add("POST", "/accounts/{ref}/flags/{id}/acknowledge", [](const request&, const route_match& m) {
        return response{303, "text/plain", "by " + m.user->name, {}, {}};
    }, {role::officer, dpmon::http::runs_on::writer, dpmon::http::signed_in_by::session});
    r.set_session_finder([](std::string_view cookie) -> std::optional<dpmon::http::session> {
        if (cookie.find("dpmon_session=officer-session") != std::string_view::npos)
            return dpmon::http::session{"officer-session", {"Asha Officer", "", role::officer}, "form-token"};
        if (cookie.find("dpmon_session=reader-session") != std::string_view::npos)
            return dpmon::http::session{"reader-session", {"Ravi Reader", "", role::read}, "reader-form-token"};
        return std::nullopt;
    });
    return r;
}

request page_request(std::string method, std::string target, std::string cookie, std::string body = "") {
    request req{std::move(method), std::move(target), "127.0.0.1:8080", "", "", "application/x-www-form-urlencoded", std::move(body), ""};
    req.cookie = std::move(cookie);
    return req;
}

}  // namespace

TEST_CASE("a page without a live session sends the browser to sign in, and comes back to the page after") {
    const router r = page_router();
    const response res = r.handle(page_request("GET", "/accounts/DP-1?x=1", "other=1; dpmon_session=gone"));
    CHECK(res.status == 303);
    CHECK(res.headers.at(0) == std::pair<std::string, std::string>{"Location", "/sign-in?next=%2Faccounts%2FDP-1%3Fx%3D1"});
    const response page = r.handle(page_request("GET", "/accounts/DP-1", "dpmon_session=officer-session"));
    CHECK(page.status == 200);
    CHECK(page.body == "Asha Officer form-token");
}

TEST_CASE("a page form is refused without its session's CSRF token, and a reader may not send one") {
    const router r = page_router();
    const std::string path = "/accounts/DP-1/flags/7/acknowledge";
    for (const char* body : {"note=checked", "note=checked&csrf=", "note=checked&csrf=other-token"}) {
        const response refused = r.handle(page_request("POST", path, "dpmon_session=officer-session", body));
        CHECK(refused.status == 403);
        CHECK(refused.body.find("CSRF") != std::string::npos);
    }
    CHECK(r.handle(page_request("POST", path, "dpmon_session=officer-session", "note=checked&csrf=form-token")).body ==
          "by Asha Officer");
    CHECK(r.handle(page_request("POST", path, "dpmon_session=reader-session", "note=x&csrf=reader-form-token")).status == 403);
    CHECK(r.handle(page_request("POST", path, "", "note=x&csrf=form-token")).status == 303);  // no session: sign in
}

TEST_CASE("signing in again with a live session is not refused for want of a form token") {
    router r = page_router();
    r.add("POST", "/sign-in", [](const request&, const route_match& m) {
        return response{303, "text/plain", m.user ? "was " + m.user->name : "new", {}, {}};
    }, {std::nullopt, dpmon::http::runs_on::loop, dpmon::http::signed_in_by::session});
    CHECK(r.handle(page_request("POST", "/sign-in", "dpmon_session=officer-session", "token=x")).body == "was Asha Officer");
    CHECK(r.handle(page_request("POST", "/sign-in", "", "token=x")).body == "new");
}

TEST_CASE("a page calls an API route as its signed-in person, whose role still applies, whatever the request carries") {
    const router r = page_router();
    request req = with_token("POST", "/api/v1/flags/9/acknowledge", "");
    CHECK(r.call_as(req, {"Asha Officer", "", role::officer}).body == "by Asha Officer");
    CHECK(r.call_as(req, {"Ravi Reader", "", role::read}).status == 403);
    req.target = "/api/v1/nothing";
    CHECK(r.call_as(req, {"Asha Officer", "", role::officer}).status == 404);
}

TEST_CASE("a form body is decoded field by field, plus signs as spaces") {
    const auto form = dpmon::http::parse_form("note=paid+in+full%21&csrf=abc&empty=&flag");
    CHECK(form.at("note") == "paid in full!");
    CHECK(form.at("csrf") == "abc");
    CHECK(form.at("empty").empty());
    CHECK(form.at("flag").empty());
    CHECK(dpmon::http::form_value("a=1&b=2", "b") == "2");
    CHECK(dpmon::http::form_value("a=1", "b").empty());
}
