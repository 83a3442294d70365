#pragma once
// status_query: what the service reports about itself (GET /healthz, GET /api/v1/status, `dpmon status`).
// Declared in core so the HTTP layer depends on this interface, not on storage.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "dpmon/core/error.hpp"

namespace dpmon::core {

struct status_snapshot {
    std::string version;
    std::chrono::system_clock::time_point started_at;
    std::int64_t schema_version = 0;
    std::int64_t config_generation = 0;  // 1 at start, +1 for each accepted reload (SIGHUP)
    std::chrono::system_clock::time_point config_loaded_at;
    std::int64_t accounts = 0;
    std::int64_t transactions = 0;
    std::int64_t imports = 0;
    std::string last_import_at;  // UTC, ISO 8601; empty before the first import
    std::map<std::string, std::int64_t> open_flags_by_code;
    std::int64_t reviews_due = 0;
    std::int64_t reviews_overdue = 0;
    std::int64_t outbox_pending = 0;
    std::int64_t outbox_failed = 0;
};

class status_query {
public:
    virtual ~status_query() = default;
    // Succeeds when the database answers a trivial query. Called on the event-loop thread.
    virtual result<void> ping() = 0;
    // The figures above; errc::database_error when the database cannot be read.
    virtual result<status_snapshot> status() = 0;
    // Why the service is working but not well (alerts that failed for good), or "" when it is well.
    virtual result<std::string> degraded() { return std::string(); }
};

}  // namespace dpmon::core
