#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

#include "dpmon/app/plan_import.hpp"
#include "support/temp_dir.hpp"

using namespace dpmon;

TEST_CASE("a CSV plan file with an error reports readable errors naming the file (no dangling message)") {
    dpmon::testing::temp_dir dir;
    const auto file = dir.path() / "p.csv";
    std::ofstream(file) << "account_ref,person_ref\nDP-000001,P-1\n";
    auto db = storage::database::open(dir.path() / "dpmon.db");
    REQUIRE(db.has_value());
    auto report = daemon::apply_plan_file(*db, file, {});
    REQUIRE(report.has_value());
    REQUIRE_FALSE(report->errors.empty());
    for (const auto& e : report->errors) {
        INFO(e);
        CHECK(e.starts_with("p.csv: "));
        CHECK(std::all_of(e.begin(), e.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x20; }));
    }
    CHECK(report->accounts.empty());
}
