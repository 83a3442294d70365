#include <array>

#include "dpmon/importers/profile.hpp"

namespace dpmon::importers {
namespace {

column_ref col(std::string name) { return column_ref{std::move(name), 0}; }
column_ref num(int n) { return column_ref{"", n}; }

std::vector<profile> make_builtins() {
    std::vector<profile> v;
    {
        profile p;
        p.name = "lloyds";
        p.match_header = "Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,"
                         "Debit Amount,Credit Amount,Balance";
        p.date = col("Transaction Date");
        p.description = {col("Transaction Description")};
        p.debit = col("Debit Amount");
        p.credit = col("Credit Amount");
        p.balance = col("Balance");
        p.sort_code = col("Sort Code");
        p.account_number = col("Account Number");
        p.source = "Lloyds Bank, Halifax and Bank of Scotland online banking: Export > CSV (same layout)";
        v.push_back(p);
    }
    {
        profile p;
        p.name = "barclays";
        p.match_header = "Number,Date,Account,Amount,Subcategory,Memo";
        p.date = col("Date");
        p.description = {col("Memo")};
        p.amount = col("Amount");
        p.account = col("Account");  // "20-00-00 12345678": sort code and number in one column
        p.source = "Barclays online banking: Export transactions > CSV";
        v.push_back(p);
    }
    {
        profile p;
        p.name = "natwest";
        p.match_header = "Date,Type,Description,Value,Balance,Account Name,Account Number";
        p.date = col("Date");
        p.date_format = "%d %b %Y";
        p.description = {col("Description")};
        p.amount = col("Value");
        p.balance = col("Balance");
        p.account = col("Account Number");  // "'601234-12345678"
        p.source = "NatWest, Royal Bank of Scotland and Ulster Bank online banking: Download transactions > CSV";
        v.push_back(p);
    }
    {
        profile p;
        p.name = "nationwide";
        p.match_header = "Date,Transaction type,Description,Paid out,Paid in,Balance";
        p.encoding = text_encoding::windows_1252;
        p.skip_lines = 4;
        p.date = col("Date");
        p.date_format = "%d %b %Y";
        p.description = {col("Transaction type"), col("Description")};
        p.debit = col("Paid out");
        p.credit = col("Paid in");
        p.balance = col("Balance");
        p.source = "Nationwide Building Society internet banking: Download statement > CSV (four preamble lines "
                   "with the account name and balances; amounts with a £ sign in Windows-1252)";
        v.push_back(p);
    }
    {
        profile p;
        p.name = "hsbc";
        p.match_filename = "*hsbc*.csv";  // "DP-000123-hsbc.csv": the account reference first (no identifiers)
        p.header = false;
        p.date = num(1);
        p.description = {num(2)};
        p.amount = num(3);
        p.source = "HSBC UK online banking: Download transactions > CSV (no header: date, description, amount)";
        v.push_back(p);
    }
    {
        profile p;
        p.name = "monzo";
        p.match_header = "Transaction ID,Date,Time,Type,Name,Emoji,Category,Amount,Currency,Local amount,Local currency,"
                         "Notes and #tags,Address,Receipt,Description,Category split,Money Out,Money In";
        p.date = col("Date");
        p.description = {col("Name"), col("Description")};
        p.amount = col("Amount");
        p.reference = col("Transaction ID");
        p.source = "Monzo app: Export statement > CSV";
        v.push_back(p);
    }
    {
        profile p;
        p.name = "starling";
        p.match_header = "Date,Counter Party,Reference,Type,Amount (GBP),Balance (GBP),Spending Category,Notes";
        p.date = col("Date");
        p.description = {col("Counter Party"), col("Reference")};
        p.amount = col("Amount (GBP)");
        p.balance = col("Balance (GBP)");
        p.source = "Starling Bank app: Statements > Export CSV";
        v.push_back(p);
    }
    {
        profile p;
        p.name = "prepaid-bulk";
        p.match_header = "Card ID,Transaction Date,Merchant,Description,Amount,Running Balance,Transaction Reference";
        p.date = col("Transaction Date");
        p.date_format = "%Y-%m-%d";
        p.description = {col("Merchant"), col("Description")};
        p.amount = col("Amount");
        p.balance = col("Running Balance");
        p.account = col("Card ID");
        p.reference = col("Transaction Reference");
        p.source = "Prepaid-card programme managers' bulk transaction export (many cards in one file), as "
                   "councils receive it for DP cards; check a real export's header against this";
        v.push_back(p);
    }
    {
        profile p;
        p.name = "managed-account-bulk";
        p.match_header = "Client Account,Date,Payee,Details,Type,Amount,Balance";
        p.date = col("Date");
        p.description = {col("Payee"), col("Details")};
        p.amount = col("Amount");
        p.type = col("Type");
        p.debit_types = {"DR", "DEBIT", "PAYMENT"};
        p.balance = col("Balance");
        p.account = col("Client Account");
        p.source = "Managed-account (DP support service) providers' multi-client export: unsigned amounts "
                   "with a DR/CR type column; check a real export's header against this";
        v.push_back(p);
    }
    {
        profile p;
        p.name = "ofx";
        p.format = "ofx";
        p.source = "OFX 1.x (SGML) and 2.x (XML) statement downloads (Money/Quicken format) from any bank; "
                   "chosen by content";
        v.push_back(p);
    }
    return v;
}

}  // namespace

std::span<const profile> builtin_profiles() {
    static const std::vector<profile> profiles = make_builtins();
    return profiles;
}

}  // namespace dpmon::importers
