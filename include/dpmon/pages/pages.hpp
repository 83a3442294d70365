#pragma once
// The officers' dashboard (docs/dashboard.md): server-rendered pages for finance officers, readable without
// JavaScript, printable. Every figure and every change goes through the /api/v1 routes as the signed-in
// person (pages/api_client.hpp); sign-in takes a person's API token and sets a session cookie.
//   GET  /                    the worklist: my accounts in priority order, totals at the top
//   GET  /accounts/{ref}      one account: plan, balance chart, periods, flags, reviews, exemptions,
//                             recoveries, transactions, the audit pack
//   GET  /reviews, /imports, /outbox, /help
//   POST forms: acknowledge a flag, complete a review, ask for an early review, record an exemption, move a
//        recovery through its steps
//   GET/POST /sign-in, POST /sign-out

#include <functional>
#include <string>

#include "dpmon/http/router.hpp"
#include "dpmon/pages/sessions.hpp"

namespace dpmon::pages {

struct pages_context {
    const http::router& api;                        // the router holding /api/v1 (the same one)
    session_store& sessions;
    http::authenticator check_token;                 // called on the event loop (sign-in runs there)
    std::function<bool()> secure_cookies;            // true when [http] public_url is https
};

// Adds the pages, the sign-in routes and the session finder to `r`. `c` must outlive `r`.
void add_pages(http::router& r, const pages_context& c);

}  // namespace dpmon::pages
