#include "outbox_routes.hpp"
#include "dpmon/daemon/system_clock.hpp"

#include <chrono>
#include <charconv>

#include "dpmon/core/civil_date.hpp"
#include "route_helpers.hpp"
#include "views.hpp"

namespace dpmon::daemon {

boost::json::object outbox_view(const storage::outbox_message& m) {
    return boost::json::object{{"id", m.id},
                               {"key", m.key},
                               {"kind", m.kind},
                               {"account_ref", nullable(m.account_ref)},
                               {"recipient", m.recipient},
                               {"subject", m.subject},
                               {"message_id", m.message_id},
                               {"state", m.state},
                               {"attempts", m.attempts},
                               {"next_attempt_at", m.state == "pending" ? boost::json::value(m.next_attempt_at) : boost::json::value(nullptr)},
                               {"last_error", nullable(m.last_error)},
                               {"reply_code", m.reply_code ? boost::json::value(m.reply_code) : boost::json::value(nullptr)},
                               {"created_at", m.created_at},
                               {"sent_at", nullable(m.sent_at)}};
}

void add_outbox_routes(http::router& r, storage::database& db, const std::string& token, std::function<void()> on_retry) {
    r.add("GET", "/api/v1/outbox", [&db](const http::request&, const http::route_match& m) {
        std::string state = query(m, "state");
        if (state == "failed") state = "failed_permanent";
        if (!state.empty() && state != "pending" && state != "sent" && state != "failed_permanent")
            return http::error_response(400, "bad_request", "state must be pending, sent or failed_permanent (or failed)");
        std::int64_t limit = 500;
        if (const std::string l = query(m, "limit"); !l.empty()) {
            if (auto [p, ec] = std::from_chars(l.data(), l.data() + l.size(), limit);
                ec != std::errc() || p != l.data() + l.size() || limit < 1 || limit > 10000)
                return http::error_response(400, "bad_request", "limit must be a whole number from 1 to 10000");
        }
        auto rows = storage::list_outbox(db, state, limit);
        if (!rows) return storage_failure(rows.error());
        boost::json::array out;
        for (const auto& msg : *rows) out.push_back(outbox_view(msg));
        return json(boost::json::object{{"messages", std::move(out)}});
    });

    r.add("POST", "/api/v1/outbox/{id}/retry", [&db, &token, on_retry](const http::request& req, const http::route_match& m) {
        if (auto refused = refuse_unauthorised(req, token)) return *refused;
        const auto id = id_param(m, "id");
        if (!id) return http::error_response(404, "not_found", "no outbox message " + m.params.at("id"));
        auto done = storage::retry_message(db, *id, now_utc());
        if (!done) return error_answer(done.error());
        if (on_retry) on_retry();
        return json(outbox_view(*done));
    });
}

}  // namespace dpmon::daemon
