#pragma once
// Plain HTTP request and response values. The Beast session converts to and from these, so routing and
// handlers are ordinary functions over values, testable without a socket (and without Beast headers).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dpmon/core/user.hpp"

namespace dpmon::http {

struct request {
    std::string method;         // "GET", "POST", ...
    std::string target;         // origin form: "/api/v1/flags?state=open"
    std::string host;           // the Host header, as sent
    std::string origin;         // the Origin header, empty when absent
    std::string authorization;  // the Authorization header, empty when absent
    std::string content_type;
    std::string body;
    std::string cookie;  // the Cookie header, empty when absent (the dashboard's session)
};

struct response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. Allow
    // A body too large to hold: when set, `body` is ignored and the answer is sent chunked, each call giving
    // the next piece (read as it is sent, where the route's handler ran) until it gives nullopt. A call
    // that throws ends the connection without the last chunk, which the client sees as a cut answer.
    std::function<std::optional<std::string>()> next_chunk;
};

// Path parameters ({ref} in a route) and decoded query parameters of a matched request.
struct route_match {
    std::map<std::string, std::string> params;
    std::map<std::string, std::string> query;
    std::optional<core::user> user;  // who sent it, on a route that needs a role
    std::string session_id;          // on a page route: the signed-in session (its cookie's value)
    std::string csrf;                // on a page route: the session's form token, for the forms it shows
};

// The fields of an application/x-www-form-urlencoded body (a page's form), decoded ('+' is a space); a field
// sent twice keeps its last value.
std::map<std::string, std::string> parse_form(std::string_view body);
// One field of such a body, empty when absent.
std::string form_value(std::string_view body, std::string_view key);

// {"error":{"code":CODE,"message":MESSAGE}} with the given status.
response error_response(int status, std::string_view code, std::string_view message);

}  // namespace dpmon::http
