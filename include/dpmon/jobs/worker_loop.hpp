#pragma once
// worker_loop: the thread behind each background job. It runs a round of work, then sleeps until it is
// woken (a file arrived, an alert was queued), stopped, or the deadline the round returned. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace dpmon::daemon {

class worker_loop {
public:
    // Does the work of one round; returns when the next round is due at the latest.
    using round_fn = std::function<std::chrono::steady_clock::time_point()>;

    worker_loop() = default;
    worker_loop(const worker_loop&) = delete;
    worker_loop& operator=(const worker_loop&) = delete;
    ~worker_loop() { stop(); }

    // Starts the thread; the first round runs at once.
    void start(round_fn round);
    // Asks for a round soon. Any thread.
    void wake();
    // Asks the thread to end after its current step (rounds poll stopping()); join() waits for it.
    void request_stop();
    void join();
    void stop() {
        request_stop();
        join();
    }
    bool stopping() const;

    // Runs `fn` under the loop's lock (to hand state to the thread) and wakes the thread.
    template <class Fn>
    void hand_over(Fn&& fn) {
        {
            std::lock_guard lock(mutex_);
            fn();
            woken_ = true;
        }
        cv_.notify_one();
    }

private:
    void run(const round_fn& round);

    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool woken_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace dpmon::daemon
