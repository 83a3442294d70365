#pragma once
// http_workers: the threads HTTP handlers run on, so the event loop never waits on SQLite. A pool of reader
// threads, each with its own read-only connection (opened on its first request, without memory mapping so
// pages read stay out of dpmond's memory), and one writer thread, the only user of the service's connection
// while HTTP runs (the drop-folder and outbox workers have their own; SQLite's busy timeout orders them).

#include <boost/asio/thread_pool.hpp>

#include <cstddef>
#include <filesystem>

#include "dpmon/core/error.hpp"
#include "dpmon/http/server.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::daemon {

class http_workers {
public:
    http_workers(std::filesystem::path db_path, std::size_t readers);
    ~http_workers();
    http_workers(const http_workers&) = delete;
    http_workers& operator=(const http_workers&) = delete;

    http::handler_executors executors();
    // The calling reader thread's connection, opened on first use. Call only on a reader thread.
    result<storage::database*> reader();
    // Runs `fn` on a reader thread (health refreshes, status).
    template <class Fn>
    void post_read(Fn&& fn);
    // Waits for work in hand to finish; later posts are dropped.
    void stop();

private:
    std::filesystem::path db_path_;
    boost::asio::thread_pool readers_;
    boost::asio::thread_pool writer_{1};
};

}  // namespace dpmon::daemon

#include <boost/asio/post.hpp>

template <class Fn>
void dpmon::daemon::http_workers::post_read(Fn&& fn) {
    boost::asio::post(readers_, std::forward<Fn>(fn));
}
