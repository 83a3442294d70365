#pragma once
// The states things move through, as enums inside dpmon; text ("acknowledged") only at the edges
// (storage, JSON, CLI), converted here and nowhere else.

#include <optional>
#include <string_view>

namespace dpmon::core {

// A flag: open until acknowledged by an officer or resolved when its condition is gone.
enum class flag_state { open, acknowledged, resolved };
std::string_view to_string(flag_state s);
std::optional<flag_state> parse_flag_state(std::string_view text);

// A statutory review or audit: scheduled until completed, or cancelled when no longer owed.
enum class review_state { scheduled, completed, cancelled };
std::string_view to_string(review_state s);
std::optional<review_state> parse_review_state(std::string_view text);

// A surplus recovery: proposed, then notified (a written notice), then recovered or offset; or waived.
enum class recovery_state { proposed, notified, recovered, offset, waived };
std::string_view to_string(recovery_state s);
std::optional<recovery_state> parse_recovery_state(std::string_view text);

// An alert message in the outbox.
enum class outbox_state { pending, sent, failed_permanent };
std::string_view to_string(outbox_state s);
std::optional<outbox_state> parse_outbox_state(std::string_view text);

// What became of a delivered statement file (checked: a dry run that found no problem).
enum class import_status { imported, duplicate, rejected, checked };
std::string_view to_string(import_status s);
std::optional<import_status> parse_import_status(std::string_view text);

}  // namespace dpmon::core
