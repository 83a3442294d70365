#include "dpmon/importers/date_format.hpp"

#include <array>

#include "dpmon/core/text.hpp"

namespace dpmon::importers {
namespace {

constexpr std::array<std::string_view, 12> months{"january", "february", "march",     "april",   "may",      "june",
                                                  "july",    "august",   "september", "october", "november", "december"};

bool read_number(std::string_view s, std::size_t& i, std::size_t min_digits, std::size_t max_digits, int& out) {
    std::size_t n = 0;
    int v = 0;
    while (i < s.size() && n < max_digits && s[i] >= '0' && s[i] <= '9') {
        v = v * 10 + (s[i] - '0');
        ++i;
        ++n;
    }
    out = v;
    return n >= min_digits;
}

bool read_month_name(std::string_view s, std::size_t& i, int& out) {
    std::size_t n = 0;
    while (i + n < s.size() && ((s[i + n] >= 'a' && s[i + n] <= 'z') || (s[i + n] >= 'A' && s[i + n] <= 'Z'))) ++n;
    if (n < 3) return false;
    for (std::size_t m = 0; m < months.size(); ++m) {
        const std::string_view full = months[m];
        if (n != 3 && n != full.size() && !(m == 8 && n == 4)) continue;  // "Sept" too
        bool same = n <= full.size();
        for (std::size_t k = 0; same && k < n; ++k) same = core::ascii_lower(s[i + k]) == full[k];
        if (same) {
            out = static_cast<int>(m) + 1;
            i += n;
            return true;
        }
    }
    return false;
}

}  // namespace

result<core::civil_date> parse_date(std::string_view text, std::string_view format) {
    auto bad = [&](std::string_view why) {
        return make_error(errc::date_invalid, "'" + std::string(text) + "' is not a date in the form '" +
                                                  std::string(format) + "': " + std::string(why));
    };
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    if (text.empty()) return bad("it is empty");
    int day = 0;
    int month = 0;
    int year = 0;
    std::size_t i = 0;
    for (std::size_t f = 0; f < format.size(); ++f) {
        if (format[f] != '%' || f + 1 == format.size()) {
            if (i >= text.size() || text[i] != format[f]) return bad("it does not follow the form");
            ++i;
            continue;
        }
        const char spec = format[++f];
        bool ok = true;
        switch (spec) {
            case 'd':
            case 'e': ok = read_number(text, i, 1, 2, day); break;
            case 'm': ok = read_number(text, i, 1, 2, month); break;
            case 'Y': ok = read_number(text, i, 4, 4, year); break;
            case 'y':
                ok = read_number(text, i, 2, 2, year);
                year += 2000;
                break;
            case 'b':
            case 'B': ok = read_month_name(text, i, month); break;
            case '%': ok = i < text.size() && text[i++] == '%'; break;
            default: return bad(std::string("the form uses %") + spec + ", which dpmon does not read");
        }
        if (!ok) return bad("it does not follow the form");
    }
    if (i < text.size() && text[i] != ' ' && text[i] != 'T') return bad("unexpected text after the date");
    const core::civil_date d{date::year{year}, date::month{static_cast<unsigned>(month)},
                             date::day{static_cast<unsigned>(day)}};
    if (!d.ok()) return bad("no such day");
    return d;
}

}  // namespace dpmon::importers
