#pragma once
// Each feature's routes (daemon/api/<feature>_routes.cpp); add_api_routes adds them all.

#include "dpmon/api/routes.hpp"

namespace dpmon::daemon {

void add_accounts_routes(http::router& r, const api_context& ctx);
void add_flags_routes(http::router& r, const api_context& ctx);
void add_imports_routes(http::router& r, const api_context& ctx);
void add_reviews_routes(http::router& r, const api_context& ctx);
void add_surplus_routes(http::router& r, const api_context& ctx);
void add_audit_pack_routes(http::router& r, const api_context& ctx);
void add_summary_routes(http::router& r, const api_context& ctx);
void add_outbox_routes(http::router& r, const api_context& ctx);

}  // namespace dpmon::daemon
