#pragma once
// bank_transaction: one row of a bank statement, normalised, as importers produce it and storage keeps it.

#include <cstddef>
#include <optional>
#include <string>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/money.hpp"

namespace dpmon::core {

struct bank_transaction {
    std::size_t line = 0;  // where the row starts in its file (1-based)
    civil_date date;
    money amount;  // negative: money out
    std::string description;
    std::optional<money> balance;  // the bank's running balance after this row, when the file has one
    std::string reference;         // the bank's transaction id, when the file has one
    // Identifiers that say whose account this row is on (any may be empty):
    std::string sort_code;       // six digits
    std::string account_number;  // digits
    std::string account_id;      // a card or sub-account id from a bulk file
};

}  // namespace dpmon::core
