#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "dpmon/importers/csv_statement.hpp"
#include "dpmon/importers/detect.hpp"

using namespace dpmon::importers;

namespace {

const std::filesystem::path samples = std::filesystem::path(DPMON_SOURCE_DIR) / "tests" / "fixtures" / "statements";

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string render(const statement_row& r) {
    return std::to_string(r.line) + "|" + dpmon::core::format_iso_date(r.date) + "|" + r.amount.to_decimal() + "|" +
           (r.balance ? r.balance->to_decimal() : "-") + "|" + r.description + "|" + r.reference + "|" + r.sort_code +
           "|" + r.account_number + "|" + r.account_id;
}

struct outcome {
    std::string rows;
    std::vector<std::string> problems;
    std::string fatal;
    std::size_t trailer = 0;
};

outcome parse(const profile& p, std::string_view bytes, std::size_t chunk = 7) {
    outcome o;
    csv_statement_parser parser(p);
    auto on_row = [&](const statement_row& r) {
        o.rows += render(r) + "\n";
        return true;
    };
    for (std::size_t i = 0; i < bytes.size() && o.fatal.empty(); i += chunk) {
        if (auto r = parser.feed(bytes.substr(i, chunk), on_row); !r) o.fatal = r.error().message;
    }
    if (o.fatal.empty()) {
        if (auto r = parser.finish(on_row); !r) o.fatal = r.error().message;
    }
    for (const auto& d : parser.diagnostics()) o.problems.push_back(format_diagnostic("f.csv", d));
    o.trailer = parser.trailer_lines();
    return o;
}

profile simple_profile() {
    profile p;
    p.name = "simple";
    p.match_header = "Date,Description,Amount,Balance";
    p.date = {"Date", 0};
    p.description = {{"Description", 0}};
    p.amount = {"Amount", 0};
    p.balance = {"Balance", 0};
    return p;
}

}  // namespace

TEST_CASE("every built-in profile is valid, documented, and reads its sample file as expected") {
    int samples_read = 0;
    for (const profile& p : builtin_profiles()) {
        INFO("profile " << p.name);
        CHECK(validate_profile(p).has_value());
        CHECK_FALSE(p.source.empty());
        if (p.format != "csv") continue;
        std::filesystem::path sample = samples / (p.name + ".csv");
        if (p.name == "hsbc") sample = samples / "hsbc-dp-000101-jan.csv";
        REQUIRE(std::filesystem::exists(sample));
        const std::string bytes = slurp(sample);
        // Detection picks this profile for its own sample, by name or by header.
        const auto all = builtin_profiles();
        auto chosen = choose_profile(sample.filename().string(), bytes, all);
        REQUIRE(chosen.has_value());
        CHECK((*chosen)->name == p.name);
        const outcome o = parse(p, bytes);
        CHECK(o.fatal.empty());
        CHECK(o.problems.empty());
        std::filesystem::path expected = sample;
        expected.replace_extension(".expected");
        CHECK(o.rows == slurp(expected));
        ++samples_read;
    }
    CHECK(samples_read >= 6);
}

TEST_CASE("OFX content chooses the ofx profile and an unknown layout is an error quoting its header") {
    const auto all = builtin_profiles();
    CHECK((*choose_profile("x.qfx", "OFXHEADER:100\nDATA:OFXSGML\n", all))->name == "ofx");
    auto none = choose_profile("x.csv", "When,What,How much\n1,2,3\n", all);
    REQUIRE(none.has_error());
    CHECK(none.error().message ==
          "no profile matches this file's layout (name or first line); add a [profiles.NAME] table with "
          "match_header (or match_filename) for this layout, or pass --profile");
    CHECK(first_line("\xEF\xBB\xBFWhen,What,How much\r\n1,2,3\n") == "When,What,How much");
    std::vector<profile> twice{simple_profile(), simple_profile()};
    twice[1].name = "simple2";
    auto both = choose_profile("x.csv", "Date,Description,Amount,Balance\n", twice);
    REQUIRE(both.has_error());
    CHECK(both.error().message ==
          "several profiles match this file by header: simple, simple2; make their match rules distinct, or pass --profile");
    twice[1].match_filename = "special-*.csv";
    CHECK((*choose_profile("SPECIAL-jan.csv", "Date,Description,Amount,Balance\n", twice))->name == "simple2");
}

TEST_CASE("a bad row is reported with file, line, column, field and reason, and good rows still parse") {
    const outcome o = parse(simple_profile(),
                            "Date,Description,Amount,Balance\n05/01/2026,A,1.00,1.00\n06/01/2026,B,12.345,2.00\n"
                            "31/02/2026,C,1.00,3.00\n07/01/2026,D,1.00\n08/01/2026,E,1.00,4.00\n");
    CHECK(o.problems == std::vector<std::string>{
                            "f.csv:3:3: field 'Amount': '12.345' is not an amount: more than two decimal places",
                            "f.csv:4:1: field 'Date': '31/02/2026' is not a date in the form '%d/%m/%Y': no such day",
                            "f.csv:5: 3 fields where the header has 4",
                        });
    CHECK(o.rows == "2|2026-01-05|1.00|1.00|A||||\n6|2026-01-08|1.00|4.00|E||||\n");
}

TEST_CASE("preamble lines, blank lines, trailing delimiters and a summary trailer are handled") {
    profile p = simple_profile();
    p.skip_lines = 2;
    const outcome o = parse(p,
                            "Account: ****5678\nExported 2026-02-01\nDate,Description,Amount,Balance,\n\n"
                            "05/01/2026,A,1.00,1.00,\n\n06/01/2026,B,-0.50,0.50,\n\nTotal,,0.50,\nEnd of statement\n");
    CHECK(o.fatal.empty());
    CHECK(o.problems.empty());
    CHECK(o.trailer == 2);
    CHECK(o.rows == "5|2026-01-05|1.00|1.00|A||||\n7|2026-01-06|-0.50|0.50|B||||\n");
}

TEST_CASE("a line that is not a transaction in the middle of the data is an error, not a trailer") {
    const outcome o = parse(simple_profile(), "Date,Description,Amount,Balance\n05/01/2026,A,1,1\nsubtotal\n06/01/2026,B,1,2\n");
    CHECK(o.problems == std::vector<std::string>{"f.csv:3: 1 fields where the header has 4"});
}

TEST_CASE("a last row with an impossible date is an error, not a trailer, so the statement is not cut short unseen") {
    const outcome o = parse(simple_profile(), "Date,Description,Amount,Balance\n05/01/2026,A,1,1\n31/02/2026,B,1,2\n");
    REQUIRE(o.problems.size() == 1);
    CHECK(o.problems[0].find("f.csv:3") == 0);
    CHECK(o.problems[0].find("31/02/2026") != std::string::npos);
    CHECK(o.trailer == 0);
    // Likewise when it is the only row, and with debit and credit columns.
    profile p = simple_profile();
    p.match_header = "Date,Description,Debit,Credit";
    p.amount = {};
    p.balance = {};
    p.debit = {"Debit", 0};
    p.credit = {"Credit", 0};
    const outcome only = parse(p, "Date,Description,Debit,Credit\n30/02/2026,B,,150.00\n");
    CHECK(only.problems.size() == 1);
    CHECK(only.rows.empty());
}

TEST_CASE("trailer lines with a date in their text but no amount stay a trailer") {
    const outcome o = parse(simple_profile(), "Date,Description,Amount,Balance\n05/01/2026,A,1,1\n"
                                              "Printed on 01/12/2026,,,\nTotal,,1.00,\n");
    CHECK(o.problems.empty());
    CHECK(o.trailer == 2);
    CHECK(o.rows == "2|2026-01-05|1.00|1.00|A||||\n");
}

TEST_CASE("a header lacking a needed column stops the file with the columns it has") {
    const outcome o = parse(simple_profile(), "Date,Details,Amount,Balance\n05/01/2026,A,1,1\n");
    CHECK(o.fatal ==
          "line 1: the header lacks column(s) 'Description' that profile 'simple' needs; the header has 'Date', "
          "'Details', 'Amount', 'Balance'");
}

TEST_CASE("amount sign conventions: debit-positive amounts and a CR/DR type column") {
    profile p = simple_profile();
    p.sign = amount_sign::debit_positive;
    CHECK(parse(p, "Date,Description,Amount,Balance\n05/01/2026,A,12.00,\n").rows == "2|2026-01-05|-12.00|-|A||||\n");
    profile t;
    t.name = "typed";
    t.match_header = "Date,Narrative,Value,DrCr";
    t.date = {"Date", 0};
    t.description = {{"Narrative", 0}};
    t.amount = {"Value", 0};
    t.type = {"DrCr", 0};
    CHECK(parse(t, "Date,Narrative,Value,DrCr\n05/01/2026,A,12.00,DR\n06/01/2026,B,3.00,CR\n07/01/2026,C,-4.00,dr\n").rows ==
          "2|2026-01-05|-12.00|-|A||||\n3|2026-01-06|3.00|-|B||||\n4|2026-01-07|-4.00|-|C||||\n");
}

TEST_CASE("a file that is not UTF-8 under a UTF-8 profile stops with the line and a hint") {
    const outcome o = parse(simple_profile(), "Date,Description,Amount,Balance\n05/01/2026,Caf\xE9,1,1\n");
    CHECK(o.fatal.starts_with("line 2: byte 0xE9 is not UTF-8"));
}

TEST_CASE("a profile that cannot work is refused with its name and the field") {
    profile p = simple_profile();
    p.debit = {"Out", 0};
    CHECK(validate_profile(p).error().message ==
          "profile 'simple': amount: give either amount (optionally with type) or both debit and credit");
    p = simple_profile();
    p.match_header.clear();
    CHECK(validate_profile(p).error().message ==
          "profile 'simple': match_header: a profile needs match_header or match_filename to be chosen");
    p = simple_profile();
    p.header = false;
    CHECK(validate_profile(p).error().message == "profile 'simple': date: without a header, columns are 1-based numbers");
}

TEST_CASE("glob patterns match file names case-insensitively") {
    CHECK(glob_match("lloyds-*.csv", "LLOYDS-2026-01.CSV"));
    CHECK(glob_match("*.ofx", "a.ofx"));
    CHECK(glob_match("dp-0001?3-*.csv", "DP-000123-jan.csv"));
    CHECK_FALSE(glob_match("lloyds-*.csv", "lloyds.csv"));
    CHECK_FALSE(glob_match("*.ofx", "a.ofx.part"));
}

TEST_CASE("logs and the imports list get a diagnostic without the offending value, the rejected file's report with it") {
    csv_statement_parser parser(simple_profile());
    auto on_row = [](const statement_row&) { return true; };
    REQUIRE(parser.feed("Date,Description,Amount,Balance\n05/01/2026,A,MRS CANARY,1.00\n", on_row).has_value());
    REQUIRE(parser.finish(on_row).has_value());
    REQUIRE(parser.diagnostics().size() == 1);
    const diagnostic& d = parser.diagnostics().front();
    CHECK(format_diagnostic("f.csv", d).starts_with("f.csv:2:3: field 'Amount': 'MRS CANARY' is not an amount: "));
    const std::string safe = format_diagnostic_safe("f.csv", d);
    CHECK(safe.starts_with("f.csv:2:3: field 'Amount': the value is not an amount: "));
    CHECK(safe.find("CANARY") == std::string::npos);
}

TEST_CASE("a field longer than 4096 characters is an error naming its line and field, not a row") {
    const std::string longest(max_field_chars, 'x');
    const outcome o = parse(simple_profile(),
                            "Date,Description,Amount,Balance\n05/01/2026," + longest + ",1.00,1.00\n06/01/2026," +
                                longest + "y,1.00,2.00\n",
                            4096);
    CHECK(o.problems == std::vector<std::string>{"f.csv:3:2: field 'Description': 4097 characters, over the limit of "
                                                 "4096 for one field: the file looks damaged"});
    CHECK(o.rows.starts_with("2|2026-01-05|1.00|1.00|xxx"));
    CHECK(o.rows.find("\n3|") == std::string::npos);
}
