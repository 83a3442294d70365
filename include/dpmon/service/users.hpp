#pragma once
// The users file ([http] users_file, docs/http-api.md#people-and-roles): the people who may use the API,
// each with a name, an email address, a role and the SHA-256 of their token (the token itself is shown
// once, by `dpmon users add`, and never stored). dpmond reads it at start and on SIGHUP.
//
//   [[user]]
//   name = "Asha Patel"
//   email = "asha.patel@council.example"
//   role = "officer"              # read | officer | admin
//   token_sha256 = "9f86d0..."    # 64 hex digits

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dpmon/core/error.hpp"
#include "dpmon/core/user.hpp"

namespace dpmon::daemon {

struct user_entry {
    core::user who;
    std::string token_sha256;  // lower-case hex
};

// The file's people; none when it does not exist. errc::config_invalid names the file, the entry and the
// key that is wrong (a missing field, an unknown role, a hash that is not 64 hex digits, a name or token
// used twice).
result<std::vector<user_entry>> load_users(const std::filesystem::path& path);

// Writes the file whole (mode 0600, atomically).
result<void> save_users(const std::filesystem::path& path, const std::vector<user_entry>& users);

// A new random token: 32 bytes from OpenSSL's generator, as 64 hex digits.
std::string new_token();

// Who holds a token, by its hash. Built on the event loop at start and reload; looked up there too.
class user_directory {
public:
    // `users` from the users file; `admin_token`, when not empty, is the [http] token_file's token, which
    // acts as an admin called "api-token".
    void reset(const std::vector<user_entry>& users, std::string_view admin_token);
    std::optional<core::user> find(std::string_view token) const;
    std::size_t size() const { return by_hash_.size(); }

private:
    std::unordered_map<std::string, core::user> by_hash_;
};

}  // namespace dpmon::daemon
