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
