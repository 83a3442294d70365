#include "dpmon/http/router.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
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

std::map<std::string, std::string> parse_form(std::string_view body) {
    std::map<std::string, std::string> out;
    auto q = boost::urls::parse_query(body);
    if (!q) return out;
    boost::urls::encoding_opts opt;
    opt.space_as_plus = true;
    for (auto p : *q) out[p.key.decode(opt)] = p.has_value ? p.value.decode(opt) : std::string();
    return out;
}

std::string form_value(std::string_view body, std::string_view key) {
    auto form = parse_form(body);
    auto it = form.find(std::string(key));
    return it == form.end() ? std::string() : it->second;
}

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

void router::set_session_finder(session_finder find) { sessions_ = std::move(find); }

void router::set_allowed_origins(std::vector<std::string> origins) {
    allowed_origins_.clear();
    for (const auto& o : origins) allowed_origins_.push_back(core::to_lower(o));
}

void router::add(std::string_view method, std::string_view pattern, handler h, route_options options) {
    routes_.push_back(route_entry{std::string(method), std::string(pattern), split_path(pattern), std::move(h), options});
}

std::vector<route_info> router::routes() const {
    std::vector<route_info> out;
    for (const auto& r : routes_) out.push_back(route_info{r.method, r.pattern, r.options.needs});
    return out;
}

response router::role_short(const route_entry& r, const core::user& who) {
    return error_response(403, "forbidden",
                          who.name + " has the role " + std::string(core::to_string(who.grants)) + "; " + r.method + " " +
                              r.pattern + " needs " + std::string(core::to_string(*r.options.needs)) +
                              " (an admin can change roles in the users file)");
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
    if (!core::allows(who->grants, *r.options.needs)) return role_short(r, *who);
    m.user = std::move(who);
    return std::nullopt;
}

// A page route: a live session, and on a write its CSRF token; else sign in again (303) or 403.
std::optional<response> router::refuse_session(const route_entry& r, const request& req, route_match& m) const {
    std::optional<session> s = sessions_ ? sessions_(req.cookie) : std::nullopt;
    if (!s) {
        if (!r.options.needs) return std::nullopt;  // open page (sign-in): no session is fine
        const std::string next = req.method == "GET" ? req.target : std::string("/");
        response res{303, "text/plain; charset=utf-8", "Sign in first: /sign-in\n", {}, {}};
        res.headers.emplace_back("Location", "/sign-in?next=" + boost::urls::encode(next, boost::urls::unreserved_chars));
        return res;
    }
    // An open page (sign-in) needs no form token: its form comes before the session (Origin still applies).
    if (r.options.needs && is_write(req.method) && (s->csrf.empty() || form_value(req.body, csrf_field) != s->csrf)) {
        return response{403, "text/plain; charset=utf-8",
                        "This form was not sent by a page of this dpmon session (its CSRF token is missing or old). "
                        "Go back, reload the page and send the form again.\n",
                        {}, {}};
    }
    if (r.options.needs && !core::allows(s->who.grants, *r.options.needs)) return role_short(r, s->who);
    m.user = s->who;
    m.session_id = s->id;
    m.csrf = s->csrf;
    return std::nullopt;
}

bool router::origin_allowed(const request& req) const {
    if (req.origin.empty()) return true;  // not from a browser page: nothing to check
    const std::string origin = core::to_lower(req.origin);
    const std::string host = core::to_lower(req.host);
    if (origin == "http://" + host || origin == "https://" + host) return true;  // a page of this server
    return std::find(allowed_origins_.begin(), allowed_origins_.end(), origin) != allowed_origins_.end();
}

const router::route_entry* router::find(const request& req, route_match& m, std::optional<response>& refused) const {
    auto parsed = boost::urls::parse_origin_form(req.target);
    if (!parsed) {
        refused = error_response(400, "bad_request", "the request target is not a valid URL path");
        return nullptr;
    }
    std::vector<std::string> segments;
    for (auto seg : parsed->segments()) segments.emplace_back(seg);
    const std::string_view method = req.method == "HEAD" ? std::string_view("GET") : std::string_view(req.method);
    std::string allow;
    for (const route_entry& r : routes_) {
        if (r.segments.size() != segments.size()) continue;
        route_match candidate;
        bool ok = true;
        for (std::size_t i = 0; i < segments.size() && ok; ++i) {
            const std::string& pat = r.segments[i];
            if (pat.size() > 2 && pat.front() == '{' && pat.back() == '}') {
                candidate.params[pat.substr(1, pat.size() - 2)] = segments[i];
            } else {
                ok = pat == segments[i];
            }
        }
        if (!ok) continue;
        if (r.method != method) {
            if (allow.find(r.method) == std::string::npos) allow += (allow.empty() ? "" : ", ") + r.method;
            continue;
        }
        for (auto p : parsed->params()) candidate.query[p.key] = p.has_value ? p.value : std::string();
        m = std::move(candidate);
        return &r;
    }
    if (!allow.empty()) {
        refused = error_response(405, "method_not_allowed", "method " + req.method + " is not allowed here; allowed: " + allow);
        refused->headers.emplace_back("Allow", allow);
    } else {
        refused = error_response(404, "not_found", "no such resource: " + std::string(parsed->path()));
    }
    return nullptr;
}

namespace {

std::function<response()> guarded_call(const handler* fn, const request& req, route_match m) {
    return [fn, req, m = std::move(m)]() -> response {
        try {
            return (*fn)(req, m);
        } catch (const std::exception& e) {
            return error_response(500, "internal_error", std::string("internal error: ") + e.what());
        }
    };
}

}  // namespace

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
    if (is_write(req.method) && !origin_allowed(req)) {
        return {error_response(403, "forbidden",
                               "cross-origin writes are refused (the request's Origin, " + req.origin +
                                   ", is neither this server nor [http] public_url)"),
                {}, runs_on::loop};
    }
    route_match m;
    std::optional<response> refused;
    const route_entry* r = find(req, m, refused);
    if (!r) return {std::move(refused), {}, runs_on::loop};
    refused = r->options.by == signed_in_by::session ? refuse_session(*r, req, m) : refuse_user(*r, req, m);
    if (refused) return {std::move(refused), {}, runs_on::loop, r->pattern};
    return {std::nullopt, guarded_call(&r->fn, req, std::move(m)), r->options.where, r->pattern};
}

response router::call_as(const request& req, const core::user& who) const {
    route_match m;
    std::optional<response> refused;
    const route_entry* r = find(req, m, refused);
    if (!r) return std::move(*refused);
    if (r->options.needs && !core::allows(who.grants, *r->options.needs)) return role_short(*r, who);
    m.user = who;
    return guarded_call(&r->fn, req, std::move(m))();
}

response router::handle(const request& req) const {
    dispatch d = route(req);
    return d.answer ? std::move(*d.answer) : d.call();
}

}  // namespace dpmon::http
