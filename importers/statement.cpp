#include "dpmon/importers/statement.hpp"

namespace dpmon::importers {

namespace {

std::string where(const std::string& file_name, const diagnostic& d) {
    std::string out = file_name + ":" + std::to_string(d.line);
    if (d.column != 0) out += ":" + std::to_string(d.column);
    out += ": ";
    if (!d.field.empty()) out += "field '" + d.field + "': ";
    return out;
}

void hide(std::string& text, const std::string& value) {
    if (value.empty()) return;
    const std::string quoted = "'" + value + "'";
    for (std::size_t at = text.find(quoted); at != std::string::npos; at = text.find(quoted, at)) {
        text.replace(at, quoted.size(), "the value");
        at += 9;
    }
}

}  // namespace

std::string format_diagnostic(const std::string& file_name, const diagnostic& d) {
    return where(file_name, d) + d.message;
}

std::string format_diagnostic_safe(const std::string& file_name, const diagnostic& d) {
    std::string message = d.message;
    hide(message, d.value);
    if (const std::size_t slash = d.value.find(" / "); slash != std::string::npos) {
        hide(message, d.value.substr(0, slash));
        hide(message, d.value.substr(slash + 3));
    }
    return where(file_name, d) + message;
}

std::string digits_only(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c >= '0' && c <= '9') out.push_back(c);
    }
    return out;
}

void split_account_identifier(std::string_view text, statement_row& row) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\'')) text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    std::string digits = digits_only(text);
    bool only_bank_chars = true;
    for (char c : text) {
        if (!((c >= '0' && c <= '9') || c == '-' || c == ' ')) only_bank_chars = false;
    }
    if (only_bank_chars && digits.size() == 14) {
        row.sort_code = digits.substr(0, 6);
        row.account_number = digits.substr(6);
    } else {
        row.account_id = std::string(text);
    }
}

}  // namespace dpmon::importers
