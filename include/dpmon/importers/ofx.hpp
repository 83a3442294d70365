#pragma once
// OFX statements: 1.x (SGML, leaf elements left unclosed) and 2.x (XML). Bank (STMTRS) and credit-card
// (CCSTMTRS) statements are read; everything else (sign-on, account listings, investment) is skipped.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/money.hpp"
#include "dpmon/importers/statement.hpp"

namespace dpmon::importers {

struct ofx_transaction {
    std::size_t line = 0;
    std::string id;  // FITID: the bank's reference
    core::civil_date date;
    core::money amount;
    std::string payee;  // NAME (or PAYEE.NAME)
    std::string memo;
    std::string type;  // TRNTYPE, lower case ("debit", "pos", ...)
};

struct ofx_statement {
    std::string bank_id;     // BANKID: a UK sort code, for UK banks
    std::string account_id;  // ACCTID
    std::string account_type;
    std::string currency;    // CURDEF, lower case
    std::optional<core::money> ledger_balance;  // LEDGERBAL/BALAMT
    std::optional<core::civil_date> ledger_balance_date;
    std::optional<core::civil_date> start_date;  // BANKTRANLIST/DTSTART
    std::optional<core::civil_date> end_date;
    std::vector<ofx_transaction> transactions;
};

// True when the text looks like an OFX file (an OFXHEADER line, an <?OFX ...?> instruction or <OFX>).
bool looks_like_ofx(std::string_view head);

// Parses a whole OFX file. Every bad field (a transaction without DTPOSTED, an amount like "$120", a
// ledger balance with a date but no amount) is a diagnostic naming the line and element; the result then
// holds diagnostics and the caller rejects the file.
struct ofx_result {
    std::vector<ofx_statement> statements;
    std::vector<diagnostic> diagnostics;
};
ofx_result parse_ofx(std::string_view text);

// The rows of one statement as dpmon stores them: description is "PAYEE MEMO" (memo left out when it
// repeats the payee), reference is FITID, and the account identifiers come from BANKID/ACCTID.
std::vector<statement_row> to_statement_rows(const ofx_statement& s);

}  // namespace dpmon::importers
