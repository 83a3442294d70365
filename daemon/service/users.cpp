#include "dpmon/service/users.hpp"

#include <openssl/rand.h>
#include <toml++/toml.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <sstream>

#include "dpmon/app/atomic_file.hpp"
#include "dpmon/app/sha256.hpp"

namespace dpmon::daemon {
namespace {

std::string hex_of(const unsigned char* bytes, std::size_t n) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 15];
    }
    return out;
}

bool is_sha256_hex(std::string_view s) {
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// A TOML basic string: quotes and backslashes escaped, control characters refused by the caller's checks.
std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

result<user_entry> read_entry(const std::filesystem::path& path, const toml::table& t, std::size_t number) {
    const std::string where = path.string() + ": user " + std::to_string(number) +
                              (t.source().begin ? " (line " + std::to_string(t.source().begin.line) + ")" : "");
    auto field = [&](const char* key) -> result<std::string> {
        const auto v = t[key].value<std::string>();
        if (!v || v->empty()) return make_error(errc::config_invalid, where + ": '" + key + "' is missing; every user needs name, email, role and token_sha256");
        return *v;
    };
    user_entry e;
    for (const auto& [key, value] : t) {
        const std::string_view k = key.str();
        if (k != "name" && k != "email" && k != "role" && k != "token_sha256")
            return make_error(errc::config_invalid, where + ": unknown key '" + std::string(k) + "' (expected name, email, role, token_sha256)");
    }
    auto name = field("name");
    if (!name) return name.error();
    auto email = field("email");
    if (!email) return email.error();
    auto role_text = field("role");
    if (!role_text) return role_text.error();
    auto hash = field("token_sha256");
    if (!hash) return hash.error();
    const auto r = core::parse_role(*role_text);
    if (!r) return make_error(errc::config_invalid, where + ": role '" + *role_text + "' is not one of read, officer, admin");
    if (!is_sha256_hex(*hash))
        return make_error(errc::config_invalid, where + ": token_sha256 must be 64 lower-case hex digits (dpmon users add writes it)");
    e.who = core::user{*name, *email, *r};
    e.token_sha256 = *hash;
    return e;
}

}  // namespace

result<std::vector<user_entry>> load_users(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::vector<user_entry>{};
    toml::table doc;
    try {
        doc = toml::parse_file(path.string());
    } catch (const toml::parse_error& e) {
        return make_error(errc::config_invalid, path.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                                                    std::string(e.description()));
    }
    std::vector<user_entry> out;
    for (const auto& [key, value] : doc) {
        if (key.str() != "user")
            return make_error(errc::config_invalid, path.string() + ": unknown key '" + std::string(key.str()) + "' (each person is a [[user]] table)");
    }
    const toml::array* list = doc["user"].as_array();
    if (!list) return out;
    std::set<std::string> names, hashes;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const toml::table* t = (*list)[i].as_table();
        if (!t) return make_error(errc::config_invalid, path.string() + ": user " + std::to_string(i + 1) + " is not a table");
        auto e = read_entry(path, *t, i + 1);
        if (!e) return e.error();
        if (!names.insert(e->who.name).second)
            return make_error(errc::config_invalid, path.string() + ": the name '" + e->who.name + "' is used twice; each person once");
        if (!hashes.insert(e->token_sha256).second)
            return make_error(errc::config_invalid, path.string() + ": user " + std::to_string(i + 1) + " (" + e->who.name +
                                                        ") has the same token as another; give each person their own (dpmon users add)");
        out.push_back(std::move(*e));
    }
    return out;
}

result<void> save_users(const std::filesystem::path& path, const std::vector<user_entry>& users) {
    std::ostringstream o;
    o << "# dpmon users: the people who may use the HTTP API. Made with `dpmon users add`; a token is kept only\n"
         "# as its SHA-256. Roles: read (auditors, reports), officer (acknowledge, complete, exempt, recover),\n"
         "# admin (plans, outbox, everything). dpmond reads this file at start and on reload (SIGHUP).\n";
    for (const auto& u : users) {
        o << "\n[[user]]\nname = " << quoted(u.who.name) << "\nemail = " << quoted(u.who.email)
          << "\nrole = " << quoted(core::to_string(u.who.grants)) << "\ntoken_sha256 = " << quoted(u.token_sha256) << "\n";
    }
    // A rewrite keeps the file's owner, group and mode (packaged: root:dpmon 0640, so dpmond, running as
    // dpmon, reads it and only root writes it); a new file is 0600 to whoever writes it.
    struct stat before {};
    const bool existed = ::stat(path.c_str(), &before) == 0;
    if (auto written = write_file_atomic(path, o.str()); !written) return written;
    if (existed && (::chown(path.c_str(), before.st_uid, before.st_gid) != 0 || ::chmod(path.c_str(), before.st_mode & 0640) != 0))
        return make_error(errc::io_error, "wrote " + path.string() + " but could not give it back its owner and mode: " +
                                              std::strerror(errno) + "; run dpmon users as the file's owner or root");
    return {};
}

std::string new_token() {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("OpenSSL could not make random bytes for a token");
    return hex_of(bytes, sizeof bytes);
}

void user_directory::reset(const std::vector<user_entry>& users, std::string_view admin_token) {
    by_hash_.clear();
    for (const auto& u : users) by_hash_[u.token_sha256] = u.who;
    if (!admin_token.empty()) by_hash_.try_emplace(sha256_hex(admin_token), core::user{"api-token", "", core::role::admin});
}

std::optional<core::user> user_directory::find(std::string_view token) const {
    // Hashing first makes the lookup's timing independent of how much of a token matches.
    const auto it = by_hash_.find(sha256_hex(token));
    if (it == by_hash_.end()) return std::nullopt;
    return it->second;
}

}  // namespace dpmon::daemon
