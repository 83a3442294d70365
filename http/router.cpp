#include "dpmon/http/router.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>
#include <algorithm>
#include <exception>

#include "dpmon/core/text.hpp"

namespace dpmon::http {
namespace {

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < path.size()) {
        if (path[start] == '/') {
            ++start;
            continue;
        }
        const std::size_t end = path.find('/', start);
        out.emplace_back(path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return out;
}

// "localhost:8080" -> "localhost", "[::1]:8080" -> "::1", "example" -> "example".
std::string host_name(std::string_view host) {
    if (host.starts_with('[')) {
        const std::size_t close = host.find(']');
        return close == std::string_view::npos ? std::string() : core::to_lower(host.substr(1, close - 1));
    }
    const std::size_t colon = host.rfind(':');
    return core::to_lower(colon == std::string_view::npos ? host : host.substr(0, colon));
}

bool is_write(std::string_view method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

}  // namespace

response error_response(int status, std::string_view code, std::string_view message) {
    boost::json::object inner;
    inner["code"] = code;
    inner["message"] = message;
    boost::json::object outer;
    outer["error"] = std::move(inner);
    return response{status, "application/json", boost::json::serialize(outer), {}, {}};
}

void router::set_allowed_hosts(std::vector<std::string> hosts) {
    allowed_hosts_.clear();
    for (const auto& h : hosts) allowed_hosts_.push_back(core::to_lower(h));
}

void router::set_authenticator(authenticator auth) { auth_ = std::move(auth); }

void router::add(std::string_view method, std::string_view pattern, handler h, route_options options) {
    routes_.push_back(route_entry{std::string(method), std::string(pattern), split_path(pattern), std::move(h), options});
}

std::vector<route_info> router::routes() const {
    std::vector<route_info> out;
    for (const auto& r : routes_) out.push_back(route_info{r.method, r.pattern, r.options.needs});
    return out;
}

// 401 without a token somebody holds, 403 when the holder's role falls short; else sets m.user.
std::optional<response> router::refuse_user(const route_entry& r, const request& req, route_match& m) const {
    if (!r.options.needs) return std::nullopt;
    // The scheme is case-insensitive (RFC 9110 §11.1): "Bearer", "bearer" and "BEARER" all do.
    constexpr std::string_view prefix = "bearer ";
    const std::string_view auth = req.authorization;
    std::optional<core::user> who;
    if (auth.size() > prefix.size() && core::iequals(auth.substr(0, prefix.size()), prefix) && auth_)
        who = auth_(core::trim(auth.substr(prefix.size())));
    if (!who) {
        response res = error_response(
            401, "unauthorized",
            auth.empty() ? "this needs the header Authorization: Bearer <your token> (an admin makes one with dpmon users add)"
                         : "the token in the Authorization header is not one dpmon knows: send Authorization: Bearer "
                           "<your token>, or ask an admin for a new one (dpmon users add)");
        res.headers.emplace_back("WWW-Authenticate", "Bearer");
        return res;
    }
    if (!core::allows(who->grants, *r.options.needs)) {
        return error_response(403, "forbidden",
                              who->name + " has the role " + std::string(core::to_string(who->grants)) + "; " + r.method +
                                  " " + r.pattern + " needs " + std::string(core::to_string(*r.options.needs)) +
                                  " (an admin can change roles in the users file)");
    }
    m.user = std::move(who);
    return std::nullopt;
}

dispatch router::route(const request& req) const {
    const std::string host = host_name(req.host);
    const bool host_ok = host == "localhost" || host == "127.0.0.1" || host == "::1" ||
                         std::find(allowed_hosts_.begin(), allowed_hosts_.end(), host) != allowed_hosts_.end();
    if (!host_ok) {
        return {error_response(421, "misdirected_request",
                               "this server does not answer for Host '" + req.host +
                                   "'; use 127.0.0.1 or a name listed in [http] allowed_hosts"),
                {}, runs_on::loop};
    }
    if (is_write(req.method) && !req.origin.empty())
        return {error_response(403, "forbidden", "cross-origin writes are refused (the request carried an Origin header)"), {}, runs_on::loop};

    auto parsed = boost::urls::parse_origin_form(req.target);
    if (!parsed) return {error_response(400, "bad_request", "the request target is not a valid URL path"), {}, runs_on::loop};

    std::vector<std::string> segments;
    for (auto seg : parsed->segments()) segments.emplace_back(seg);

    const std::string_view method = req.method == "HEAD" ? std::string_view("GET") : std::string_view(req.method);
    std::string allow;
    for (const route_entry& r : routes_) {
        if (r.segments.size() != segments.size()) continue;
        route_match m;
        bool ok = true;
        for (std::size_t i = 0; i < segments.size() && ok; ++i) {
            const std::string& pat = r.segments[i];
            if (pat.size() > 2 && pat.front() == '{' && pat.back() == '}') {
                m.params[pat.substr(1, pat.size() - 2)] = segments[i];
            } else {
                ok = pat == segments[i];
            }
        }
        if (!ok) continue;
        if (r.method != method) {
            if (allow.find(r.method) == std::string::npos) allow += (allow.empty() ? "" : ", ") + r.method;
            continue;
        }
        if (auto refused = refuse_user(r, req, m)) return {std::move(*refused), {}, runs_on::loop};
        for (auto p : parsed->params()) m.query[p.key] = p.has_value ? p.value : std::string();
        const handler* fn = &r.fn;
        return {std::nullopt,
                [fn, req, m = std::move(m)]() -> response {
                    try {
                        return (*fn)(req, m);
                    } catch (const std::exception& e) {
                        return error_response(500, "internal_error", std::string("internal error: ") + e.what());
                    }
                },
                r.options.where};
    }
    if (!allow.empty()) {
        response res = error_response(405, "method_not_allowed",
                                      "method " + req.method + " is not allowed here; allowed: " + allow);
        res.headers.emplace_back("Allow", allow);
        return {std::move(res), {}, runs_on::loop};
    }
    return {error_response(404, "not_found", "no such resource: " + std::string(parsed->path())), {}, runs_on::loop};
}

response router::handle(const request& req) const {
    dispatch d = route(req);
    return d.answer ? std::move(*d.answer) : d.call();
}

}  // namespace dpmon::http
