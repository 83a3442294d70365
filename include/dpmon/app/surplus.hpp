#pragma once
// Surplus exemptions and recoveries for an account: checked, computed from the account's reconciliation as
// of today, and stored in one transaction each (see storage/surplus_store.hpp for the states).

#include <string>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/app/reconcile_accounts.hpp"
#include "dpmon/storage/surplus_store.hpp"

namespace dpmon::daemon {

// Records an exemption: reason hospital_stay | pa_vacancy | saving_for_purchase | other (with `detail`),
// until a date from today on. errc::invalid_argument naming the field; errc::not_found for the account.
result<storage::exemption_record> record_exemption(storage::database& db, const std::string& account_ref,
                                                   const std::string& reason, const std::string& detail,
                                                   const std::string& until, const std::string& by,
                                                   core::civil_date today, const std::string& now_utc);

// Proposes recovering the account's surplus as of today: the SURPLUS recoverable amount (balance less the
// retained weeks and overpaid contributions) less `liabilities` (known bills, "0.00" when none), with how
// it was computed. errc::conflict when there is no surplus today or nothing would be left to recover.
result<storage::recovery_record> propose_surplus_recovery(storage::database& db, const reconcile_settings& settings,
                                                          const std::string& account_ref, const std::string& liabilities,
                                                          const std::string& by, const std::string& note,
                                                          core::civil_date today, const std::string& now_utc);

// Issues the written notice (text and printable HTML) and marks the recovery notified. `recover_on` must
// give at least 14 days' notice. errc::conflict when it is not proposed.
result<storage::recovery_record> notify_surplus_recovery(storage::database& db, const std::string& account_ref,
                                                         std::int64_t id, const std::string& recover_on,
                                                         const std::string& by, core::civil_date today,
                                                         const std::string& now_utc);

// recovered | offset (amount "" = the whole proposed amount) or waived. errc::conflict for an illegal move.
result<storage::recovery_record> close_surplus_recovery(storage::database& db, const std::string& account_ref,
                                                        std::int64_t id, const std::string& state,
                                                        const std::string& amount, const std::string& by,
                                                        const std::string& note, const std::string& now_utc);

// The recovery, when it belongs to the account. errc::not_found otherwise.
result<storage::recovery_record> recovery_of(const storage::database& db, const std::string& account_ref, std::int64_t id);

}  // namespace dpmon::daemon
