#include "dpmon/core/money.hpp"

#include <stdexcept>

#include "dpmon/core/text.hpp"

namespace dpmon::core {
namespace {

constexpr std::string_view pound_sign = "\xC2\xA3";  // U+00A3 in UTF-8; importers convert other encodings

bool is_digit(char c) { return c >= '0' && c <= '9'; }

error invalid(std::string_view text, std::string_view why) {
    return make_error(errc::amount_invalid, "'" + std::string(text) + "' is not an amount: " + std::string(why));
}

error overflow(std::string_view text) {
    return make_error(errc::amount_overflow,
                      "'" + std::string(text) + "' is too large an amount (the limit is about 92 million million pounds)");
}

bool mul_add(std::int64_t& acc, int digit) {
    return !__builtin_mul_overflow(acc, 10, &acc) && !__builtin_add_overflow(acc, digit, &acc);
}

// Magnitude of an amount as pounds and pence, safe for INT64_MIN.
struct parts {
    bool negative;
    std::uint64_t pounds;
    unsigned pence;
};

parts split(std::int64_t value) {
    const bool negative = value < 0;
    const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
    return {negative, magnitude / 100, static_cast<unsigned>(magnitude % 100)};
}

std::string two_digits(unsigned v) { return {static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)}; }

}  // namespace

money operator+(money a, money b) {
    std::int64_t r = 0;
    if (__builtin_add_overflow(a.pence_, b.pence_, &r)) throw std::overflow_error("money addition overflows");
    return money(r);
}

money operator-(money a, money b) {
    std::int64_t r = 0;
    if (__builtin_sub_overflow(a.pence_, b.pence_, &r)) throw std::overflow_error("money subtraction overflows");
    return money(r);
}

money operator-(money a) { return money() - a; }

money operator*(money a, std::int64_t factor) {
    std::int64_t r = 0;
    if (__builtin_mul_overflow(a.pence_, factor, &r)) throw std::overflow_error("money multiplication overflows");
    return money(r);
}

std::string money::to_decimal() const {
    const parts p = split(pence_);
    return (p.negative ? "-" : "") + std::to_string(p.pounds) + "." + two_digits(p.pence);
}

std::string money::to_display() const {
    const parts p = split(pence_);
    std::string pounds = std::to_string(p.pounds);
    std::string grouped;
    for (std::size_t i = 0; i < pounds.size(); ++i) {
        if (i > 0 && (pounds.size() - i) % 3 == 0) grouped.push_back(',');
        grouped.push_back(pounds[i]);
    }
    return (p.negative ? "-" : "") + std::string(pound_sign) + grouped + "." + two_digits(p.pence);
}

result<money> checked_add(money a, money b) {
    std::int64_t r = 0;
    if (__builtin_add_overflow(a.pence(), b.pence(), &r)) {
        return make_error(errc::amount_overflow, "the sum of " + a.to_decimal() + " and " + b.to_decimal() +
                                                     " is too large");
    }
    return money::from_pence(r);
}

result<money> parse_money(std::string_view text) {
    std::string_view s = trim(text);
    if (s.empty()) return invalid(text, "it is empty");

    int sign_markers = 0;
    bool negative = false;

    // Trailing DR / CR, with or without a space.
    if (s.size() >= 2) {
        const std::string suffix{ascii_upper(s[s.size() - 2]), ascii_upper(s[s.size() - 1])};
        if (suffix == "DR" || suffix == "CR") {
            negative = suffix == "DR";
            ++sign_markers;
            s = trim(s.substr(0, s.size() - 2));
        }
    }
    if (!s.empty() && s.front() == '(') {
        if (s.back() != ')') return invalid(text, "an opening parenthesis has no closing one");
        negative = true;
        ++sign_markers;
        s = trim(s.substr(1, s.size() - 2));
    }
    // A sign and a pound sign, in either order.
    for (int i = 0; i < 2 && !s.empty(); ++i) {
        if (s.front() == '-' || s.front() == '+') {
            negative = negative || s.front() == '-';
            ++sign_markers;
            s.remove_prefix(1);
        } else if (s.starts_with(pound_sign)) {
            s.remove_prefix(pound_sign.size());
        }
    }
    if (sign_markers > 1) return invalid(text, "it has more than one sign (minus, parentheses, DR or CR)");
    if (s.empty()) return invalid(text, "it has no digits");

    std::int64_t pence = 0;
    std::size_t i = 0;
    std::size_t int_digits = 0;
    std::size_t group_len = 0;
    bool grouped = false;
    for (; i < s.size() && s[i] != '.'; ++i) {
        const char c = s[i];
        if (c == ',') {
            if (int_digits == 0 || (grouped ? group_len != 3 : group_len > 3))
                return invalid(text, "a thousands separator is misplaced");
            grouped = true;
            group_len = 0;
            continue;
        }
        if (!is_digit(c)) return invalid(text, "unexpected character '" + std::string(1, c) + "'");
        if (!mul_add(pence, c - '0')) return overflow(text);
        ++int_digits;
        ++group_len;
    }
    if (grouped && group_len != 3) return invalid(text, "a thousands separator is misplaced");

    std::size_t frac_digits = 0;
    if (i < s.size()) {  // s[i] == '.'
        for (++i; i < s.size(); ++i) {
            if (!is_digit(s[i])) return invalid(text, "unexpected character '" + std::string(1, s[i]) + "'");
            if (++frac_digits > 2) return invalid(text, "more than two decimal places");
            if (!mul_add(pence, s[i] - '0')) return overflow(text);
        }
        if (frac_digits == 0 && int_digits == 0) return invalid(text, "it has no digits");
    }
    if (int_digits == 0 && frac_digits == 0) return invalid(text, "it has no digits");
    for (std::size_t k = frac_digits; k < 2; ++k) {
        if (!mul_add(pence, 0)) return overflow(text);
    }
    return money::from_pence(negative ? -pence : pence);
}

result<money> parse_debit_credit(std::string_view debit, std::string_view credit) {
    const bool has_debit = !trim(debit).empty();
    const bool has_credit = !trim(credit).empty();
    if (!has_debit && !has_credit) return invalid("", "both the debit and the credit column are empty");
    money d;
    money c;
    if (has_debit) {
        auto r = parse_money(debit);
        if (!r) return r.error();
        d = *r;
    }
    if (has_credit) {
        auto r = parse_money(credit);
        if (!r) return r.error();
        c = *r;
    }
    if (!d.is_zero() && !c.is_zero()) {
        return invalid(std::string(trim(debit)) + " / " + std::string(trim(credit)),
                       "both the debit and the credit column hold an amount");
    }
    // Banks differ in whether a debit column is written "12.00" or "-12.00"; both mean money out.
    if (!d.is_zero()) return d.is_negative() ? d : -d;
    return c.is_negative() ? -c : c;
}

}  // namespace dpmon::core
