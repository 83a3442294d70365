#pragma once
// Helpers the HTTP route files share: JSON answers, storage failures, query parameters, the bearer token.

#include <boost/json/value.hpp>

#include <optional>
#include <string>

#include "dpmon/core/error.hpp"
#include "dpmon/http/message.hpp"
#include "dpmon/http/router.hpp"

namespace dpmon::daemon {

// A request's JSON body: `o` is the object, or nullptr when the body is not a JSON object.
struct json_body {
    explicit json_body(const http::request& req);
    // The string field `key`, or "" when absent or not a string.
    std::string text(const char* key) const;

    boost::json::value holder;
    const boost::json::object* o = nullptr;
};

// 200 with `v` as JSON (or `status`).
http::response json(const boost::json::value& v, int status = 200);

// 503: the database could not answer.
http::response storage_failure(const error& e);

// A query parameter, or "" when absent.
std::string query(const http::route_match& m, const std::string& key);

// 401 unless the request carries "Authorization: Bearer <token>"; nullopt when it does.
std::optional<http::response> refuse_unauthorised(const http::request& req, const std::string& token);

// A path parameter as a positive id, or nullopt.
std::optional<std::int64_t> id_param(const http::route_match& m, const std::string& key);

// The error a module boundary gave, as its HTTP answer: 422, 404, 409, else 503.
http::response error_answer(const error& e);

}  // namespace dpmon::daemon
