#include "route_helpers.hpp"

#include "dpmon/core/text.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <charconv>
#include <chrono>

namespace dpmon::daemon {
namespace {

constexpr std::int64_t default_limit = 100;
constexpr std::int64_t max_limit = 1000;
constexpr char unit_separator = '\x1f';  // between a cursor's parts

std::string to_hex(std::string_view text) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : text) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
    if (hex.size() % 2 != 0) return std::nullopt;
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        unsigned v = 0;
        if (auto [p, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, v, 16); ec != std::errc() || p != hex.data() + i + 2)
            return std::nullopt;
        out += static_cast<char>(v);
    }
    return out;
}

std::string encode_cursor(std::string_view list, const std::vector<std::string>& key) {
    std::string text(list);
    for (const auto& part : key) text += unit_separator + part;
    return to_hex(text);
}

}  // namespace

void add_read(http::router& r, const api_context& ctx, std::string_view pattern, read_handler fn, core::role needs) {
    r.add("GET", pattern,
          [&ctx, fn = std::move(fn)](const http::request& req, const http::route_match& m) {
              auto db = ctx.reader();
              if (!db) return storage_failure(db.error());
              (*db)->set_deadline(std::chrono::steady_clock::now() + ctx.query_time_limit());
              http::response res = fn(**db, req, m);
              (*db)->set_deadline(std::chrono::steady_clock::time_point::max());
              return res;
          },
          {needs, http::runs_on::readers});
}

void add_write(http::router& r, const api_context& ctx, std::string_view method, std::string_view pattern, core::role needs,
               write_handler fn) {
    r.add(method, pattern,
          [&ctx, fn = std::move(fn)](const http::request& req, const http::route_match& m) { return fn(ctx.writer, req, m); },
          {needs, http::runs_on::writer});
}

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
    return http::response{status, "application/json", boost::json::serialize(v), {}, {}};
}

http::response storage_failure(const error& e) {
    if (e.code == errc::timed_out) {
        return http::error_response(503, "query_timeout",
                                    "the database took longer than the time limit ([http] query_time_limit_ms) to answer and "
                                    "was stopped: ask for less (a smaller limit, a filter) or try again when it is less busy");
    }
    return http::error_response(503, "unavailable", e.message);
}

std::string query(const http::route_match& m, const std::string& key) {
    auto it = m.query.find(key);
    return it == m.query.end() ? std::string() : it->second;
}

std::optional<std::int64_t> to_int(const std::string& text) {
    std::int64_t v = 0;
    if (auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v); ec != std::errc() || p != text.data() + text.size())
        return std::nullopt;
    return v;
}

std::optional<std::int64_t> id_param(const http::route_match& m, const std::string& key) {
    const auto id = to_int(m.params.at(key));
    if (!id || *id <= 0) return std::nullopt;
    return id;
}

http::response error_answer(const error& e) {
    if (e.code == errc::invalid_argument) return http::error_response(422, "invalid", e.message);
    if (e.code == errc::not_found) return http::error_response(404, "not_found", e.message);
    if (e.code == errc::conflict) return http::error_response(409, "conflict", e.message);
    return storage_failure(e);
}

std::string signed_in(const http::route_match& m) { return m.user ? m.user->name : std::string(); }

namespace {

error foreign_cursor() {
    return make_error(errc::invalid_argument,
                      "cursor is not one this list gave: pass the \"next\" value of the previous page as it came, "
                      "or leave cursor out for the first page");
}

}  // namespace

result<std::int64_t> cursor_number(const page_request& page, std::size_t i) {
    if (page.after.empty()) return 0;
    const auto n = i < page.after.size() ? to_int(page.after[i]) : std::nullopt;
    if (!n) return foreign_cursor();
    return *n;
}

result<page_request> page_params(const http::route_match& m, std::string_view list, std::size_t key_parts) {
    page_request page;
    if (const std::string text = query(m, "limit"); !text.empty()) {
        const auto n = to_int(text);
        if (!n || *n < 1 || *n > max_limit)
            return make_error(errc::invalid_argument, "limit must be a whole number from 1 to 1000 (default 100)");
        page.limit = *n;
    }
    const std::string cursor = query(m, "cursor");
    if (cursor.empty()) return page;
    const auto bad = foreign_cursor();
    const auto text = from_hex(cursor);
    if (!text) return bad;
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t sep = text->find(unit_separator, start);
        parts.push_back(text->substr(start, sep == std::string::npos ? std::string::npos : sep - start));
        if (sep == std::string::npos) break;
        start = sep + 1;
    }
    if (parts.size() != key_parts + 1 || parts.front() != list) return bad;
    page.after.assign(parts.begin() + 1, parts.end());
    return page;
}

namespace {

// The "next" of a page: its cursor when the rows hold one more than the limit (the extra row dropped).
template <class Rows>
std::optional<std::string> trim_to_page(Rows& rows, std::string_view list, const page_request& page,
                                        const std::function<std::vector<std::string>(std::size_t)>& next_key) {
    if (static_cast<std::int64_t>(rows.size()) <= page.limit) return std::nullopt;
    rows.resize(static_cast<std::size_t>(page.limit));
    return encode_cursor(list, next_key(rows.size() - 1));
}

void add_next_link(http::response& res, const http::request& req, const std::optional<std::string>& next) {
    if (!next) return;
    if (auto parsed = boost::urls::parse_origin_form(req.target)) {
        boost::urls::url u(*parsed);
        u.params().set("cursor", *next);
        res.headers.emplace_back("Link", "<" + std::string(u.buffer()) + ">; rel=\"next\"");
    }
}

}  // namespace

http::response page_answer(const http::request& req, std::string_view list, const page_request& page,
                           boost::json::array rows, const std::function<std::vector<std::string>(std::size_t)>& next_key,
                           boost::json::object extra) {
    const auto next = trim_to_page(rows, list, page, next_key);
    boost::json::object o(std::move(extra), rows.storage());  // in the rows' storage, so they are moved, not copied
    o[list] = std::move(rows);
    o["next"] = next ? boost::json::value(*next) : boost::json::value(nullptr);
    http::response res = json(o);
    add_next_link(res, req, next);
    return res;
}

http::response page_answer(const http::request& req, std::string_view list, const page_request& page,
                           std::vector<std::string_view> rows,
                           const std::function<std::vector<std::string>(std::size_t)>& next_key, boost::json::object extra) {
    const auto next = trim_to_page(rows, list, page, next_key);
    // The same document as above, written around the rows: extra's fields, the list, then "next".
    std::size_t size = 64;
    for (const auto row : rows) size += row.size() + 1;
    std::string body = boost::json::serialize(extra);
    body.reserve(body.size() + size);
    body.pop_back();  // its closing brace
    if (!extra.empty()) body += ',';
    body += boost::json::serialize(boost::json::string_view(list));
    body += ":[";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i != 0) body += ',';
        body += rows[i];
    }
    body += "],\"next\":";
    body += next ? boost::json::serialize(boost::json::string_view(*next)) : std::string("null");
    body += '}';
    http::response res{200, "application/json", std::move(body), {}, {}};
    add_next_link(res, req, next);
    return res;
}

}  // namespace dpmon::daemon
