#pragma once
// GET /metrics: the Prometheus text exposition format (version 0.0.4), open like /healthz and answered on
// the event loop from memory: the counters the jobs and the server keep (core/metrics.hpp), the counts of the
// status snapshot (flags open by code, reviews due and overdue, outbox pending and failed), each health
// check, the process's resident memory and the database's size. No personal data, no per-account labels.

#include <cstdint>
#include <functional>

#include "dpmon/core/metrics.hpp"
#include "dpmon/core/status.hpp"
#include "dpmon/http/router.hpp"

namespace dpmon::http {

struct process_facts {
    std::int64_t resident_bytes = 0;  // VmRSS
    std::int64_t database_bytes = 0;  // the database file with its -wal
};

// Adds the route to `r`; every argument is borrowed and must outlive `r`. `facts` is called per scrape on
// the event loop: it must not wait (a stat of two files is fine).
void add_metrics_route(router& r, const core::metrics& m, core::status_query& source, std::function<process_facts()> facts);

// The exposition text itself (the route's body).
std::string render_metrics(const core::metrics::copy& m, const core::status_snapshot* counts,
                           const std::vector<core::health_check>& health, const process_facts& facts);

}  // namespace dpmon::http
