#include "dpmon/jobs/worker_loop.hpp"

namespace dpmon::daemon {

void worker_loop::start(round_fn round) {
    thread_ = std::thread([this, round = std::move(round)] { run(round); });
}

void worker_loop::run(const round_fn& round) {
    for (;;) {
        if (stopping()) return;
        const auto next = round();
        std::unique_lock lock(mutex_);
        cv_.wait_until(lock, next, [this] { return stopping_ || woken_; });
        if (stopping_) return;
        woken_ = false;
    }
}

void worker_loop::wake() {
    hand_over([] {});
}

void worker_loop::request_stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_one();
}

void worker_loop::join() {
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

bool worker_loop::stopping() const {
    std::lock_guard lock(mutex_);
    return stopping_;
}

}  // namespace dpmon::daemon
