#include "routes.hpp"

namespace dpmon::daemon {

void add_api_routes(http::router& r, const api_context& ctx) {
    add_accounts_routes(r, ctx);
    add_flags_routes(r, ctx);
    add_imports_routes(r, ctx);
    add_reviews_routes(r, ctx);
    add_surplus_routes(r, ctx);
    add_audit_pack_routes(r, ctx);
    add_summary_routes(r, ctx);
    add_outbox_routes(r, ctx);
}

}  // namespace dpmon::daemon
