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
    r.add("GET", "/healthz", [](const request&, const route_match&) { return response{200, "application/json", "{}", {}}; });
    r.add("GET", "/api/v1/accounts/{ref}", [](const request&, const route_match& m) {
        return response{200, "text/plain", m.params.at("ref") + "|" + (m.query.count("from") ? m.query.at("from") : ""), {}};
    });
    r.add("POST", "/api/v1/flags/{id}/acknowledge",
          [](const request&, const route_match& m) { return response{200, "text/plain", "ack " + m.params.at("id"), {}}; });
    r.add("GET", "/boom", [](const request&, const route_match&) -> response { throw std::runtime_error("kaput"); });
    return r;
}

request get(std::string target, std::string host = "127.0.0.1:8080") {
    return request{"GET", std::move(target), std::move(host), "", "", "", ""};
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

TEST_CASE("a write that carries an Origin header is refused as cross-origin") {
    const router r = make_router();
    request post = get("/api/v1/flags/7/acknowledge");
    post.method = "POST";
    CHECK(r.handle(post).body == "ack 7");
    post.origin = "http://evil.example";
    const response refused = r.handle(post);
    CHECK(refused.status == 403);
    CHECK(error_code_of(refused) == "forbidden");
    request read = get("/healthz");
    read.origin = "http://127.0.0.1:8080";
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
