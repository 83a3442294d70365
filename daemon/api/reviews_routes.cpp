#include "routes.hpp"
#include "dpmon/app/system_clock.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <charconv>

#include "route_helpers.hpp"
#include "dpmon/app/queries.hpp"
#include "dpmon/views/views.hpp"

namespace dpmon::daemon {

void add_reviews_routes(http::router& r, const api_context& ctx) {
    const auto today = ctx.today;
    add_read(r, ctx, "/api/v1/reviews", [today](const storage::database& db, const http::request& req, const http::route_match& m) {
        storage::review_filter f;
        f.state = query(m, "state");
        f.today = core::format_iso_date(today());
        if (const std::string w = query(m, "within_days"); !w.empty()) {
            std::int64_t days = 0;
            if (auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), days);
                ec != std::errc() || p != w.data() + w.size() || days < 0 || days > 3660)
                return http::error_response(400, "bad_request", "within_days must be a whole number of days from 0 to 3660");
            f.within_days = days;
        }
        if (const std::string ref = query(m, "account"); !ref.empty()) {
            auto account = app::account_named(db, ref);
            if (!account) return error_answer(account.error());
            f.account_id = account->id;
        }
        auto page = page_params(m, "reviews", 2);
        if (!page) return error_answer(page.error());
        const auto after_id = cursor_number(*page, 1);
        if (!after_id) return error_answer(after_id.error());
        if (!page->after.empty()) f.after_due = page->after[0];
        f.after_id = *after_id;
        f.limit = page->limit + 1;
        auto reviews = app::list_reviews(db, f);
        if (!reviews) {
            if (reviews.error().code == errc::invalid_argument)
                return http::error_response(400, "bad_request", reviews.error().message);
            return storage_failure(reviews.error());
        }
        boost::json::array rows;
        for (const auto& rv : *reviews) rows.push_back(review_view(rv, today()));
        return page_answer(req, "reviews", *page, std::move(rows), [&](std::size_t i) {
            return std::vector<std::string>{(*reviews)[i].due_on, std::to_string((*reviews)[i].id)};
        });
    });

    add_read(r, ctx, "/api/v1/reviews/{id}", [today](const storage::database& db, const http::request&, const http::route_match& m) {
        const auto id = id_param(m, "id");
        if (!id) return http::error_response(404, "not_found", "no review " + m.params.at("id"));
        auto found = app::find_review(db, *id);
        if (!found) return storage_failure(found.error());
        if (!*found) return http::error_response(404, "not_found", "no review " + std::to_string(*id));
        boost::json::object o = review_view(**found, today());
        auto events = app::review_history(db, *id);
        if (!events) return storage_failure(events.error());
        boost::json::array history;
        for (const auto& e : *events)
            history.push_back(boost::json::object{{"at", e.at}, {"event", e.event}, {"by", nullable(e.by)}, {"detail", e.detail}});
        o["history"] = std::move(history);
        auto reminders = app::list_reminders(db, *id);
        if (!reminders) return storage_failure(reminders.error());
        boost::json::array sent;
        for (const auto& rm : *reminders) {
            sent.push_back(boost::json::object{
                {"kind", rm.kind}, {"key", rm.key}, {"on", rm.on}, {"to", rm.to_team ? "team" : "finance_officer"}, {"produced_at", rm.produced_at}});
        }
        o["reminders"] = std::move(sent);
        return json(o);
    });

    add_write(r, ctx, "POST", "/api/v1/reviews", core::role::officer,
          [today](storage::database& db, const http::request& req, const http::route_match& m) {
        const json_body b(req);
        const auto* o = b.o;
        if (!o)
            return http::error_response(400, "bad_request",
                                        "the body must be a JSON object {\"account_ref\", \"reason\", \"due_on\" (optional)}");
        const std::string ref = b.text("account_ref");
        if (ref.empty()) return http::error_response(422, "invalid", "field 'account_ref': the account is needed");
        auto made = request_early_review(db, ref, b.text("reason"), signed_in(m), b.text("due_on"),
                                         today(), now_utc());
        if (!made) return error_answer(made.error());
        return json(review_view(*made, today()), 201);
    });

    add_write(r, ctx, "POST", "/api/v1/reviews/{id}/complete", core::role::officer,
          [&ctx, today](storage::database& db, const http::request& req, const http::route_match& m) {
        const auto settings = ctx.reviews();
        const auto id = id_param(m, "id");
        if (!id) return http::error_response(404, "not_found", "no review " + m.params.at("id"));
        const json_body b(req);
        const auto* o = b.o;
        if (!o)
            return http::error_response(400, "bad_request",
                                        "the body must be a JSON object {\"completed_on\", \"outcome\", \"next_due\" and "
                                        "\"next_due_reason\" (optional)}");
        storage::completion c{b.text("completed_on"), signed_in(m), b.text("outcome"),
                              b.text("next_due"), b.text("next_due_reason")};
        const core::civil_date day = today();
        auto done = complete_review(db, settings, *id, c, day, now_utc());
        if (!done) return error_answer(done.error());
        return json(review_view(*done, day));
    });
}

}  // namespace dpmon::daemon
