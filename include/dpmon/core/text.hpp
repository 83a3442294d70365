#pragma once
// Small ASCII text helpers shared by the parsers (bank files are ASCII where it matters: headers, codes).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dpmon::core {

// Without leading and trailing spaces, tabs, CRs and LFs.
std::string_view trim(std::string_view s);

constexpr char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr char ascii_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// ASCII letters in lower case; other bytes unchanged.
std::string to_lower(std::string_view s);

// Equal ignoring ASCII case.
bool iequals(std::string_view a, std::string_view b);

// Control characters written visibly (\n, \r, \t, \x1b...; a backslash as \\), other bytes (UTF-8
// included) unchanged: for anything logged that came from outside, so a file name cannot start a forged
// log line or journal priority.
std::string escape_control(std::string_view s);

// "12 15 19": ids as a flag lists its transactions (in its inputs and as stored).
std::string id_list(const std::vector<std::int64_t>& ids);

// Whether `text` names `id` as a whole, not inside a longer reference or number ("DP-1" is not named by
// "DP-12"; letters, digits, '-' and '_' continue an id), also across a quoted-printable soft line break
// ("DP-00077=\r\n7") as in a message body. False for an empty id.
bool names_whole(std::string_view text, std::string_view id);

}  // namespace dpmon::core
