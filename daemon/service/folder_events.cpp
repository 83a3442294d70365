#include "folder_events.hpp"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>

#include <cerrno>
#include <cstring>

namespace dpmon::daemon {

folder_events::folder_events(boost::asio::io_context& io, const std::vector<std::filesystem::path>& dirs,
                             folder_event_handlers handlers)
    : stream_(io), on_(std::move(handlers)) {
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
        spdlog::warn("inotify is not available ({}); relying on the periodic rescan", std::strerror(errno));
        return;
    }
    stream_.assign(fd);
    bool all = true;
    for (const auto& dir : dirs) {
        const int wd = ::inotify_add_watch(fd, dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ATTRIB);
        if (wd < 0) {
            spdlog::warn("cannot watch {} ({}); relying on the periodic rescan", dir.string(), std::strerror(errno));
            all = false;
            continue;
        }
        dirs_[wd] = dir;
    }
    on_.watched(all);
    read();
}

void folder_events::stop() {
    boost::system::error_code ec;
    stream_.close(ec);
}

void folder_events::read() {
    stream_.async_read_some(boost::asio::buffer(buffer_), [this](const boost::system::error_code& ec, std::size_t n) {
        if (ec) {
            if (ec != boost::asio::error::operation_aborted && ec != boost::asio::error::bad_descriptor) {
                spdlog::warn("inotify read failed ({}); relying on the periodic rescan", ec.message());
                on_.watched(false);
            }
            return;
        }
        dispatch(n);
        on_.changed();
        read();
    });
}

void folder_events::dispatch(std::size_t bytes) {
    for (std::size_t at = 0; at + sizeof(inotify_event) <= bytes;) {
        inotify_event ev{};
        std::memcpy(&ev, buffer_.data() + at, sizeof ev);
        const char* name = buffer_.data() + at + sizeof ev;
        at += sizeof ev + ev.len;
        if (ev.mask & IN_Q_OVERFLOW) {
            spdlog::warn("inotify queue overflowed; files are found by scans until dpmond restarts");
            on_.watched(false);
            continue;
        }
        if (!(ev.mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) || ev.len == 0) continue;
        auto dir = dirs_.find(ev.wd);
        if (dir != dirs_.end()) on_.closed(dir->second / std::string(name, ::strnlen(name, ev.len)));
    }
}

}  // namespace dpmon::daemon
