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

// How a route's caller shows who they are: the API's bearer token, or the dashboard's session cookie.
enum class signed_in_by { bearer, session };

struct route_options {
    std::optional<core::role> needs;  // the least role that may call it; nullopt: open to anyone
    runs_on where = runs_on::readers;
    signed_in_by by = signed_in_by::bearer;
};

// Who a bearer token belongs to, or nullopt for a token nobody holds.
using authenticator = std::function<std::optional<core::user>(std::string_view token)>;

// A signed-in dashboard session: its id (the cookie's value), its holder and the token its forms carry.
struct session {
    std::string id;
    core::user who;
    std::string csrf;
};

// The session a request's Cookie header names, or nullopt when it names none that is live.
using session_finder = std::function<std::optional<session>(std::string_view cookie_header)>;

// The name of the form field that carries a session's CSRF token on every page form.
inline constexpr std::string_view csrf_field = "csrf";

// What routing decided: an answer already (refused, unknown path), or a call to make on `where`.
struct dispatch {
    std::optional<response> answer;
    std::function<response()> call;  // set when !answer; catches what the handler throws (500)
    runs_on where = runs_on::loop;
    std::string route = "other";     // the matched route's pattern (for metrics); "other" when none matched
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

    // How session cookies are checked. Without one, every page route that needs a role signs in again.
    void set_session_finder(session_finder find);

    // Origins (scheme://host[:port]) whose pages may send writes besides the request's own Host, e.g. the
    // public address a reverse proxy serves ([http] public_url).
    void set_allowed_origins(std::vector<std::string> origins);

    // Adds a route. `pattern` is a path whose segments are literals or {name} ("/api/v1/accounts/{ref}").
    void add(std::string_view method, std::string_view pattern, handler h, route_options options);

    // Routes a request: 421 for a Host not allowed, 403 for a write whose Origin is another site's (a
    // browser sends Origin with every form; a page of this server sends its own), 400 for a target that is not a valid origin-form URL, 404 for an unknown
    // path, 405 (with Allow) for a known path and another method, 401 (naming the header to send) when the
    // route needs a role and the request has no token anybody holds, 403 when its holder's role is short;
    // else the handler's call. HEAD is routed as GET (the session drops the body).
    // A page route (signed_in_by::session) without a live session answers 303 to /sign-in?next=<target>;
    // a write to one without its session's CSRF token in the form answers 403.
    dispatch route(const request& req) const;

    // The route for `req` called on this thread as `who`, whatever token or cookie the request carries (the
    // dashboard's pages calling the API for the person signed in): 404/405 as route(), 403 when who's role
    // falls short.
    response call_as(const request& req, const core::user& who) const;

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
    static response role_short(const route_entry& r, const core::user& who);
    std::optional<response> refuse_session(const route_entry& r, const request& req, route_match& m) const;
    bool origin_allowed(const request& req) const;
    // The route matching req's method and path (m gets its parameters), or the answer when none does.
    const route_entry* find(const request& req, route_match& m, std::optional<response>& refused) const;

    std::vector<route_entry> routes_;
    std::vector<std::string> allowed_hosts_;
    std::vector<std::string> allowed_origins_;
    authenticator auth_;
    session_finder sessions_;
};

}  // namespace dpmon::http
