// dpmon flags.
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

int list_flags(const std::string& config_path, const std::string& state, const std::string& code, bool json) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    auto flags = app::list_flags(*db, state, code, 0);
    if (!flags) return fail(flags.error());
    if (json) {
        // The document GET /api/v1/flags serves.
        auto exempt = app::exemptions_in_force(*db, local_today(*cfg));
        if (!exempt) return fail(exempt.error());
        boost::json::array rows;
        for (const auto& f : *flags) {
            auto e = exempt->find(f.account_ref);
            rows.push_back(flag_view(f, e == exempt->end() ? nullptr : &e->second));
        }
        std::cout << boost::json::serialize(boost::json::object{{"flags", std::move(rows)}}) << "\n";
        return 0;
    }
    std::printf("%-6s %-11s %-26s %-13s %12s  %s\n", "ID", "ACCOUNT", "CODE", "STATE", "AMOUNT", "PERIOD FROM");
    for (const auto& f : *flags) {
        std::printf("%-6lld %-11s %-26s %-13s %12s  %s\n", static_cast<long long>(f.id), f.account_ref.c_str(), std::string(core::to_string(f.code)).c_str(),
                    std::string(core::to_string(f.state)).c_str(), core::money::from_pence(f.amount_pence).to_display().c_str(), f.period_first.c_str());
    }
    std::cout << flags->size() << " flag(s)\n";
    return 0;
}

}  // namespace

void add_flags_commands(CLI::App& app, const cli_context& ctx) {
    auto* flags = app.add_subcommand("flags", "list flags");
    struct options {
        std::string state = "open";
        std::string code;
        bool json = false;
    };
    auto o = std::make_shared<options>();
    flags->add_option("--state", o->state, "open, acknowledged, resolved, or \"\" for all")->capture_default_str();
    flags->add_option("--code", o->code, "only this flag code");
    flags->add_flag("--json", o->json, "print JSON");
    flags->callback([o, &ctx] { ctx.status = list_flags(ctx.config_path, o->state, o->code, o->json); });
}

}  // namespace dpmon::daemon::cli
