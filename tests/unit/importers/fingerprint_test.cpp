#include <catch2/catch.hpp>

#include "dpmon/importers/fingerprint.hpp"

using namespace dpmon::importers;
using dpmon::core::money;
using namespace date::literals;

namespace {

statement_row row(dpmon::core::civil_date d, std::int64_t pence, std::string desc, std::optional<std::int64_t> balance = {},
                  std::size_t line = 0) {
    statement_row r;
    r.date = d;
    r.amount = money::from_pence(pence);
    r.description = std::move(desc);
    if (balance) r.balance = money::from_pence(*balance);
    r.line = line;
    return r;
}

}  // namespace

TEST_CASE("descriptions are compared in upper case with white space folded") {
    CHECK(normalise_description("  a  Pendlebury\twages ") == "A PENDLEBURY WAGES");
    CHECK(fingerprint_base(row(2026_y / 1 / 5, -25000, "a pendlebury  wages")) ==
          fingerprint_base(row(2026_y / 1 / 5, -25000, "A PENDLEBURY WAGES")));
    CHECK(fingerprint_base(row(2026_y / 1 / 5, -25000, "X")) == "-25000|X||");
}

TEST_CASE("two identical payments on one day get occurrences 1 and 2, and each new day starts again") {
    occurrence_counter c;
    const auto a = row(2026_y / 1 / 5, -1000, "SHOP");
    CHECK(c.next(a, fingerprint_base(a), 1) == 1u);
    CHECK(c.next(a, fingerprint_base(a), 1) == 2u);
    CHECK(c.next(a, fingerprint_base(a), 2) == 1u);  // another account
    CHECK(c.next(row(2026_y / 1 / 5, -1001, "SHOP"), fingerprint_base(row(2026_y / 1 / 5, -1001, "SHOP")), 1) == 1u);
    CHECK(c.next(row(2026_y / 1 / 6, -1000, "SHOP"), fingerprint_base(row(2026_y / 1 / 6, -1000, "SHOP")), 1) == 1u);
}

TEST_CASE("an account's day interrupted by another day is refused, and accounts may take turns within a day") {
    occurrence_counter c;
    const auto a = row(2026_y / 1 / 5, -1000, "SHOP");
    CHECK(c.next(a, fingerprint_base(a), 1) == 1u);
    CHECK(c.next(a, fingerprint_base(a), 2) == 1u);  // date order across accounts: turns within a day
    CHECK(c.next(a, fingerprint_base(a), 1) == 2u);
    const auto later = row(2026_y / 1 / 6, -1000, "SHOP");
    CHECK(c.next(later, fingerprint_base(later), 2) == 1u);
    CHECK_FALSE(c.next(a, fingerprint_base(a), 1).has_value());  // account 1's 5 January again, after the 6th
}

TEST_CASE("rows of one account and day that are not together are refused rather than miscounted") {
    occurrence_counter c;
    CHECK(c.next(row(2026_y / 1 / 5, -1000, "SHOP"), fingerprint_base(row(2026_y / 1 / 5, -1000, "SHOP")), 1) == 1u);
    CHECK(c.next(row(2026_y / 1 / 6, -1000, "SHOP"), fingerprint_base(row(2026_y / 1 / 6, -1000, "SHOP")), 1) == 1u);
    CHECK_FALSE(c.next(row(2026_y / 1 / 5, -1000, "SHOP"), fingerprint_base(row(2026_y / 1 / 5, -1000, "SHOP")), 1).has_value());
    // Account-by-account files revisit days for other accounts, which is fine.
    CHECK(c.next(row(2026_y / 1 / 5, -1000, "SHOP"), fingerprint_base(row(2026_y / 1 / 5, -1000, "SHOP")), 2) == 1u);
}

TEST_CASE("running balances are checked in the direction the file runs") {
    balance_checker oldest_first;
    oldest_first.add(1, row(2026_y / 1 / 5, 100000, "IN", 100000, 2));
    oldest_first.add(1, row(2026_y / 1 / 6, -25000, "OUT", 75000, 3));
    oldest_first.add(1, row(2026_y / 1 / 7, -5000, "OUT", 69000, 4));  // should be 70000
    oldest_first.add(1, row(2026_y / 1 / 8, -1000, "OUT", 68000, 5));
    const auto b = oldest_first.breaks(1);
    REQUIRE(b.size() == 1);
    CHECK(b[0].line == 4);
    CHECK(b[0].expected.pence() == 70000);
    CHECK(b[0].actual.pence() == 69000);

    balance_checker newest_first;
    newest_first.add(7, row(2026_y / 1 / 8, -1000, "OUT", 69000, 2));
    newest_first.add(7, row(2026_y / 1 / 7, -5000, "OUT", 70000, 3));
    newest_first.add(7, row(2026_y / 1 / 6, -25000, "OUT", 75000, 4));
    newest_first.add(7, row(2026_y / 1 / 5, 100000, "IN", 100000, 5));
    CHECK(newest_first.breaks(7).empty());
    CHECK(newest_first.accounts() == std::vector<std::int64_t>{7});
}

TEST_CASE("the direction of a one-day file is read from its balances") {
    balance_checker one_day;
    one_day.add(1, row(2026_y / 1 / 8, -1000, "B", 9000, 2));   // newest first: 10,000 - 1,000 ...
    one_day.add(1, row(2026_y / 1 / 8, -2000, "A", 10000, 3));  // ... was 12,000 before A
    CHECK(one_day.runs_newest_first(1));
    CHECK(one_day.breaks(1).empty());
    balance_checker oldest;
    oldest.add(1, row(2026_y / 1 / 8, -2000, "A", 10000, 2));
    oldest.add(1, row(2026_y / 1 / 8, -1000, "B", 9000, 3));
    CHECK_FALSE(oldest.runs_newest_first(1));
}
