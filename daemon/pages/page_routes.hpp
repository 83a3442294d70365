#pragma once
// The dashboard's routes, one file per page (daemon/pages/*_page.cpp) and one for the forms.

#include <string_view>

#include "api_client.hpp"
#include "dpmon/pages/pages.hpp"
#include "html.hpp"

namespace dpmon::pages {

// A page: GET on the reader threads, for a signed-in reader (else 303 to /sign-in).
void add_page(http::router& r, std::string_view pattern, http::handler h);
// A form's target: POST on the writer thread, for a signed-in officer, with the session's CSRF token.
void add_form(http::router& r, std::string_view pattern, http::handler h);

void add_sign_in_pages(http::router& r, const pages_context& c);
void add_worklist_page(http::router& r, const pages_context& c);
void add_account_page(http::router& r, const pages_context& c);
void add_list_pages(http::router& r, const pages_context& c);
void add_help_page(http::router& r, const pages_context& c);
void add_action_forms(http::router& r, const pages_context& c);

// The query value `key` of a page's request, or "".
std::string param(const http::route_match& m, const std::string& key);

// A page for an API refusal (404 account, 503 time limit...): its message and a way back.
http::response api_failure_page(const http::route_match& m, const api_reply& reply, std::string_view title);

}  // namespace dpmon::pages
