// libFuzzer target: the HTTP request path as the server takes it: raw bytes through Beast's parser (with
// the server's limits), into dpmon's request, then routed (Host, Origin, bearer token, session cookie and
// its CSRF field, path and query decoding) to routes shaped like dpmon's, and a form body parsed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dpmon/http/message.hpp"
#include "dpmon/http/request_parse.hpp"
#include "dpmon/http/router.hpp"

namespace {

using namespace dpmon::http;

router make_router() {
    router r;
    const auto echo = [](const request& req, const route_match& m) {
        std::string body;
        for (const auto& [k, v] : m.params) body += k + "=" + v + ";";
        for (const auto& [k, v] : m.query) body += k + "=" + v + ";";
        for (const auto& [k, v] : parse_form(req.body)) body += k + "=" + v + ";";
        return response{200, "text/plain", body, {}, {}};
    };
    r.add("GET", "/healthz", echo, {std::nullopt, runs_on::loop, signed_in_by::bearer});
    r.add("GET", "/api/v1/accounts/{ref}", echo, {dpmon::core::role::read, runs_on::readers, signed_in_by::bearer});
    r.add("GET", "/api/v1/accounts/{ref}/transactions", echo, {dpmon::core::role::read, runs_on::readers, signed_in_by::bearer});
    r.add("POST", "/api/v1/flags/{id}/acknowledge", echo, {dpmon::core::role::officer, runs_on::writer, signed_in_by::bearer});
    r.add("GET", "/accounts/{ref}", echo, {dpmon::core::role::read, runs_on::readers, signed_in_by::session});
    r.add("POST", "/accounts/{ref}/flags/{id}/acknowledge", echo, {dpmon::core::role::officer, runs_on::writer, signed_in_by::session});
    r.add("POST", "/sign-in", echo, {std::nullopt, runs_on::loop, signed_in_by::session});
    r.set_allowed_hosts({"dpmon.council.example"});
    r.set_allowed_origins({"https://dpmon.council.example"});
    r.set_authenticator([](std::string_view token) -> std::optional<dpmon::core::user> {
        if (token == "officer-token") return dpmon::core::user{"Officer", "o@council.example", dpmon::core::role::officer};
        return std::nullopt;
    });
    r.set_session_finder([](std::string_view cookie) -> std::optional<session> {
        if (cookie.find("dpmon_session=s1") == std::string_view::npos) return std::nullopt;
        return session{"s1", dpmon::core::user{"Officer", "o@council.example", dpmon::core::role::officer}, "c1"};
    });
    return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const router routes = make_router();
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto req = parse_request(bytes, 8 * 1024, 64 * 1024);
    if (!req) return 0;
    (void)routes.handle(*req);
    return 0;
}
