#include "dpmon/importers/text_decoder.hpp"

#include <array>
#include <cstdint>

namespace dpmon::importers {
namespace {

// Windows-1252 bytes 0x80..0x9F as Unicode code points (0 where the byte is undefined).
constexpr std::array<std::uint16_t, 32> cp1252_high{
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void append_utf8(std::uint32_t cp, std::string& out) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// Length of the UTF-8 sequence led by `b`, or 0 for a byte that cannot lead one.
std::size_t sequence_length(unsigned char b) {
    if (b < 0x80) return 1;
    if (b >= 0xC2 && b <= 0xDF) return 2;
    if (b >= 0xE0 && b <= 0xEF) return 3;
    if (b >= 0xF0 && b <= 0xF4) return 4;
    return 0;
}

bool valid_sequence(const unsigned char* p, std::size_t n) {
    for (std::size_t i = 1; i < n; ++i) {
        if ((p[i] & 0xC0) != 0x80) return false;
    }
    if (n == 3) {
        if (p[0] == 0xE0 && p[1] < 0xA0) return false;  // overlong
        if (p[0] == 0xED && p[1] > 0x9F) return false;  // surrogates
    }
    if (n == 4) {
        if (p[0] == 0xF0 && p[1] < 0x90) return false;
        if (p[0] == 0xF4 && p[1] > 0x8F) return false;
    }
    return true;
}

}  // namespace

bool parse_text_encoding(std::string_view name, text_encoding& out) {
    if (name == "utf-8" || name == "utf8" || name == "UTF-8") {
        out = text_encoding::utf8;
        return true;
    }
    if (name == "windows-1252" || name == "cp1252") {
        out = text_encoding::windows_1252;
        return true;
    }
    return false;
}

result<void> text_decoder::decode(std::string_view chunk, std::string& out) {
    std::string joined;
    if (!pending_.empty()) {
        joined = pending_ + std::string(chunk);
        pending_.clear();
        chunk = joined;
    }
    if (at_start_) {
        constexpr std::string_view bom = "\xEF\xBB\xBF";
        if (chunk.size() < bom.size() && bom.starts_with(chunk)) {
            pending_ = std::string(chunk);
            return {};
        }
        if (chunk.starts_with(bom)) chunk.remove_prefix(bom.size());
        at_start_ = false;
    }

    out.reserve(out.size() + chunk.size());
    const auto* p = reinterpret_cast<const unsigned char*>(chunk.data());
    const std::size_t n = chunk.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char b = p[i];
        if (b < 0x80) {
            if (b == '\n') ++line_;
            out.push_back(static_cast<char>(b));
            ++i;
            continue;
        }
        if (encoding_ == text_encoding::windows_1252) {
            const std::uint32_t cp = b < 0xA0 ? cp1252_high[b - 0x80] : b;
            if (cp == 0) {
                return make_error(errc::invalid_argument,
                                  "line " + std::to_string(line_) + ": byte 0x" + "0123456789ABCDEF"[b >> 4] +
                                      "0123456789ABCDEF"[b & 15] + " is not a Windows-1252 character");
            }
            append_utf8(cp, out);
            ++i;
            continue;
        }
        const std::size_t len = sequence_length(b);
        if (len != 0 && i + len > n) {  // cut by the chunk boundary: wait for the rest
            pending_.assign(chunk.substr(i));
            return {};
        }
        if (len == 0 || !valid_sequence(p + i, len)) {
            std::string hex = "0x";
            hex.push_back("0123456789ABCDEF"[b >> 4]);
            hex.push_back("0123456789ABCDEF"[b & 15]);
            return make_error(errc::invalid_argument,
                              "line " + std::to_string(line_) + ": byte " + hex +
                                  " is not UTF-8; if the file comes from an older Windows export, set "
                                  "encoding = \"windows-1252\" in its profile");
        }
        out.append(chunk.substr(i, len));
        i += len;
    }
    return {};
}

result<void> text_decoder::finish() {
    if (!pending_.empty() && !(at_start_ && std::string_view("\xEF\xBB\xBF").starts_with(pending_))) {
        return make_error(errc::invalid_argument,
                          "line " + std::to_string(line_) + ": the file ends in the middle of a UTF-8 character");
    }
    return {};
}

}  // namespace dpmon::importers
