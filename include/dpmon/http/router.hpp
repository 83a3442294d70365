#pragma once
// router: the route table and the request policy that applies before any route (allowed Host names,
// no cross-origin writes). handle() is a pure function of the request and the handlers' state.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "dpmon/http/message.hpp"

namespace dpmon::http {

using handler = std::function<response(const request&, const route_match&)>;

class router {
public:
    // Host names (without port) that requests may address; anything else is refused with 421, which
    // defeats DNS rebinding. "localhost", "127.0.0.1" and "::1" are always allowed.
    void set_allowed_hosts(std::vector<std::string> hosts);

    // Adds a route. `pattern` is a path whose segments are literals or {name} ("/api/v1/accounts/{ref}").
    void add(std::string_view method, std::string_view pattern, handler h);

    // Maps a request to a response: 421 for a Host not allowed, 403 for a write that carries Origin
    // (browsers send it on cross-site requests), 400 for a target that is not a valid origin-form URL,
    // 404 for an unknown path, 405 (with Allow) for a known path and another method, else the handler's
    // response. HEAD is answered as GET (the session drops the body). A handler that throws gets 500.
    response handle(const request& req) const;

private:
    struct route {
        std::string method;
        std::vector<std::string> segments;
        handler fn;
    };
    std::vector<route> routes_;
    std::vector<std::string> allowed_hosts_;
};

}  // namespace dpmon::http
