#include "dpmon/core/civil_date.hpp"

#include <charconv>

namespace dpmon::core {
namespace {

bool parse_fixed(std::string_view s, int& out) {
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

result<civil_date> parse_iso_date(std::string_view text) {
    auto bad = [&](std::string_view why) {
        return make_error(errc::date_invalid,
                          "'" + std::string(text) + "' is not a date: " + std::string(why) + " (expected YYYY-MM-DD)");
    };
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad("wrong form");
    int y = 0;
    int m = 0;
    int d = 0;
    if (!parse_fixed(text.substr(0, 4), y) || !parse_fixed(text.substr(5, 2), m) || !parse_fixed(text.substr(8, 2), d))
        return bad("wrong form");
    const civil_date date{date::year{y}, date::month{static_cast<unsigned>(m)}, date::day{static_cast<unsigned>(d)}};
    if (!date.ok()) return bad("no such day");
    return date;
}

// By hand: date::format goes through iostreams and locales, which costs more than an import row's parse.
std::string format_iso_date(civil_date d) {
    const int y = static_cast<int>(d.year());
    const unsigned m = static_cast<unsigned>(d.month());
    const unsigned day = static_cast<unsigned>(d.day());
    if (y < 0 || y > 9999) return date::format("%F", d);
    std::string out(10, '-');
    out[0] = static_cast<char>('0' + y / 1000);
    out[1] = static_cast<char>('0' + y / 100 % 10);
    out[2] = static_cast<char>('0' + y / 10 % 10);
    out[3] = static_cast<char>('0' + y % 10);
    out[5] = static_cast<char>('0' + m / 10);
    out[6] = static_cast<char>('0' + m % 10);
    out[8] = static_cast<char>('0' + day / 10);
    out[9] = static_cast<char>('0' + day % 10);
    return out;
}

civil_date local_date(std::chrono::system_clock::time_point t, const date::time_zone& zone) {
    const auto local = zone.to_local(t);
    return civil_date{date::floor<date::days>(local)};
}

civil_date add_months(civil_date d, int months) {
    const date::year_month ym = date::year_month{d.year(), d.month()} + date::months{months};
    const date::day last = date::year_month_day_last{ym.year(), date::month_day_last{ym.month()}}.day();
    return civil_date{ym.year(), ym.month(), d.day() > last ? last : d.day()};
}

civil_date add_days(civil_date d, int days) { return civil_date{date::sys_days{d} + date::days{days}}; }

std::string format_utc_timestamp(std::chrono::system_clock::time_point t) {
    return date::format("%FT%TZ", date::floor<std::chrono::seconds>(t));
}

result<std::chrono::system_clock::time_point> parse_utc_timestamp(std::string_view text) {
    auto day = parse_iso_date(text.substr(0, 10));
    auto number = [&](std::size_t at) {
        int v = 0;
        if (text.size() < at + 2) return -1;
        auto [p, ec] = std::from_chars(text.data() + at, text.data() + at + 2, v);
        return ec == std::errc() && p == text.data() + at + 2 ? v : -1;
    };
    const int h = number(11), m = number(14), sec = number(17);
    if (!day || text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z' || h < 0 ||
        h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
        return make_error(errc::date_invalid, "'" + std::string(text) + "' is not a UTC time in the form 2026-12-01T09:30:00Z");
    return date::sys_days{*day} + std::chrono::hours(h) + std::chrono::minutes(m) + std::chrono::seconds(sec);
}

}  // namespace dpmon::core
