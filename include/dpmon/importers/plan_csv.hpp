#pragma once
// The CSV form of plan files, for case-management exports: one row per plan line. Rows with the same
// account_ref and effective_from make one plan version; the account's own columns must agree across its
// rows. Columns (header names, any order; * = required):
//   account_ref*, person_ref*, account_type*, finance_officer*, status, dp_start*, sort_code, account_number,
//   card_id, effective_from*, effective_to, weekly_budget*, weekly_contribution, payment_basis,
//   council_payment_amount*, council_payment_every, council_payment_first*, council_payment_payer*,
//   contribution_payer, line_category, line_amount, line_per, line_payees (separated by ";")
// It becomes the JSON form and is checked exactly as a JSON plan file is.

#include <string>
#include <string_view>
#include <vector>

#include "dpmon/core/error.hpp"

namespace dpmon::importers {

// The JSON plan file the CSV stands for. errc::invalid_argument lists every problem as
// "line N: field 'NAME': why" (a missing column, accounts whose rows disagree).
result<std::string> plan_csv_to_json(std::string_view csv_text);

}  // namespace dpmon::importers
