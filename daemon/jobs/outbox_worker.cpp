#include "dpmon/jobs/outbox_worker.hpp"

#include <spdlog/spdlog.h>

#include <random>

#include "dpmon/alerts/message.hpp"
#include "dpmon/core/civil_date.hpp"
#include "dpmon/app/alerting.hpp"
#include "dpmon/jobs/worker_loop.hpp"
#include "dpmon/storage/outbox_store.hpp"

namespace dpmon::daemon {
namespace {

class worker final : public outbox_worker {
public:
    worker(const outbox_options& o, storage::database db, std::unique_ptr<alerts::mail_sender> sender, const core::clock& clock)
        : options_(o), db_(std::move(db)), sender_(std::move(sender)), clock_(clock), rng_(std::random_device{}()) {
        loop_.start([this] {
            const bool waiting = flush_groups();
            deliver_due();
            // Alerts waiting for their group: look again within a second (group_wait is whole seconds).
            return std::chrono::steady_clock::now() + (waiting ? std::min<std::chrono::milliseconds>(until_next(), std::chrono::seconds(1))
                                                               : until_next());
        });
    }
    ~worker() override { stop(); }

    void wake() override { loop_.wake(); }

    void stop() override {
        loop_.request_stop();
        sender_->cancel();  // an attempt in progress gives up now and stays pending
        loop_.join();
    }

private:
    bool stopping() const { return loop_.stopping(); }

    // How long until the soonest pending message is due (at most a minute; at least a moment).
    std::chrono::milliseconds until_next() {
        auto next = storage::next_attempt_at(db_);
        if (!next) {
            spdlog::error("outbox: {}", next.error().message);
            return std::chrono::seconds(5);
        }
        if (!*next) return std::chrono::minutes(1);
        const auto due = core::parse_utc_timestamp(**next);
        if (!due) {
            spdlog::error("outbox: {}", due.error().message);  // stored by us: a bug; try again soon
            return std::chrono::seconds(5);
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*due - clock_.now());
        return std::clamp<std::chrono::milliseconds>(left, std::chrono::milliseconds(50), std::chrono::minutes(1));
    }

    // Writes the group and onboarding messages that are due (one transaction); true while any still waits.
    bool flush_groups() {
        auto flushed = db_.in_transaction([&] { return flush_alerts(db_, options_.alerts, clock_.now()); });
        if (!flushed) {
            spdlog::error("outbox: grouping alerts failed: {}; will try again", flushed.error().message);
            return true;
        }
        if (flushed->written > 0) spdlog::info("outbox: {} grouped message(s) written", flushed->written);
        return flushed->waiting;
    }

    void deliver_due() {
        while (!stopping()) {
            const std::string now = core::format_utc_timestamp(clock_.now());
            auto m = storage::next_due_message(db_, now);
            if (!m) {
                spdlog::error("outbox: {}", m.error().message);
                return;
            }
            if (!*m) return;
            const auto& msg = **m;
            const alerts::outgoing out{msg.id, msg.key, from_of(msg.message), msg.recipient, msg.message};
            const alerts::send_result r = sender_->send(out);
            if (options_.metrics) {
                options_.metrics->smtp_attempt(r.outcome == alerts::send_outcome::sent        ? "sent"
                                               : r.outcome == alerts::send_outcome::permanent ? "permanent_failure"
                                                                                              : "temporary_failure");
            }
            const std::string after = core::format_utc_timestamp(clock_.now());
            result<void> saved;
            const std::string to_domain = alerts::domain_of(msg.recipient);
            if (r.outcome == alerts::send_outcome::sent) {
                saved = storage::mark_sent(db_, msg.id, r.reply_code, after);
                spdlog::info("outbox: {} sent to a {} address (attempt {})", msg.key, to_domain, msg.attempts + 1);
            } else if (r.outcome == alerts::send_outcome::permanent) {
                saved = storage::mark_failed(db_, msg.id, r.detail, r.reply_code);
                spdlog::error("outbox: {} failed permanently: {}; not retried (dpmon outbox retry {} once fixed)", msg.key,
                              r.detail, msg.id);
                if (saved && options_.on_permanent_failure) options_.on_permanent_failure();
            } else {
                const auto delay = alerts::backoff_delay(msg.attempts + 1, options_.retry_initial, options_.retry_max, rng_());
                // The stored times are to the second: round the moment up, so the wait is never shorter.
                const auto wait = std::chrono::ceil<std::chrono::seconds>(delay);
                const auto at = std::chrono::ceil<std::chrono::seconds>(clock_.now() + delay);
                saved = storage::mark_retry(db_, msg.id, r.detail, r.reply_code, core::format_utc_timestamp(at));
                spdlog::warn("outbox: {} not delivered ({}); attempt {} failed, next in {} s", msg.key, r.detail,
                             msg.attempts + 1, wait.count());
            }
            if (!saved) {
                spdlog::error("outbox: recording the outcome of {} failed: {}", msg.key, saved.error().message);
                return;
            }
        }
    }

    // The sender address, from the composed message's From header.
    static std::string from_of(const std::string& message) {
        const auto at = message.find("\r\nFrom: ");
        if (at == std::string::npos) return "dpmon@localhost";
        const auto open = message.find('<', at);
        const auto close = message.find('>', open);
        if (open == std::string::npos || close == std::string::npos) return "dpmon@localhost";
        return message.substr(open + 1, close - open - 1);
    }

    outbox_options options_;
    storage::database db_;
    std::unique_ptr<alerts::mail_sender> sender_;
    const core::clock& clock_;
    std::mt19937_64 rng_;
    worker_loop loop_;  // last: its thread stops before the members it uses go
};

}  // namespace

result<std::unique_ptr<outbox_worker>> start_outbox_worker(const outbox_options& options,
                                                           std::unique_ptr<alerts::mail_sender> sender,
                                                           const core::clock& clock) {
    auto db = storage::database::open(options.db_path);
    if (!db) return db.error();
    return std::unique_ptr<outbox_worker>(std::make_unique<worker>(options, std::move(*db), std::move(sender), clock));
}

}  // namespace dpmon::daemon
