#pragma once
// clock: where "now" comes from. Core never reads the system clock; callers pass a clock (or a reading)
// in, so tests can run on any day, across DST changes and on 29 February.

#include <chrono>

namespace dpmon::core {

class clock {
public:
    virtual ~clock() = default;
    // The current instant. Implementations are safe to call from any thread.
    virtual std::chrono::system_clock::time_point now() const = 0;
};

}  // namespace dpmon::core
