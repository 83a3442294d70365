// dpmon exemption REF, dpmon recovery propose|notify|recovered|offset|waived|show.
#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "cli_support.hpp"
#include "dpmon/app/queries.hpp"
#include "dpmon/service/settings.hpp"
#include "dpmon/views/views.hpp"
#include "dpmon/app/surplus.hpp"
#include "dpmon/app/system_clock.hpp"
#include "dpmon/core/money.hpp"

namespace dpmon::daemon::cli {
namespace {

void print_recovery(const storage::recovery_record& r) {
    std::cout << "recovery " << r.id << " of " << r.account_ref << ": " << core::to_string(r.state) << ", "
              << core::money::from_pence(r.amount_pence).to_display()
              << (r.recover_on.empty() ? std::string() : ", to be recovered on " + r.recover_on) << "\n";
}


struct recovery_args {
    std::string by;
    std::string liabilities;
    std::string note;
    std::string recover_on;
    std::string amount;
};

int add_exemption(const std::string& config_path, const std::string& ref, const std::string& reason, const std::string& detail,
                  const std::string& until, const std::string& by) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    auto e = record_exemption(*db, ref, reason, detail, until, by, local_today(*cfg), now_utc());
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

}  // namespace

void add_surplus_commands(CLI::App& app, const cli_context& ctx) {
    auto* exemption = app.add_subcommand("exemption", "record a surplus exemption for an account");
    struct exemption_options {
        std::string ref, reason, detail, until, by;
    };
    auto e = std::make_shared<exemption_options>();
    exemption->add_option("ref", e->ref, "account reference")->required();
    exemption->add_option("--reason", e->reason, "hospital_stay, pa_vacancy, saving_for_purchase or other")->required();
    exemption->add_option("--detail", e->detail, "what it is (needed for other)");
    exemption->add_option("--until", e->until, "last day, YYYY-MM-DD")->required();
    exemption->add_option("--by", e->by, "who records it")->required();
    exemption->callback([e, &ctx] { ctx.status = add_exemption(ctx.config_path, e->ref, e->reason, e->detail, e->until, e->by); });

    auto* recovery = app.add_subcommand("recovery", "surplus recovery: propose, notify (issues the notice), recovered, offset, waived, show");
    struct recovery_options {
        std::string action, ref;
        std::int64_t id = 0;
        recovery_args args;
    };
    auto r = std::make_shared<recovery_options>();
    recovery->add_option("action", r->action, "propose | notify | recovered | offset | waived | show")->required()
        ->check(CLI::IsMember({"propose", "notify", "recovered", "offset", "waived", "show"}));
    recovery->add_option("ref", r->ref, "account reference")->required();
    recovery->add_option("id", r->id, "recovery id (all but propose)");
    recovery->add_option("--by", r->args.by, "who");
    recovery->add_option("--liabilities", r->args.liabilities, "propose: known bills to leave in the account, such as 120.00");
    recovery->add_option("--recover-on", r->args.recover_on, "notify: the date of recovery, at least 14 days ahead");
    recovery->add_option("--amount", r->args.amount, "recovered/offset: the amount (default: all proposed)");
    recovery->add_option("--note", r->args.note, "a note for the record");
    recovery->callback([r, &ctx] { ctx.status = recovery_command(ctx.config_path, r->action, r->ref, r->id, r->args); });
}

}  // namespace dpmon::daemon::cli
