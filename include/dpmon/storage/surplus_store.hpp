#pragma once
// surplus_store: surplus exemptions (a reason and an end date: while one lasts, a SURPLUS is shown as exempt
// and not mailed) and surplus recovery records, which move proposed -> notified -> recovered | offset |
// waived (or proposed -> waived), each step with who, when and a note kept in their history.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dpmon/core/error.hpp"
#include "dpmon/core/money.hpp"
#include "dpmon/core/states.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::storage {

struct exemption_record {
    std::int64_t id = 0;
    std::string account_ref;
    std::string reason;  // hospital_stay | pa_vacancy | saving_for_purchase | other
    std::string detail;
    std::string from_date;
    std::string until_date;  // inclusive
    std::string by;
    std::string recorded_at;
};

result<exemption_record> add_exemption(database& db, std::int64_t account_id, const exemption_record& e);

// The account's exemptions (every account's when 0), newest first.
result<std::vector<exemption_record>> list_exemptions(const database& db, std::int64_t account_id);

// The exemption in force on `day`, if any (the one lasting longest).
result<std::optional<exemption_record>> active_exemption(const database& db, std::int64_t account_id, const std::string& day);

struct recovery_record {
    std::int64_t id = 0;
    std::string account_ref;
    core::recovery_state state = core::recovery_state::proposed;
    std::int64_t amount_pence = 0;
    std::string computation_json;  // how the amount was reached
    std::string proposed_by, proposed_at;
    std::string recover_on;  // the date the notice gives
    std::string notice_text, notice_html;
    std::string notified_by, notified_at;
    std::int64_t closed_amount_pence = 0;
    std::string closed_by, closed_at;
    std::string note;
};

struct recovery_event {
    std::string at, event, by, note;
};

// How a recovery's amount was reached (balance - retained weeks x weekly budget - known liabilities -
// overpaid contributions), stored with it as JSON: the API shows it, the notice prints it.
struct recovery_computation {
    core::money balance;
    std::string balance_date;
    core::money weekly_budget;
    std::int64_t retained_weeks = 0;
    core::money retained;
    core::money known_liabilities;
    core::money overpaid_contributions_excluded;
    core::money recoverable;
};

// The stored form ({"rule": ..., "balance": "2062.04", ...}) and back; errc::database_error naming the
// field when a stored computation lacks one (it is written by propose_recovery only).
std::string computation_json(const recovery_computation& c);
result<recovery_computation> parse_computation(std::string_view json);

result<recovery_record> propose_recovery(database& db, std::int64_t account_id, std::int64_t amount_pence,
                                         const recovery_computation& how, const std::string& by, const std::string& note,
                                         const std::string& now_utc);

// proposed -> notified, with the notice. errc::conflict (naming the state) when it is not proposed.
result<recovery_record> notify_recovery(database& db, std::int64_t id, const std::string& recover_on,
                                        const std::string& notice_text, const std::string& notice_html,
                                        const std::string& by, const std::string& now_utc);

// notified -> recovered | offset (for at most the proposed amount), proposed | notified -> waived.
// errc::conflict for any other move or a larger amount; errc::not_found.
result<recovery_record> close_recovery(database& db, std::int64_t id, core::recovery_state state, std::int64_t amount_pence,
                                       const std::string& by, const std::string& note, const std::string& now_utc);

result<std::optional<recovery_record>> find_recovery(const database& db, std::int64_t id);

// The account's recoveries (every account's when 0), newest first; `state` filters when not empty.
result<std::vector<recovery_record>> list_recoveries(const database& db, std::int64_t account_id, const std::string& state);

result<std::vector<recovery_event>> recovery_history(const database& db, std::int64_t id);

}  // namespace dpmon::storage
