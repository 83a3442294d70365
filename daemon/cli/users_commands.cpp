// dpmon users (list), dpmon users add NAME --email --role, dpmon users remove NAME: the people in [http]
// users_file. A new token is printed once; the file keeps only its SHA-256.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "cli_support.hpp"
#include "dpmon/app/sha256.hpp"
#include "dpmon/service/config.hpp"
#include "dpmon/service/users.hpp"

namespace dpmon::daemon::cli {
namespace {

struct user_args {
    std::string name, email, role = "officer";
};

result<std::pair<std::filesystem::path, std::vector<user_entry>>> users_of(const std::string& config_path) {
    auto cfg = load_config(config_path);
    if (!cfg) return cfg.error();
    auto users = load_users(cfg->http.users_file);
    if (!users) return users.error();
    return std::pair(cfg->http.users_file, std::move(*users));
}

int list_users(const std::string& config_path) {
    auto users = users_of(config_path);
    if (!users) return fail(users.error());
    if (users->second.empty()) std::cout << "no users in " << users->first.string() << " (add one with dpmon users add)\n";
    for (const auto& u : users->second)
        std::cout << u.who.name << " <" << u.who.email << "> " << core::to_string(u.who.grants) << "\n";
    return 0;
}

int add_user(const std::string& config_path, const user_args& a) {
    auto users = users_of(config_path);
    if (!users) return fail(users.error());
    const auto role = core::parse_role(a.role);
    if (!role) return fail(make_error(errc::invalid_argument, "--role '" + a.role + "' is not one of read, officer, admin"));
    auto printable = [](const std::string& t) {
        return !t.empty() && std::none_of(t.begin(), t.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
    };
    if (!printable(a.name)) return fail(make_error(errc::invalid_argument, "the name must be one line of printable text"));
    if (a.email.find('@') == std::string::npos || !printable(a.email))
        return fail(make_error(errc::invalid_argument, "--email '" + a.email + "' is not an email address"));
    auto& list = users->second;
    if (std::any_of(list.begin(), list.end(), [&](const user_entry& u) { return u.who.name == a.name; }))
        return fail(make_error(errc::conflict, "there is already a user called '" + a.name +
                                                   "' in " + users->first.string() + "; remove them first for a new token"));
    const std::string token = new_token();
    list.push_back(user_entry{core::user{a.name, a.email, *role}, sha256_hex(token)});
    if (auto saved = save_users(users->first, list); !saved) return fail(saved.error());
    std::cout << token << "\n";
    std::cerr << "dpmon: added " << a.name << " (" << a.role << ") to " << users->first.string()
              << ". The line above is their API token, shown this once: give it to them privately; they send it as\n"
                 "       Authorization: Bearer <token>. dpmond reads the change on reload (systemctl reload dpmond).\n";
    return 0;
}

int remove_user(const std::string& config_path, const std::string& name) {
    auto users = users_of(config_path);
    if (!users) return fail(users.error());
    auto& list = users->second;
    const auto before = list.size();
    std::erase_if(list, [&](const user_entry& u) { return u.who.name == name; });
    if (list.size() == before) return fail(make_error(errc::not_found, "no user called '" + name + "' in " + users->first.string()));
    if (auto saved = save_users(users->first, list); !saved) return fail(saved.error());
    std::cerr << "dpmon: removed " << name << "; their token stops working when dpmond reloads (systemctl reload dpmond)\n";
    return 0;
}

}  // namespace

void add_users_commands(CLI::App& app, const cli_context& ctx) {
    auto* users = app.add_subcommand("users", "the people who may use the HTTP API ([http] users_file): list them");
    users->callback([&ctx, users] {
        if (users->get_subcommands().empty()) ctx.status = list_users(ctx.config_path);
    });
    auto args = std::make_shared<user_args>();
    auto* add = users->add_subcommand("add", "add a person and print their new API token (shown once)");
    add->add_option("name", args->name, "their name, shown as who made each change")->required();
    add->add_option("--email", args->email, "their email address")->required();
    add->add_option("--role", args->role, "read (auditors, reports), officer (acknowledge, complete, exempt, recover) "
                                          "or admin (plans, outbox, everything)")
        ->capture_default_str()
        ->check(CLI::IsMember({"read", "officer", "admin"}));
    add->callback([&ctx, args] { ctx.status = add_user(ctx.config_path, *args); });
    auto name = std::make_shared<std::string>();
    auto* remove = users->add_subcommand("remove", "remove a person: their token stops working at the next reload");
    remove->add_option("name", *name, "their name as listed")->required();
    remove->callback([&ctx, name] { ctx.status = remove_user(ctx.config_path, *name); });
}

}  // namespace dpmon::daemon::cli
