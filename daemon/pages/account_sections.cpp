#include "account_sections.hpp"

#include "html.hpp"
#include "page_routes.hpp"

namespace dpmon::pages {
namespace {

std::string base(const std::string& ref) { return "/accounts/" + url_part(ref); }

std::string ack_form(const http::route_match& m, const std::string& ref, const std::string& id, const std::optional<flash>& notice) {
    const std::string form_id = "ack-" + id;
    return "<details" + std::string(notice && notice->form == form_id ? " open" : "") + "><summary>Acknowledge this flag</summary>" +
           form_open(base(ref) + "/flags/" + id + "/acknowledge", m, "stack") + form_error(form_id, notice, {"note"}) +
           field(form_id, {"note", "Why does this flag need no more action?", "textarea",
                           "Recorded with your name. The flag stays visible until its cause goes.", "", {}, true},
                 notice) +
           "<p><button type=\"submit\">Acknowledge</button></p></form></details>";
}

std::string open_flag(const http::route_match& m, const boost::json::object& f, const std::optional<flash>& notice) {
    const std::string id = text(f.at("id"));
    const auto& period = f.at("period").as_object();
    std::string out = "<section id=\"flag-" + id + "\" aria-labelledby=\"flag-" + id + "-h\"><h3 id=\"flag-" + id + "-h\">" +
                      escape(text(f.at("code"))) + " " + pounds(f.at("amount")) + " <span class=\"hint\">flag " + id +
                      ", raised " + escape(text(f.at("raised_on"))) + ", period " + escape(text(period.at("first"))) + " to " +
                      escape(text(period.at("last"))) + "</span></h3><p>" + escape(text(f.at("reason"))) + "</p>";
    if (f.at("exemption").is_object())
        out += "<p class=\"hint\">Exempt until " + escape(text(f.at("exemption").as_object().at("until"))) + ".</p>";
    if (may_act(m)) out += ack_form(m, text(f.at("account_ref")), id, notice);
    return out + "</section>";
}

std::string past_flag_row(const boost::json::object& f) {
    const std::string id = text(f.at("id"));
    std::string what = escape(text(f.at("state")));
    if (f.at("acknowledged").is_object()) {
        const auto& a = f.at("acknowledged").as_object();
        what += " by " + escape(text(a.at("by"))) + " (" + escape(text(a.at("at"))).substr(0, 10) + "): " + escape(text(a.at("note")));
    }
    if (f.at("resolved_on").is_string()) what += ", resolved " + escape(text(f.at("resolved_on")));
    return "<tr id=\"flag-" + id + "\"><td>" + id + "</td><td>" + escape(text(f.at("code"))) + "</td><td class=\"num\">" +
           pounds(f.at("amount")) + "</td><td>" + escape(text(f.at("raised_on"))) + "</td><td>" + escape(text(f.at("reason"))) +
           "</td><td>" + what + "</td></tr>";
}

std::string review_row(const http::route_match& m, const std::string& ref, const boost::json::object& rv,
                       const std::optional<flash>& notice) {
    const std::string id = text(rv.at("id"));
    const std::string state = text(rv.at("state"));
    std::string what = escape(label(rv.at("state"))) + (rv.at("overdue").as_bool() ? " <b>(overdue)</b>" : "");
    if (rv.at("completed").is_object()) {
        const auto& done = rv.at("completed").as_object();
        what += ": " + escape(text(done.at("on"))) + " by " + escape(text(done.at("by"))) + ", " + escape(text(done.at("outcome")));
    }
    std::string out = "<tr id=\"review-" + id + "\"><td>" + escape(label(rv.at("kind"))) + "</td><td>" + escape(text(rv.at("due_on"))) +
                      "</td><td>" + what + "</td><td>";
    if (state == "scheduled" && may_act(m)) {
        const std::string form_id = "complete-" + id;
        out += "<details" + std::string(notice && notice->form == form_id ? " open" : "") + "><summary>Complete</summary>" +
               form_open(base(ref) + "/reviews/" + id + "/complete", m, "stack") +
               form_error(form_id, notice, {"completed_on", "outcome", "next_due", "next_due_reason"}) +
               field(form_id, {"completed_on", "Completed on", "date", "", "", {}, true}, notice) +
               field(form_id, {"outcome", "Outcome", "textarea", "What the review found and decided.", "", {}, true}, notice) +
               field(form_id, {"next_due", "Next review due (optional)", "date", "Only if earlier than the statutory 12 months.", "", {}, false}, notice) +
               field(form_id, {"next_due_reason", "Why the next review is earlier", "text", "", "", {}, false}, notice) +
               "<p><button type=\"submit\">Complete the review</button></p></form></details>";
    }
    return out + "</td></tr>";
}

std::string early_review_form(const http::route_match& m, const std::string& ref, const std::optional<flash>& notice) {
    const std::string form_id = "early-review";
    return "<details id=\"early-review\"" + std::string(notice && notice->form == form_id ? " open" : "") +
           "><summary>Ask for an early review</summary>" + form_open(base(ref) + "/reviews", m, "stack") +
           form_error(form_id, notice, {"reason", "due_on"}) +
           field(form_id, {"reason", "Why is an early review needed?", "textarea", "", "", {}, true}, notice) +
           field(form_id, {"due_on", "Due on (optional)", "date", "Leave empty for 14 days from today.", "", {}, false}, notice) +
           "<p><button type=\"submit\">Ask for the review</button></p></form></details>";
}

}  // namespace

std::string flags_section(const http::route_match& m, const boost::json::array& flags, const std::optional<flash>& notice) {
    std::string open, past;
    for (const auto& fv : flags) {
        const auto& f = fv.as_object();
        if (text(f.at("state")) == "open") {
            open += open_flag(m, f, notice);
        } else {
            past += past_flag_row(f);
        }
    }
    std::string out = "<h2 id=\"flags\">Open flags</h2>" + (open.empty() ? "<p>No open flags.</p>" : open);
    if (!past.empty()) {
        out += "<h2 id=\"past-flags\">Past and acknowledged flags</h2><table><thead><tr><th scope=\"col\">Flag</th><th scope=\"col\">Code</th>"
               "<th scope=\"col\" class=\"num\">Amount</th><th scope=\"col\">Raised</th><th scope=\"col\">Reason</th>"
               "<th scope=\"col\">What happened</th></tr></thead><tbody>" + past + "</tbody></table>";
    }
    return out;
}

std::string reviews_section(const http::route_match& m, const std::string& ref, const boost::json::array& reviews,
                            const std::optional<flash>& notice) {
    std::string out = "<h2 id=\"reviews\">Reviews and audits</h2>";
    if (reviews.empty()) {
        out += "<p>No reviews are scheduled.</p>";
    } else {
        out += "<table><thead><tr><th scope=\"col\">Kind</th><th scope=\"col\">Due</th><th scope=\"col\">State</th>"
               "<th scope=\"col\">Action</th></tr></thead><tbody>";
        for (const auto& rv : reviews) out += review_row(m, ref, rv.as_object(), notice);
        out += "</tbody></table>";
    }
    if (may_act(m)) out += early_review_form(m, ref, notice);
    return out;
}

}  // namespace dpmon::pages
