#include "dpmon/http/request_parse.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "beast_request.hpp"

namespace dpmon::http {

namespace bhttp = boost::beast::http;

request to_request(const bhttp::request<bhttp::string_body>& r) {
    auto field = [&](bhttp::field f) { return std::string(r[f]); };
    return request{std::string(r.method_string()),
                   std::string(r.target()),
                   field(bhttp::field::host),
                   field(bhttp::field::origin),
                   field(bhttp::field::authorization),
                   field(bhttp::field::content_type),
                   r.body(),
                   field(bhttp::field::cookie)};
}

std::optional<request> parse_request(std::string_view bytes, std::size_t header_limit, std::uint64_t body_limit) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(header_limit));
    parser.body_limit(body_limit);
    parser.eager(true);
    boost::system::error_code ec;
    std::size_t used = 0;
    while (!parser.is_done() && used < bytes.size()) {
        const std::size_t n = parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
        if (ec == bhttp::error::need_more) ec = {};
        if (ec || n == 0) break;
        used += n;
    }
    if (!parser.is_done() && !ec) parser.put_eof(ec);
    if (ec || !parser.is_done()) return std::nullopt;
    const auto& req = parser.get();
    const std::size_t hosts = req.count(bhttp::field::host);
    if (hosts > 1 || (hosts == 0 && req.version() >= 11)) return std::nullopt;
    return to_request(req);
}

}  // namespace dpmon::http
