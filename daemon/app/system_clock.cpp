#include "dpmon/app/system_clock.hpp"

#include "dpmon/core/civil_date.hpp"

namespace dpmon::daemon {
namespace {

class real_clock final : public core::clock {
public:
    std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace

std::unique_ptr<core::clock> make_system_clock() { return std::make_unique<real_clock>(); }

const core::clock& system_clock() {
    static const real_clock instance;
    return instance;
}

std::string now_utc() { return core::format_utc_timestamp(system_clock().now()); }

}  // namespace dpmon::daemon
