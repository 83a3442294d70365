// dpmon reviews, dpmon review show|complete|request: the same operations as the HTTP API.
#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "cli_support.hpp"
#include "dpmon/app/queries.hpp"
#include "dpmon/service/settings.hpp"
#include "dpmon/views/views.hpp"
#include "dpmon/app/reviews.hpp"
#include "dpmon/app/system_clock.hpp"

namespace dpmon::daemon::cli {
namespace {

void print_review(const storage::review_record& r, const std::string& today) {
    std::printf("%-6lld %-11s %-20s %-10s %-10s %s%s\n", static_cast<long long>(r.id), r.account_ref.c_str(), r.kind.c_str(),
                r.due_on.c_str(), std::string(core::to_string(r.state)).c_str(),
                r.state == core::review_state::scheduled && r.due_on < today ? "OVERDUE " : "",
                r.state == core::review_state::completed ? ("done " + r.completed_on + " by " + r.completed_by).c_str()
                                                          : r.basis.c_str());
}

int list_reviews(const std::string& config_path, const std::string& state, std::optional<std::int64_t> within_days, bool json) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    storage::review_filter f;
    f.state = state;
    f.within_days = within_days;
    f.today = core::format_iso_date(local_today(*cfg));
    auto reviews = app::list_reviews(*db, f);
    if (!reviews) return fail(reviews.error());
    if (json) {
        // The document GET /api/v1/reviews serves.
        boost::json::array rows;
        for (const auto& r : *reviews) rows.push_back(review_view(r, local_today(*cfg)));
        std::cout << boost::json::serialize(boost::json::object{{"reviews", std::move(rows)}}) << "\n";
        return 0;
    }
    std::printf("%-6s %-11s %-20s %-10s %-10s %s\n", "ID", "ACCOUNT", "KIND", "DUE", "STATE", "WHY");
    for (const auto& r : *reviews) print_review(r, f.today);
    std::cout << reviews->size() << " review(s)\n";
    return 0;
}

int show_review(const std::string& config_path, std::int64_t id) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    auto found = app::find_review(*db, id);
    if (!found) return fail(found.error());
    if (!*found) return fail(make_error(errc::not_found, "no review " + std::to_string(id)));
    print_review(**found, core::format_iso_date(local_today(*cfg)));
    auto events = app::review_history(*db, id);
    if (!events) return fail(events.error());
    std::cout << "\nhistory:\n";
    for (const auto& e : *events)
        std::cout << "  " << e.at << "  " << e.event << (e.by.empty() ? "" : " by " + e.by) << ": " << e.detail << "\n";
    return 0;
}

int complete_review(const std::string& config_path, std::int64_t id, const storage::completion& c) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    const core::civil_date day = local_today(*cfg);
    const std::string today = core::format_iso_date(day);
    auto done = daemon::complete_review(*db, review_settings_from(*cfg), id, c, day, now_utc());
    if (!done) return fail(done.error());
    std::cout << "review " << id << " (" << done->kind << ", " << done->account_ref << ") completed on " << done->completed_on << "\n";
    storage::review_filter f;
    f.today = today;
    auto account = app::account_named(*db, done->account_ref);
    if (account) {
        f.account_id = account->id;
        auto next = app::list_reviews(*db, f);
        if (next) {
            for (const auto& r : *next) std::cout << "  next: " << r.kind << " due " << r.due_on << " (" << r.basis << ")\n";
        }
    }
    return 0;
}

int request_review(const std::string& config_path, const std::string& ref, const std::string& reason, const std::string& by,
                   const std::string& due_on) {
    std::optional<config> cfg;
    std::optional<storage::database> db;
    if (const int status = open_store(config_path, cfg, db); status != 0) return status;
    auto made = request_early_review(*db, ref, reason, by, due_on, local_today(*cfg), now_utc());
    if (!made) return fail(made.error());
    std::cout << "early review " << made->id << " of " << made->account_ref << " due " << made->due_on << "\n";
    return 0;
}

}  // namespace

void add_reviews_commands(CLI::App& app, const cli_context& ctx) {
    auto* reviews = app.add_subcommand("reviews", "list reviews and audits by due date");
    struct list_options {
        std::string state;
        std::optional<std::int64_t> within;
        bool json = false;
    };
    auto l = std::make_shared<list_options>();
    reviews->add_option("--state", l->state, "overdue, due, upcoming, completed, cancelled (default: every scheduled one)");
    reviews->add_option("--within-days", l->within, "only those due within this many days");
    reviews->add_flag("--json", l->json, "print JSON (the document GET /api/v1/reviews serves)");
    reviews->callback([l, &ctx] { ctx.status = list_reviews(ctx.config_path, l->state, l->within, l->json); });

    auto* review = app.add_subcommand("review", "one review: show it, complete it, or ask for an early one");
    review->require_subcommand(1);
    struct options {
        std::int64_t id = 0;
        storage::completion completion;
        std::string ref, reason, by, due;
    };
    auto o = std::make_shared<options>();
    auto* show = review->add_subcommand("show", "a review with its history");
    show->add_option("id", o->id, "review id")->required();
    show->callback([o, &ctx] { ctx.status = show_review(ctx.config_path, o->id); });
    auto* complete = review->add_subcommand("complete", "record a completed review; the next is scheduled from its date");
    complete->add_option("id", o->id, "review id")->required();
    complete->add_option("--on", o->completion.completed_on, "completion date, YYYY-MM-DD")->required();
    complete->add_option("--by", o->completion.by, "who completed it")->required();
    complete->add_option("--outcome", o->completion.outcome, "the outcome, in a sentence")->required();
    complete->add_option("--next-due", o->completion.next_due, "an earlier date for the next one, YYYY-MM-DD");
    complete->add_option("--next-due-reason", o->completion.next_due_reason, "why the next one is earlier");
    complete->callback([o, &ctx] { ctx.status = complete_review(ctx.config_path, o->id, o->completion); });
    auto* request = review->add_subcommand("request", "ask for an early review (a breach, a change, a concern)");
    request->add_option("account", o->ref, "account reference")->required();
    request->add_option("--reason", o->reason, "why")->required();
    request->add_option("--by", o->by, "who asks")->required();
    request->add_option("--due", o->due, "due date, YYYY-MM-DD (default: in 14 days)");
    request->callback([o, &ctx] { ctx.status = request_review(ctx.config_path, o->ref, o->reason, o->by, o->due); });
}

}  // namespace dpmon::daemon::cli
