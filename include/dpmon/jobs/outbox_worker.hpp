#pragma once
// outbox_worker: delivers the outbox, off the event loop. A thread with its own database connection takes
// each pending message whose time has come, hands it to the sender (SMTP through libcurl, or the maildir),
// and records the outcome: sent; a temporary failure (4xx, network, timeout) retried after an exponential
// backoff with jitter up to a cap; a permanent one (5xx) kept as failed_permanent and never retried blindly.
// It sleeps until the next message is due or it is woken (a new message), never polling busily.
//
// Exactly once, as far as SMTP allows: a message is marked sent right after the server accepts it; a crash
// between the two sends it again on restart, with the same Message-ID and X-Dpmon-Alert-Key.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>

#include "dpmon/core/metrics.hpp"
#include "dpmon/alerts/sender.hpp"
#include "dpmon/app/alerting.hpp"
#include "dpmon/core/clock.hpp"
#include "dpmon/core/error.hpp"

namespace dpmon::daemon {

struct outbox_options {
    std::filesystem::path db_path;
    std::chrono::seconds retry_initial{30};
    std::chrono::seconds retry_max{3600};
    alert_settings alerts;  // grouping: the worker writes each officer's group message when it is due
    std::function<void()> on_permanent_failure;  // a message failed for good (health shows it at once)
    core::metrics* metrics = nullptr;            // counts each attempt by result, when set
};

class outbox_worker {
public:
    virtual ~outbox_worker() = default;
    // A message was written: look now. Any thread.
    virtual void wake() = 0;
    // Stops after the attempt in progress (bounded by the SMTP timeout). Idempotent.
    virtual void stop() = 0;
};

result<std::unique_ptr<outbox_worker>> start_outbox_worker(const outbox_options& options,
                                                           std::unique_ptr<alerts::mail_sender> sender,
                                                           const core::clock& clock);

}  // namespace dpmon::daemon
