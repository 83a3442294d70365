// GET /help: what each flag means and what to do, the flag sections of docs/rules.md (embedded at build time).
// The sections use a small part of Markdown (paragraphs, "- " bullets, **bold**, `code`, [links](#x)), so a
// few lines render it here; a Markdown library would be a new dependency for these alone.
#include <string>

#include "dpmon/core/flag_code.hpp"
#include "page_routes.hpp"

namespace dpmon::pages {

extern const std::string_view rules_markdown;

namespace {

// Inline Markdown to HTML: escaped text, **bold**, `code`, and [text](target) as its text.
std::string inline_html(std::string_view line) {
    std::string out;
    bool bold = false, code = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line.substr(i, 2) == "**") {
            out += bold ? "</b>" : "<b>";
            bold = !bold;
            ++i;
        } else if (line[i] == '`') {
            out += code ? "</code>" : "<code>";
            code = !code;
        } else if (line[i] == '[' && line.find("](", i) != std::string_view::npos) {
            const std::size_t mid = line.find("](", i), close = line.find(')', mid);
            if (close == std::string_view::npos) {
                out += "[";
                continue;
            }
            out += escape(line.substr(i + 1, mid - i - 1));
            i = close;
        } else {
            out += escape(line.substr(i, 1));
        }
    }
    if (code) out += "</code>";
    if (bold) out += "</b>";
    return out;
}

// One "### CODE" section's body (up to the next heading) as paragraphs and a list.
std::string section_html(std::string_view body) {
    std::string out, item;
    bool in_list = false;
    auto flush = [&] {
        if (item.empty()) return;
        out += in_list ? "<li>" + inline_html(item) + "</li>" : "<p>" + inline_html(item) + "</p>";
        item.clear();
    };
    std::size_t pos = 0;
    while (pos <= body.size()) {
        const std::size_t end = std::min(body.find('\n', pos), body.size());
        std::string_view line = body.substr(pos, end - pos);
        pos = end + 1;
        if (line.starts_with("- ")) {
            flush();
            if (!in_list) out += "<ul>";
            in_list = true;
            item = std::string(line.substr(2));
        } else if (line.find_first_not_of(' ') == std::string_view::npos) {
            flush();
            if (in_list) out += "</ul>";
            in_list = false;
        } else {
            item += (item.empty() ? "" : " ") + std::string(line.substr(line.find_first_not_of(' ')));
        }
        if (end == body.size()) break;
    }
    flush();
    if (in_list) out += "</ul>";
    return out;
}

std::string flag_help(core::flag_code code) {
    const std::string heading = "### " + std::string(core::to_string(code)) + "\n";
    const std::size_t start = rules_markdown.find(heading);
    if (start == std::string_view::npos) return "<p>See docs/rules.md.</p>";
    const std::size_t from = start + heading.size();
    const std::size_t next = rules_markdown.find("\n#", from);
    return section_html(rules_markdown.substr(from, next == std::string_view::npos ? std::string_view::npos : next - from));
}

}  // namespace

void add_help_page(http::router& r, const pages_context& c) {
    add_page(r, "/help", [&c](const http::request&, const http::route_match& m) {
        std::string body = "<h1>What the flags mean</h1><p>Each flag dpmon raises, when and why, from the council's rules "
                           "(docs/rules.md). The numbers in brackets are the defaults; your council may have set others.</p><nav aria-label=\"Flags\"><ul>";
        for (core::flag_code code : core::all_flag_codes()) {
            const std::string name(core::to_string(code));
            body += "<li><a href=\"#" + name + "\">" + name + "</a></li>";
        }
        body += "</ul></nav>";
        for (core::flag_code code : core::all_flag_codes()) {
            const std::string name(core::to_string(code));
            body += "<section id=\"" + name + "\"><h2>" + name + "</h2>" + flag_help(code) + "</section>";
        }
        body += "<h2 id=\"reviews\">Reviews</h2><p>Each direct payment is reviewed 6 months after it starts and then every year, "
                "with a yearly financial audit. An overdue review shows on the worklist as REVIEW_OVERDUE; complete it from "
                "the account's page.</p>";
        return html(layout({"Help", "help"}, m, c.sessions.take_flash(m.session_id), body));
    });
}

}  // namespace dpmon::pages
