// dpmon accounts, dpmon account REF.
#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "cli_support.hpp"
#include "dpmon/app/queries.hpp"
#include "dpmon/service/settings.hpp"
#include "dpmon/views/views.hpp"
#include "dpmon/core/money.hpp"

namespace dpmon::daemon::cli {
namespace {

int list_accounts(const std::string& config_path, bool json) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    auto rows = app::list_accounts(*db, {});
    if (!rows) return fail(rows.error());
    if (json) {
        // The document GET /api/v1/accounts serves.
        boost::json::array out;
        for (const auto& a : *rows) out.push_back(account_row_view(a));
        std::cout << boost::json::serialize(boost::json::object{{"accounts", std::move(out)}}) << "\n";
        return 0;
    }
    std::printf("%-11s %-9s %14s %-10s %14s  %-31s %s\n", "ACCOUNT", "STATUS", "BALANCE", "AS OF", "RECOVERABLE",
                "NEXT REVIEW", "OPEN FLAGS");
    for (const auto& r : *rows) {
        const auto& n = r.review;
        std::string codes;
        for (const auto& c : r.open_flags) codes += (codes.empty() ? "" : " ") + c;
        const std::string review = n ? n->due_on + " " + n->kind : "-";
        std::printf("%-11s %-9s %14s %-10s %14s  %-31s %s\n", r.account.account_ref.c_str(), r.account.status.c_str(),
                    r.status ? core::money::from_pence(r.status->balance_pence).to_display().c_str() : "-",
                    r.status ? r.status->balance_date.c_str() : "-",
                    core::money::from_pence(r.status ? r.status->recoverable_pence : 0).to_display().c_str(), review.c_str(),
                    codes.c_str());
    }
    std::cout << rows->size() << " account(s)\n";
    return 0;
}

int show_account(const std::string& config_path, const std::string& ref, bool json) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    auto account = app::account_named(*db, ref);
    if (!account) return fail(account.error());
    const core::civil_date today = local_today(*cfg);
    const auto settings = reconcile_settings_from(*cfg);
    auto d = app::account_details(*db, *account, settings, today);
    if (!d) return fail(d.error());
    if (json) {
        // The document GET /api/v1/accounts/{ref} serves.
        std::cout << boost::json::serialize(account_view(*d, today, settings.rules)) << "\n";
        return 0;
    }
    const auto& a = d->account;
    std::cout << a.account_ref << " (" << a.account_type << ", " << a.status << "), DP from " << a.dp_start
              << ", officer " << a.finance_officer << "; as of " << core::format_iso_date(today) << "\n\n";
    std::printf("%-10s %-10s %12s %12s %12s %12s %12s\n", "FROM", "TO", "OPENING", "COUNCIL IN", "PLANNED", "SPENT", "CLOSING");
    for (const auto& p : d->reconciliation.periods) {
        std::printf("%-10s %-10s %12s %12s %12s %12s %12s%s\n", core::format_iso_date(p.span.first).c_str(),
                    core::format_iso_date(p.span.last).c_str(), p.opening.to_display().c_str(),
                    p.actual_council.to_display().c_str(), p.planned_spend.to_display().c_str(),
                    p.actual_spend.to_display().c_str(), p.closing.to_display().c_str(), p.complete ? "" : "  (so far)");
    }
    if (!d->flags.empty()) {
        std::cout << "\nflags:\n";
        for (const auto& f : d->flags) std::cout << "  #" << f.id << " " << core::to_string(f.code) << " [" << core::to_string(f.state) << "] " << f.reason << "\n";
    }
    return 0;
}

}  // namespace

void add_accounts_commands(CLI::App& app, const cli_context& ctx) {
    auto* accounts = app.add_subcommand("accounts", "list accounts with balance, open flags and recoverable surplus");
    auto list_json = std::make_shared<bool>(false);
    accounts->add_flag("--json", *list_json, "print JSON");
    accounts->callback([list_json, &ctx] { ctx.status = list_accounts(ctx.config_path, *list_json); });

    auto* account = app.add_subcommand("account", "show one account: periods, planned vs actual, flags");
    struct options {
        std::string ref;
        bool json = false;
    };
    auto o = std::make_shared<options>();
    account->add_option("ref", o->ref, "account reference")->required();
    account->add_flag("--json", o->json, "print JSON");
    account->callback([o, &ctx] { ctx.status = show_account(ctx.config_path, o->ref, o->json); });
}

}  // namespace dpmon::daemon::cli
