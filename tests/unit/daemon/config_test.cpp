#include <catch2/catch.hpp>

#include "dpmon/service/config.hpp"

using dpmon::daemon::load_config;
using dpmon::daemon::parse_config;
using dpmon::daemon::render_config;

namespace {

std::string problems_of(std::string_view text) {
    auto c = parse_config(text, "t.toml");
    REQUIRE(c.has_error());
    CHECK(c.error().code == dpmon::errc::config_invalid);
    return c.error().message;
}

}  // namespace

TEST_CASE("an empty config gives the documented defaults") {
    auto c = parse_config("", "t.toml");
    REQUIRE(c.has_value());
    CHECK(c->daemon.state_dir == "/var/lib/dpmon");
    CHECK(c->daemon.timezone == "Europe/London");
    CHECK(c->daemon.daily_at == "07:00");
    CHECK(c->http.listen_address == "127.0.0.1");
    CHECK(c->http.listen_port == 8080);
    CHECK_FALSE(c->smtp.has_value());
    CHECK(c->policy.surplus_threshold_weeks == 8);
    CHECK(c->policy.retained_weeks == 4);
    CHECK(c->policy.unplanned_min.pence() == 2500);
    CHECK(c->policy.reminder_days == std::vector<std::int64_t>{28, 7});
}

TEST_CASE("the shipped example config is valid and matches the defaults it documents") {
    auto c = load_config(std::string(DPMON_SOURCE_DIR) + "/docs/dpmon.example.toml");
    REQUIRE(c.has_value());
    auto defaults = parse_config("", std::string(DPMON_SOURCE_DIR) + "/docs/dpmon.example.toml");
    REQUIRE(defaults.has_value());
    // The example differs from the defaults only by its two sample rules.
    CHECK(c->rules.size() == 2);
    c->rules.clear();
    CHECK(render_config(*c) == render_config(*defaults));
}

TEST_CASE("an unknown key is an error naming the file, line, column and key, with the known keys") {
    const std::string msg = problems_of("[daemon]\nstate_dir = \"/x\"\nstat_dir = \"/y\"\n");
    CHECK_THAT(msg, Catch::StartsWith("t.toml:3:1: key 'daemon.stat_dir': unknown key; known keys here: "));
    CHECK_THAT(msg, Catch::Contains("state_dir"));
}

TEST_CASE("a wrong type names the key, its line and the expected form") {
    CHECK(problems_of("[http]\nlisten = 8080\n") ==
          "t.toml:2:10: key 'http.listen': expected a string \"ADDRESS:PORT\", such as \"127.0.0.1:8080\"");
    CHECK(problems_of("[policy]\nretained_weeks = \"four\"\n") ==
          "t.toml:2:18: key 'policy.retained_weeks': expected a whole number from 0 to 104");
    CHECK(problems_of("[policy]\nunplanned_min = 25\n") ==
          "t.toml:2:17: key 'policy.unplanned_min': expected an amount in quotes, such as \"25.00\"");
    CHECK(problems_of("daemon = 3\n") == "t.toml:1:10: key 'daemon': expected a table: [daemon]");
}

TEST_CASE("a bad value names the key and says why") {
    CHECK(problems_of("[http]\nlisten = \"localhost\"\n") ==
          "t.toml:2:10: key 'http.listen': 'localhost' is not ADDRESS:PORT; expected \"127.0.0.1:8080\" or \"[::1]:8080\"");
    CHECK(problems_of("[daemon]\ndaily_at = \"7am\"\n") ==
          "t.toml:2:12: key 'daemon.daily_at': '7am' is not a time; expected \"HH:MM\", such as \"07:00\"");
    CHECK(problems_of("[daemon]\ntimezone = \"Europe/Lundun\"\n") ==
          "t.toml:2:12: key 'daemon.timezone': unknown time zone 'Europe/Lundun'; expected a name such as \"Europe/London\"");
    CHECK(problems_of("[policy]\nretained_weeks = -1\n") ==
          "t.toml:2:18: key 'policy.retained_weeks': -1 is out of range; expected a whole number from 0 to 104");
    CHECK(problems_of("[policy]\nperiod = \"fortnightly\"\n") ==
          "t.toml:2:10: key 'policy.period': 'fortnightly' is not a period; expected \"4-weekly\", \"monthly\" or \"quarterly\"");
    CHECK(problems_of("[policy]\nunplanned_min = \"25.001\"\n") ==
          "t.toml:2:17: key 'policy.unplanned_min': '25.001' is not an amount: more than two decimal places; expected an "
          "amount in quotes, such as \"25.00\"");
    CHECK(problems_of("[policy]\nserious_flags = [\"OVERDRAWN\", \"NOPE\"]\n") ==
          "t.toml:2:17: key 'policy.serious_flags': 'NOPE' is not a flag code");
    CHECK(problems_of("[smtp]\nurl = \"http://relay\"\nfrom = \"me\"\n") ==
          "t.toml:2:7: key 'smtp.url': 'http://relay' must start with smtp:// or smtps://\n"
          "t.toml:3:8: key 'smtp.from': 'me' is not an email address");
}

TEST_CASE("every problem in the file is reported at once") {
    const std::string msg = problems_of("[daemon]\nlog_level = \"loud\"\n[http]\nmax_connections = 0\n[bogus]\nx = 1\n");
    CHECK_THAT(msg, Catch::Contains("t.toml:2:13: key 'daemon.log_level'"));
    CHECK_THAT(msg, Catch::Contains("t.toml:4:19: key 'http.max_connections'"));
    CHECK_THAT(msg, Catch::Contains("t.toml:5:2: key 'bogus': unknown section"));
}

TEST_CASE("categorisation rules need one of match or regex and a known category") {
    auto ok = parse_config("[[rules]]\nmatch = \"HMRC\"\ncategory = \"hmrc\"\n", "t.toml");
    REQUIRE(ok.has_value());
    REQUIRE(ok->rules.size() == 1);
    CHECK(ok->rules[0].line == 1);
    CHECK_THAT(problems_of("[[rules]]\nmatch = \"X\"\nregex = \"Y\"\ncategory = \"hmrc\"\n"),
               Catch::Contains("each rule needs exactly one of match or regex"));
    CHECK_THAT(problems_of("[[rules]]\nmatch = \"X\"\ncategory = \"beer\"\n"),
               Catch::Contains("t.toml:3:12: key 'rules.category': 'beer' is not a category"));
    CHECK_THAT(problems_of("[[rules]]\nregex = \"(unclosed\"\ncategory = \"hmrc\"\n"),
               Catch::Contains("key 'rules.regex': '(unclosed' is not a valid RE2 regular expression"));
    auto extra = parse_config("[policy]\nextra_categories = [\"laundry\"]\n[[rules]]\nmatch = \"WASH\"\ncategory = \"laundry\"\n",
                              "t.toml");
    CHECK(extra.has_value());
}

TEST_CASE("TOML syntax errors name the line and column") {
    const std::string msg = problems_of("[daemon]\nstate_dir = \"/x\n");
    CHECK_THAT(msg, Catch::StartsWith("t.toml:2:") && Catch::Contains("not valid TOML"));
}

TEST_CASE("the rendered effective config reads back to the same config") {
    auto c = parse_config(
        "[daemon]\nstate_dir = \"/srv/dp\"\n[http]\nlisten = \"[::1]:9090\"\nallowed_hosts = [\"dp.council.example\"]\n"
        "[smtp]\nurl = \"smtps://relay:465\"\nfrom = \"a@council.example\"\nteam_mailbox = \"t@council.example\"\n"
        "[policy]\nreminder_days = [30, 14, 1]\nunplanned_min = \"40.00\"\n"
        "[[rules]]\nregex = \"^HMRC\"\ncategory = \"hmrc\"\n",
        "t.toml");
    REQUIRE(c.has_value());
    CHECK(c->http.listen_address == "::1");
    CHECK(c->http.listen_port == 9090);
    const std::string text = render_config(*c);
    auto again = parse_config(text, "rendered.toml");
    REQUIRE(again.has_value());
    const std::string text_again = render_config(*again);
    // Everything but the first line, which names the source file.
    CHECK(text_again.substr(text_again.find('\n')) == text.substr(text.find('\n')));
}

TEST_CASE("a missing config file is an io error that says what to do") {
    auto c = load_config("/nonexistent/dpmon.toml");
    REQUIRE(c.has_error());
    CHECK(c.error().code == dpmon::errc::io_error);
    CHECK_THAT(c.error().message, Catch::Contains("/nonexistent/dpmon.toml") && Catch::Contains("--config"));
}

TEST_CASE("a statement profile in config is read, validated and rendered back") {
    auto c = parse_config(R"([profiles.mybank]
match_header = "Date,Details,Money out,Money in,Balance"
encoding = "windows-1252"
skip_lines = 2
date = { column = "Date", format = "%d %b %Y" }
description = ["Details"]
debit = "Money out"
credit = "Money in"
balance = "Balance"
)",
                          "t.toml");
    REQUIRE(c.has_value());
    REQUIRE(c->profiles.size() == 1);
    const auto& p = c->profiles[0];
    CHECK(p.name == "mybank");
    CHECK(p.encoding == dpmon::importers::text_encoding::windows_1252);
    CHECK(p.skip_lines == 2);
    CHECK(p.date.name == "Date");
    CHECK(p.date_format == "%d %b %Y");
    CHECK(p.debit.name == "Money out");
    auto again = parse_config(render_config(*c), "r.toml");
    REQUIRE(again.has_value());
    CHECK(render_config(*again).substr(render_config(*again).find('\n')) ==
          render_config(*c).substr(render_config(*c).find('\n')));
}

TEST_CASE("a profile that cannot work is a config error naming the profile and the field") {
    CHECK_THAT(problems_of("[profiles.x]\nmatch_header = \"A,B\"\ndate = \"A\"\ndescription = [\"B\"]\n"),
               Catch::Contains("key 'profiles.x': profile 'x': amount: give either amount (optionally with type) or both "
                               "debit and credit"));
    CHECK_THAT(problems_of("[profiles.x]\nmatch_header = \"A,B\"\ndate = \"A\"\namount = \"B\"\ndescription = [\"B\"]\n"
                           "encoding = \"latin9\"\n"),
               Catch::Contains("key 'profiles.x.encoding': 'latin9' is not \"utf-8\" or \"windows-1252\""));
    CHECK_THAT(problems_of("[profiles.x]\nmatch_header = \"A,B\"\ndate = \"A\"\namount = \"B\"\ndescription = [\"B\"]\n"
                           "colour = \"red\"\n"),
               Catch::Contains("key 'profiles.x.colour': unknown key"));
}

TEST_CASE("public_url sets the links; dashboard_url is its old name; without either the links use listen") {
    auto plain = parse_config("[http]\nlisten = \"127.0.0.1:9090\"\n", "t.toml");
    REQUIRE(plain.has_value());
    CHECK(plain->http.public_url == "http://127.0.0.1:9090");
    CHECK(plain->http.session_hours == 10);
    auto old_name = parse_config("[alerts]\ndashboard_url = \"https://dpmon.council.example/\"\n", "t.toml");
    REQUIRE(old_name.has_value());
    CHECK(old_name->http.public_url == "https://dpmon.council.example");
    auto both = parse_config("[http]\npublic_url = \"https://new.example\"\n[alerts]\ndashboard_url = \"https://old.example\"\n", "t.toml");
    REQUIRE(both.has_value());
    CHECK(both->http.public_url == "https://new.example");
    CHECK(dpmon::daemon::url_host("https://Dpmon.Council.example:8443/x") == "dpmon.council.example");
    CHECK(dpmon::daemon::url_origin("https://Dpmon.Council.example:8443/x") == "https://dpmon.council.example:8443");
    CHECK(problems_of("[http]\npublic_url = \"dpmon.council.example\"\n").find("public_url") != std::string::npos);
}

TEST_CASE("check-config warns when mail is on but the links would point at loopback, or go over plain http") {
    const std::string smtp = "[smtp]\nurl = \"smtp://relay.council.example:587\"\nfrom = \"dpmon@council.example\"\n"
                             "team_mailbox = \"team@council.example\"\n";
    auto loopback = parse_config(smtp, "t.toml");
    REQUIRE(loopback.has_value());
    const auto warnings = dpmon::daemon::config_warnings(*loopback);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("[http] public_url") != std::string::npos);
    CHECK(warnings[0].find("loopback") != std::string::npos);
    auto proxied = parse_config(smtp + "[http]\npublic_url = \"https://dpmon.council.example\"\n", "t.toml");
    REQUIRE(proxied.has_value());
    CHECK(dpmon::daemon::config_warnings(*proxied).empty());
    auto cleartext = parse_config("[http]\npublic_url = \"http://dpmon.council.example\"\n", "t.toml");
    REQUIRE(cleartext.has_value());
    CHECK(dpmon::daemon::config_warnings(*cleartext).at(0).find("plain http") != std::string::npos);
}

TEST_CASE("the effective config reads back when a path holds a control character (found by fuzzing)") {
    auto c = parse_config("[daemon]\nstate_dir = \"/var/lib/dp\\u0001mon\"\n", "t.toml");
    REQUIRE(c.has_value());
    CHECK(c->daemon.state_dir.string() == std::string("/var/lib/dp\x01mon"));
    const std::string text = render_config(*c);
    CHECK(text.find("/var/lib/dp\\u0001mon") != std::string::npos);
    auto again = parse_config(text, "rendered.toml");
    REQUIRE(again.has_value());
    CHECK(again->daemon.state_dir == c->daemon.state_dir);
}
