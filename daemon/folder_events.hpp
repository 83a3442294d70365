#pragma once
// folder_events: inotify on the drop folders, read through the event loop; every event calls `on_change`.

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <array>
#include <filesystem>
#include <functional>
#include <vector>

namespace dpmon::daemon {

class folder_events {
public:
    // Watches `dirs` for files closed after writing or moved in. Failure to watch is logged; the periodic
    // rescan still finds every file.
    folder_events(boost::asio::io_context& io, const std::vector<std::filesystem::path>& dirs,
                  std::function<void()> on_change);
    void stop();

private:
    void read();
    boost::asio::posix::stream_descriptor stream_;
    std::function<void()> on_change_;
    std::array<char, 8192> buffer_{};
};

}  // namespace dpmon::daemon
