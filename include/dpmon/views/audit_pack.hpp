#pragma once
// audit_pack: what an auditor asks for about one account and a date range: every transaction with its
// category and the rule that chose it (CSV), plan against actual per category and period, the open and
// closed flags with their reasons, and a printable HTML summary. The figures are those of the account view
// (GET /api/v1/accounts/{ref}), computed by the same code, so the two agree to the penny.

#include <boost/json/object.hpp>

#include <string>
#include <utility>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/app/reconcile_accounts.hpp"
#include "dpmon/storage/accounts.hpp"

namespace dpmon::daemon {

struct audit_pack {
    boost::json::object document;  // account_ref, from, to, as_of, plan, periods, flags, totals
    std::string transactions_csv;  // date,amount,description,reference,balance,category,rule,file,line
    std::string flags_csv;
    std::string html;
};

// The range an audit pack covers: `from`/`to` as given, or the DP start / today when empty.
// errc::invalid_argument for a date that is not one, or from after to.
result<std::pair<std::string, std::string>> audit_pack_range(const storage::account_record& account, std::string from,
                                                             std::string to, core::civil_date today);

// `from`/`to` inclusive (YYYY-MM-DD; empty: the DP start / today). errc::invalid_argument for a bad range.
result<audit_pack> build_audit_pack(const storage::database& db, const reconcile_settings& settings,
                                    const storage::account_record& account, std::string from, std::string to,
                                    core::civil_date today);

}  // namespace dpmon::daemon
