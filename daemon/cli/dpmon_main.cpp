// dpmon: the command-line tool for finance officers and administrators.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cli_commands.hpp"
#include "dpmon/service/config.hpp"
#include "dpmon/service/version.hpp"

int main(int argc, char** argv) {
    CLI::App app{"dpmon: the direct-payment monitor's command-line tool."};
    app.require_subcommand(1);
    std::string config_path(dpmon::daemon::default_config_path);
    app.add_option("-c,--config", config_path, "configuration file (TOML)")->capture_default_str();
    app.set_version_flag("--version", std::string("dpmon ") + std::string(dpmon::daemon::version()));

    int status = 0;
    auto* check = app.add_subcommand("check-config", "validate the configuration and print the effective values");
    check->callback([&] { status = dpmon::daemon::cli::check_config(config_path); });

    auto* demo = app.add_subcommand("demo-data", "write synthetic demo accounts, plans and statements (invented names)");
    std::string out_dir;
    dpmon::daemon::cli::demo_args demo_args;
    demo->add_option("--out", out_dir, "folder to write plans/ and statements/ into")->required();
    demo->add_option("--accounts", demo_args.accounts, "number of accounts")->capture_default_str()->check(CLI::Range(1, 100000));
    demo->add_option("--months", demo_args.months, "months of statements")->capture_default_str()->check(CLI::Range(1, 120));
    demo->add_option("--until", demo_args.until, "last day of data, YYYY-MM-DD")->capture_default_str();
    demo->add_option("--seed", demo_args.seed, "random seed")->capture_default_str();
    demo->callback([&] { status = dpmon::daemon::cli::demo_data(out_dir, demo_args); });

    auto* import = app.add_subcommand("import", "import statement files into the database (the files stay where they are)");
    dpmon::daemon::cli::import_args import_args;
    import->add_option("files", import_args.files, "statement files (CSV or OFX)")->required()->check(CLI::ExistingFile);
    import->add_option("--profile", import_args.profile, "read every file with this profile instead of choosing one");
    import->add_flag("--dry-run", import_args.dry_run, "show what would be imported; write nothing");
    import->callback([&] { status = dpmon::daemon::cli::import_files(config_path, import_args); });

    auto* plans = app.add_subcommand("plans", "support plans and accounts");
    plans->require_subcommand(1);
    auto* plans_import = plans->add_subcommand("import", "apply plan files (JSON): each file whole or not at all");
    std::vector<std::string> plan_files;
    plans_import->add_option("files", plan_files, "plan files")->required()->check(CLI::ExistingFile);
    plans_import->callback([&] { status = dpmon::daemon::cli::import_plans(config_path, plan_files); });

    auto* reconcile = app.add_subcommand("reconcile", "reconcile accounts against their plans and update their flags");
    std::vector<std::string> reconcile_refs;
    std::string reconcile_today;
    reconcile->add_option("accounts", reconcile_refs, "account references (default: all)");
    reconcile->add_option("--today", reconcile_today, "reconcile as of this date, YYYY-MM-DD (default: today)");
    reconcile->callback([&] { status = dpmon::daemon::cli::reconcile(config_path, reconcile_refs, reconcile_today); });

    auto* flags = app.add_subcommand("flags", "list flags");
    std::string flag_state = "open";
    std::string flag_code;
    bool flags_json = false;
    flags->add_option("--state", flag_state, "open, acknowledged, resolved, or \"\" for all")->capture_default_str();
    flags->add_option("--code", flag_code, "only this flag code");
    flags->add_flag("--json", flags_json, "print JSON");
    flags->callback([&] { status = dpmon::daemon::cli::list_flags(config_path, flag_state, flag_code, flags_json); });

    auto* accounts = app.add_subcommand("accounts", "list accounts with balance, open flags and recoverable surplus");
    bool accounts_json = false;
    accounts->add_flag("--json", accounts_json, "print JSON");
    accounts->callback([&] { status = dpmon::daemon::cli::list_accounts(config_path, accounts_json); });

    auto* account = app.add_subcommand("account", "show one account: periods, planned vs actual, flags");
    std::string account_ref;
    bool account_json = false;
    account->add_option("ref", account_ref, "account reference")->required();
    account->add_flag("--json", account_json, "print JSON");
    account->callback([&] { status = dpmon::daemon::cli::show_account(config_path, account_ref, account_json); });

    auto* reviews = app.add_subcommand("reviews", "list reviews and audits by due date");
    std::string review_state;
    std::optional<std::int64_t> review_within;
    bool reviews_json = false;
    reviews->add_option("--state", review_state, "overdue, due, upcoming, completed, cancelled (default: every scheduled one)");
    reviews->add_option("--within-days", review_within, "only those due within this many days");
    reviews->add_flag("--json", reviews_json, "print JSON (the document GET /api/v1/reviews serves)");
    reviews->callback([&] { status = dpmon::daemon::cli::list_reviews(config_path, review_state, review_within, reviews_json); });

    auto* review = app.add_subcommand("review", "one review: show it, complete it, or ask for an early one");
    review->require_subcommand(1);
    std::int64_t review_id = 0;
    auto* review_show = review->add_subcommand("show", "a review with its history");
    review_show->add_option("id", review_id, "review id")->required();
    review_show->callback([&] { status = dpmon::daemon::cli::show_review(config_path, review_id); });
    dpmon::storage::completion completion;
    auto* review_complete = review->add_subcommand("complete", "record a completed review; the next is scheduled from its date");
    review_complete->add_option("id", review_id, "review id")->required();
    review_complete->add_option("--on", completion.completed_on, "completion date, YYYY-MM-DD")->required();
    review_complete->add_option("--by", completion.by, "who completed it")->required();
    review_complete->add_option("--outcome", completion.outcome, "the outcome, in a sentence")->required();
    review_complete->add_option("--next-due", completion.next_due, "an earlier date for the next one, YYYY-MM-DD");
    review_complete->add_option("--next-due-reason", completion.next_due_reason, "why the next one is earlier");
    review_complete->callback([&] { status = dpmon::daemon::cli::complete_review(config_path, review_id, completion); });
    std::string early_ref, early_reason, early_by, early_due;
    auto* review_request = review->add_subcommand("request", "ask for an early review (a breach, a change, a concern)");
    review_request->add_option("account", early_ref, "account reference")->required();
    review_request->add_option("--reason", early_reason, "why")->required();
    review_request->add_option("--by", early_by, "who asks")->required();
    review_request->add_option("--due", early_due, "due date, YYYY-MM-DD (default: in 14 days)");
    review_request->callback([&] { status = dpmon::daemon::cli::request_review(config_path, early_ref, early_reason, early_by, early_due); });

    auto* outbox = app.add_subcommand("outbox", "alerts waiting, sent and failed; retry a failed one");
    std::string outbox_state;
    bool outbox_json = false;
    outbox->add_option("--state", outbox_state, "pending, sent or failed (default: all)");
    outbox->add_flag("--json", outbox_json, "print JSON (the document GET /api/v1/outbox serves)");
    std::int64_t outbox_id = 0;
    auto* outbox_retry = outbox->add_subcommand("retry", "send a failed message again");
    outbox_retry->add_option("id", outbox_id, "message id")->required();
    outbox_retry->callback([&] { status = dpmon::daemon::cli::retry_outbox(config_path, outbox_id); });
    outbox->callback([&] {
        if (outbox->get_subcommands().empty()) status = dpmon::daemon::cli::list_outbox(config_path, outbox_state, outbox_json);
    });

    auto* pack = app.add_subcommand("audit-pack", "write an account's audit pack: transactions, plan vs actual, flags, HTML");
    std::string pack_ref, pack_from, pack_to, pack_out;
    pack->add_option("ref", pack_ref, "account reference")->required();
    pack->add_option("--from", pack_from, "first day, YYYY-MM-DD (default: the DP start)");
    pack->add_option("--to", pack_to, "last day, YYYY-MM-DD (default: today)");
    pack->add_option("--out", pack_out, "folder to write (created 0700)")->required();
    pack->callback([&] { status = dpmon::daemon::cli::audit_pack_command(config_path, pack_ref, pack_from, pack_to, pack_out); });

    auto* exemption = app.add_subcommand("exemption", "record a surplus exemption for an account");
    std::string ex_ref, ex_reason, ex_detail, ex_until, ex_by;
    exemption->add_option("ref", ex_ref, "account reference")->required();
    exemption->add_option("--reason", ex_reason, "hospital_stay, pa_vacancy, saving_for_purchase or other")->required();
    exemption->add_option("--detail", ex_detail, "what it is (needed for other)");
    exemption->add_option("--until", ex_until, "last day, YYYY-MM-DD")->required();
    exemption->add_option("--by", ex_by, "who records it")->required();
    exemption->callback([&] { status = dpmon::daemon::cli::add_exemption(config_path, ex_ref, ex_reason, ex_detail, ex_until, ex_by); });

    auto* recovery = app.add_subcommand("recovery", "surplus recovery: propose, notify (issues the notice), recovered, offset, waived, show");
    std::string rec_action, rec_ref;
    std::int64_t rec_id = 0;
    dpmon::daemon::cli::recovery_args rec_args;
    recovery->add_option("action", rec_action, "propose | notify | recovered | offset | waived | show")->required()
        ->check(CLI::IsMember({"propose", "notify", "recovered", "offset", "waived", "show"}));
    recovery->add_option("ref", rec_ref, "account reference")->required();
    recovery->add_option("id", rec_id, "recovery id (all but propose)");
    recovery->add_option("--by", rec_args.by, "who");
    recovery->add_option("--liabilities", rec_args.liabilities, "propose: known bills to leave in the account, such as 120.00");
    recovery->add_option("--recover-on", rec_args.recover_on, "notify: the date of recovery, at least 14 days ahead");
    recovery->add_option("--amount", rec_args.amount, "recovered/offset: the amount (default: all proposed)");
    recovery->add_option("--note", rec_args.note, "a note for the record");
    recovery->callback([&] { status = dpmon::daemon::cli::recovery_command(config_path, rec_action, rec_ref, rec_id, rec_args); });

    auto* profiles = app.add_subcommand("profiles", "list the statement profiles (built-in and configured)");
    profiles->callback([&] { status = dpmon::daemon::cli::list_profiles(config_path); });

    try {
        CLI11_PARSE(app, argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "dpmon: " << e.what() << "\n";
        return 1;
    }
    return status;
}
