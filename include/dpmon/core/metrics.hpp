#pragma once
// The service's own counters, for GET /metrics (docs/operations.md#metrics): imports by status with their rows
// and durations, full and partial reconciliations, SMTP attempts by result, HTTP requests by route and status
// with their durations. Labels are kinds and route patterns, never references or names: no personal data,
// and a bounded number of series. Thread-safe: the jobs and the HTTP server record, the metrics route reads.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace dpmon::core {

// Counts of observations at or under each bound (seconds), their sum and their count.
struct histogram {
    static constexpr std::array<double, 12> bounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30};
    std::array<std::uint64_t, bounds.size()> at_or_under{};
    double sum = 0;
    std::uint64_t count = 0;
    void observe(double seconds);
};

class metrics {
public:
    void http_request(std::string_view route, std::string_view method, int status, double seconds);
    // status: "imported", "duplicate", "rejected", "failed" (not taken: retried).
    void import_done(std::string_view status, std::int64_t rows, double seconds);
    void reconciliation_done(bool full, double seconds);
    // result: "sent", "temporary_failure", "permanent_failure".
    void smtp_attempt(std::string_view result);

    struct copy {
        std::map<std::string, std::uint64_t> imports;  // by status
        std::uint64_t rows_imported = 0;
        histogram import_seconds;
        std::map<std::string, histogram> reconciliation_seconds;  // "full", "accounts"
        std::map<std::string, std::uint64_t> smtp_attempts;       // by result
        std::map<std::tuple<std::string, std::string, int>, std::uint64_t> http_requests;  // route, method, status
        std::map<std::string, histogram> http_seconds;                                     // by route
    };
    copy read() const;

private:
    mutable std::mutex mutex_;
    copy data_;
};

}  // namespace dpmon::core
