#pragma once
// An account's transactions as CSV, read and sent a page at a time (chunked), so an answer of years of
// rows never sits whole in memory: GET /api/v1/accounts/{ref}/transactions?format=csv and the audit pack's
// CSV. Categories are those stored by the last reconciliation.

#include <functional>
#include <optional>
#include <string>

#include "dpmon/api/routes.hpp"
#include "dpmon/app/queries.hpp"

namespace dpmon::daemon {

// The next piece of the CSV each call (the header first), nullopt after the last row. Runs on a reader
// thread with that thread's connection; a failure throws (the server then cuts the answer).
std::function<std::optional<std::string>()> transactions_csv_stream(const api_context& ctx,
                                                                    const storage::account_record& account,
                                                                    std::string from, std::string to);

}  // namespace dpmon::daemon
