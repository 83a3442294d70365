#pragma once
// parse_request: one whole HTTP/1.x request from raw bytes, as the server reads it off a connection (the
// same parser, limits and Host rule), for the fuzzer and tests of the request path without a socket.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "dpmon/http/message.hpp"

namespace dpmon::http {

// The request in `bytes`, or nullopt for anything the server refuses before routing: malformed, cut short,
// a header over `header_limit` bytes or a body over `body_limit`, no Host header in HTTP/1.1, or two.
std::optional<request> parse_request(std::string_view bytes, std::size_t header_limit, std::uint64_t body_limit);

}  // namespace dpmon::http
