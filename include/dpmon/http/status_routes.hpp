#pragma once
// GET /healthz and GET /api/v1/status.

#include "dpmon/core/status.hpp"
#include "dpmon/http/router.hpp"

namespace dpmon::http {

// Adds the two routes to `r`. `source` is borrowed and must outlive `r`.
//   /healthz         open to anyone, answered on the event loop from what source.health() keeps in memory:
//                    {"status": "ok"|"degraded"|"failing", "checks": [{"name","status","detail","since","last_ok"}]},
//                    200 unless failing (503); no personal data
//   /api/v1/status   for a signed-in reader, on the event loop from source.status() (memory, never the
//                    database): the snapshot as JSON with counts_as_of, 503 when it is not there yet
void add_status_routes(router& r, core::status_query& source);

}  // namespace dpmon::http
