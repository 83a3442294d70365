// dpmon outbox, dpmon outbox retry ID.
#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "cli_support.hpp"
#include "dpmon/app/queries.hpp"
#include "dpmon/service/settings.hpp"
#include "dpmon/views/views.hpp"
#include "dpmon/app/system_clock.hpp"

namespace dpmon::daemon::cli {
namespace {

int list_outbox(const std::string& config_path, std::string state, bool json) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    if (state == "failed") state = "failed_permanent";
    if (!state.empty() && state != "pending" && state != "sent" && state != "failed_permanent") {
        std::cerr << "dpmon: --state must be pending, sent or failed\n";
        return 2;
    }
    auto rows = app::list_outbox(*db, state, -1);  // the whole list (the API pages it)
    if (!rows) {
        std::cerr << "dpmon: " << rows.error().message << "\n";
        return 1;
    }
    if (json) {
        boost::json::array out;
        for (const auto& m : *rows) out.push_back(outbox_view(m));
        std::cout << boost::json::serialize(boost::json::object{{"messages", std::move(out)}}) << "\n";
        return 0;
    }
    std::printf("%-6s %-17s %-30s %-9s %-20s %s\n", "ID", "STATE", "KEY", "ATTEMPTS", "WHEN", "LAST ERROR");
    for (const auto& m : *rows) {
        const std::string& when = m.state == core::outbox_state::sent      ? m.sent_at
                                  : m.state == core::outbox_state::pending ? m.next_attempt_at
                                                                           : m.created_at;
        std::printf("%-6lld %-17s %-30s %-9lld %-20s %s\n", static_cast<long long>(m.id), std::string(core::to_string(m.state)).c_str(), m.key.c_str(),
                    static_cast<long long>(m.attempts), when.c_str(), m.last_error.c_str());
    }
    std::cout << rows->size() << " message(s)\n";
    return 0;
}

int retry_outbox(const std::string& config_path, std::int64_t id) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    auto done = app::retry_message(*db, id, now_utc());
    if (!done) {
        std::cerr << "dpmon: " << done.error().message << "\n";
        return 1;
    }
    std::cout << "message " << id << " (" << done->key << ") will be sent again by the running daemon within a minute\n";
    return 0;
}

}  // namespace

void add_outbox_commands(CLI::App& app, const cli_context& ctx) {
    auto* outbox = app.add_subcommand("outbox", "alerts waiting, sent and failed; retry a failed one");
    struct options {
        std::string state;
        bool json = false;
        std::int64_t id = 0;
    };
    auto o = std::make_shared<options>();
    outbox->add_option("--state", o->state, "pending, sent or failed (default: all)");
    outbox->add_flag("--json", o->json, "print JSON (the document GET /api/v1/outbox serves)");
    auto* retry = outbox->add_subcommand("retry", "send a failed message again");
    retry->add_option("id", o->id, "message id")->required();
    retry->callback([o, &ctx] { ctx.status = retry_outbox(ctx.config_path, o->id); });
    outbox->callback([outbox, o, &ctx] {
        if (outbox->get_subcommands().empty()) ctx.status = list_outbox(ctx.config_path, o->state, o->json);
    });
}

}  // namespace dpmon::daemon::cli
