#include "dpmon/daemon/system_clock.hpp"

namespace dpmon::daemon {
namespace {

class system_clock final : public core::clock {
public:
    std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace

std::unique_ptr<core::clock> make_system_clock() { return std::make_unique<system_clock>(); }

}  // namespace dpmon::daemon
