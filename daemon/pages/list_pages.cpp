// GET /reviews (due, overdue, completed), /imports (recent files, rejected ones with the reason and what to
// do), /outbox (sent, pending, failed with the server's reply).
#include "page_routes.hpp"

namespace dpmon::pages {
namespace {

std::string tabs(std::string_view path, const std::vector<std::pair<std::string, std::string>>& choices, const std::string& current) {
    std::string out = "<p>";
    for (const auto& [value, label] : choices) {
        const std::string href = std::string(path) + (value.empty() ? "" : "?state=" + url_part(value));
        out += value == current ? "<b aria-current=\"true\">" + label + "</b> " : "<a href=\"" + href + "\">" + label + "</a> ";
    }
    return out + "</p>";
}

std::string next_link(std::string_view path, const std::string& state, const boost::json::object& page) {
    if (!page.at("next").is_string()) return {};
    return "<p><a href=\"" + std::string(path) + "?state=" + url_part(state) + "&amp;cursor=" + url_part(text(page.at("next"))) +
           "\">Next page</a></p>";
}

std::string account_link(const boost::json::value& ref) {
    const std::string r = text(ref);
    return r.empty() ? std::string() : "<a href=\"/accounts/" + url_part(r) + "\">" + escape(r) + "</a>";
}

std::string reviews_table(const boost::json::array& reviews) {
    std::string out = "<table><thead><tr><th scope=\"col\">Account</th><th scope=\"col\">Kind</th><th scope=\"col\">Due</th>"
                      "<th scope=\"col\">State</th><th scope=\"col\">Completed</th></tr></thead><tbody>";
    for (const auto& rv : reviews) {
        const auto& r = rv.as_object();
        std::string done;
        if (r.at("completed").is_object()) {
            const auto& c = r.at("completed").as_object();
            done = escape(text(c.at("on"))) + " by " + escape(text(c.at("by"))) + ": " + escape(text(c.at("outcome")));
        }
        out += "<tr><td>" + account_link(r.at("account_ref")) + "</td><td>" + escape(label(r.at("kind"))) + "</td><td>" +
               escape(text(r.at("due_on"))) + "</td><td>" + escape(text(r.at("state"))) + (r.at("overdue").as_bool() ? " <b>(overdue)</b>" : "") +
               "</td><td>" + done + "</td></tr>";
    }
    return out + "</tbody></table>";
}

// What an officer does about a file dpmon did not import.
std::string what_to_do(const boost::json::object& i) {
    const std::string status = text(i.at("status"));
    if (status == "duplicate") return "Nothing: this file was imported before.";
    if (status != "rejected") return {};
    return "Fix what the reason says (or ask the bank for a new export), then drop the corrected file into the statements "
           "folder again. The rejected file and a report are kept in the rejected folder.";
}

std::string imports_table(const boost::json::array& imports) {
    std::string out = "<table><thead><tr><th scope=\"col\">File</th><th scope=\"col\">Status</th><th scope=\"col\">Accounts</th>"
                      "<th scope=\"col\" class=\"num\">Rows</th><th scope=\"col\">Dates</th><th scope=\"col\">Seen</th>"
                      "<th scope=\"col\">Reason and what to do</th></tr></thead><tbody>";
    for (const auto& iv : imports) {
        const auto& i = iv.as_object();
        std::string accounts;
        for (const auto& a : i.at("accounts").as_array()) accounts += account_link(a) + " ";
        out += "<tr><td>" + escape(text(i.at("file_name"))) + "</td><td>" + escape(label(i.at("status"))) + "</td><td>" + accounts +
               "</td><td class=\"num\">" + text(i.at("rows")) + "</td><td>" + escape(text(i.at("first_date"))) + " to " +
               escape(text(i.at("last_date"))) + "</td><td>" + escape(text(i.at("imported_at"))) + "</td><td>" +
               escape(text(i.at("error"))) + " " + escape(what_to_do(i)) + "</td></tr>";
    }
    return out + "</tbody></table>";
}

std::string outbox_table(const boost::json::array& messages) {
    std::string out = "<table><thead><tr><th scope=\"col\">Subject</th><th scope=\"col\">Account</th><th scope=\"col\">To</th>"
                      "<th scope=\"col\">State</th><th scope=\"col\" class=\"num\">Attempts</th><th scope=\"col\">Written</th>"
                      "<th scope=\"col\">Sent</th><th scope=\"col\">Server's reply</th></tr></thead><tbody>";
    for (const auto& mv : messages) {
        const auto& o = mv.as_object();
        out += "<tr><td>" + escape(text(o.at("subject"))) + "</td><td>" + account_link(o.at("account_ref")) + "</td><td>" +
               escape(text(o.at("recipient"))) + "</td><td>" + escape(text(o.at("state"))) + "</td><td class=\"num\">" +
               text(o.at("attempts")) + "</td><td>" + escape(text(o.at("created_at"))) + "</td><td>" + escape(text(o.at("sent_at"))) +
               "</td><td>" + escape(text(o.at("reply_code"))) + " " + escape(text(o.at("last_error"))) + "</td></tr>";
    }
    return out + "</tbody></table>";
}

struct list_spec {
    std::string path, title, current, api, items;
    std::vector<std::pair<std::string, std::string>> states;
    std::string (*table)(const boost::json::array&);
    std::string intro;
    std::string key = "state";  // the API's filter
};

void add_list(http::router& r, const pages_context& c, list_spec spec) {
    add_page(r, spec.path, [&c, spec](const http::request&, const http::route_match& m) {
        const std::string state = m.query.contains("state") ? param(m, "state") : spec.states.front().first;
        std::string target = spec.api + "?limit=100&" + spec.key + "=" + url_part(state);
        if (!param(m, "cursor").empty()) target += "&cursor=" + url_part(param(m, "cursor"));
        const api_reply page = api_client(c.api).get(m, target);
        if (!page.ok()) return api_failure_page(m, page, spec.title);
        const auto& rows = page.body.as_object().at(spec.items).as_array();
        std::string body = "<h1>" + spec.title + "</h1><p class=\"hint\">" + spec.intro + "</p>" + tabs(spec.path, spec.states, state);
        body += rows.empty() ? "<p>Nothing here.</p>" : spec.table(rows) + next_link(spec.path, state, page.body.as_object());
        return html(layout({spec.title, spec.current}, m, c.sessions.take_flash(m.session_id), body));
    });
}

}  // namespace

void add_list_pages(http::router& r, const pages_context& c) {
    add_list(r, c, {"/reviews", "Reviews and audits", "reviews", "/api/v1/reviews", "reviews",
                    {{"due", "Due in 28 days"}, {"overdue", "Overdue"}, {"upcoming", "Upcoming"}, {"completed", "Completed"}},
                    reviews_table, "Open an account to complete its review."});
    add_list(r, c, {"/imports", "Imported statements", "imports", "/api/v1/imports", "imports",
                    {{"", "All files"}, {"rejected", "Rejected"}, {"imported", "Imported"}, {"duplicate", "Duplicates"}},
                    imports_table, "Newest first. A rejected file says why and what to do.", "status"});
    add_list(r, c, {"/outbox", "Emails", "outbox", "/api/v1/outbox", "messages",
                    {{"", "All"}, {"pending", "Waiting to send"}, {"failed", "Failed"}, {"sent", "Sent"}},
                    outbox_table, "The alerts dpmon emails, newest first. A failed one shows the mail server's reply."});
}

}  // namespace dpmon::pages
