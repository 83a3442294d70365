#pragma once
// What importers produce: normalised statement rows with the line they came from, and diagnostics.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dpmon/core/bank_transaction.hpp"

namespace dpmon::importers {

using statement_row = core::bank_transaction;

// One problem in a file, for the rejection report: "FILE:LINE:COLUMN: field 'F': message".
struct diagnostic {
    std::size_t line = 0;
    std::size_t column = 0;  // 1-based field number in CSV files; 0 when it concerns the whole row or file
    std::string field;       // the column's header name, or the OFX element
    std::string message;     // may quote the offending text ('J SMITH' is not an amount)
    std::string value;       // that text as quoted in `message` (it may be personal data); empty when none
};

// The whole diagnostic, quoted values included: for the rejected file's own report (0600).
std::string format_diagnostic(const std::string& file_name, const diagnostic& d);
// The same without the quoted value ('J SMITH' becomes "the value"): for logs and the imports list, which
// must never hold a payee's name. Debit/credit pairs quote "DEBIT / CREDIT"; each half is hidden too.
std::string format_diagnostic_safe(const std::string& file_name, const diagnostic& d);

// The longest field a statement may hold (a description, a reference...). Bank exports stay far below
// it; a longer one means a damaged or hostile file, which is rejected naming the line.
constexpr std::size_t max_field_chars = 4096;

// Called for each good row; return false to stop early.
using row_fn = std::function<bool(const statement_row&)>;

// Statement-level facts that are not rows (OFX ledger balance, statement period).
struct statement_summary {
    std::optional<core::money> closing_balance;
    std::optional<core::civil_date> closing_balance_date;
    std::optional<core::civil_date> period_start;
    std::optional<core::civil_date> period_end;
};

// Splits a bank identifier written in one column ("20-00-00 12345678", "'601234-12345678") into sort code
// and account number when it holds exactly 14 digits; otherwise it is a card or sub-account id (trimmed,
// a leading apostrophe dropped).
void split_account_identifier(std::string_view text, statement_row& row);

// Digits only ("'20-00-00" -> "200000").
std::string digits_only(std::string_view text);

}  // namespace dpmon::importers
