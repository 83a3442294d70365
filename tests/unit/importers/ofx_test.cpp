#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <fstream>
#include <sstream>

#include "dpmon/importers/ofx.hpp"

using namespace dpmon::importers;

namespace {

const std::filesystem::path fixtures = std::filesystem::path(DPMON_SOURCE_DIR) / ".." / "shared" / "testdata" / "ofx";

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string str(const boost::json::value& v) { return v.is_null() ? std::string("<null>") : std::string(v.as_string()); }

std::int64_t pence(const boost::json::value& v) { return dpmon::core::parse_money(str(v)).value().pence(); }

}  // namespace

TEST_CASE("the ofxparse fixture statements are read as the reference parser read them") {
    if (!std::filesystem::exists(fixtures)) {
        std::cout << "SKIPPED: ../shared/testdata/ofx is not beside this checkout\n";
        return;
    }
    const auto expected = boost::json::parse(slurp(fixtures / "expected.json")).as_object();
    int checked = 0;
    for (const auto& [name, want] : expected) {
        if (std::string_view(name).starts_with("fail_nice/")) continue;
        INFO(std::string(name));
        const ofx_result got = parse_ofx(slurp(fixtures / std::string(name)));
        CHECK(got.diagnostics.empty());
        // Accounts that carry no statement (an account listing) must not become statements.
        std::vector<const boost::json::object*> statements;
        for (const auto& a : want.at("accounts").as_array()) {
            const auto& o = a.as_object();
            const bool is_statement = !o.at("transactions").as_array().empty() ||
                                      (o.contains("balance") && !o.at("balance").is_null()) ||
                                      (o.contains("start_date") && !o.at("start_date").is_null());
            if (is_statement) statements.push_back(&o);
        }
        REQUIRE(got.statements.size() == statements.size());
        for (std::size_t i = 0; i < statements.size(); ++i) {
            const auto& w = *statements[i];
            const ofx_statement& s = got.statements[i];
            CHECK(s.account_id == str(w.at("account_id")));
            if (w.at("balance").is_null()) {
                CHECK_FALSE(s.ledger_balance.has_value());
            } else {
                REQUIRE(s.ledger_balance.has_value());
                CHECK(s.ledger_balance->pence() == pence(w.at("balance")));
            }
            if (w.contains("start_date") && !w.at("start_date").is_null()) {
                REQUIRE(s.start_date.has_value());
                CHECK(dpmon::core::format_iso_date(*s.start_date) == str(w.at("start_date")));
            }
            const auto& txns = w.at("transactions").as_array();
            REQUIRE(s.transactions.size() == txns.size());
            for (std::size_t t = 0; t < txns.size(); ++t) {
                const auto& wt = txns[t].as_object();
                const ofx_transaction& gt = s.transactions[t];
                CHECK(gt.id == str(wt.at("id")));
                CHECK(dpmon::core::format_iso_date(gt.date) == str(wt.at("date")));
                CHECK(gt.amount.pence() == pence(wt.at("amount")));
                CHECK(gt.payee == str(wt.at("payee")));
                CHECK(gt.memo == str(wt.at("memo")));
                CHECK(gt.type == str(wt.at("type")));
            }
        }
        ++checked;
    }
    CHECK(checked == 9);
}

TEST_CASE("malformed OFX files are refused with the element named") {
    if (!std::filesystem::exists(fixtures)) {
        std::cout << "SKIPPED: ../shared/testdata/ofx is not beside this checkout\n";
        return;
    }
    const std::pair<const char*, const char*> cases[] = {
        {"fail_nice/date_missing.ofx", "DTPOSTED"},
        {"fail_nice/decimal_error.ofx", "TRNAMT"},
        {"fail_nice/empty_balance.ofx", "BALAMT"},
    };
    for (const auto& [file, field] : cases) {
        INFO(file);
        const ofx_result r = parse_ofx(slurp(fixtures / file));
        REQUIRE_FALSE(r.diagnostics.empty());
        const auto named = std::find_if(r.diagnostics.begin(), r.diagnostics.end(),
                                        [&](const diagnostic& d) { return d.field == field; });
        REQUIRE(named != r.diagnostics.end());
        CHECK(named->line > 0);
    }
    // decimal_error.ofx has two faults: the date 201120000000 (month 20) and the amount.
    const ofx_result bad = parse_ofx(slurp(fixtures / "fail_nice/decimal_error.ofx"));
    REQUIRE(bad.diagnostics.size() == 2);
    CHECK(format_diagnostic("d.ofx", bad.diagnostics[0]) == "d.ofx:36: field 'DTPOSTED': '201120000000' is not an OFX date (YYYYMMDD...)");
    CHECK(format_diagnostic("d.ofx", bad.diagnostics[1]) ==
          "d.ofx:37: field 'TRNAMT': '$120' is not an amount (expected a plain decimal such as -12.50)");
}

TEST_CASE("a UK OFX statement gives rows with sort code, account number, FITID and payee with memo") {
    const std::string sgml =
        "OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>GBP\n"
        "<BANKACCTFROM><BANKID>200000<ACCTID>12345678<ACCTTYPE>CHECKING</BANKACCTFROM>\n"
        "<BANKTRANLIST><DTSTART>20260101<DTEND>20260131\n"
        "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260105<TRNAMT>-250.00<FITID>T1<NAME>J BLOGGS<MEMO>WAGES &amp; MILEAGE</STMTTRN>\n"
        "<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20260106120000[0:GMT]<TRNAMT>1220.00<FITID>T2<NAME>COUNCIL DP<MEMO>COUNCIL DP</STMTTRN>\n"
        "</BANKTRANLIST><LEDGERBAL><BALAMT>970.00<DTASOF>20260131</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";
    const ofx_result r = parse_ofx(sgml);
    REQUIRE(r.diagnostics.empty());
    REQUIRE(r.statements.size() == 1);
    CHECK(r.statements[0].currency == "gbp");
    CHECK(r.statements[0].ledger_balance->pence() == 97000);
    const auto rows = to_statement_rows(r.statements[0]);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].sort_code == "200000");
    CHECK(rows[0].account_number == "12345678");
    CHECK(rows[0].description == "J BLOGGS WAGES & MILEAGE");
    CHECK(rows[0].amount.pence() == -25000);
    CHECK(rows[0].reference == "T1");
    CHECK(rows[0].line == 7);
    CHECK(rows[1].description == "COUNCIL DP");
    CHECK(dpmon::core::format_iso_date(rows[1].date) == "2026-01-06");
}

TEST_CASE("text that is not OFX is not taken for OFX") {
    CHECK_FALSE(looks_like_ofx("Date,Description,Amount\n"));
    CHECK(looks_like_ofx("\xEF\xBB\xBF  OFXHEADER:100\n"));
    CHECK(looks_like_ofx("<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\"?>\n<OFX>"));
    CHECK(parse_ofx("a,b,c\n").diagnostics.size() == 1);
}

TEST_CASE("an OFX file cut short before its closing OFX tag, or with an overlong field, is refused naming why") {
    const std::string whole =
        "OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>GBP\n"
        "<BANKACCTFROM><BANKID>200000<ACCTID>12345678<ACCTTYPE>CHECKING</BANKACCTFROM>\n"
        "<BANKTRANLIST><DTSTART>20260101<DTEND>20260131\n"
        "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260105<TRNAMT>-250.00<FITID>T1<NAME>J BLOGGS</STMTTRN>\n"
        "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";
    CHECK(parse_ofx(whole).diagnostics.empty());
    const ofx_result cut = parse_ofx(whole.substr(0, whole.find("</BANKTRANLIST>")));
    REQUIRE(cut.diagnostics.size() == 1);
    CHECK(format_diagnostic("c.ofx", cut.diagnostics[0]) ==
          "c.ofx:7: the file ends before its closing </OFX>: it was cut short; deliver it again whole");
    std::string long_name = whole;
    long_name.replace(long_name.find("J BLOGGS"), 8, std::string(5000, 'a'));
    const ofx_result too_long = parse_ofx(long_name);
    REQUIRE(too_long.diagnostics.size() == 1);
    CHECK(format_diagnostic("l.ofx", too_long.diagnostics[0]) ==
          "l.ofx:7: field 'NAME': 5000 characters, over the limit of 4096 for one field: the file looks damaged");
}
