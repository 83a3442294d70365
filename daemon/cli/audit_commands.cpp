// dpmon audit-pack, dpmon exemption add, dpmon recovery propose|notify|close|show: the same operations as the
#include "dpmon/app/queries.hpp"
#include "dpmon/app/atomic_file.hpp"
#include "dpmon/service/settings.hpp"
#include "dpmon/app/system_clock.hpp"
// HTTP API, on the database named by the config.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli_commands.hpp"
#include "cli_support.hpp"
#include "dpmon/core/money.hpp"
#include "dpmon/views/audit_pack.hpp"
#include "dpmon/app/surplus.hpp"
#include "dpmon/views/views.hpp"

namespace dpmon::daemon::cli {
namespace {



void print_recovery(const storage::recovery_record& r) {
    std::cout << "recovery " << r.id << " of " << r.account_ref << ": " << r.state << ", "
              << core::money::from_pence(r.amount_pence).to_display()
              << (r.recover_on.empty() ? std::string() : ", to be recovered on " + r.recover_on) << "\n";
}

}  // namespace

int audit_pack_command(const std::string& config_path, const std::string& ref, const std::string& from, const std::string& to,
                       const std::string& out_dir) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    auto a = app::account_named(*db, ref);
    if (!a) return fail(a.error());
    auto pack = build_audit_pack(*db, reconcile_settings_from(*cfg), *a, from, to, local_today(*cfg));
    if (!pack) return fail(pack.error());
    const std::filesystem::path dir(out_dir);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return fail(make_error(errc::io_error, "cannot create " + out_dir));
    const std::pair<const char*, const std::string*> files[] = {
        {"transactions.csv", &pack->transactions_csv}, {"flags.csv", &pack->flags_csv}, {"summary.html", &pack->html}};
    const std::string summary = boost::json::serialize(pack->document) + "\n";
    for (const auto& [name, text] : files) {
        if (auto w = write_file_atomic(dir / name, *text); !w) return fail(w.error());
    }
    if (auto w = write_file_atomic(dir / "summary.json", summary); !w) return fail(w.error());
    std::cout << "audit pack for " << a->account_ref << " (" << pack->document.at("from").as_string().c_str() << " to "
              << pack->document.at("to").as_string().c_str() << ") written to " << out_dir
              << ": transactions.csv, flags.csv, summary.json, summary.html\n";
    return 0;
}

int add_exemption(const std::string& config_path, const std::string& ref, const std::string& reason, const std::string& detail,
                  const std::string& until, const std::string& by) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    auto e = record_exemption(*db, ref, reason, detail, until, by, core::format_iso_date(local_today(*cfg)), now_utc());
    if (!e) return fail(e.error());
    std::cout << "exemption " << e->id << " for " << e->account_ref << ": " << e->reason << " until " << e->until_date << "\n";
    return 0;
}

int recovery_command(const std::string& config_path, const std::string& action, const std::string& ref, std::int64_t id,
                     const recovery_args& args) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    const core::civil_date today = local_today(*cfg);
    result<storage::recovery_record> r = make_error(errc::invalid_argument, "unknown action " + action);
    if (action == "propose") {
        r = propose_surplus_recovery(*db, reconcile_settings_from(*cfg), ref, args.liabilities, args.by, args.note, today, now_utc());
    } else if (action == "notify") {
        r = notify_surplus_recovery(*db, ref, id, args.recover_on, args.by, today, now_utc());
        if (r) std::cout << r->notice_text << "\n";
    } else if (action == "recovered" || action == "offset" || action == "waived") {
        r = close_surplus_recovery(*db, ref, id, action, args.amount, args.by, args.note, now_utc());
    } else if (action == "show") {
        r = recovery_of(*db, ref, id);
    }
    if (!r) return fail(r.error());
    print_recovery(*r);
    return 0;
}

}  // namespace dpmon::daemon::cli
