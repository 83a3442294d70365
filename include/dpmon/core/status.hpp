#pragma once
// status_query: what the service reports about itself (GET /healthz, GET /api/v1/status, `dpmon status`).
// Declared in core so the HTTP layer depends on this interface, not on storage.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
    std::chrono::system_clock::time_point counts_as_of;  // when the counts above were read
};

// The health contract of GET /healthz, settled once: three states, the worst check decides. Later work
// adds checks, never states.
//   ok        everything works
//   degraded  the service runs, but something needs a person (imports failing, disk nearly full, alerts
//             not sent); HTTP 200
//   failing   the service cannot do its job (the database does not answer); HTTP 503
enum class health_state { ok, degraded, failing };

std::string_view to_string(health_state s);

struct health_check {
    std::string name;    // "database", "disk", "imports", "reconciliation", "outbox", ...
    health_state state = health_state::ok;
    std::string detail;  // what is wrong and what to do; empty when ok
    std::string since;   // UTC ISO 8601: when the check entered this state
    std::string last_ok;  // UTC ISO 8601: when it last reported success (an import, a full pass); empty: not yet
};

// The worst state among `checks` (ok for none).
health_state overall(const std::vector<health_check>& checks);

class status_query {
public:
    virtual ~status_query() = default;
    // The figures above, from memory (called on the event-loop thread); an error when none are gathered yet.
    virtual result<status_snapshot> status() = 0;
    // Every health check from memory, never the database (called on the event-loop thread for each /healthz).
    virtual std::vector<health_check> health() = 0;
};

}  // namespace dpmon::core
