#pragma once
// The people who use the API (docs/http-api.md#people-and-roles): each has a name, an email address and a
// role. Roles are ordered: an officer can do what a reader can, an admin what an officer can.

#include <optional>
#include <string>
#include <string_view>

namespace dpmon::core {

enum class role {
    read = 1,     // auditors and reports: every read, no change
    officer = 2,  // finance officers: acknowledge flags, complete reviews, exempt and recover surpluses
    admin = 3,    // plans, the outbox, everything
};
std::string_view to_string(role r);
std::optional<role> parse_role(std::string_view text);

// True when `has` includes everything `needs` may do.
constexpr bool allows(role has, role needs) { return static_cast<int>(has) >= static_cast<int>(needs); }

struct user {
    std::string name;   // shown as "by" on everything they change
    std::string email;
    role grants = role::read;
};

}  // namespace dpmon::core
