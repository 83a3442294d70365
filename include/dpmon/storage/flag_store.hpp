#pragma once
// Flags as stored (docs/rules.md#flags): one row per account and condition. A flag is open until its condition
// clears (resolved automatically, with the date) or an officer acknowledges it with a note; the same
// condition raised again never makes a second flag. Every change is kept in flag_history.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dpmon/core/states.hpp"
#include "dpmon/core/error.hpp"
#include "dpmon/core/reconcile.hpp"
#include "dpmon/storage/database.hpp"

namespace dpmon::storage {

struct flag_record {
    std::int64_t id = 0;
    std::string account_ref;
    core::flag_code code = core::flag_code::surplus;
    std::string key;
    std::string period_first, period_last;
    std::int64_t amount_pence = 0;
    std::string reason;
    std::string inputs_json;  // {"rule": ..., ...}
    core::flag_state state = core::flag_state::open;
    std::string raised_on;
    std::string acknowledged_by, acknowledged_note, acknowledged_at;
    std::string resolved_on;
    std::string since;                          // the first day the condition held
    std::vector<std::int64_t> transaction_ids;  // event checks: the rows listed
};

struct flag_changes {
    std::vector<std::int64_t> raised;    // new flags, reopened ones, acknowledged ones grown by 25 %: each is worth an alert
    std::vector<std::int64_t> resolved;
};

// Brings the account's stored flags in line with `computed` (the conditions that hold on `today`, and
// episodes that ended): new conditions are raised (ended episodes recorded resolved on their end date),
// resolved ones reopened, changed figures updated with a history entry saying what changed (an acknowledged
// one reopens when its amount grows by 25 % or more), and open or acknowledged flags whose condition no
// longer holds are resolved, except acknowledged event checks, which stay acknowledged. Runs in the caller's
// transaction; `now_utc` stamps history.
result<flag_changes> sync_flags(database& db, std::int64_t account_id, const std::vector<core::flag>& computed,
                                const std::string& today, const std::string& now_utc);

// Acknowledges an open flag. errc::not_found for no such flag; errc::conflict when it is not open.
result<flag_record> acknowledge_flag(database& db, std::int64_t flag_id, const std::string& by, const std::string& note,
                                     const std::string& now_utc);

// Flags filtered by state and code (empty: any) and account (0: any), newest first (by id, descending): a
// page is those before `before_id` (0: from the newest), at most `limit` (-1: all).
result<std::vector<flag_record>> list_flags(const database& db, std::string_view state, std::string_view code,
                                            std::int64_t account_id, std::int64_t before_id = 0, std::int64_t limit = -1);

struct flag_event {
    std::string at, event, by, detail;
};
result<std::vector<flag_event>> flag_history(const database& db, std::int64_t flag_id);

// One flag by id.
result<std::optional<flag_record>> find_flag(const database& db, std::int64_t flag_id);

// Flags not resolved (open or acknowledged), counted by code.
result<std::map<std::string, std::int64_t>> open_flag_counts(const database& db);

// A number that moves (kept by triggers, in the writer's transaction) whenever accounts, flags, reviews or
// exemptions change: what the worklist is built from is unchanged while it stays the same.
result<std::int64_t> worklist_generation(const database& db);

}  // namespace dpmon::storage
