#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "dpmon/alerts/sender.hpp"

namespace dpmon::alerts {
namespace {

bool make_dir(const std::filesystem::path& p) {
    if (::mkdir(p.c_str(), 0700) == 0 || errno == EEXIST) return true;
    return false;
}

bool sync_dir(const std::filesystem::path& p) {
    const int fd = ::open(p.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

class maildir_sender final : public mail_sender {
public:
    explicit maildir_sender(std::filesystem::path dir) : dir_(std::move(dir)) {}

    send_result send(const outgoing& m) override {
        for (const char* sub : {"", "tmp", "new", "cur"}) {
            if (!make_dir(dir_ / sub)) return fail("cannot create " + (dir_ / sub).string());
        }
        // One name per outbox message: written again after a crash, it replaces itself.
        const std::string name = "dpmon-" + std::to_string(m.id) + ".eml";
        const auto tmp = dir_ / "tmp" / name;
        const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) return fail("cannot write " + tmp.string());
        std::size_t done = 0;
        while (done < m.message.size()) {
            const ssize_t n = ::write(fd, m.message.data() + done, m.message.size() - done);
            if (n < 0) {
                if (errno == EINTR) continue;
                ::close(fd);
                return fail("cannot write " + tmp.string());
            }
            done += static_cast<std::size_t>(n);
        }
        const bool synced = ::fsync(fd) == 0;
        ::close(fd);
        if (!synced) return fail("cannot flush " + tmp.string());
        if (::rename(tmp.c_str(), (dir_ / "new" / name).c_str()) != 0) return fail("cannot move the message into new/");
        sync_dir(dir_ / "tmp");
        sync_dir(dir_ / "new");
        return {send_outcome::sent, 0, "written to " + (dir_ / "new" / name).string()};
    }

private:
    send_result fail(const std::string& what) { return {send_outcome::retry, 0, what + ": " + std::strerror(errno)}; }
    std::filesystem::path dir_;
};

}  // namespace

std::unique_ptr<mail_sender> make_maildir_sender(const std::filesystem::path& maildir) {
    return std::make_unique<maildir_sender>(maildir);
}

}  // namespace dpmon::alerts
