#pragma once
// The dashboard reads and changes nothing itself: every page asks the /api/v1 routes, as the person signed
// in, on the thread the page runs on. So a page shows the API's figures to the penny, a form is checked by
// the same rules as the API (its messages shown beside the field they name), and every change records the
// signed-in person, as the API's do.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

#include "dpmon/http/router.hpp"

namespace dpmon::pages {

struct api_reply {
    int status = 0;
    boost::json::value body;  // the answer's JSON (null when it was not JSON)
    std::string message;      // the error's message, when status >= 400
    std::string field;        // the field the message names ("note" for "field 'note': ..."), or ""

    bool ok() const { return status >= 200 && status < 300; }
};

class api_client {
public:
    explicit api_client(const http::router& api) : api_(api) {}

    api_reply get(const http::route_match& m, const std::string& target) const;
    api_reply send(const http::route_match& m, std::string_view method, const std::string& target,
                   const boost::json::object& body) const;
    // The API's answer as it is (a download: CSV streamed, HTML, text).
    http::response pass_through(const http::route_match& m, const std::string& target) const;

private:
    const http::router& api_;
};

// The field an API message names: "field 'note': …", "\"note\" (…) is required", "note: …".
std::string field_named(std::string_view message);

}  // namespace dpmon::pages
