#pragma once
// folder_events: inotify on the drop folders, read through the event loop. A file closed after writing
// (IN_CLOSE_WRITE) or moved in (IN_MOVED_TO) is reported by path; any event wakes the worker.

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <array>
#include <filesystem>
#include <functional>
#include <map>
#include <vector>

namespace dpmon::daemon {

struct folder_event_handlers {
    std::function<void(const std::filesystem::path&)> closed;  // a file is complete: read it now
    std::function<void()> changed;                              // something happened: scan
    std::function<void(bool)> watched;                          // true once watching; false when events were lost
};

class folder_events {
public:
    // Watches `dirs`. Failure to watch is logged (and reported as not watched); the periodic rescan still
    // finds every file.
    folder_events(boost::asio::io_context& io, const std::vector<std::filesystem::path>& dirs,
                  folder_event_handlers handlers);
    void stop();

private:
    void read();
    void dispatch(std::size_t bytes);
    boost::asio::posix::stream_descriptor stream_;
    folder_event_handlers on_;
    std::map<int, std::filesystem::path> dirs_;  // watch descriptor -> folder
    alignas(8) std::array<char, 16384> buffer_{};
};

}  // namespace dpmon::daemon
