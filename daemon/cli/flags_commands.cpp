// dpmon flags, dpmon flag acknowledge.
#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "cli_support.hpp"
#include "dpmon/app/queries.hpp"
#include "dpmon/app/system_clock.hpp"
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

int acknowledge(const std::string& config_path, std::int64_t id, const std::string& by, const std::string& note) {
    if (by.empty() || note.empty()) return fail(make_error(errc::invalid_argument, "--by (who acknowledges) and --note (why) are both required"));
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    auto done = app::acknowledge_flag(*db, id, by, note, now_utc());
    if (!done) return fail(done.error());
    std::cout << "flag " << id << " (" << done->account_ref << " " << core::to_string(done->code) << ") acknowledged by " << by
              << ". It stays listed until its condition clears; it alerts again only if its amount grows by 25% or more.\n";
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

    auto* flag = app.add_subcommand("flag", "act on one flag");
    flag->require_subcommand(1);
    auto* ack = flag->add_subcommand("acknowledge", "acknowledge an open flag: you have seen it and are dealing with it");
    struct ack_options {
        std::int64_t id = 0;
        std::string by, note;
    };
    auto a = std::make_shared<ack_options>();
    ack->add_option("id", a->id, "the flag id (in the email, the worklist and `dpmon flags`)")->required()->check(CLI::PositiveNumber);
    ack->add_option("--by", a->by, "who acknowledges (your name or address)")->required();
    ack->add_option("--note", a->note, "what you are doing about it (kept in the flag's history)")->required();
    ack->callback([a, &ctx] { ctx.status = acknowledge(ctx.config_path, a->id, a->by, a->note); });
}

}  // namespace dpmon::daemon::cli
