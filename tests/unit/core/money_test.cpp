#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include "dpmon/core/money.hpp"

using dpmon::errc;
using dpmon::core::money;
using dpmon::core::parse_debit_credit;
using dpmon::core::parse_money;

namespace {
struct accepted_case {
    const char* text;
    std::int64_t pence;
};
struct rejected_case {
    const char* text;
    errc code;
    const char* message;
};
}  // namespace

TEST_CASE("every accepted amount form parses to exact pence") {
    const accepted_case cases[] = {
        {"1234.56", 123456},        {"1,234.56", 123456},    {"\xC2\xA3" "1,234.56", 123456},
        {"-12.00", -1200},          {"+12.00", 1200},        {"-\xC2\xA3" "12.00", -1200},
        {"\xC2\xA3-12.00", -1200},  {"(12.00)", -1200},      {"(\xC2\xA3" "12.00)", -1200},
        {"12.00 DR", -1200},        {"12.00DR", -1200},      {"12.00 dr", -1200},
        {"12.00 CR", 1200},         {"12.00cr", 1200},       {"12", 1200},
        {"12.5", 1250},             {".50", 50},             {"0.01", 1},
        {"  7.05  ", 705},          {"1,000,000.00", 100000000}, {"0", 0},
        {"-0.00", 0},               {"92233720368547758.07", std::numeric_limits<std::int64_t>::max()},
        {"-92233720368547758.07", -std::numeric_limits<std::int64_t>::max()},
    };
    for (const auto& c : cases) {
        INFO("text: " << c.text);
        auto r = parse_money(c.text);
        REQUIRE(r.has_value());
        CHECK(r->pence() == c.pence);
    }
}

TEST_CASE("malformed amounts are rejected with a message that quotes the text and says why") {
    const rejected_case cases[] = {
        {"", errc::amount_invalid, "'' is not an amount: it is empty"},
        {"   ", errc::amount_invalid, "'   ' is not an amount: it is empty"},
        {"abc", errc::amount_invalid, "'abc' is not an amount: unexpected character 'a'"},
        {"12.345", errc::amount_invalid, "'12.345' is not an amount: more than two decimal places"},
        {"1,23.45", errc::amount_invalid, "'1,23.45' is not an amount: a thousands separator is misplaced"},
        {"1234,567.00", errc::amount_invalid, "'1234,567.00' is not an amount: a thousands separator is misplaced"},
        {",123", errc::amount_invalid, "',123' is not an amount: a thousands separator is misplaced"},
        {"1,2345", errc::amount_invalid, "'1,2345' is not an amount: a thousands separator is misplaced"},
        {"--12", errc::amount_invalid, "'--12' is not an amount: it has more than one sign (minus, parentheses, DR or CR)"},
        {"-12.00 CR", errc::amount_invalid,
         "'-12.00 CR' is not an amount: it has more than one sign (minus, parentheses, DR or CR)"},
        {"(12.00) DR", errc::amount_invalid,
         "'(12.00) DR' is not an amount: it has more than one sign (minus, parentheses, DR or CR)"},
        {"(12.00", errc::amount_invalid, "'(12.00' is not an amount: an opening parenthesis has no closing one"},
        {"1.2.3", errc::amount_invalid, "'1.2.3' is not an amount: unexpected character '.'"},
        {"\xC2\xA3", errc::amount_invalid, "'\xC2\xA3' is not an amount: it has no digits"},
        {"12.00 XX", errc::amount_invalid, "'12.00 XX' is not an amount: unexpected character ' '"},
        {"12 00", errc::amount_invalid, "'12 00' is not an amount: unexpected character ' '"},
        {".", errc::amount_invalid, "'.' is not an amount: it has no digits"},
        {"$12.00", errc::amount_invalid, "'$12.00' is not an amount: unexpected character '$'"},
        {"1e5", errc::amount_invalid, "'1e5' is not an amount: unexpected character 'e'"},
        {"92233720368547758.08", errc::amount_overflow,
         "'92233720368547758.08' is too large an amount (the limit is about 92 million million pounds)"},
        {"99999999999999999999", errc::amount_overflow,
         "'99999999999999999999' is too large an amount (the limit is about 92 million million pounds)"},
    };
    for (const auto& c : cases) {
        INFO("text: " << c.text);
        auto r = parse_money(c.text);
        REQUIRE(r.has_error());
        CHECK(r.error().code == dpmon::make_error_code(c.code));
        CHECK(r.error().message == c.message);
    }
}

TEST_CASE("split debit and credit columns give money out as negative and money in as positive") {
    CHECK(parse_debit_credit("12.00", "")->pence() == -1200);
    CHECK(parse_debit_credit("-12.00", "")->pence() == -1200);
    CHECK(parse_debit_credit("", "45.00")->pence() == 4500);
    CHECK(parse_debit_credit("0.00", "45.00")->pence() == 4500);
    CHECK(parse_debit_credit("\xC2\xA3" "1,000.00", " ")->pence() == -100000);
    auto both = parse_debit_credit("1.00", "2.00");
    REQUIRE(both.has_error());
    CHECK(both.error().message == "'1.00 / 2.00' is not an amount: both the debit and the credit column hold an amount");
    auto neither = parse_debit_credit("", "  ");
    REQUIRE(neither.has_error());
    CHECK(neither.error().message == "'' is not an amount: both the debit and the credit column are empty");
    CHECK(parse_debit_credit("x", "").error().message == "'x' is not an amount: unexpected character 'x'");
}

TEST_CASE("amounts are formatted as plain decimals for JSON and with pound sign and commas for people") {
    CHECK(money::from_pence(123456).to_decimal() == "1234.56");
    CHECK(money::from_pence(-1200).to_decimal() == "-12.00");
    CHECK(money::from_pence(5).to_decimal() == "0.05");
    CHECK(money::from_pence(0).to_decimal() == "0.00");
    CHECK(money::from_pence(123456).to_display() == "\xC2\xA3" "1,234.56");
    CHECK(money::from_pence(-1200).to_display() == "-\xC2\xA3" "12.00");
    CHECK(money::from_pence(100000000).to_display() == "\xC2\xA3" "1,000,000.00");
    CHECK(money::from_pence(99999).to_display() == "\xC2\xA3" "999.99");
    CHECK(money::from_pence(std::numeric_limits<std::int64_t>::min()).to_decimal() == "-92233720368547758.08");
}

TEST_CASE("formatting then parsing gives the same amount back") {
    for (std::int64_t p : {0LL, 1LL, -1LL, 99LL, 100LL, 123456789LL, -987654321LL, 92233720368547758LL}) {
        const money m = money::from_pence(p);
        CHECK(parse_money(m.to_decimal())->pence() == p);
        CHECK(parse_money(m.to_display())->pence() == p);
    }
}

TEST_CASE("arithmetic that would overflow int64 pence is an error, not a wrap") {
    const money max = money::from_pence(std::numeric_limits<std::int64_t>::max());
    const money min = money::from_pence(std::numeric_limits<std::int64_t>::min());
    CHECK_THROWS_AS(max + money::from_pence(1), std::overflow_error);
    CHECK_THROWS_AS(min - money::from_pence(1), std::overflow_error);
    CHECK_THROWS_AS(-min, std::overflow_error);
    CHECK_THROWS_AS(max * 2, std::overflow_error);
    auto sum = dpmon::core::checked_add(max, money::from_pence(1));
    REQUIRE(sum.has_error());
    CHECK(sum.error().code == dpmon::make_error_code(errc::amount_overflow));
    CHECK(dpmon::core::checked_add(money::from_pence(150), money::from_pence(-50))->pence() == 100);
    CHECK((money::from_pence(150) + money::from_pence(-200)).pence() == -50);
    CHECK((money::from_pence(250) * 4).pence() == 1000);
}
