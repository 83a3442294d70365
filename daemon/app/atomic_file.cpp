#include "dpmon/app/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace dpmon::daemon {

result<void> write_file_atomic(const std::filesystem::path& path, std::string_view bytes) {
    const std::filesystem::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp");
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    auto fail = [&](const char* doing) {
        const int saved = errno;
        if (fd >= 0) ::close(fd);
        ::unlink(tmp.c_str());
        return make_error(saved == ENOSPC ? errc::disk_full : errc::io_error,
                          std::string("cannot ") + doing + " " + path.string() + ": " + std::strerror(saved));
    };
    if (fd < 0) return fail("create");
    for (std::size_t done = 0; done < bytes.size();) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return fail("write");
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) return fail("write");
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int saved = errno;
        ::unlink(tmp.c_str());
        return make_error(saved == ENOSPC ? errc::disk_full : errc::io_error,
                          "cannot rename " + tmp.string() + " into place: " + std::strerror(saved));
    }
    return {};
}

}  // namespace dpmon::daemon
