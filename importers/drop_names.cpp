#include "dpmon/importers/drop_names.hpp"

#include <cerrno>

#include "dpmon/core/text.hpp"

namespace dpmon::importers {
namespace {

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool ends_with_ci(std::string_view s, std::string_view suffix) {
    if (s.size() < suffix.size()) return false;
    for (std::size_t i = 0; i < suffix.size(); ++i) {
        if (core::ascii_lower(s[s.size() - suffix.size() + i]) != core::ascii_lower(suffix[i])) return false;
    }
    return true;
}

}  // namespace

bool is_ignored_drop_name(std::string_view file_name) {
    return file_name.empty() || file_name.front() == '.' || ends_with_ci(file_name, ".part") ||
           ends_with_ci(file_name, ".tmp");
}

bool file_name_names_account(std::string_view file_name, std::string_view account_ref) {
    if (account_ref.empty() || file_name.size() < account_ref.size()) return false;
    for (std::size_t i = 0; i < account_ref.size(); ++i) {
        if (core::ascii_lower(file_name[i]) != core::ascii_lower(account_ref[i])) return false;
    }
    return file_name.size() == account_ref.size() || !is_alnum(file_name[account_ref.size()]);
}

std::string delivery_permission_hint(int error_number) {
    if (error_number != EACCES) return {};
    return " (dpmond reads delivered files through the group dpmon-upload: make this one group-readable,"
           " chmod g+r, and have the uploader deliver group-readable files (mode 0640: make the local file 0640"
           " before an SFTP upload; Samba: create mask = 0640))";
}

}  // namespace dpmon::importers
