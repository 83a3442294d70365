#pragma once
// The balance of an account over its periods as an inline SVG line chart, with the surplus threshold and the
// retained-weeks line drawn across it, and a text description for screen readers.

#include <boost/json/object.hpp>

#include <string>

namespace dpmon::pages {

// From the account view (GET /api/v1/accounts/{ref}): its periods' closing balances, the plan's weekly
// budget and surplus_rules. "" when there are no periods.
std::string balance_chart(const boost::json::object& account);

}  // namespace dpmon::pages
