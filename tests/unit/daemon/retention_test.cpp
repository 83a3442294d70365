// The retention purge on a real SQLite database and real folders, with the day supplied by the test: a
// purge that stopped after its transaction (a crash, a full disk) leaves its files to the next one.

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "dpmon/app/plan_import.hpp"
#include "dpmon/app/retention.hpp"
#include "dpmon/storage/accounts.hpp"

using namespace dpmon;
namespace fs = std::filesystem;

namespace {

struct temp_state {
    fs::path dir;
    storage::database db;
    daemon::app::retention_paths paths;
    temp_state()
        : dir(fs::temp_directory_path() / ("dpmon-retention-" + std::to_string(::getpid()) + "-" +
                                           std::to_string(reinterpret_cast<std::uintptr_t>(this)))),
          db(storage::database::open(dir / "dpmon.db").value()),
          paths{dir / "archive", dir / "rejected", dir / "maildir"} {
        for (const auto& p : {paths.archive, paths.rejected, paths.maildir}) fs::create_directories(p);
    }
    ~temp_state() { fs::remove_all(dir); }
};

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

// DP-OLD closed in 2016 (past 7 years on the test's day), DP-NEW active: their bank numbers are the canaries
// a rejected file quotes.
std::string plans() {
    auto account = [](const std::string& ref, const std::string& status, const std::string& closed, const std::string& number) {
        return R"({"account_ref":")" + ref + R"(","person_ref":"P-)" + ref + R"(","account_type":"dedicated_bank",)" +
               R"("finance_officer":"officer@council.example","status":")" + status + R"(","dp_start":"2015-01-05",)" +
               (closed.empty() ? "" : R"("closed_on":")" + closed + "\",") +
               R"("bank":{"sort_code":"11-22-33","account_number":")" + number + R"("},)" +
               R"("plans":[{"effective_from":"2015-01-05","weekly_budget":"300.00",)" +
               R"("council_payment":{"amount":"1200.00","every":"4w","first":"2015-01-05","payer":"COUNCIL DP"},)" +
               R"("lines":[{"category":"pa_wages","amount":"250.00","per":"week","payees":["A CARER"]}]}]})";
    };
    return R"({"accounts":[)" + account("DP-OLD", "closed", "2016-03-31", "70000001") + "," +
           account("DP-NEW", "active", "", "70000002") + "]}";
}

}  // namespace

TEST_CASE("a purge that stopped after its transaction leaves its files to the next purge, which removes them") {
    temp_state s;
    auto applied = daemon::apply_plan_text(s.db, plans(), "plans.json", {});
    REQUIRE(applied.has_value());
    REQUIRE(applied->errors.empty());
    const core::civil_date today = core::parse_iso_date("2026-12-02").value();
    write(s.paths.maildir / "old-alert.eml", "Subject: DP-OLD is overdrawn\n\nDP-OLD\n");
    write(s.paths.maildir / "new-alert.eml", "Subject: DP-NEW is overdrawn\n\nDP-NEW\n");
    write(s.paths.rejected / "statement.csv", "11-22-33,70000001,2016-02-01,-10.00\n");
    write(s.paths.rejected / "statement.csv.error.txt", "line 1: no account with number 70000001\n");

    // The purge's transaction commits; the process stops before any file is touched.
    const std::string cutoff = core::format_iso_date(daemon::app::retention_cutoff(today, 7));
    auto due = storage::find_retention_candidates(s.db, cutoff);
    REQUIRE(due.has_value());
    REQUIRE(due->due.size() == 1);
    REQUIRE(storage::purge_accounts(s.db, due->due, cutoff).has_value());
    CHECK(fs::exists(s.paths.maildir / "old-alert.eml"));
    auto pending = storage::pending_file_purge(s.db);
    REQUIRE(pending.has_value());
    CHECK(pending->refs == std::vector<std::string>{"DP-OLD"});
    CHECK(pending->identifiers == std::vector<std::string>{"70000001"});

    // The next purge has no account left to purge, and still removes what the first one left.
    auto next = daemon::app::purge_closed_accounts(s.db, s.paths, 7, today, false);
    REQUIRE(next.has_value());
    CHECK(next->accounts.empty());
    CHECK(next->mail_files == 1);
    CHECK(next->rejected_files == 2);
    CHECK_FALSE(fs::exists(s.paths.maildir / "old-alert.eml"));
    CHECK_FALSE(fs::exists(s.paths.rejected / "statement.csv"));
    CHECK_FALSE(fs::exists(s.paths.rejected / "statement.csv.error.txt"));
    CHECK(fs::exists(s.paths.maildir / "new-alert.eml"));
    auto after = storage::pending_file_purge(s.db);
    REQUIRE(after.has_value());
    CHECK(after->empty());

    // With nothing pending, a purge removes nothing.
    auto quiet = daemon::app::purge_closed_accounts(s.db, s.paths, 7, today, false);
    REQUIRE(quiet.has_value());
    CHECK(quiet->mail_files + quiet->rejected_files + quiet->archive_files == 0);
}

TEST_CASE("a plan file that still lists a purged account does not store it again, and applies the others") {
    temp_state s;
    const core::civil_date today = core::parse_iso_date("2026-12-02").value();
    const auto cutoff = daemon::app::retention_cutoff(today, 7);
    // Stored before retention was in force; then, held and waiting to be purged, applied as any other.
    REQUIRE(daemon::apply_plan_text(s.db, plans(), "plans.json", {}).has_value());
    auto first = daemon::apply_plan_text(s.db, plans(), "plans.json", {}, cutoff);
    REQUIRE(first.has_value());
    CHECK(first->accounts == std::vector<std::string>{"DP-OLD", "DP-NEW"});
    CHECK(first->past_retention.empty());
    auto purged = daemon::app::purge_closed_accounts(s.db, s.paths, 7, today, false);
    REQUIRE(purged.has_value());
    REQUIRE(purged->accounts == std::vector<std::string>{"DP-OLD"});

    // The next day's export lists it again.
    auto again = daemon::apply_plan_text(s.db, plans(), "plans.json", {}, cutoff);
    REQUIRE(again.has_value());
    CHECK(again->errors.empty());
    CHECK(again->accounts == std::vector<std::string>{"DP-NEW"});
    CHECK(again->past_retention == std::vector<std::string>{"DP-OLD"});
    auto old = storage::find_account(s.db, "DP-OLD");
    REQUIRE(old.has_value());
    CHECK_FALSE(old->has_value());

    // Never held: not stored either (it would only be purged the same day).
    temp_state fresh;
    auto onboarding = daemon::apply_plan_text(fresh.db, plans(), "plans.json", {}, cutoff);
    REQUIRE(onboarding.has_value());
    CHECK(onboarding->past_retention == std::vector<std::string>{"DP-OLD"});

    // Without a cutoff (no retention in force) it is stored as given.
    auto plain = daemon::apply_plan_text(s.db, plans(), "plans.json", {});
    REQUIRE(plain.has_value());
    CHECK(plain->accounts == std::vector<std::string>{"DP-OLD", "DP-NEW"});
}
