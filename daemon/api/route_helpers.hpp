#pragma once
// Helpers the HTTP route files share: registering reads and writes (where they run, the role they need, the
// connection they get), JSON answers, storage failures, query parameters, pages and their cursors.

#include <boost/json/value.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dpmon/api/routes.hpp"
#include "dpmon/core/error.hpp"
#include "dpmon/core/user.hpp"
#include "dpmon/http/message.hpp"
#include "dpmon/http/router.hpp"

namespace dpmon::daemon {

using read_handler =
    std::function<http::response(const storage::database&, const http::request&, const http::route_match&)>;
using write_handler = std::function<http::response(storage::database&, const http::request&, const http::route_match&)>;

// A GET on the reader pool with this thread's read-only connection, under the query time limit, for any
// signed-in person (`needs`: read, unless said otherwise).
void add_read(http::router& r, const api_context& ctx, std::string_view pattern, read_handler fn,
              core::role needs = core::role::read);
// A write on the one writer thread, with the writer connection, for `needs` and above.
void add_write(http::router& r, const api_context& ctx, std::string_view method, std::string_view pattern, core::role needs,
               write_handler fn);

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

// 503: the database could not answer (a query stopped at the time limit says so and what to do).
http::response storage_failure(const error& e);

// A query parameter, or "" when absent.
std::string query(const http::route_match& m, const std::string& key);

// A path parameter as a positive id, or nullopt.
std::optional<std::int64_t> id_param(const http::route_match& m, const std::string& key);

// The error a module boundary gave, as its HTTP answer: 422, 404, 409, else 503.
http::response error_answer(const error& e);

// Who made a write: the signed-in person's name.
std::string signed_in(const http::route_match& m);

// A page asked for: `limit` (default 100, 1 to 1000) and the cursor's key parts (empty: the first page).
// The cursor is opaque to clients; it is a list's name and its key, hex-encoded, so a cursor from another
// list is refused.
struct page_request {
    std::int64_t limit = 100;
    std::vector<std::string> after;  // the last row's key, as the list's cursor holds it
};
// errc::invalid_argument naming `limit` or `cursor` when malformed; `key_parts` is how many parts the
// list's key has.
result<page_request> page_params(const http::route_match& m, std::string_view list, std::size_t key_parts);

// The answer for one page: {"<list>": rows, "next": cursor | null, plus `extra` fields} and, when there is
// a next page, a Link header to it (the request's URL with the cursor replaced). `rows` holds at most
// limit + 1 items (the caller asks for one more to know if there is a next page); `next_key` gives the
// key of the last row kept.
http::response page_answer(const http::request& req, std::string_view list, const page_request& page,
                           boost::json::array rows, const std::function<std::vector<std::string>(std::size_t)>& next_key,
                           boost::json::object extra = {});
// The same page from rows already serialised, each one JSON value (for lists whose rows are kept as JSON).
http::response page_answer(const http::request& req, std::string_view list, const page_request& page,
                           std::vector<std::string_view> rows,
                           const std::function<std::vector<std::string>(std::size_t)>& next_key, boost::json::object extra = {});

// A key part as a whole number, or nullopt.
std::optional<std::int64_t> to_int(const std::string& text);

// The cursor's key part `i` as a whole number: 0 on the first page (no cursor), errc::invalid_argument (saying
// what to send) when it is not one.
result<std::int64_t> cursor_number(const page_request& page, std::size_t i);

}  // namespace dpmon::daemon
