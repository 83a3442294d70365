#include "dpmon/core/metrics.hpp"

namespace dpmon::core {

void histogram::observe(double seconds) {
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        if (seconds <= bounds[i]) ++at_or_under[i];
    }
    sum += seconds;
    ++count;
}

void metrics::http_request(std::string_view route, std::string_view method, int status, double seconds) {
    std::lock_guard lock(mutex_);
    ++data_.http_requests[{std::string(route), std::string(method), status}];
    data_.http_seconds[std::string(route)].observe(seconds);
}

void metrics::import_done(std::string_view status, std::int64_t rows, double seconds) {
    std::lock_guard lock(mutex_);
    ++data_.imports[std::string(status)];
    if (rows > 0) data_.rows_imported += static_cast<std::uint64_t>(rows);
    data_.import_seconds.observe(seconds);
}

void metrics::reconciliation_done(bool full, double seconds) {
    std::lock_guard lock(mutex_);
    data_.reconciliation_seconds[full ? "full" : "accounts"].observe(seconds);
}

void metrics::smtp_attempt(std::string_view result) {
    std::lock_guard lock(mutex_);
    ++data_.smtp_attempts[std::string(result)];
}

metrics::copy metrics::read() const {
    std::lock_guard lock(mutex_);
    return data_;
}

}  // namespace dpmon::core
