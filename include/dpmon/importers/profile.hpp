#pragma once
// profile: how to read one bank's (or card provider's) CSV export (docs/statements.md, profiles).
// Councils add their own in config ([profiles.NAME]); dpmon ships the built-in ones below.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dpmon/importers/text_decoder.hpp"

namespace dpmon::importers {

// A column named by its header text (case-insensitive, trimmed) or, for files without a header, by its
// 1-based number.
struct column_ref {
    std::string name;
    int number = 0;
    bool empty() const { return name.empty() && number == 0; }
    std::string describe() const { return name.empty() ? "column " + std::to_string(number) : "'" + name + "'"; }
};

enum class amount_sign { credit_positive, debit_positive };

struct profile {
    std::string name;
    std::string format = "csv";         // csv | ofx
    std::string match_header;           // the header line that identifies the layout ("" = none)
    std::string match_filename;         // a glob on the file name ("" = none); wins over the header
    text_encoding encoding = text_encoding::utf8;
    char delimiter = ',';
    int skip_lines = 0;                 // preamble lines before the header
    bool header = true;
    column_ref date;
    std::string date_format = "%d/%m/%Y";
    std::vector<column_ref> description;  // joined with single spaces
    // Amount: exactly one of (amount), (debit and credit), (amount and type).
    column_ref amount;
    amount_sign sign = amount_sign::credit_positive;
    column_ref debit;
    column_ref credit;
    column_ref type;                      // with amount: the value says debit or credit
    std::vector<std::string> debit_types{"DR", "D", "DEBIT"};
    column_ref balance;                   // optional
    column_ref sort_code;                 // optional
    column_ref account_number;            // optional
    column_ref account;                   // optional: account or card id, for bulk multi-account files
    column_ref reference;                 // optional: the bank's transaction id
    std::string source;                   // where the layout comes from (documentation)
};

// The profiles dpmon ships. Stable order.
std::span<const profile> builtin_profiles();

// Checks a profile for consistency; errc::invalid_argument naming the profile and field.
result<void> validate_profile(const profile& p);

// True when `name` matches the glob `pattern` ('*' any run, '?' one character), case-insensitive.
bool glob_match(std::string_view pattern, std::string_view name);

}  // namespace dpmon::importers
