#include <catch2/catch.hpp>

#include "dpmon/storage/accounts.hpp"
#include "dpmon/storage/flag_store.hpp"

using namespace dpmon::storage;
using namespace date::literals;
using dpmon::core::money;

namespace {

std::int64_t an_account(database& db) {
    account_record a;
    a.account_ref = "DP-000123";
    a.person_ref = "P-1";
    a.dp_start = "2026-01-05";
    a.finance_officer = "o@council.example";
    return upsert_account(db, a).value();
}

dpmon::core::flag surplus(std::int64_t pounds) {
    dpmon::core::flag f;
    f.code = dpmon::core::flag_code::surplus;
    f.key = "SURPLUS:2026-01-05";
    f.span = {0, 2026_y / 1 / 5, 2026_y / 2 / 1};
    f.amount = money::from_pence(pounds * 100);
    f.reason = "balance over 8 weeks";
    f.inputs = {{"rule", "closing > 8 weeks"}, {"note", "quote \" and \\ backslash"}};
    return f;
}

}  // namespace

TEST_CASE("a flag is raised once, updated when its figures change, resolved when the condition clears, and reopened") {
    auto db = database::open(":memory:").value();
    const auto acct = an_account(db);
    auto c1 = sync_flags(db, acct, {surplus(2055)}, "2026-02-01", "2026-02-01T07:00:00Z").value();
    CHECK(c1.raised.size() == 1);
    auto c2 = sync_flags(db, acct, {surplus(2055)}, "2026-02-02", "2026-02-02T07:00:00Z").value();
    CHECK(c2.raised.empty());  // the same condition again: no second flag, nothing to alert
    CHECK(sync_flags(db, acct, {surplus(2100)}, "2026-02-03", "2026-02-03T07:00:00Z")->raised.empty());
    auto flags = list_flags(db, "", "", 0).value();
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].amount_pence == 210000);
    CHECK(flags[0].state == dpmon::core::flag_state::open);
    CHECK(flags[0].inputs_json == R"({"note":"quote \" and \\ backslash","rule":"closing > 8 weeks"})");

    auto c3 = sync_flags(db, acct, {}, "2026-02-04", "2026-02-04T07:00:00Z").value();
    CHECK(c3.resolved == std::vector<std::int64_t>{flags[0].id});
    CHECK(list_flags(db, "resolved", "", 0)->at(0).resolved_on == "2026-02-04");
    CHECK(sync_flags(db, acct, {surplus(2100)}, "2026-02-05", "2026-02-05T07:00:00Z")->raised.size() == 1);
    CHECK(list_flags(db, "open", "SURPLUS", acct)->size() == 1);
    std::vector<std::string> events;
    for (const auto& e : flag_history(db, flags[0].id).value()) events.push_back(e.event);
    CHECK(events == std::vector<std::string>{"raised", "updated", "resolved", "reopened"});
}

TEST_CASE("an open flag can be acknowledged once, with who and a note - the history keeps it") {
    auto db = database::open(":memory:").value();
    const auto acct = an_account(db);
    sync_flags(db, acct, {surplus(2055)}, "2026-02-01", "2026-02-01T07:00:00Z").value();
    const auto id = list_flags(db, "open", "", 0)->at(0).id;
    auto ack = acknowledge_flag(db, id, "a.officer@council.example", "PA vacancy; saving agreed", "2026-02-02T09:00:00Z");
    REQUIRE(ack.has_value());
    CHECK(ack->state == dpmon::core::flag_state::acknowledged);
    auto again = acknowledge_flag(db, id, "b@council.example", "x", "2026-02-02T10:00:00Z");
    REQUIRE(again.has_error());
    CHECK(again.error().code == dpmon::errc::conflict);
    CHECK(acknowledge_flag(db, 999, "b", "x", "t").error().code == dpmon::errc::not_found);
    // Acknowledged flags stay acknowledged while the condition holds.
    sync_flags(db, acct, {surplus(2055)}, "2026-02-03", "2026-02-03T07:00:00Z").value();
    CHECK(list_flags(db, "acknowledged", "", 0)->size() == 1);
    CHECK(flag_history(db, id)->back().by == "a.officer@council.example");
}

TEST_CASE("a surplus growing over three periods is one flag whose history says what changed, and a clean period resolves it") {
    auto db = database::open(":memory:").value();
    const auto acct = an_account(db);
    auto f = surplus(1000);
    f.key = "SURPLUS";
    CHECK(sync_flags(db, acct, {f}, "2026-03-01", "2026-03-01T07:00:00Z")->raised.size() == 1);
    f.amount = money::from_pence(150000);
    CHECK(sync_flags(db, acct, {f}, "2026-03-29", "2026-03-29T07:00:00Z")->raised.empty());
    f.amount = money::from_pence(200000);
    CHECK(sync_flags(db, acct, {f}, "2026-04-26", "2026-04-26T07:00:00Z")->raised.empty());
    const auto flags = list_flags(db, "", "SURPLUS", acct).value();
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].amount_pence == 200000);
    const auto events = flag_history(db, flags[0].id).value();
    REQUIRE(events.size() == 3);
    CHECK(events[0].event == "raised");
    CHECK(events[1].event == "updated");
    CHECK(events[1].detail.rfind("amount \xC2\xA3" "1,000.00 -> \xC2\xA3" "1,500.00: ", 0) == 0);
    CHECK(events[2].detail.rfind("amount \xC2\xA3" "1,500.00 -> \xC2\xA3" "2,000.00: ", 0) == 0);
    CHECK(sync_flags(db, acct, {}, "2026-05-24", "2026-05-24T07:00:00Z")->resolved.size() == 1);
    const auto done = find_flag(db, flags[0].id).value().value();
    CHECK(done.state == dpmon::core::flag_state::resolved);
    CHECK(done.resolved_on == "2026-05-24");
}

TEST_CASE("an overdrawn episode that ended is resolved with its end date, and an old one is recorded without an alert") {
    auto db = database::open(":memory:").value();
    const auto acct = an_account(db);
    dpmon::core::flag f;
    f.code = dpmon::core::flag_code::overdrawn;
    f.key = "OVERDRAWN:2026-01-12";
    f.span = {0, 2026_y / 1 / 5, 2026_y / 2 / 1};
    f.amount = money::from_pence(-17600);
    f.since = 2026_y / 1 / 12;
    CHECK(sync_flags(db, acct, {f}, "2026-02-01", "2026-02-01T07:00:00Z")->raised.size() == 1);
    f.ended = 2026_y / 2 / 2;
    CHECK(sync_flags(db, acct, {f}, "2026-03-01", "2026-03-01T07:00:00Z")->resolved.size() == 1);
    auto stored = list_flags(db, "", "OVERDRAWN", acct).value();
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].state == dpmon::core::flag_state::resolved);
    CHECK(stored[0].resolved_on == "2026-02-02");
    CHECK(stored[0].since == "2026-01-12");
    // An episode found over already (history loaded at once): recorded, resolved, nothing to alert.
    f.key = "OVERDRAWN:2025-12-01";
    auto old = sync_flags(db, acct, {f}, "2026-03-01", "2026-03-01T07:00:00Z").value();
    CHECK(old.raised.empty());
    CHECK(list_flags(db, "resolved", "OVERDRAWN", acct)->size() == 2);
}

TEST_CASE("an acknowledged condition updates quietly and alerts again only when it grows by 25 percent") {
    auto db = database::open(":memory:").value();
    const auto acct = an_account(db);
    auto f = surplus(1000);
    const auto id = sync_flags(db, acct, {f}, "2026-03-01", "2026-03-01T07:00:00Z")->raised.at(0);
    acknowledge_flag(db, id, "officer", "recovery planned", "2026-03-02T09:00:00Z").value();
    f.amount = money::from_pence(124900);  // +24.9 %
    CHECK(sync_flags(db, acct, {f}, "2026-03-29", "2026-03-29T07:00:00Z")->raised.empty());
    CHECK(find_flag(db, id).value()->state == dpmon::core::flag_state::acknowledged);
    f.amount = money::from_pence(125000);  // +25 % of what was acknowledged
    CHECK(sync_flags(db, acct, {f}, "2026-04-26", "2026-04-26T07:00:00Z")->raised == std::vector<std::int64_t>{id});
    CHECK(find_flag(db, id).value()->state == dpmon::core::flag_state::open);
}

TEST_CASE("an acknowledged event check stays acknowledged when its transactions are no longer listed") {
    auto db = database::open(":memory:").value();
    const auto acct = an_account(db);
    dpmon::core::flag cash;
    cash.code = dpmon::core::flag_code::cash_withdrawal;
    cash.key = "CASH_WITHDRAWAL#1";
    cash.span = {0, 2026_y / 1 / 5, 2026_y / 2 / 1};
    cash.amount = money::from_pence(5000);
    cash.transactions = {11, 12};
    const auto id = sync_flags(db, acct, {cash}, "2026-02-01", "2026-02-01T07:00:00Z")->raised.at(0);
    CHECK(find_flag(db, id).value()->transaction_ids == std::vector<std::int64_t>{11, 12});
    acknowledge_flag(db, id, "officer", "receipts seen", "2026-02-02T09:00:00Z").value();
    CHECK(sync_flags(db, acct, {}, "2026-02-03", "2026-02-03T07:00:00Z")->resolved.empty());
    CHECK(find_flag(db, id).value()->state == dpmon::core::flag_state::acknowledged);
}
