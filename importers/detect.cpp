#include "dpmon/importers/detect.hpp"

#include "dpmon/core/text.hpp"
#include "dpmon/importers/csv_reader.hpp"
#include "dpmon/importers/ofx.hpp"
#include "dpmon/importers/text_decoder.hpp"

namespace dpmon::importers {
namespace {

// The header record of `head` read as profile `p` says (fields trimmed, lower case, trailing empties
// dropped); empty when the head cannot be read that way.
std::vector<std::string> header_fields(std::string_view head, const profile& p) {
    text_decoder decoder(p.encoding);
    std::string text;
    if (!decoder.decode(head, text)) {
        // A cut at the end of `head` may split a character; use what decoded.
    }
    std::vector<std::string> fields;
    csv_reader reader(p.delimiter);
    (void)reader.feed(text, [&](std::span<const std::string_view> f, std::size_t line) {
        if (line <= static_cast<std::size_t>(p.skip_lines)) return true;
        for (auto x : f) fields.push_back(core::to_lower(core::trim(x)));
        while (!fields.empty() && fields.back().empty()) fields.pop_back();
        return false;
    });
    return fields;
}

std::vector<std::string> split_header(std::string_view header, char delimiter) {
    std::vector<std::string> fields;
    csv_reader reader(delimiter);
    auto take = [&](std::span<const std::string_view> f, std::size_t) {
        for (auto x : f) fields.push_back(core::to_lower(core::trim(x)));
        return false;
    };
    (void)reader.feed(header, take);
    (void)reader.finish(take);
    return fields;
}


}  // namespace

std::string first_line(std::string_view head) {
    if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
    const std::size_t end = head.find_first_of("\r\n");
    std::string line(head.substr(0, std::min<std::size_t>(end, 200)));
    for (char& c : line) {
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    }
    return line;
}

result<const profile*> choose_profile(std::string_view file_name, std::string_view head,
                                      std::span<const profile> profiles) {
    std::vector<const profile*> by_name;
    for (const profile& p : profiles) {
        if (!p.match_filename.empty() && glob_match(p.match_filename, file_name)) by_name.push_back(&p);
    }
    auto several = [](const std::vector<const profile*>& v, std::string_view how) {
        std::string names;
        for (const profile* p : v) names += (names.empty() ? "" : ", ") + p->name;
        return make_error(errc::invalid_argument, "several profiles match this file by " + std::string(how) + ": " +
                                                      names + "; make their match rules distinct, or pass --profile");
    };
    if (by_name.size() == 1) return by_name.front();
    if (by_name.size() > 1) return several(by_name, "file name");

    if (looks_like_ofx(head)) {
        for (const profile& p : profiles) {
            if (p.format == "ofx") return &p;
        }
    }

    std::vector<const profile*> by_header;
    for (const profile& p : profiles) {
        if (p.format != "csv" || p.match_header.empty()) continue;
        const auto want = split_header(p.match_header, p.delimiter);
        if (!want.empty() && header_fields(head, p) == want) by_header.push_back(&p);
    }
    if (by_header.size() == 1) return by_header.front();
    if (by_header.size() > 1) return several(by_header, "header");
    return make_error(errc::invalid_argument,
                      "no profile matches this file's layout (name or first line); add a [profiles.NAME] table "
                      "with match_header (or match_filename) for this layout, or pass --profile");
}

std::vector<profile> merge_profiles(std::span<const profile> custom) {
    std::vector<profile> out;
    for (const profile& b : builtin_profiles()) {
        bool replaced = false;
        for (const profile& c : custom) replaced = replaced || c.name == b.name;
        if (!replaced) out.push_back(b);
    }
    out.insert(out.end(), custom.begin(), custom.end());
    return out;
}

}  // namespace dpmon::importers
