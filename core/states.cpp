#include "dpmon/core/states.hpp"

#include "dpmon/core/enum_names.hpp"

#include <array>
#include <utility>

namespace dpmon::core {
namespace {

constexpr std::array<std::pair<flag_state, std::string_view>, 3> flag_states{{
    {flag_state::open, "open"}, {flag_state::acknowledged, "acknowledged"}, {flag_state::resolved, "resolved"}}};

constexpr std::array<std::pair<review_state, std::string_view>, 3> review_states{{
    {review_state::scheduled, "scheduled"}, {review_state::completed, "completed"}, {review_state::cancelled, "cancelled"}}};

constexpr std::array<std::pair<recovery_state, std::string_view>, 5> recovery_states{{{recovery_state::proposed, "proposed"},
                                                                                       {recovery_state::notified, "notified"},
                                                                                       {recovery_state::recovered, "recovered"},
                                                                                       {recovery_state::offset, "offset"},
                                                                                       {recovery_state::waived, "waived"}}};

constexpr std::array<std::pair<outbox_state, std::string_view>, 3> outbox_states{
    {{outbox_state::pending, "pending"}, {outbox_state::sent, "sent"}, {outbox_state::failed_permanent, "failed_permanent"}}};

constexpr std::array<std::pair<import_status, std::string_view>, 4> import_statuses{{{import_status::imported, "imported"},
                                                                                      {import_status::duplicate, "duplicate"},
                                                                                      {import_status::rejected, "rejected"},
                                                                                      {import_status::checked, "checked"}}};

}  // namespace

std::string_view to_string(flag_state s) { return name_in(flag_states, s); }
std::optional<flag_state> parse_flag_state(std::string_view text) { return value_in(flag_states, text); }

std::string_view to_string(review_state s) { return name_in(review_states, s); }
std::optional<review_state> parse_review_state(std::string_view text) { return value_in(review_states, text); }

std::string_view to_string(recovery_state s) { return name_in(recovery_states, s); }
std::optional<recovery_state> parse_recovery_state(std::string_view text) { return value_in(recovery_states, text); }

std::string_view to_string(outbox_state s) { return name_in(outbox_states, s); }
std::optional<outbox_state> parse_outbox_state(std::string_view text) { return value_in(outbox_states, text); }

std::string_view to_string(import_status s) { return name_in(import_statuses, s); }
std::optional<import_status> parse_import_status(std::string_view text) { return value_in(import_statuses, text); }

}  // namespace dpmon::core
