// Every /api/v1 route, enumerated from the router dpmond builds: none answers without a token, none that
// changes anything answers a reader, and each answers a person whose role is enough.
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <boost/json/parse.hpp>

#include <chrono>
#include <optional>

#include "dpmon/api/routes.hpp"
#include "dpmon/http/status_routes.hpp"
#include "dpmon/service/users.hpp"
#include "dpmon/app/sha256.hpp"
#include "dpmon/app/queries.hpp"
#include "dpmon/storage/database.hpp"
#include "support/temp_dir.hpp"

using namespace dpmon;

namespace {

struct stub_status final : core::status_query {
    result<core::status_snapshot> status() override { return core::status_snapshot{}; }
    std::vector<core::health_check> health() override { return {}; }
};

struct api_fixture {
    api_fixture() {
        auto opened = storage::database::open(dir.path() / "dpmon.db");
        REQUIRE(opened.has_value());
        db.emplace(std::move(*opened));
        auto r = storage::database::open_reader(dir.path() / "dpmon.db", false);
        REQUIRE(r.has_value());
        reader.emplace(std::move(*r));
        ctx.emplace(daemon::api_context{[this]() -> result<storage::database*> { return &*reader; }, *db,
                                        [this] { return limit; }, [this] { return reconcile; }, [this] { return reviews; },
                                        [] { return core::civil_date{date::year{2026} / 11 / 30}; }, [] {}});
        daemon::add_api_routes(routes, *ctx);
        http::add_status_routes(routes, status);
        std::vector<daemon::user_entry> people;
        for (auto [name, role, token] : {std::tuple{"Rita Reader", core::role::read, "reader-token"},
                                         {"Omar Officer", core::role::officer, "officer-token"},
                                         {"Ada Admin", core::role::admin, "admin-token"}}) {
            people.push_back({core::user{name, std::string(name) + "@council.example", role}, daemon::sha256_hex(token)});
        }
        users.reset(people, "");
        routes.set_authenticator([this](std::string_view t) { return users.find(t); });
    }

    http::response call(const http::route_info& route, const std::string& token, std::string target = {}) const {
        if (target.empty()) {
            target = route.pattern;
            for (auto [from, to] : {std::pair{"{ref}", "DP-000001"}, {"{id}", "1"}}) {
                for (auto at = target.find(from); at != std::string::npos; at = target.find(from)) target.replace(at, std::string(from).size(), to);
            }
        }
        return routes.handle(http::request{route.method, target, "127.0.0.1", "", token.empty() ? "" : "Bearer " + token,
                                           "application/json", "{}", ""});
    }

    dpmon::testing::temp_dir dir;
    std::optional<storage::database> db, reader;
    daemon::reconcile_settings reconcile;
    daemon::review_settings reviews;
    std::chrono::milliseconds limit{2000};
    std::optional<daemon::api_context> ctx;
    stub_status status;
    daemon::user_directory users;
    http::router routes;
};

}  // namespace

TEST_CASE("no token gets 401 on every /api/v1 route the router holds, and health stays open") {
    api_fixture f;
    const auto routes = f.routes.routes();
    REQUIRE(routes.size() > 20);
    for (const auto& route : routes) {
        INFO(route.method << " " << route.pattern);
        const http::response res = f.call(route, "");
        if (route.pattern.starts_with("/api/v1/")) {
            CHECK(route.needs.has_value());
            CHECK(res.status == 401);
            CHECK(res.body.find("Authorization: Bearer") != std::string::npos);
            CHECK(f.call(route, "not-a-token").status == 401);
        } else {
            CHECK(route.pattern == "/healthz");
            CHECK(res.status == 200);
        }
    }
}

TEST_CASE("a read token reads but cannot write (403), an officer's writes reach the handler, an admin's all") {
    api_fixture f;
    int writes = 0;
    for (const auto& route : f.routes.routes()) {
        if (!route.needs) continue;
        INFO(route.method << " " << route.pattern);
        const int as_reader = f.call(route, "reader-token").status;
        if (route.method == "GET") {
            CHECK(*route.needs == core::role::read);
            CHECK(as_reader != 401);
            CHECK(as_reader != 403);
            continue;
        }
        ++writes;
        CHECK(as_reader == 403);
        const int as_officer = f.call(route, "officer-token").status;
        CHECK((as_officer == 403) == (*route.needs == core::role::admin));
        const int as_admin = f.call(route, "admin-token").status;
        CHECK(as_admin != 401);
        CHECK(as_admin != 403);
    }
    CHECK(writes >= 9);
}

TEST_CASE("a read that runs past the time limit is stopped and answered 503 query_timeout") {
    api_fixture f;
    for (int i = 1; i <= 300; ++i) {
        storage::account_record a;
        a.account_ref = "DP-" + std::to_string(100000 + i);
        a.person_ref = "P-" + std::to_string(i);
        a.dp_start = "2025-01-01";
        a.finance_officer = "o@council.example";
        REQUIRE(storage::upsert_account(*f.db, a).has_value());
    }
    const http::route_info accounts{"GET", "/api/v1/accounts", core::role::read};
    CHECK(f.call(accounts, "reader-token", "/api/v1/accounts?limit=1000").status == 200);
    f.limit = std::chrono::milliseconds(-1000);  // every deadline already past
    const http::response res = f.call(accounts, "reader-token", "/api/v1/accounts?limit=1000");
    CHECK(res.status == 503);
    CHECK(res.body.find("query_timeout") != std::string::npos);
}

namespace {

boost::json::object body_of(const http::response& res) { return boost::json::parse(res.body).as_object(); }

std::string link_of(const http::response& res) {
    for (const auto& [name, value] : res.headers) {
        if (name == "Link") return value;
    }
    return {};
}

}  // namespace

TEST_CASE("an account's transactions page by date then id, each once, with a Link to the next page") {
    api_fixture f;
    storage::account_record a;
    a.account_ref = "DP-000001";
    a.person_ref = "P-1";
    a.dp_start = "2025-01-01";
    a.finance_officer = "o@council.example";
    const auto id = storage::upsert_account(*f.db, a);
    REQUIRE(id.has_value());
    auto exec = [&](const std::string& sql) { REQUIRE(sqlite3_exec(f.db->handle(), sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK); };
    exec("INSERT INTO imports (file_name, sha256, status, imported_at) VALUES ('a.csv', 'aa', 'imported', '2026-02-01T00:00:00Z')");
    // 25 rows over 5 days, five a day: a page boundary falls inside a day.
    for (int i = 0; i < 25; ++i) {
        exec("INSERT INTO transactions (account_id, import_id, posted_on, amount_pence, description, fingerprint, source_line) VALUES (" +
             std::to_string(*id) + ", 1, '2026-01-0" + std::to_string(1 + i / 5) + "', " + std::to_string(-100 - i) + ", 'row" +
             std::to_string(i) + "', X'" + (i < 16 ? "0" : "") + [&] { char b[3]; std::snprintf(b, 3, "%x", i); return std::string(b); }() + "', " +
             std::to_string(i + 2) + ")");
    }
    const http::route_info route{"GET", "/api/v1/accounts/{ref}/transactions", core::role::read};
    std::vector<std::string> seen;
    std::string target = "/api/v1/accounts/DP-000001/transactions?limit=7";
    int pages = 0;
    for (;;) {
        const http::response res = f.call(route, "reader-token", target);
        REQUIRE(res.status == 200);
        const auto o = body_of(res);
        for (const auto& t : o.at("transactions").as_array()) seen.emplace_back(t.at("description").as_string());
        ++pages;
        if (o.at("next").is_null()) {
            CHECK(link_of(res).empty());
            break;
        }
        const std::string next(o.at("next").as_string());
        CHECK(link_of(res) == "</api/v1/accounts/DP-000001/transactions?limit=7&cursor=" + next + ">; rel=\"next\"");
        target = "/api/v1/accounts/DP-000001/transactions?limit=7&cursor=" + next;
    }
    CHECK(pages == 4);
    std::vector<std::string> expected;
    for (int i = 0; i < 25; ++i) expected.push_back("row" + std::to_string(i));
    CHECK(seen == expected);
}

TEST_CASE("a limit out of 1 to 1000 or a cursor from elsewhere is refused with what to send instead") {
    api_fixture f;
    const http::route_info flags{"GET", "/api/v1/flags", core::role::read};
    for (const char* q : {"?limit=0", "?limit=1001", "?limit=ten", "?cursor=zz", "?cursor=616363"}) {
        INFO(q);
        const http::response res = f.call(flags, "reader-token", std::string("/api/v1/flags") + q);
        CHECK(res.status == 422);
    }
    // A cursor the accounts list gave is not one the flags list takes.
    const http::response res = f.call(flags, "reader-token", "/api/v1/flags?cursor=6163636f756e74731f44502d31");
    CHECK(res.status == 422);
    CHECK(res.body.find("cursor") != std::string::npos);
    const auto o = body_of(f.call(flags, "reader-token", "/api/v1/flags"));
    CHECK(o.at("flags").as_array().empty());
    CHECK(o.at("next").is_null());
}
