#pragma once
// Plan files (DESIGN.md §2, Plan files): JSON with one or many accounts. This reads and checks the
// account part (identity, bank identifiers, officer, status, DP start); support-plan versions are checked
// for shape only and kept as JSON text for the reconciliation work to read.

#include <string>
#include <string_view>
#include <vector>

namespace dpmon::importers {

struct plan_account {
    std::string account_ref;
    std::string person_ref;
    std::string account_type;  // dedicated_bank | prepaid_card | managed_account
    std::string finance_officer;
    std::string status;        // active | suspended | closed
    std::string dp_start;      // YYYY-MM-DD
    std::string sort_code;     // six digits (dedicated_bank)
    std::string account_number;
    std::string card_id;       // prepaid_card / managed_account
    std::string plans_json;    // the "plans" array as given
};

struct plan_file {
    std::vector<plan_account> accounts;
    // "accounts[2] (DP-000123): field 'dp_start': why"; the file is applied only when this is empty.
    std::vector<std::string> errors;
};

plan_file parse_plan_file(std::string_view json_text);

}  // namespace dpmon::importers
