#include "dpmon/core/user.hpp"

#include "dpmon/core/enum_names.hpp"

namespace dpmon::core {
namespace {

constexpr enum_names<role, 3> role_names{{{role::read, "read"}, {role::officer, "officer"}, {role::admin, "admin"}}};

}  // namespace

std::string_view to_string(role r) { return name_in(role_names, r); }
std::optional<role> parse_role(std::string_view text) { return value_in(role_names, text); }

}  // namespace dpmon::core
