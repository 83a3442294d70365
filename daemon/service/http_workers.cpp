#include "http_workers.hpp"

#include <map>
#include <optional>

namespace dpmon::daemon {
namespace {

// Each reader thread's connections, by database (one in dpmond; tests may run several services).
thread_local std::map<std::filesystem::path, storage::database> reader_connections;

}  // namespace

http_workers::http_workers(std::filesystem::path db_path, std::size_t readers)
    : db_path_(std::move(db_path)), readers_(readers) {}

http_workers::~http_workers() { stop(); }

http::handler_executors http_workers::executors() {
    return http::handler_executors{readers_.get_executor(), writer_.get_executor()};
}

result<storage::database*> http_workers::reader() {
    auto it = reader_connections.find(db_path_);
    if (it == reader_connections.end()) {
        auto db = storage::database::open_reader(db_path_, false);
        if (!db) return db.error();
        it = reader_connections.emplace(db_path_, std::move(*db)).first;
    }
    return &it->second;
}

void http_workers::stop() {
    readers_.stop();
    writer_.stop();
    readers_.join();
    writer_.join();
}

}  // namespace dpmon::daemon
