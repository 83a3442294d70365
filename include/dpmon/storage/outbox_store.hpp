#pragma once
// outbox_store: alerts waiting for delivery, delivered, or refused for good. One row per idempotency key:
// writing the same key twice keeps the first, so a flag or reminder yields one email however often the
// job that raised it runs. Writes run in the caller's transaction when one is open.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dpmon/core/states.hpp"
#include "dpmon/core/error.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::storage {

struct outbox_message {
    std::int64_t id = 0;
    std::string key;
    std::string kind;  // flag | reminder | escalation | digest
    std::string account_ref;
    std::string recipient;
    std::string subject;
    std::string message;  // the whole RFC 5322 message
    std::string message_id;
    core::outbox_state state = core::outbox_state::pending;
    std::int64_t attempts = 0;
    std::string next_attempt_at;  // UTC, ISO 8601
    std::string last_error;
    std::int64_t reply_code = 0;
    std::string created_at;
    std::string sent_at;
};

// Adds the message unless its key is already there; true when added. A message given with state
// failed_permanent (a recipient outside the allowed domains) is kept for the record and never sent.
result<bool> enqueue_message(database& db, const outbox_message& m);

// The oldest pending message whose next attempt is due by `now_utc`.
result<std::optional<outbox_message>> next_due_message(const database& db, const std::string& now_utc);

// When the soonest pending message is due, if any.
result<std::optional<std::string>> next_attempt_at(const database& db);

result<void> mark_sent(database& db, std::int64_t id, std::int64_t reply_code, const std::string& now_utc);
result<void> mark_retry(database& db, std::int64_t id, const std::string& error, std::int64_t reply_code,
                        const std::string& next_attempt_at);
result<void> mark_failed(database& db, std::int64_t id, const std::string& error, std::int64_t reply_code);

// Puts a failed (or pending) message back to be sent now. errc::not_found; errc::conflict when it was sent.
result<outbox_message> retry_message(database& db, std::int64_t id, const std::string& now_utc);

// Newest first; `state` filters ("" all); the message text is left out.
result<std::vector<outbox_message>> list_outbox(const database& db, const std::string& state, std::int64_t limit,
                                                std::int64_t before_id = 0);

struct outbox_counts {
    std::int64_t pending = 0;
    std::int64_t failed = 0;
};
result<outbox_counts> count_outbox(const database& db);

}  // namespace dpmon::storage
