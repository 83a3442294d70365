// GET /api/v1/summary: the caseload in figures.
#include "routes.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "dpmon/app/system_clock.hpp"
#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/text.hpp"
#include "dpmon/views/views.hpp"
#include "route_helpers.hpp"
#include <map>

#include "dpmon/core/money.hpp"
#include "dpmon/storage/accounts.hpp"
#include "dpmon/storage/outbox_store.hpp"
#include "dpmon/storage/review_store.hpp"
#include "dpmon/storage/surplus_store.hpp"

namespace dpmon::daemon {

void add_summary_routes(http::router& r, const api_context& ctx) {
    storage::database& db = ctx.db;
    const auto today = ctx.today;
    r.add("GET", "/api/v1/summary", [&db, today](const http::request&, const http::route_match&) {
        const std::string day = core::format_iso_date(today());
        auto rows = storage::list_account_rows(db);
        if (!rows) return storage_failure(rows.error());
        auto exempt = exemptions_in_force(db, day);
        if (!exempt) return storage_failure(exempt.error());
        std::map<std::string, std::int64_t> by_flag;
        std::int64_t recoverable = 0, exempt_total = 0, no_statement = 0, active = 0;
        for (const auto& row : *rows) {
            if (row.account.status == "active") ++active;
            for (const auto& c : row.open_flags) ++by_flag[c];
            if (std::find(row.open_flags.begin(), row.open_flags.end(), "STATEMENT_OVERDUE") != row.open_flags.end()) ++no_statement;
            if (!row.status) continue;
            if (exempt->count(row.account.account_ref)) exempt_total += row.status->recoverable_pence;
            else recoverable += row.status->recoverable_pence;
        }
        auto recs = storage::list_recoveries(db, 0, "");
        if (!recs) return storage_failure(recs.error());
        std::map<std::string, std::pair<std::int64_t, std::int64_t>> by_state;
        for (const auto& rec : *recs) {
            auto& s = by_state[rec.state];
            ++s.first;
            s.second += rec.state == "recovered" || rec.state == "offset" ? rec.closed_amount_pence : rec.amount_pence;
        }
        boost::json::object flags, states;
        for (const auto& [c, n] : by_flag) flags[c] = n;
        for (const auto& [s, v] : by_state)
            states[s] = boost::json::object{{"count", v.first}, {"amount", core::money::from_pence(v.second).to_decimal()}};
        auto reviews = storage::count_reviews(db, day);
        if (!reviews) return storage_failure(reviews.error());
        auto outbox = storage::count_outbox(db);
        if (!outbox) return storage_failure(outbox.error());
        return json(boost::json::object{
            {"as_of", day},
            {"accounts", static_cast<std::int64_t>(rows->size())},
            {"active_accounts", active},
            {"accounts_by_open_flag", std::move(flags)},
            {"recoverable_surplus", core::money::from_pence(recoverable).to_decimal()},
            {"recoverable_surplus_exempt", core::money::from_pence(exempt_total).to_decimal()},
            {"recoveries_by_state", std::move(states)},
            {"accounts_without_statement_for_return_period", no_statement},
            {"reviews", boost::json::object{{"due", reviews->due}, {"overdue", reviews->overdue}}},
            {"outbox", boost::json::object{{"pending", outbox->pending}, {"failed", outbox->failed}}}});
    });
}

}  // namespace dpmon::daemon
