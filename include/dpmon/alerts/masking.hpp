#pragma once
// What an alert may say about an account: references and masked numbers, never names or full numbers.

#include <string>
#include <string_view>

namespace dpmon::alerts {

// "****5678" for "12345678": the last four digits or characters, the rest hidden. Spaces and dashes in
// the input are ignored; an identifier of four characters or fewer is hidden entirely ("****").
std::string mask_account_number(std::string_view number);

}  // namespace dpmon::alerts
