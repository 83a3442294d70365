#pragma once
// The pieces every dashboard page is made of: escaping, amounts, the frame (header, navigation, the
// notice a form left), forms with their CSRF token and their errors beside the field, and the answers
// (a page, a redirect). No external assets: the style sheet is inline, no script is needed.

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "dpmon/http/router.hpp"
#include "dpmon/pages/sessions.hpp"

namespace dpmon::pages {

// Text made safe for HTML content and attribute values.
std::string escape(std::string_view text);
// A JSON value as text: strings as they are, numbers, "" for null.
std::string text(const boost::json::value& v);
// A stored name (a category, an account type, a status: "pa_wages", "dedicated_bank") in plain words, as
// a finance officer reads it: "PA wages", "Dedicated bank account"; a council's own category with its
// underscores as spaces. Not escaped.
std::string label(const boost::json::value& v);
// An API amount ("-176.00") as people read it: "-£176.00", "£1,234.56"; "" for null.
std::string pounds(const boost::json::value& amount);
// "%20"-style encoding of one path segment or query value.
std::string url_part(std::string_view text);

// The whole page: title, the navigation with `current` marked, who is signed in with the sign-out button,
// the notice or error a form left, then `body`.
struct frame {
    std::string title;
    std::string current;  // "worklist", "reviews", "imports", "outbox", "help", or "" for none
};
std::string layout(const frame& f, const http::route_match& m, const std::optional<flash>& notice, std::string_view body);

// The signed-in person may change things (officer or admin).
bool may_act(const http::route_match& m);

// <form method="post" action=…> with the session's CSRF token; close with "</form>".
std::string form_open(std::string_view action, const http::route_match& m, std::string_view css_class = "");

// A labelled input (or textarea when type is "textarea"), with the error beside it when `error` names it.
struct field_spec {
    std::string name;
    std::string label;
    std::string type = "text";  // text, date, textarea, password, select
    std::string hint;
    std::string value;
    std::vector<std::pair<std::string, std::string>> options;  // select: value, label
    bool required = false;
};
std::string field(const std::string& form_id, const field_spec& f, const std::optional<flash>& error);
// The error a form left when it is not about one of its fields.
std::string form_error(const std::string& form_id, const std::optional<flash>& error,
                       const std::vector<std::string>& field_names);

http::response html(std::string page, int status = 200);
http::response redirect(std::string location);

}  // namespace dpmon::pages
