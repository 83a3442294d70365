#pragma once
// bounded_queue: hands items from one thread to another, at most `capacity` waiting, so a fast producer
// cannot run ahead of a slow consumer (the import's parsing thread and its storing thread; the full
// reconciliation's reading thread and its writing thread).

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>

namespace dpmon::daemon {

template <class T>
class bounded_queue {
public:
    explicit bounded_queue(std::size_t capacity) : capacity_(capacity) {}

    // Producer: waits for room; false once the queue is stopped (the consumer gave up).
    bool push(T item) {
        std::unique_lock lock(mutex_);
        not_full_.wait(lock, [&] { return stopped_ || items_.size() < capacity_; });
        if (stopped_) return false;
        items_.push_back(std::move(item));
        not_empty_.notify_one();
        return true;
    }

    // Consumer: the next item; nullopt once the producer closed the queue and all was taken, once it is
    // stopped, or as soon as `cancelled` (polled every 100 ms while waiting) says so.
    std::optional<T> pop(const std::function<bool()>& cancelled = {}) {
        std::unique_lock lock(mutex_);
        const auto ready = [&] { return stopped_ || closed_ || !items_.empty(); };
        while (!not_empty_.wait_for(lock, std::chrono::milliseconds(100), ready)) {
            if (cancelled && cancelled()) return std::nullopt;
        }
        if (stopped_ || items_.empty()) return std::nullopt;
        T item = std::move(items_.front());
        items_.pop_front();
        not_full_.notify_one();
        return item;
    }

    // Producer: no more items.
    void close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        not_empty_.notify_all();
    }

    // Either side: stop now; waiting pushes and pops return at once.
    void stop() {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        not_full_.notify_all();
        not_empty_.notify_all();
    }

    bool stopped() const {
        std::lock_guard lock(mutex_);
        return stopped_;
    }

private:
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::condition_variable not_full_, not_empty_;
    std::deque<T> items_;
    bool closed_ = false;
    bool stopped_ = false;
};

}  // namespace dpmon::daemon
