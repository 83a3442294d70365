#include "dpmon/core/text.hpp"

#include <cctype>
#include <string>

namespace dpmon::core {
namespace {

constexpr bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    }
    return true;
}

std::string id_list(const std::vector<std::int64_t>& ids) {
    std::string out;
    for (auto id : ids) out += (out.empty() ? "" : " ") + std::to_string(id);
    return out;
}

std::string escape_control(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (u < 0x20 || u == 0x7f) {
            out += "\\x";
            out.push_back("0123456789abcdef"[u >> 4]);
            out.push_back("0123456789abcdef"[u & 15]);
        } else {
            out.push_back(c);
        }
    }
    return out;
}

namespace {

bool names_whole_plain(std::string_view t, std::string_view id) {
    auto part_of_id = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_'; };
    for (std::size_t at = t.find(id); at != std::string_view::npos; at = t.find(id, at + 1)) {
        const bool left = at == 0 || !part_of_id(t[at - 1]);
        const bool right = at + id.size() == t.size() || !part_of_id(t[at + id.size()]);
        if (left && right) return true;
    }
    return false;
}

}  // namespace

bool names_whole(std::string_view text, std::string_view id) {
    if (id.empty()) return false;
    if (names_whole_plain(text, id)) return true;
    if (text.find("=\r\n") == std::string_view::npos) return false;
    std::string joined;
    joined.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 3, "=\r\n") == 0) {
            i += 2;
            continue;
        }
        joined += text[i];
    }
    return names_whole_plain(joined, id);
}

}  // namespace dpmon::core
