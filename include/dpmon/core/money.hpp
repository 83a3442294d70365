#pragma once
// money: an exact amount in integer pence. Never floating point.

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "dpmon/core/error.hpp"

namespace dpmon::core {

class money {
public:
    constexpr money() noexcept = default;
    static constexpr money from_pence(std::int64_t pence) noexcept { return money(pence); }

    constexpr std::int64_t pence() const noexcept { return pence_; }
    constexpr bool is_negative() const noexcept { return pence_ < 0; }
    constexpr bool is_zero() const noexcept { return pence_ == 0; }

    friend constexpr auto operator<=>(money, money) noexcept = default;

    // Arithmetic is checked: a result outside int64 pence throws std::overflow_error. Real amounts are
    // nowhere near that range, so reaching it is a bug, not a domain outcome; use checked_add() where
    // the inputs come from outside.
    friend money operator+(money a, money b);
    friend money operator-(money a, money b);
    friend money operator-(money a);
    friend money operator*(money a, std::int64_t factor);
    money& operator+=(money other) { return *this = *this + other; }
    money& operator-=(money other) { return *this = *this - other; }

    // "1234.56", "-12.00", "0.05": the form used in JSON and CSV output.
    std::string to_decimal() const;
    // "£1,234.56", "-£12.00": the form for people.
    std::string to_display() const;

private:
    constexpr explicit money(std::int64_t pence) noexcept : pence_(pence) {}
    std::int64_t pence_ = 0;
};

// a + b, or errc::amount_overflow.
result<money> checked_add(money a, money b);

// Parses an amount as banks and people write it. Accepted, each with optional surrounding spaces:
//   1234.56   1,234.56   £1,234.56   -12.00   +12.00   -£12.00   £-12.00   (12.00)   (£12.00)
//   12.00 DR  12.00DR  12.00 CR  (case-insensitive)   12   12.5   .50
// Debit forms (minus, parentheses, DR) give a negative amount. More than two decimal places, misplaced
// thousands separators, two sign markers, or anything else is errc::amount_invalid; a value beyond int64
// pence is errc::amount_overflow. The message quotes the text and says what is wrong.
result<money> parse_money(std::string_view text);

// Split debit and credit columns: at most one of them holds an amount (the other is empty or zero).
// A debit is money out and is returned negative whether the bank wrote it "12.00" or "-12.00"; a credit
// is money in and is returned positive. Both empty, or both non-zero, is errc::amount_invalid.
result<money> parse_debit_credit(std::string_view debit, std::string_view credit);

}  // namespace dpmon::core
