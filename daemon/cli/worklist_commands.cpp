// dpmon worklist: the accounts most in need of an officer, in priority order (docs/worklist.md).
#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "cli_support.hpp"
#include "dpmon/app/queries.hpp"
#include "dpmon/views/views.hpp"

namespace dpmon::daemon::cli {
namespace {

struct options {
    std::string officer;
    std::size_t limit = 50;
    bool json = false;
};

void print_entry(const core::worklist_entry& e) {
    std::printf("%5lld  %-11s  %s\n", static_cast<long long>(e.priority), e.account_ref.c_str(), e.next_action.c_str());
    for (const auto& c : e.concerns) {
        const std::string what = c.code ? "flag " + std::to_string(c.flag_id) + " " + std::string(core::to_string(*c.code))
                                        : std::string("REVIEW_OVERDUE");
        std::printf("              %-34s since %s  %s\n", what.c_str(), core::format_iso_date(c.since).c_str(), c.reason.c_str());
    }
}

boost::json::object totals_view(const std::vector<core::worklist_entry>& whole, const core::worklist_filter& filter) {
    core::worklist_totals t = core::total(whole, filter);
    t.officers = core::officers_of(whole);
    return worklist_totals_view(t);
}

int show_worklist(const std::string& config_path, const options& o) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    const auto today = local_today(*cfg);
    auto whole = app::worklist(*db, "", 0, today);
    if (!whole) return fail(whole.error());
    const core::worklist_filter filter{o.officer, ""};
    auto list = std::make_optional<std::vector<core::worklist_entry>>();
    for (const auto& e : *whole) {
        if (filter.matches(e) && (o.limit == 0 || list->size() < o.limit)) list->push_back(e);
    }
    if (o.json) {
        // The document GET /api/v1/worklist serves.
        std::cout << boost::json::serialize(boost::json::object{{"as_of", core::format_iso_date(today)},
                                                                {"totals", totals_view(*whole, filter)},
                                                                {"accounts", worklist_view(*list)}})
                  << "\n";
        return 0;
    }
    if (list->empty()) {
        std::cout << "Nothing needs attention" << (o.officer.empty() ? "" : " for " + o.officer) << ": no open flags and no overdue reviews.\n";
        return 0;
    }
    std::printf("%5s  %-11s  %s\n", "PRIO", "ACCOUNT", "NEXT ACTION / OPEN CONCERNS");
    for (const auto& e : *list) print_entry(e);
    std::cout << list->size() << " account(s) in priority order (docs/worklist.md explains the priority).\n";
    return 0;
}

}  // namespace

void add_worklist_commands(CLI::App& app, const cli_context& ctx) {
    auto* cmd = app.add_subcommand("worklist", "the accounts that need an officer, most urgent first, with what to do next");
    auto o = std::make_shared<options>();
    cmd->add_option("--officer", o->officer, "only this finance officer's accounts (their email address)");
    cmd->add_option("--limit", o->limit, "at most this many accounts (0: all)")->capture_default_str();
    cmd->add_flag("--json", o->json, "print the JSON of GET /api/v1/worklist, every page in one document");
    cmd->callback([o, &ctx] { ctx.status = show_worklist(ctx.config_path, *o); });
}

}  // namespace dpmon::daemon::cli
