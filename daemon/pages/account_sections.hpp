#pragma once
// The parts of the account page below its figures: flags, reviews, the surplus (exemptions and recoveries)
// and transactions, each with the forms an officer acts through (shown only to officers and admins).

#include <boost/json/array.hpp>

#include <optional>
#include <string>

#include "api_client.hpp"
#include "dpmon/pages/sessions.hpp"

namespace dpmon::pages {

std::string flags_section(const http::route_match& m, const boost::json::array& flags, const std::optional<flash>& notice);
std::string reviews_section(const http::route_match& m, const std::string& ref, const boost::json::array& reviews,
                            const std::optional<flash>& notice);
std::string surplus_section(const http::route_match& m, const api_client& api, const std::string& ref,
                            const std::optional<flash>& notice);
std::string transactions_section(const http::route_match& m, const api_client& api, const std::string& ref);

}  // namespace dpmon::pages
