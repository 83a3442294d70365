#include "route_helpers.hpp"

#include "dpmon/core/text.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>

namespace dpmon::daemon {
namespace {

// Compares without stopping at the first difference, so timing says nothing about the token.
bool same_secret(std::string_view a, std::string_view b) {
    unsigned diff = a.size() == b.size() ? 0u : 1u;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned>(a[i] ^ (i < b.size() ? b[i] : 0));
    return diff == 0;
}

}  // namespace

json_body::json_body(const http::request& req) {
    boost::system::error_code ec;
    holder = boost::json::parse(req.body, ec);
    if (!ec) o = holder.if_object();
}

std::string json_body::text(const char* key) const {
    const auto* v = o ? o->if_contains(key) : nullptr;
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

http::response json(const boost::json::value& v, int status) {
    return http::response{status, "application/json", boost::json::serialize(v), {}};
}

http::response storage_failure(const error& e) { return http::error_response(503, "unavailable", e.message); }

std::string query(const http::route_match& m, const std::string& key) {
    auto it = m.query.find(key);
    return it == m.query.end() ? std::string() : it->second;
}

// 401 unless the request carries "Authorization: Bearer <token>"; nullopt when it does.
std::optional<http::response> refuse_unauthorised(const http::request& req, const std::string& token) {
    if (token.empty()) {
        return http::error_response(401, "unauthorized",
                                    "writes are disabled: no API token is set (put one in the file named by [http] token_file)");
    }
    // The scheme is case-insensitive (RFC 9110 §11.1): "Bearer", "bearer" and "BEARER" all do.
    constexpr std::string_view prefix = "bearer ";
    const std::string_view auth = req.authorization;
    if (auth.size() <= prefix.size() || !core::iequals(auth.substr(0, prefix.size()), prefix) ||
        !same_secret(auth.substr(prefix.size()), token)) {
        auto res = http::error_response(401, "unauthorized", "this needs the header Authorization: Bearer <API token>");
        res.headers.emplace_back("WWW-Authenticate", "Bearer");
        return res;
    }
    return std::nullopt;
}

std::optional<std::int64_t> id_param(const http::route_match& m, const std::string& key) {
    std::int64_t id = 0;
    const std::string& text = m.params.at(key);
    if (auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
        ec != std::errc() || p != text.data() + text.size() || id <= 0)
        return std::nullopt;
    return id;
}

http::response error_answer(const error& e) {
    if (e.code == errc::invalid_argument) return http::error_response(422, "invalid", e.message);
    if (e.code == errc::not_found) return http::error_response(404, "not_found", e.message);
    if (e.code == errc::conflict) return http::error_response(409, "conflict", e.message);
    return storage_failure(e);
}

}  // namespace dpmon::daemon
