#include "dpmon/alerts/message.hpp"

#include <date/date.h>

#include <algorithm>
#include <cctype>

namespace dpmon::alerts {
namespace {

constexpr std::string_view base64_chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(std::string_view in) {
    std::string out;
    std::size_t i = 0;
    while (i + 2 < in.size()) {
        const unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                           static_cast<unsigned char>(in[i + 2]);
        out += base64_chars[(n >> 18) & 63];
        out += base64_chars[(n >> 12) & 63];
        out += base64_chars[(n >> 6) & 63];
        out += base64_chars[n & 63];
        i += 3;
    }
    if (i + 1 == in.size()) {
        const unsigned n = static_cast<unsigned char>(in[i]) << 16;
        out += base64_chars[(n >> 18) & 63];
        out += base64_chars[(n >> 12) & 63];
        out += "==";
    } else if (i + 2 == in.size()) {
        const unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
        out += base64_chars[(n >> 18) & 63];
        out += base64_chars[(n >> 12) & 63];
        out += base64_chars[(n >> 6) & 63];
        out += '=';
    }
    return out;
}

bool printable_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

// A header value must not carry a line break: an address or key from data cannot inject a header.
std::string one_line(std::string_view s) {
    std::string out(s);
    std::replace_if(out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
    return out;
}

}  // namespace

std::string message_id_for(std::string_view key, std::chrono::system_clock::time_point composed, std::string_view from) {
    std::string left;
    for (char c : key) left += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '.';
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(composed.time_since_epoch()).count();
    std::string domain = domain_of(from);
    if (domain.empty()) domain = "dpmon.invalid";
    return "<" + left + "." + std::to_string(ms) + "@" + domain + ">";
}

std::string rfc5322_date(std::chrono::system_clock::time_point t) {
    return date::format("%a, %d %b %Y %H:%M:%S +0000", date::floor<std::chrono::seconds>(t));
}

std::string encode_header_text(std::string_view utf8) {
    if (printable_ascii(utf8)) return std::string(utf8);
    // Encoded words of at most 75 characters, split between whole UTF-8 characters.
    std::string out;
    std::size_t i = 0;
    while (i < utf8.size()) {
        std::size_t j = i;
        std::size_t take = 0;
        while (j < utf8.size()) {
            std::size_t len = 1;
            const auto c = static_cast<unsigned char>(utf8[j]);
            if (c >= 0xf0) len = 4;
            else if (c >= 0xe0) len = 3;
            else if (c >= 0xc0) len = 2;
            if ((take + len + 2) / 3 * 4 > 60) break;
            take += len;
            j += len;
        }
        if (j == i) j = std::min(utf8.size(), i + 1);
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64(utf8.substr(i, j - i)) + "?=";
        i = j;
    }
    return out;
}

std::string quoted_printable(std::string_view utf8) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    std::size_t line = 0;
    auto put = [&](std::string_view piece) {
        if (line + piece.size() > 75) {
            out += "=\r\n";
            line = 0;
        }
        out += piece;
        line += piece.size();
    };
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c == '\n') {
            out += "\r\n";
            line = 0;
            continue;
        }
        if (c == '\r') continue;
        const bool last_on_line = i + 1 == utf8.size() || utf8[i + 1] == '\n';
        if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last_on_line)) {
            const char ch = static_cast<char>(c);
            put(std::string_view(&ch, 1));
        } else {
            const char enc[3] = {'=', hex[c >> 4], hex[c & 15]};
            put(std::string_view(enc, 3));
        }
    }
    return out;
}

std::string compose_message(const alert_content& a, std::string_view from, std::chrono::system_clock::time_point composed) {
    std::string m;
    m += "Date: " + rfc5322_date(composed) + "\r\n";
    m += "From: dpmon <" + one_line(from) + ">\r\n";
    m += "To: <" + one_line(a.to) + ">\r\n";
    m += "Subject: " + encode_header_text(one_line(a.subject)) + "\r\n";
    m += "Message-ID: " + message_id_for(a.key, composed, from) + "\r\n";
    m += "X-Dpmon-Alert-Key: " + one_line(a.key) + "\r\n";
    m += "Auto-Submitted: auto-generated\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "Content-Type: text/plain; charset=utf-8\r\n";
    m += "Content-Transfer-Encoding: quoted-printable\r\n";
    m += "\r\n";
    m += quoted_printable(a.body);
    if (!m.ends_with("\r\n")) m += "\r\n";
    return m;
}

std::string domain_of(std::string_view address) {
    const auto at = address.rfind('@');
    if (at == std::string_view::npos) return {};
    std::string d(address.substr(at + 1));
    std::transform(d.begin(), d.end(), d.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return d;
}

bool recipient_allowed(std::string_view address, const std::vector<std::string>& allowed) {
    if (address.find('@') == std::string_view::npos) return false;
    if (allowed.empty()) return true;
    const std::string d = domain_of(address);
    return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& a) { return domain_of("@" + a) == d; });
}

std::chrono::milliseconds backoff_delay(std::int64_t attempt, std::chrono::milliseconds initial, std::chrono::milliseconds cap,
                                        std::uint64_t random) {
    std::int64_t ms = initial.count();
    for (std::int64_t i = 1; i < attempt && ms < cap.count(); ++i) ms *= 2;
    ms = std::min(ms, cap.count());
    // ±20 %: from 0.8 to 1.2 of the delay, by `random`; still never above the cap.
    const std::int64_t spread = ms * 2 / 5;
    if (spread > 0) ms = ms - ms / 5 + static_cast<std::int64_t>(random % static_cast<std::uint64_t>(spread + 1));
    return std::chrono::milliseconds(std::min(ms, cap.count()));
}

}  // namespace dpmon::alerts
