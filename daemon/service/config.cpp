#include "dpmon/service/config.hpp"

#include "dpmon/core/text.hpp"

#include <charconv>

#include <date/tz.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "dpmon/core/categorise.hpp"
#include "dpmon/core/category.hpp"
#include "dpmon/core/flag_code.hpp"
#include "dpmon/importers/detect.hpp"

namespace dpmon::daemon {
namespace {

// Collects every problem in the file, so one run of check-config shows them all.
struct problems {
    std::string source;
    std::vector<std::string> list;

    void add(const toml::source_region& where, std::string_view key, std::string_view what) {
        list.push_back(source + ":" + std::to_string(where.begin.line) + ":" + std::to_string(where.begin.column) +
                       ": key '" + std::string(key) + "': " + std::string(what));
    }
};

// One TOML table being read: each getter records the key as known, so finish() can report the others.
class section {
public:
    section(problems& p, const toml::table& t, std::string prefix) : p_(p), t_(t), prefix_(std::move(prefix)) {}

    const toml::node* node(std::string_view key) {
        known_.emplace(key);
        return t_.get(key);
    }

    std::string full(std::string_view key) const { return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key); }

    void bad(const toml::node& n, std::string_view key, std::string_view what) { p_.add(n.source(), full(key), what); }

    void string(std::string_view key, std::string& out, std::string_view expected) {
        const toml::node* n = node(key);
        if (!n) return;
        if (auto v = n->as_string()) {
            out = v->get();
        } else {
            bad(*n, key, "expected " + std::string(expected));
        }
    }

    void path(std::string_view key, std::filesystem::path& out) {
        std::string s = out.string();
        string(key, s, "a path in quotes, such as \"/var/lib/dpmon\"");
        if (s.empty()) {
            if (const toml::node* n = t_.get(key)) bad(*n, key, "must not be empty");
            return;
        }
        out = s;
    }

    void integer(std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max) {
        const toml::node* n = node(key);
        if (!n) return;
        const auto* v = n->as_integer();
        const std::string range = "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
        if (!v) return bad(*n, key, "expected " + range);
        if (v->get() < min || v->get() > max) {
            return bad(*n, key, std::to_string(v->get()) + " is out of range; expected " + range);
        }
        out = v->get();
    }

    void boolean(std::string_view key, bool& out) {
        const toml::node* n = node(key);
        if (!n) return;
        if (auto v = n->as_boolean()) {
            out = v->get();
        } else {
            bad(*n, key, "expected true or false");
        }
    }

    void string_list(std::string_view key, std::vector<std::string>& out) {
        const toml::node* n = node(key);
        if (!n) return;
        const auto* arr = n->as_array();
        if (!arr) return bad(*n, key, "expected a list of strings, such as [\"a\", \"b\"]");
        std::vector<std::string> values;
        for (const toml::node& item : *arr) {
            const auto* s = item.as_string();
            if (!s) return bad(item, key, "expected a list of strings, such as [\"a\", \"b\"]");
            values.push_back(s->get());
        }
        out = std::move(values);
    }

    void integer_list(std::string_view key, std::vector<std::int64_t>& out, std::int64_t min, std::int64_t max) {
        const toml::node* n = node(key);
        if (!n) return;
        const std::string expected = "a list of whole numbers from " + std::to_string(min) + " to " +
                                     std::to_string(max) + ", such as [28, 7]";
        const auto* arr = n->as_array();
        if (!arr) return bad(*n, key, "expected " + expected);
        std::vector<std::int64_t> values;
        for (const toml::node& item : *arr) {
            const auto* v = item.as_integer();
            if (!v || v->get() < min || v->get() > max) return bad(item, key, "expected " + expected);
            values.push_back(v->get());
        }
        out = std::move(values);
    }

    void amount(std::string_view key, core::money& out) {
        const toml::node* n = node(key);
        if (!n) return;
        const auto* s = n->as_string();
        if (!s) return bad(*n, key, "expected an amount in quotes, such as \"25.00\"");
        auto m = core::parse_money(s->get());
        if (!m) return bad(*n, key, m.error().message + "; expected an amount in quotes, such as \"25.00\"");
        if (m->is_negative()) return bad(*n, key, "must not be negative");
        out = *m;
    }

    // Reports keys that no getter asked for.
    void finish() {
        for (auto&& [k, v] : t_) {
            if (known_.count(std::string(k.str())) != 0) continue;
            std::string names;
            for (const auto& name : known_) names += (names.empty() ? "" : ", ") + name;
            p_.add(k.source(), full(k.str()),
                   "unknown key" + (known_.empty() ? std::string() : "; known keys here: " + names));
        }
    }

private:
    problems& p_;
    const toml::table& t_;
    std::string prefix_;
    std::set<std::string, std::less<>> known_;
};

bool valid_hhmm(std::string_view s) {
    if (s.size() != 5 || s[2] != ':') return false;
    for (std::size_t i : {0u, 1u, 3u, 4u}) {
        if (s[i] < '0' || s[i] > '9') return false;
    }
    const int h = (s[0] - '0') * 10 + (s[1] - '0');
    const int m = (s[3] - '0') * 10 + (s[4] - '0');
    return h < 24 && m < 60;
}

void check_hhmm(section& s, std::string_view key, std::string& out) {
    std::string v = out;
    s.string(key, v, "a time \"HH:MM\", such as \"07:00\"");
    if (valid_hhmm(v)) {
        out = v;
    } else if (const toml::node* n = s.node(key)) {
        s.bad(*n, key, "'" + v + "' is not a time; expected \"HH:MM\", such as \"07:00\"");
    }
}

// "127.0.0.1:8080", "[::1]:8080".
bool split_listen(std::string_view s, std::string& host, std::uint16_t& port) {
    std::size_t colon = 0;
    if (s.starts_with('[')) {
        const std::size_t close = s.find(']');
        if (close == std::string_view::npos || close + 1 >= s.size() || s[close + 1] != ':') return false;
        host = std::string(s.substr(1, close - 1));
        colon = close + 1;
    } else {
        colon = s.rfind(':');
        if (colon == std::string_view::npos || colon == 0) return false;
        host = std::string(s.substr(0, colon));
        if (host.find(':') != std::string::npos) return false;  // IPv6 must be bracketed
    }
    const std::string_view digits = s.substr(colon + 1);
    if (digits.empty() || digits.size() > 5) return false;
    unsigned value = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return false;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value > 65535) return false;
    port = static_cast<std::uint16_t>(value);
    return true;
}

void read_daemon(problems& p, const toml::table& t, daemon_section& d) {
    section s(p, t, "daemon");
    s.path("state_dir", d.state_dir);
    s.path("drop_dir", d.drop_dir);
    s.string("timezone", d.timezone, "a time-zone name, such as \"Europe/London\"");
    try {
        (void)date::locate_zone(d.timezone);
    } catch (const std::exception&) {
        if (const toml::node* n = s.node("timezone"))
            s.bad(*n, "timezone", "unknown time zone '" + d.timezone + "'; expected a name such as \"Europe/London\"");
    }
    check_hhmm(s, "daily_at", d.daily_at);
    s.string("log_level", d.log_level, "one of \"trace\", \"debug\", \"info\", \"warn\", \"error\"");
    if (const toml::node* n = s.node("log_level");
        n && d.log_level != "trace" && d.log_level != "debug" && d.log_level != "info" && d.log_level != "warn" &&
        d.log_level != "error") {
        s.bad(*n, "log_level", "'" + d.log_level + "' is not a level; expected trace, debug, info, warn or error");
    }
    s.integer("settle_seconds", d.settle_seconds, 0, 3600);
    s.integer("max_file_bytes", d.max_file_bytes, 1024, 16LL * 1024 * 1024 * 1024);
    s.integer("rescan_seconds", d.rescan_seconds, 1, 86400);
    s.finish();
}

void read_http(problems& p, const toml::table& t, http_section& h) {
    section s(p, t, "http");
    std::string listen = h.listen_address + ":" + std::to_string(h.listen_port);
    s.string("listen", listen, "a string \"ADDRESS:PORT\", such as \"127.0.0.1:8080\"");
    if (!split_listen(listen, h.listen_address, h.listen_port)) {
        if (const toml::node* n = s.node("listen"))
            s.bad(*n, "listen", "'" + listen + "' is not ADDRESS:PORT; expected \"127.0.0.1:8080\" or \"[::1]:8080\"");
    }
    s.path("token_file", h.token_file);
    s.path("users_file", h.users_file);
    s.integer("query_time_limit_ms", h.query_time_limit_ms, 10, 600000);
    s.integer("reader_threads", h.reader_threads, 1, 64);
    s.string_list("allowed_hosts", h.allowed_hosts);
    s.integer("max_connections", h.max_connections, 1, 10000);
    s.integer("read_timeout_seconds", h.read_timeout_seconds, 1, 3600);
    s.integer("idle_timeout_seconds", h.idle_timeout_seconds, 1, 3600);
    s.string("public_url", h.public_url, "a URL such as \"https://dpmon.council.example\"");
    if (const toml::node* n = s.node("public_url"); n && !h.public_url.starts_with("http://") && !h.public_url.starts_with("https://"))
        s.bad(*n, "public_url", "'" + h.public_url + "' must start with https:// (or http://), such as \"https://dpmon.council.example\"");
    while (h.public_url.ends_with("/")) h.public_url.pop_back();
    s.integer("session_hours", h.session_hours, 1, 720);
    s.finish();
}

void read_alerts(problems& p, const toml::table& t, alerts_section& a) {
    section s(p, t, "alerts");
    s.string_list("immediate_flags", a.immediate_flags);
    if (const toml::node* n = s.node("immediate_flags")) {
        for (const auto& code : a.immediate_flags) {
            if (!core::is_flag_code(code)) s.bad(*n, "immediate_flags", "'" + code + "' is not a flag code");
        }
    }
    s.string("dashboard_url", a.dashboard_url, "a URL such as \"https://dpmon.council.example\"");
    if (const toml::node* n = s.node("dashboard_url"); n && !a.dashboard_url.starts_with("http://") && !a.dashboard_url.starts_with("https://"))
        s.bad(*n, "dashboard_url", "'" + a.dashboard_url + "' must start with http:// or https://");
    while (a.dashboard_url.ends_with("/")) a.dashboard_url.pop_back();
    for (auto [key, value] : {std::pair{"group_wait", &a.group_wait}, std::pair{"group_interval", &a.group_interval},
                              std::pair{"repeat_interval", &a.repeat_interval}}) {
        s.string(key, *value, "a duration such as \"30s\", \"5m\", \"1h\" or \"7d\"");
        if (const toml::node* n = s.node(key); n && !parse_duration(*value))
            s.bad(*n, key, "'" + *value + "' is not a duration; write a whole number and s, m, h or d, such as \"5m\"");
    }
    s.finish();
}

void read_backup(problems& p, const toml::table& t, backup_section& b) {
    section s(p, t, "backup");
    s.boolean("enabled", b.enabled);
    check_hhmm(s, "at", b.at);
    s.integer("keep_daily", b.keep_daily, 1, 366);
    s.integer("keep_weekly", b.keep_weekly, 0, 520);
    s.path("folder", b.folder);
    s.finish();
}

void read_smtp(problems& p, const toml::table& t, smtp_section& m) {
    section s(p, t, "smtp");
    m.enabled = true;
    s.string("url", m.url, "a URL such as \"smtp://relay.council.example:587\"");
    if (const toml::node* n = s.node("url")) {
        if (!m.url.starts_with("smtp://") && !m.url.starts_with("smtps://"))
            s.bad(*n, "url", "'" + m.url + "' must start with smtp:// or smtps://");
    } else {
        p.list.push_back(p.source + ": key 'smtp.url': missing; [smtp] needs a url such as \"smtp://relay:587\"");
    }
    s.string("from", m.from, "an email address");
    s.string("team_mailbox", m.team_mailbox, "an email address");
    s.string_list("allowed_recipient_domains", m.allowed_recipient_domains);
    s.string("username", m.username, "a user name");
    s.path("password_file", m.password_file);
    s.integer("connect_timeout_seconds", m.connect_timeout_seconds, 1, 600);
    s.integer("timeout_seconds", m.timeout_seconds, 1, 3600);
    check_hhmm(s, "digest_at", m.digest_at);
    s.boolean("require_tls", m.require_tls);
    s.path("ca_file", m.ca_file);
    s.integer("retry_initial_seconds", m.retry_initial_seconds, 1, 86400);
    s.integer("retry_max_seconds", m.retry_max_seconds, 1, 7 * 86400);
    if (m.retry_max_seconds < m.retry_initial_seconds) {
        if (const toml::node* n = s.node("retry_max_seconds"))
            s.bad(*n, "retry_max_seconds", "must not be below retry_initial_seconds (" + std::to_string(m.retry_initial_seconds) + ")");
    }
    for (std::string_view key : {"from", "team_mailbox"}) {
        const std::string& v = key == "from" ? m.from : m.team_mailbox;
        if (const toml::node* n = s.node(key); n && v.find('@') == std::string::npos)
            s.bad(*n, key, "'" + v + "' is not an email address");
    }
    s.finish();
}

void read_policy(problems& p, const toml::table& t, core::policy& pol, std::vector<std::string>& extra,
                 std::vector<core::civil_date>& holidays) {
    section s(p, t, "policy");
    s.integer("surplus_threshold_weeks", pol.surplus_threshold_weeks, 1, 104);
    s.integer("retained_weeks", pol.retained_weeks, 0, 104);
    s.integer("serious_surplus_weeks", pol.serious_surplus_weeks, 1, 104);
    std::string period(core::to_string(pol.period));
    s.string("period", period, "\"4-weekly\", \"monthly\" or \"quarterly\"");
    if (!core::parse_period_kind(period, pol.period)) {
        if (const toml::node* n = s.node("period"))
            s.bad(*n, "period", "'" + period + "' is not a period; expected \"4-weekly\", \"monthly\" or \"quarterly\"");
    }
    s.integer("contribution_grace_days", pol.contribution_grace_days, 0, 365);
    s.integer("overspend_tolerance_pct", pol.overspend_tolerance_pct, 0, 1000);
    s.integer("overspend_window_periods", pol.overspend_window_periods, 1, 26);
    s.amount("min_flag_amount", pol.min_flag_amount);
    s.integer("underspend_pct", pol.underspend_pct, 0, 100);
    s.integer("underspend_periods", pol.underspend_periods, 1, 52);
    s.amount("unplanned_min", pol.unplanned_min);
    s.amount("cash_limit_per_period", pol.cash_limit_per_period);
    s.integer("hmrc_max_gap_days", pol.hmrc_max_gap_days, 1, 1000);
    s.integer("pension_max_gap_days", pol.pension_max_gap_days, 1, 1000);
    s.integer("insurance_max_gap_months", pol.insurance_max_gap_months, 1, 60);
    s.integer("duplicate_window_days", pol.duplicate_window_days, 0, 60);
    s.integer("council_payment_grace_days", pol.council_payment_grace_days, 0, 60);
    s.integer("return_grace_days", pol.return_grace_days, 0, 365);
    s.integer("align_window_days", pol.align_window_days, 0, 365);
    s.integer_list("reminder_days", pol.reminder_days, 0, 365);
    s.integer("escalate_after_days", pol.escalate_after_days, 0, 365);
    s.integer("retention_years", pol.retention_years, 1, 100);
    s.string_list("serious_flags", pol.serious_flags);
    if (const toml::node* n = s.node("serious_flags")) {
        for (const auto& code : pol.serious_flags) {
            if (!core::is_flag_code(code)) s.bad(*n, "serious_flags", "'" + code + "' is not a flag code");
        }
    }
    std::vector<std::string> holiday_text;
    s.string_list("bank_holidays", holiday_text);
    if (const toml::node* n = s.node("bank_holidays")) {
        for (const auto& text : holiday_text) {
            auto d = core::parse_iso_date(text);
            if (!d) {
                s.bad(*n, "bank_holidays", "'" + text + "' is not a date; expected YYYY-MM-DD, such as \"2029-01-01\"");
                continue;
            }
            holidays.push_back(*d);
        }
    }
    s.string_list("restricted_patterns", pol.restricted_patterns);
    s.string_list("cash_patterns", pol.cash_patterns);
    s.string_list("extra_categories", extra);
    if (const toml::node* n = s.node("extra_categories")) {
        for (const auto& c : extra) {
            const bool ok = !c.empty() && std::all_of(c.begin(), c.end(), [](char ch) {
                return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
            });
            if (!ok) s.bad(*n, "extra_categories", "'" + c + "' is not a category name (use a-z, 0-9 and _)");
        }
    }
    s.finish();
}

void read_rules(problems& p, const toml::node& node, const std::vector<std::string>& extra,
                std::vector<rule_section>& rules) {
    const auto* arr = node.as_array();
    if (!arr || !arr->is_array_of_tables()) {
        p.add(node.source(), "rules", "expected [[rules]] tables, each with match (or regex) and category");
        return;
    }
    for (const toml::node& item : *arr) {
        const auto& t = *item.as_table();
        section s(p, t, "rules");
        rule_section r;
        r.line = t.source().begin.line;
        s.string("match", r.match, "a text to find, such as \"HMRC\"");
        s.string("regex", r.regex, "a regular expression");
        s.string("category", r.category, "a category name, such as \"hmrc\"");
        if (r.match.empty() == r.regex.empty())
            p.add(t.source(), "rules", "each rule needs exactly one of match or regex");
        if (!r.regex.empty()) {
            if (auto ok = core::check_rule_pattern(r.regex); !ok)
                s.bad(*s.node("regex"), "regex",
                      "'" + r.regex + "' is not a valid RE2 regular expression (" + ok.error().message +
                          "); RE2 has no backreferences or lookaround");
        }
        const bool known = core::is_builtin_category(r.category) ||
                           std::find(extra.begin(), extra.end(), r.category) != extra.end();
        if (r.category.empty()) {
            p.add(t.source(), "rules.category", "missing; each rule needs a category");
        } else if (!known) {
            s.bad(*s.node("category"), "category",
                  "'" + r.category + "' is not a category; use a built-in one or add it to [policy] extra_categories");
        }
        s.finish();
        rules.push_back(std::move(r));
    }
}

// "Amount" or 3: a column by header name, or by 1-based number for files without a header.
void column(section& s, std::string_view key, importers::column_ref& out) {
    const toml::node* n = s.node(key);
    if (!n) return;
    if (const auto* str = n->as_string()) {
        out = importers::column_ref{str->get(), 0};
    } else if (const auto* i = n->as_integer(); i && i->get() >= 1 && i->get() <= 1000) {
        out = importers::column_ref{"", static_cast<int>(i->get())};
    } else {
        s.bad(*n, key, "expected a column: its header text in quotes, or its number from 1");
    }
}

void read_profile(problems& p, std::string_view name, const toml::node& node, std::vector<importers::profile>& out) {
    const auto* t = node.as_table();
    if (!t) {
        p.add(node.source(), "profiles." + std::string(name), "expected a table: [profiles." + std::string(name) + "]");
        return;
    }
    section s(p, *t, "profiles." + std::string(name));
    importers::profile pr;
    pr.name = std::string(name);
    s.string("format", pr.format, "\"csv\" or \"ofx\"");
    s.string("match_header", pr.match_header, "the header line in quotes");
    s.string("match_filename", pr.match_filename, "a file-name pattern such as \"lloyds-*.csv\"");
    std::string encoding = "utf-8";
    s.string("encoding", encoding, "\"utf-8\" or \"windows-1252\"");
    if (!importers::parse_text_encoding(encoding, pr.encoding)) {
        if (const toml::node* n = s.node("encoding")) s.bad(*n, "encoding", "'" + encoding + "' is not \"utf-8\" or \"windows-1252\"");
    }
    std::string delimiter = ",";
    s.string("delimiter", delimiter, "one character in quotes, such as \",\" or \";\"");
    if (delimiter.size() == 1) {
        pr.delimiter = delimiter[0];
    } else if (const toml::node* n = s.node("delimiter")) {
        s.bad(*n, "delimiter", "expected one character, such as \",\" or \";\"");
    }
    std::int64_t skip = 0;
    s.integer("skip_lines", skip, 0, 1000);
    pr.skip_lines = static_cast<int>(skip);
    s.boolean("header", pr.header);
    if (const toml::node* n = s.node("date")) {
        if (const auto* dt = n->as_table()) {
            section d(p, *dt, s.full("date"));
            column(d, "column", pr.date);
            d.string("format", pr.date_format, "a date format such as \"%d/%m/%Y\"");
            d.finish();
        } else {
            column(s, "date", pr.date);
        }
    }
    if (const toml::node* n = s.node("description")) {
        if (const auto* arr = n->as_array()) {
            for (const toml::node& item : *arr) {
                if (const auto* str = item.as_string()) pr.description.push_back({str->get(), 0});
                else if (const auto* i = item.as_integer()) pr.description.push_back({"", static_cast<int>(i->get())});
                else s.bad(item, "description", "expected column names or numbers");
            }
        } else {
            importers::column_ref one;
            column(s, "description", one);
            if (!one.empty()) pr.description.push_back(one);
        }
    }
    column(s, "amount", pr.amount);
    std::string sign = "credit_positive";
    s.string("amount_sign", sign, "\"credit_positive\" or \"debit_positive\"");
    if (sign == "debit_positive") {
        pr.sign = importers::amount_sign::debit_positive;
    } else if (sign != "credit_positive") {
        if (const toml::node* n = s.node("amount_sign")) s.bad(*n, "amount_sign", "'" + sign + "' is not \"credit_positive\" or \"debit_positive\"");
    }
    column(s, "debit", pr.debit);
    column(s, "credit", pr.credit);
    column(s, "type", pr.type);
    s.string_list("debit_types", pr.debit_types);
    column(s, "balance", pr.balance);
    column(s, "sort_code", pr.sort_code);
    column(s, "account_number", pr.account_number);
    column(s, "account", pr.account);
    column(s, "reference", pr.reference);
    s.string("source", pr.source, "a note on where the layout comes from");
    if (auto v = importers::validate_profile(pr); !v) p.add(t->source(), "profiles." + std::string(name), v.error().message);
    s.finish();
    out.push_back(std::move(pr));
}

const toml::table* table_of(problems& p, const toml::table& root, std::string_view key) {
    const toml::node* n = root.get(key);
    if (!n) return nullptr;
    if (const auto* t = n->as_table()) return t;
    p.add(n->source(), key, "expected a table: [" + std::string(key) + "]");
    return nullptr;
}

// A TOML basic string: quotes and backslashes escaped, and control characters as \uXXXX (TOML forbids them
// raw), so what render_config writes always reads back.
std::string quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (u < 0x20 || u == 0x7f) {
            static constexpr char hex[] = "0123456789ABCDEF";
            out += "\\u00";
            out.push_back(hex[u >> 4]);
            out.push_back(hex[u & 0xf]);
        } else {
            out.push_back(c);
        }
    }
    return out + "\"";
}

std::string list(const std::vector<std::string>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + quote(v[i]);
    return out + "]";
}

std::string list(const std::vector<std::int64_t>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + std::to_string(v[i]);
    return out + "]";
}

}  // namespace

result<config> parse_config(std::string_view text, std::string_view source_name) {
    problems p{std::string(source_name), {}};
    toml::table root;
    try {
        root = toml::parse(text, source_name);
    } catch (const toml::parse_error& e) {
        return make_error(errc::config_invalid, std::string(source_name) + ":" + std::to_string(e.source().begin.line) +
                                                    ":" + std::to_string(e.source().begin.column) +
                                                    ": not valid TOML: " + std::string(e.description()));
    }

    config c;
    c.source = source_name;
    if (const auto* t = table_of(p, root, "daemon")) read_daemon(p, *t, c.daemon);
    if (const auto* t = table_of(p, root, "http")) read_http(p, *t, c.http);
    if (const auto* t = table_of(p, root, "smtp")) read_smtp(p, *t, c.smtp.emplace());
    if (const auto* t = table_of(p, root, "alerts")) read_alerts(p, *t, c.alerts);
    if (const auto* t = table_of(p, root, "backup")) read_backup(p, *t, c.backup);
    if (c.backup.folder.empty()) c.backup.folder = c.daemon.state_dir / "backups";
    if (const auto* t = table_of(p, root, "policy")) read_policy(p, *t, c.policy, c.extra_categories, c.bank_holidays);
    if (const toml::node* n = root.get("rules")) read_rules(p, *n, c.extra_categories, c.rules);
    if (const auto* t = table_of(p, root, "profiles")) {
        for (auto&& [name, node] : *t) read_profile(p, name.str(), node, c.profiles);
    }
    // [alerts] dashboard_url is public_url's old name: it still sets the links (and all public_url sets).
    if (c.http.public_url.empty()) c.http.public_url = c.alerts.dashboard_url;
    if (c.http.public_url.empty()) {
        const std::string host = c.http.listen_address.find(':') != std::string::npos ? "[" + c.http.listen_address + "]"
                                                                                      : c.http.listen_address;
        c.http.public_url = "http://" + host + ":" + std::to_string(c.http.listen_port);
    }
    for (auto&& [k, v] : root) {
        const std::string_view key = k.str();
        if (key != "daemon" && key != "http" && key != "smtp" && key != "policy" && key != "rules" && key != "profiles" &&
            key != "alerts" && key != "backup")
            p.add(k.source(), key, "unknown section; known sections: daemon, http, smtp, alerts, backup, policy, rules, profiles");
    }

    if (!p.list.empty()) {
        std::string msg;
        for (const auto& line : p.list) msg += (msg.empty() ? "" : "\n") + line;
        return make_error(errc::config_invalid, std::move(msg));
    }
    return c;
}

result<config> load_config(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return make_error(errc::io_error, "cannot read the config file " + path.string() + ": " +
                                              std::strerror(errno) +
                                              " (pass --config PATH, or copy the example config there)");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), path.string());
}

std::string render_config(const config& c) {
    std::ostringstream o;
    o << "# effective configuration (from " << quote(c.source.string()) << ", with defaults filled in)\n";
    o << "[daemon]\n"
      << "state_dir = " << quote(c.daemon.state_dir.string()) << "\n"
      << "drop_dir = " << quote(c.daemon.drop_dir.string()) << "\n"
      << "timezone = " << quote(c.daemon.timezone) << "\n"
      << "daily_at = " << quote(c.daemon.daily_at) << "\n"
      << "log_level = " << quote(c.daemon.log_level) << "\n"
      << "settle_seconds = " << c.daemon.settle_seconds << "\n"
      << "max_file_bytes = " << c.daemon.max_file_bytes << "\n"
      << "rescan_seconds = " << c.daemon.rescan_seconds << "\n\n";
    const std::string host = c.http.listen_address.find(':') != std::string::npos ? "[" + c.http.listen_address + "]"
                                                                                  : c.http.listen_address;
    o << "[http]\n"
      << "listen = " << quote(host + ":" + std::to_string(c.http.listen_port)) << "\n"
      << "token_file = " << quote(c.http.token_file.string()) << "\n"
      << "users_file = " << quote(c.http.users_file.string()) << "\n"
      << "query_time_limit_ms = " << c.http.query_time_limit_ms << "\n"
      << "reader_threads = " << c.http.reader_threads << "\n"
      << "allowed_hosts = " << list(c.http.allowed_hosts) << "\n"
      << "max_connections = " << c.http.max_connections << "\n"
      << "read_timeout_seconds = " << c.http.read_timeout_seconds << "\n"
      << "idle_timeout_seconds = " << c.http.idle_timeout_seconds << "\n"
      << "public_url = " << quote(c.http.public_url) << "\n"
      << "session_hours = " << c.http.session_hours << "\n\n";
    if (c.smtp) {
        const smtp_section& m = *c.smtp;
        o << "[smtp]\n"
          << "url = " << quote(m.url) << "\n"
          << "from = " << quote(m.from) << "\n"
          << "team_mailbox = " << quote(m.team_mailbox) << "\n"
          << "allowed_recipient_domains = " << list(m.allowed_recipient_domains) << "\n"
          << (m.username.empty() ? "# username: none (no SMTP AUTH)" : "username = " + quote(m.username)) << "\n"
          << (m.password_file.empty() ? "# password_file: none" : "password_file = " + quote(m.password_file.string()))
          << "\n"
          << "connect_timeout_seconds = " << m.connect_timeout_seconds << "\n"
          << "timeout_seconds = " << m.timeout_seconds << "\n"
          << "digest_at = " << quote(m.digest_at) << "\n"
          << "require_tls = " << (m.require_tls ? "true" : "false") << "\n"
          << (m.ca_file.empty() ? "# ca_file: none (the system's CAs)" : "ca_file = " + quote(m.ca_file.string())) << "\n"
          << "retry_initial_seconds = " << m.retry_initial_seconds << "\n"
          << "retry_max_seconds = " << m.retry_max_seconds << "\n\n";
    } else {
        o << "# [smtp] is absent: messages go to " << quote((c.daemon.state_dir / "maildir").string()) << "\n\n";
    }
    o << "[alerts]\n"
      << "immediate_flags = " << list(c.alerts.immediate_flags) << "\n"
      << (c.alerts.dashboard_url.empty() ? "# dashboard_url: http:// + [http] listen" : "dashboard_url = " + quote(c.alerts.dashboard_url))
      << "\ngroup_wait = " << quote(c.alerts.group_wait) << "\ngroup_interval = " << quote(c.alerts.group_interval)
      << "\nrepeat_interval = " << quote(c.alerts.repeat_interval)
      << "\n\n";
    o << "[backup]\n"
      << "enabled = " << (c.backup.enabled ? "true" : "false") << "\n"
      << "at = " << quote(c.backup.at) << "\n"
      << "keep_daily = " << c.backup.keep_daily << "\n"
      << "keep_weekly = " << c.backup.keep_weekly << "\n"
      << "folder = " << quote(c.backup.folder.string()) << "\n\n";
    const core::policy& p = c.policy;
    o << "[policy]\n"
      << "surplus_threshold_weeks = " << p.surplus_threshold_weeks << "\n"
      << "retained_weeks = " << p.retained_weeks << "\n"
      << "serious_surplus_weeks = " << p.serious_surplus_weeks << "\n"
      << "period = " << quote(core::to_string(p.period)) << "\n"
      << "contribution_grace_days = " << p.contribution_grace_days << "\n"
      << "overspend_tolerance_pct = " << p.overspend_tolerance_pct << "\n"
      << "overspend_window_periods = " << p.overspend_window_periods << "\n"
      << "min_flag_amount = " << quote(p.min_flag_amount.to_decimal()) << "\n"
      << "underspend_pct = " << p.underspend_pct << "\n"
      << "underspend_periods = " << p.underspend_periods << "\n"
      << "unplanned_min = " << quote(p.unplanned_min.to_decimal()) << "\n"
      << "cash_limit_per_period = " << quote(p.cash_limit_per_period.to_decimal()) << "\n"
      << "hmrc_max_gap_days = " << p.hmrc_max_gap_days << "\n"
      << "pension_max_gap_days = " << p.pension_max_gap_days << "\n"
      << "insurance_max_gap_months = " << p.insurance_max_gap_months << "\n"
      << "duplicate_window_days = " << p.duplicate_window_days << "\n"
      << "council_payment_grace_days = " << p.council_payment_grace_days << "\n"
      << "return_grace_days = " << p.return_grace_days << "\n"
      << "align_window_days = " << p.align_window_days << "\n"
      << "reminder_days = " << list(p.reminder_days) << "\n"
      << "escalate_after_days = " << p.escalate_after_days << "\n"
      << "retention_years = " << p.retention_years << "\n"
      << "serious_flags = " << list(p.serious_flags) << "\n"
      << "restricted_patterns = " << list(p.restricted_patterns) << "\n"
      << "cash_patterns = " << list(p.cash_patterns) << "\n"
      << "extra_categories = " << list(c.extra_categories) << "\n";
    {
        std::vector<std::string> days;
        for (const auto& d : c.bank_holidays) days.push_back(core::format_iso_date(d));
        o << "bank_holidays = " << list(days) << "  # added to the built-in England and Wales list for 2024-2028\n";
    }
    for (const importers::profile& pr : c.profiles) {
        auto col = [](const importers::column_ref& cr) { return cr.name.empty() ? std::to_string(cr.number) : quote(cr.name); };
        o << "\n[profiles." << pr.name << "]\n" << "format = " << quote(pr.format) << "\n";
        if (!pr.match_header.empty()) o << "match_header = " << quote(pr.match_header) << "\n";
        if (!pr.match_filename.empty()) o << "match_filename = " << quote(pr.match_filename) << "\n";
        if (pr.format == "ofx") continue;
        o << "encoding = " << quote(pr.encoding == importers::text_encoding::utf8 ? "utf-8" : "windows-1252") << "\n"
          << "delimiter = " << quote(std::string(1, pr.delimiter)) << "\n"
          << "skip_lines = " << pr.skip_lines << "\n"
          << "header = " << (pr.header ? "true" : "false") << "\n"
          << "date = { column = " << col(pr.date) << ", format = " << quote(pr.date_format) << " }\n";
        o << "description = [";
        for (std::size_t i = 0; i < pr.description.size(); ++i) o << (i ? ", " : "") << col(pr.description[i]);
        o << "]\n";
        if (!pr.amount.empty()) {
            o << "amount = " << col(pr.amount) << "\n"
              << "amount_sign = " << quote(pr.sign == importers::amount_sign::credit_positive ? "credit_positive" : "debit_positive") << "\n";
        }
        for (auto [key, cr] : {std::pair{"debit", &pr.debit}, {"credit", &pr.credit}, {"type", &pr.type},
                               {"balance", &pr.balance}, {"sort_code", &pr.sort_code},
                               {"account_number", &pr.account_number}, {"account", &pr.account},
                               {"reference", &pr.reference}}) {
            if (!cr->empty()) o << key << " = " << col(*cr) << "\n";
        }
        if (!pr.type.empty()) o << "debit_types = " << list(pr.debit_types) << "\n";
        if (!pr.source.empty()) o << "source = " << quote(pr.source) << "\n";
    }
    for (const rule_section& r : c.rules) {
        o << "\n[[rules]]\n";
        if (!r.match.empty()) o << "match = " << quote(r.match) << "\n";
        if (!r.regex.empty()) o << "regex = " << quote(r.regex) << "\n";
        o << "category = " << quote(r.category) << "\n";
    }
    return o.str();
}

std::optional<std::int64_t> parse_duration(std::string_view text) {
    if (text.size() < 2) return std::nullopt;
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, n);
    if (ec != std::errc() || end != text.data() + text.size() - 1 || n < 0 || n > 366 * 86400) return std::nullopt;
    switch (text.back()) {
        case 's': return n;
        case 'm': return n * 60;
        case 'h': return n * 3600;
        case 'd': return n * 86400;
        default: return std::nullopt;
    }
}

std::string url_origin(const std::string& url) {
    const std::size_t scheme = url.find("://");
    if (scheme == std::string::npos) return {};
    const std::size_t path = url.find('/', scheme + 3);
    return core::to_lower(url.substr(0, path));
}

std::string url_host(const std::string& url) {
    const std::string origin = url_origin(url);
    const std::size_t start = origin.find("://");
    if (start == std::string::npos) return {};
    std::string authority = origin.substr(start + 3);
    if (authority.starts_with('[')) return authority.substr(1, authority.find(']') - 1);
    return authority.substr(0, authority.find(':'));
}

std::vector<std::string> config_warnings(const config& c) {
    std::vector<std::string> out;
    const std::string host = url_host(c.http.public_url);
    const bool loopback = host == "127.0.0.1" || host == "localhost" || host == "::1" || host.starts_with("127.");
    if (c.smtp && loopback) {
        out.push_back("[smtp] is set but [http] public_url is " + c.http.public_url +
                      ", a loopback address: the links in emails would not open on officers' computers. Set [http] "
                      "public_url to the address officers use, the reverse proxy's (such as \"https://dpmon.council.example\")");
    }
    if (!loopback && c.http.public_url.starts_with("http://")) {
        out.push_back("[http] public_url " + c.http.public_url +
                      " is plain http: sign-in cookies and tokens would cross the network unencrypted. Serve the dashboard "
                      "through the TLS reverse proxy and set public_url to its https:// address");
    }
    return out;
}

}  // namespace dpmon::daemon
