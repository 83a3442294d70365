#include "dpmon/http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <array>
#include <functional>
#include <optional>
#include <unordered_set>

#include "beast_request.hpp"

namespace dpmon::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
// Connections accepted over max_connections to answer GET /healthz alone, each for at most a second: a
// client holding every regular connection (or flooding these) cannot keep health checks out for longer.
constexpr std::size_t health_reserve = 256;

struct shared_state {
    shared_state(asio::io_context& io, server_options opts, const router& r, handler_executors ex)
        : acceptor(io), options(std::move(opts)), routes(r), executors(std::move(ex)) {}
    tcp::acceptor acceptor;
    server_options options;
    const router& routes;
    handler_executors executors;
    std::unordered_set<beast::tcp_stream*> sessions;
    std::unordered_set<beast::tcp_stream*> reserve_sessions;  // over the cap: /healthz only
    bool stopping = false;
};

template <class Result>
asio::awaitable<Result> call_on_pool(const std::function<Result()>* fn) {
    co_return (*fn)();
}

// Runs `fn` where its route says, the caller's coroutine waiting meanwhile. `fn` is the caller's (no copy,
// and no lambda captures in a coroutine frame, which GCC 12 destroys twice).
template <class Result>
asio::awaitable<Result> run_on(const shared_state& st, runs_on where, const std::function<Result()>& fn) {
    std::optional<asio::any_io_executor> ex;
    if (where == runs_on::readers) ex = st.executors.readers;
    if (where == runs_on::writer) ex = st.executors.writer;
    if (!ex) co_return fn();
    Result r = co_await asio::co_spawn(*ex, call_on_pool<Result>(&fn), asio::use_awaitable);
    co_return r;
}

void count_request(const shared_state& st, const std::string& route, const std::string& method, int status,
                   std::chrono::steady_clock::time_point started) {
    if (!st.options.metrics) return;
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    st.options.metrics->http_request(route, method, status, took.count());
}

void set_common_headers(bhttp::response_header<>& out, const response& res) {
    out.set(bhttp::field::server, "dpmon");
    out.set(bhttp::field::content_type, res.content_type);
    out.set(bhttp::field::cache_control, "no-store");
    out.set("X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : res.headers) {
        if (beast::iequals(name, "Set-Cookie")) {
            out.insert(name, value);  // one header per cookie
        } else {
            out.set(name, value);
        }
    }
}

bhttp::response<bhttp::string_body> to_beast(const response& res, unsigned version, bool keep_alive, bool head) {
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), version};
    set_common_headers(out.base(), res);
    out.keep_alive(keep_alive);
    out.body() = res.body;
    out.prepare_payload();
    if (head) out.body().clear();  // Content-Length stays that of the GET response
    return out;
}

// After an error response, stop sending, then read and discard what the client is still sending for a
// moment, so that closing does not reset the connection before the client has read the response.
asio::awaitable<void> linger_and_close(beast::tcp_stream& stream) {
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    std::array<char, 16 * 1024> sink{};
    std::size_t total = 0;
    stream.expires_after(std::chrono::seconds(2));
    while (total < 4 * 1024 * 1024) {
        auto [rec, n] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
        if (rec) break;
        total += n;
    }
    stream.socket().close(ec);
}

asio::awaitable<void> write_error_and_close(beast::tcp_stream& stream, int status, std::string_view code,
                                            std::string_view message) {
    auto res = to_beast(error_response(status, code, message), 11, false, false);
    stream.expires_after(std::chrono::seconds(5));
    auto [ec, n] = co_await bhttp::async_write(stream, res, use_tuple);
    if (!ec) co_await linger_and_close(stream);
}

// Sends a streamed answer chunked, each piece read where the route runs. False when the connection broke
// or the producer failed: the session then ends (a cut chunked answer tells the client it is incomplete).
asio::awaitable<bool> write_streamed(beast::tcp_stream& stream, const shared_state& st, runs_on where, response& res,
                                     unsigned version, bool keep_alive, bool head) {
    bhttp::response<bhttp::empty_body> out{static_cast<bhttp::status>(res.status), version};
    set_common_headers(out.base(), res);
    out.keep_alive(keep_alive);
    out.chunked(true);
    bhttp::response_serializer<bhttp::empty_body> sr{out};
    stream.expires_after(std::chrono::seconds(30));
    if (auto [ec, n] = co_await bhttp::async_write_header(stream, sr, use_tuple); ec) co_return false;
    if (head) co_return true;
    for (;;) {
        std::optional<std::string> piece;
        try {
            piece = co_await run_on<std::optional<std::string>>(st, where, res.next_chunk);
        } catch (const std::exception&) {
            co_return false;
        }
        stream.expires_after(std::chrono::seconds(30));
        if (!piece) {
            auto [ec, n] = co_await asio::async_write(stream, bhttp::make_chunk_last(), use_tuple);
            co_return !ec;
        }
        if (piece->empty()) continue;
        if (auto [ec, n] = co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(*piece)), use_tuple); ec)
            co_return false;
    }
}

// A session serves requests until the client closes or idles. A `limited` one (accepted over the
// connection cap, within the health reserve) answers one GET /healthz, with a short read timeout, and 503
// for anything else: a client holding every connection open cannot hide the service's health.
asio::awaitable<void> run_session(std::shared_ptr<shared_state> st, tcp::socket socket, bool limited) {
    beast::tcp_stream stream(std::move(socket));
    auto& registry = limited ? st->reserve_sessions : st->sessions;
    registry.insert(&stream);
    struct unregister {
        std::unordered_set<beast::tcp_stream*>& s;
        beast::tcp_stream* p;
        ~unregister() { s.erase(p); }
    } guard{registry, &stream};

    beast::flat_buffer buffer;
    for (bool first = true; !st->stopping; first = false) {
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(st->options.header_limit));
        parser.body_limit(st->options.body_limit);
        stream.expires_after(limited ? std::chrono::seconds(1) : first ? st->options.read_timeout : st->options.idle_timeout);
        auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
        if (ec == bhttp::error::header_limit) {
            co_await write_error_and_close(stream, 431, "header_too_large", "the request header is larger than 8 KiB");
            co_return;
        }
        if (ec == bhttp::error::body_limit) {
            co_await write_error_and_close(stream, 413, "body_too_large", "the request body is larger than the limit");
            co_return;
        }
        if (ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == beast::error::timeout ||
            ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
            co_return;
        }
        if (ec) {
            co_await write_error_and_close(stream, 400, "bad_request", "malformed HTTP request: " + ec.message());
            co_return;
        }

        const auto& req = parser.get();
        // RFC 9112 §3.2: an HTTP/1.1 request has exactly one Host header; otherwise 400.
        const std::size_t hosts = req.count(bhttp::field::host);
        if (hosts > 1 || (hosts == 0 && req.version() >= 11)) {
            co_await write_error_and_close(stream, 400, "bad_request",
                                           hosts > 1 ? "the request has more than one Host header"
                                                     : "the request has no Host header (HTTP/1.1 needs one)");
            co_return;
        }
        if (limited && parser.get().target() != "/healthz") {
            co_await write_error_and_close(stream, 503, "too_many_connections",
                                           "the server has too many open connections; try again shortly");
            co_return;
        }
        const bool keep_alive = req.keep_alive() && !st->stopping && !limited;
        const bool head = req.method() == bhttp::verb::head;
        const auto started = std::chrono::steady_clock::now();
        dispatch d = st->routes.route(to_request(req));
        response answer;
        if (d.answer) {
            answer = std::move(*d.answer);
        } else {
            // (Not a conditional expression: GCC 12 mishandles co_await inside one.)
            answer = co_await run_on<response>(*st, d.where, d.call);
        }
        if (st->stopping) break;
        const std::string method(req.method_string());
        if (answer.next_chunk) {
            const bool whole = co_await write_streamed(stream, *st, d.where, answer, req.version(), keep_alive, head);
            count_request(*st, d.route, method, answer.status, started);
            if (!whole || !keep_alive) break;
            continue;
        }
        auto res = to_beast(answer, req.version(), keep_alive, head);
        stream.expires_after(std::chrono::seconds(30));
        auto [wec, wn] = co_await bhttp::async_write(stream, res, use_tuple);
        count_request(*st, d.route, method, answer.status, started);
        if (wec || !keep_alive) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.socket().close(ignored);
}

asio::awaitable<void> refuse(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    co_await write_error_and_close(stream, 503, "too_many_connections",
                                   "the server has too many open connections; try again shortly");
}

asio::awaitable<void> accept_loop(std::shared_ptr<shared_state> st) {
    auto executor = co_await asio::this_coro::executor;
    while (!st->stopping) {
        auto [ec, socket] = co_await st->acceptor.async_accept(use_tuple);
        if (st->stopping || ec == asio::error::operation_aborted) co_return;
        if (ec) {
            // Out of descriptors or similar: pause rather than spin.
            asio::steady_timer pause(executor, std::chrono::milliseconds(100));
            co_await pause.async_wait(use_tuple);
            continue;
        }
        if (st->sessions.size() >= st->options.max_connections) {
            if (st->reserve_sessions.size() < health_reserve) {
                asio::co_spawn(executor, run_session(st, std::move(socket), true), asio::detached);
            } else {
                asio::co_spawn(executor, refuse(std::move(socket)), asio::detached);
            }
            continue;
        }
        asio::co_spawn(executor, run_session(st, std::move(socket), false), asio::detached);
    }
}

class beast_server final : public http_server {
public:
    explicit beast_server(std::shared_ptr<shared_state> st) : state_(std::move(st)) {}
    ~beast_server() override { stop(); }

    std::uint16_t local_port() const override { return port_; }
    std::size_t connections() const override { return state_->sessions.size(); }

    void stop() override {
        if (state_->stopping) return;
        state_->stopping = true;
        beast::error_code ec;
        state_->acceptor.close(ec);
        for (auto* set : {&state_->sessions, &state_->reserve_sessions}) {
            for (beast::tcp_stream* s : *set) {
                s->socket().shutdown(tcp::socket::shutdown_both, ec);
                s->socket().close(ec);
            }
        }
    }

    std::uint16_t port_ = 0;

private:
    std::shared_ptr<shared_state> state_;
};

}  // namespace

result<std::unique_ptr<http_server>> start_http_server(asio::io_context& io, const server_options& options,
                                                       const router& routes, handler_executors executors) {
    auto fail = [&](const std::string& why) {
        return make_error(errc::io_error, "cannot listen on " + options.address + ":" + std::to_string(options.port) +
                                              ": " + why);
    };
    beast::error_code ec;
    const auto address = asio::ip::make_address(options.address, ec);
    if (ec) return fail("'" + options.address + "' is not an IP address (use 127.0.0.1 or ::1)");

    auto st = std::make_shared<shared_state>(io, options, routes, std::move(executors));
    const tcp::endpoint endpoint(address, options.port);
    st->acceptor.open(endpoint.protocol(), ec);
    if (!ec) st->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) st->acceptor.bind(endpoint, ec);
    if (!ec) st->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return fail(ec.message());

    auto server = std::make_unique<beast_server>(st);
    server->port_ = st->acceptor.local_endpoint().port();
    asio::co_spawn(io, accept_loop(st), asio::detached);
    return std::unique_ptr<http_server>(std::move(server));
}

}  // namespace dpmon::http
