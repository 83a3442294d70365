#include "api_client.hpp"

#include <boost/json/monotonic_resource.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cctype>

namespace dpmon::pages {
namespace {

http::request internal_request(std::string_view method, const std::string& target, std::string body) {
    http::request req;
    req.method = std::string(method);
    req.target = target;
    req.host = "127.0.0.1";
    req.content_type = "application/json";
    req.body = std::move(body);
    return req;
}

api_reply reply_of(http::response res) {
    boost::system::error_code ec;
    // Parsed into one arena the answer owns: a page of 100 worklist entries is thousands of small values,
    // allocated and freed one by one otherwise (a third of the worklist page's time). Moved, not assigned,
    // into the reply: assignment would copy it into the reply's default storage.
    boost::json::value body = res.content_type.starts_with("application/json")
                                  ? boost::json::parse(res.body, ec,
                                                       boost::json::make_shared_resource<boost::json::monotonic_resource>(res.body.size()))
                                  : boost::json::value(nullptr);
    if (ec) body = nullptr;
    api_reply r{res.status, std::move(body), {}, {}};
    if (r.status >= 400) {
        const auto* err = r.body.is_object() ? r.body.as_object().if_contains("error") : nullptr;
        const auto* msg = err && err->is_object() ? err->as_object().if_contains("message") : nullptr;
        r.message = msg && msg->is_string() ? std::string(msg->get_string()) : "the request failed (HTTP " + std::to_string(r.status) + ")";
        r.field = field_named(r.message);
    }
    return r;
}

bool is_name(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (!std::islower(static_cast<unsigned char>(c)) && c != '_') return false;
    }
    return true;
}

}  // namespace

std::string field_named(std::string_view message) {
    for (std::string_view prefix : {"field '", "'", "\""}) {
        if (!message.starts_with(prefix)) continue;
        const char close = prefix.back();
        const std::size_t end = message.find(close, prefix.size());
        if (end == std::string_view::npos) continue;
        const std::string_view name = message.substr(prefix.size(), end - prefix.size());
        if (is_name(name)) return std::string(name);
    }
    const std::size_t colon = message.find(':');
    if (colon != std::string_view::npos && is_name(message.substr(0, colon))) return std::string(message.substr(0, colon));
    return {};
}

api_reply api_client::get(const http::route_match& m, const std::string& target) const {
    if (!m.user) return reply_of(http::error_response(401, "unauthorized", "sign in first"));
    return reply_of(api_.call_as(internal_request("GET", target, {}), *m.user));
}

api_reply api_client::send(const http::route_match& m, std::string_view method, const std::string& target,
                           const boost::json::object& body) const {
    if (!m.user) return reply_of(http::error_response(401, "unauthorized", "sign in first"));
    return reply_of(api_.call_as(internal_request(method, target, boost::json::serialize(body)), *m.user));
}

http::response api_client::pass_through(const http::route_match& m, const std::string& target) const {
    if (!m.user) return http::error_response(401, "unauthorized", "sign in first");
    return api_.call_as(internal_request("GET", target, {}), *m.user);
}

}  // namespace dpmon::pages
