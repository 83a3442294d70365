#pragma once
// http_server: accepts connections on one address and serves them with a router, with limits on every
// request. The io_context thread parses, routes and writes; handlers run where their route says (a pool of
// readers, one writer), so a slow query never holds the loop. Beast stays inside server.cpp.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "dpmon/core/error.hpp"
#include "dpmon/core/metrics.hpp"
#include "dpmon/http/router.hpp"

namespace boost::asio {
class io_context;
}

namespace dpmon::http {

struct server_options {
    std::string address = "127.0.0.1";  // an IP literal: "127.0.0.1", "::1"
    std::uint16_t port = 8080;          // 0: any free port (see local_port())
    std::size_t header_limit = 8 * 1024;
    std::size_t body_limit = 1024 * 1024;
    std::chrono::milliseconds read_timeout{10'000};  // a request must arrive whole within this
    std::chrono::milliseconds idle_timeout{30'000};  // a kept-alive connection may wait this long for the next
    std::size_t max_connections = 64;                // beyond this, new connections get 503 and are closed
    core::metrics* metrics = nullptr;                // counts each request by route pattern, when set
};

// Where handlers run (runs_on::readers, runs_on::writer); nullopt runs them on the io_context thread.
struct handler_executors {
    std::optional<boost::asio::any_io_executor> readers;
    std::optional<boost::asio::any_io_executor> writer;
};

class http_server {
public:
    virtual ~http_server() = default;
    // The bound port (useful when options.port was 0).
    virtual std::uint16_t local_port() const = 0;
    // Closes the listener and every open connection; sessions end without further responses. Call on the
    // io_context thread. Idempotent.
    virtual void stop() = 0;
    // Open connections right now.
    virtual std::size_t connections() const = 0;
};

// Binds, listens and starts accepting on `io`. `routes` is borrowed and must outlive the server and any
// handler run by `io`. errc::io_error names the address when it is not an IP literal or cannot be bound.
result<std::unique_ptr<http_server>> start_http_server(boost::asio::io_context& io, const server_options& options,
                                                       const router& routes, handler_executors executors = {});

}  // namespace dpmon::http
