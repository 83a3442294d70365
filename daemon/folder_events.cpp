#include "folder_events.hpp"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>

#include <cerrno>
#include <cstring>

namespace dpmon::daemon {

folder_events::folder_events(boost::asio::io_context& io, const std::vector<std::filesystem::path>& dirs,
                             std::function<void()> on_change)
    : stream_(io), on_change_(std::move(on_change)) {
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
        spdlog::warn("inotify is not available ({}); relying on the periodic rescan", std::strerror(errno));
        return;
    }
    stream_.assign(fd);
    for (const auto& dir : dirs) {
        if (::inotify_add_watch(fd, dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ATTRIB) < 0)
            spdlog::warn("cannot watch {} ({}); relying on the periodic rescan", dir.string(), std::strerror(errno));
    }
    read();
}

void folder_events::stop() {
    boost::system::error_code ec;
    stream_.close(ec);
}

void folder_events::read() {
    stream_.async_read_some(boost::asio::buffer(buffer_), [this](const boost::system::error_code& ec, std::size_t) {
        if (ec) {
            if (ec != boost::asio::error::operation_aborted && ec != boost::asio::error::bad_descriptor)
                spdlog::warn("inotify read failed ({}); relying on the periodic rescan", ec.message());
            return;
        }
        on_change_();  // the events themselves do not matter: the worker rescans the folders
        read();
    });
}

}  // namespace dpmon::daemon
