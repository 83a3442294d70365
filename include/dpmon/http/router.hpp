#pragma once
// router: the route table and the request policy that applies before any route (allowed Host names, no
// cross-origin writes, the bearer token and the role a route needs). route() is a pure function of the
// request and the table, cheap enough for the event loop: it never runs a handler.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dpmon/core/user.hpp"
#include "dpmon/http/message.hpp"

namespace dpmon::http {

using handler = std::function<response(const request&, const route_match&)>;

// Where a handler runs: on the event loop (it must not block: health, metrics), on the pool of readers, or
// on the one writer thread.
enum class runs_on { loop, readers, writer };

struct route_options {
    std::optional<core::role> needs;  // the least role that may call it; nullopt: open to anyone
    runs_on where = runs_on::readers;
};

// Who a bearer token belongs to, or nullopt for a token nobody holds.
using authenticator = std::function<std::optional<core::user>(std::string_view token)>;

// What routing decided: an answer already (refused, unknown path), or a call to make on `where`.
struct dispatch {
    std::optional<response> answer;
    std::function<response()> call;  // set when !answer; catches what the handler throws (500)
    runs_on where = runs_on::loop;
};

struct route_info {
    std::string method;
    std::string pattern;
    std::optional<core::role> needs;
};

class router {
public:
    // Host names (without port) that requests may address; anything else is refused with 421, which
    // defeats DNS rebinding. "localhost", "127.0.0.1" and "::1" are always allowed.
    void set_allowed_hosts(std::vector<std::string> hosts);

    // How bearer tokens are checked. Without one, every route that needs a role answers 401.
    void set_authenticator(authenticator auth);

    // Adds a route. `pattern` is a path whose segments are literals or {name} ("/api/v1/accounts/{ref}").
    void add(std::string_view method, std::string_view pattern, handler h, route_options options);

    // Routes a request: 421 for a Host not allowed, 403 for a write that carries Origin (browsers send it
    // on cross-site requests), 400 for a target that is not a valid origin-form URL, 404 for an unknown
    // path, 405 (with Allow) for a known path and another method, 401 (naming the header to send) when the
    // route needs a role and the request has no token anybody holds, 403 when its holder's role is short;
    // else the handler's call. HEAD is routed as GET (the session drops the body).
    dispatch route(const request& req) const;

    // route() and the call, on this thread (tests, and the server's loop-only routes).
    response handle(const request& req) const;

    // Every route, in the order added.
    std::vector<route_info> routes() const;

private:
    struct route_entry {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        handler fn;
        route_options options;
    };
    std::optional<response> refuse_user(const route_entry& r, const request& req, route_match& m) const;

    std::vector<route_entry> routes_;
    std::vector<std::string> allowed_hosts_;
    authenticator auth_;
};

}  // namespace dpmon::http
