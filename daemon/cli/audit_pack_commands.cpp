// dpmon audit-pack REF --out DIR.
#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "cli_support.hpp"
#include "dpmon/app/queries.hpp"
#include "dpmon/service/settings.hpp"
#include "dpmon/views/views.hpp"
#include <sys/stat.h>

#include <filesystem>

#include "dpmon/app/atomic_file.hpp"
#include "dpmon/views/audit_pack.hpp"

namespace dpmon::daemon::cli {
namespace {

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

}  // namespace

void add_audit_pack_commands(CLI::App& app, const cli_context& ctx) {
    auto* pack = app.add_subcommand("audit-pack", "write an account's audit pack: transactions, plan vs actual, flags, HTML");
    struct options {
        std::string ref, from, to, out;
    };
    auto o = std::make_shared<options>();
    pack->add_option("ref", o->ref, "account reference")->required();
    pack->add_option("--from", o->from, "first day, YYYY-MM-DD (default: the DP start)");
    pack->add_option("--to", o->to, "last day, YYYY-MM-DD (default: today)");
    pack->add_option("--out", o->out, "folder to write (created 0700)")->required();
    pack->callback([o, &ctx] { ctx.status = audit_pack_command(ctx.config_path, o->ref, o->from, o->to, o->out); });
}

}  // namespace dpmon::daemon::cli
