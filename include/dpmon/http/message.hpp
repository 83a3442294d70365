#pragma once
// Plain HTTP request and response values. The Beast session converts to and from these, so routing and
// handlers are ordinary functions over values, testable without a socket (and without Beast headers).

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace dpmon::http {

struct request {
    std::string method;         // "GET", "POST", ...
    std::string target;         // origin form: "/api/v1/flags?state=open"
    std::string host;           // the Host header, as sent
    std::string origin;         // the Origin header, empty when absent
    std::string authorization;  // the Authorization header, empty when absent
    std::string content_type;
    std::string body;
};

struct response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. Allow
};

// Path parameters ({ref} in a route) and decoded query parameters of a matched request.
struct route_match {
    std::map<std::string, std::string> params;
    std::map<std::string, std::string> query;
};

// {"error":{"code":CODE,"message":MESSAGE}} with the given status.
response error_response(int status, std::string_view code, std::string_view message);

}  // namespace dpmon::http
