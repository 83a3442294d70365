#include "dpmon/http/metrics_route.hpp"

#include <cstdio>

#include <string>

#include "dpmon/core/flag_code.hpp"

namespace dpmon::http {
namespace {

std::string label_value(std::string_view v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out.push_back('\\');
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out.push_back(c);
    }
    return out;
}

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return buf;
}

class writer {
public:
    void family(std::string_view name, std::string_view type, std::string_view help) {
        out_ += "# HELP " + std::string(name) + " " + std::string(help) + "\n# TYPE " + std::string(name) + " " + std::string(type) + "\n";
    }
    void sample(std::string_view name, std::string_view labels, double value) {
        out_ += std::string(name) + (labels.empty() ? "" : "{" + std::string(labels) + "}") + " " + number(value) + "\n";
    }
    void histogram(std::string_view name, const std::string& labels, const core::histogram& h) {
        const std::string sep = labels.empty() ? "" : ",";
        for (std::size_t i = 0; i < h.bounds.size(); ++i)
            sample(std::string(name) + "_bucket", labels + sep + "le=\"" + number(h.bounds[i]) + "\"", static_cast<double>(h.at_or_under[i]));
        sample(std::string(name) + "_bucket", labels + sep + "le=\"+Inf\"", static_cast<double>(h.count));
        sample(std::string(name) + "_sum", labels, h.sum);
        sample(std::string(name) + "_count", labels, static_cast<double>(h.count));
    }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

std::string label(std::string_view key, std::string_view value) { return std::string(key) + "=\"" + label_value(value) + "\""; }

void jobs(writer& w, const core::metrics::copy& m) {
    w.family("dpmon_imports_total", "counter", "Statement files handled, by what became of them.");
    for (const char* s : {"imported", "duplicate", "rejected", "failed"}) {
        auto it = m.imports.find(s);
        w.sample("dpmon_imports_total", label("status", s), it == m.imports.end() ? 0.0 : static_cast<double>(it->second));
    }
    w.family("dpmon_rows_imported_total", "counter", "Statement rows read from imported files.");
    w.sample("dpmon_rows_imported_total", "", static_cast<double>(m.rows_imported));
    w.family("dpmon_import_duration_seconds", "histogram", "Time to import one statement file.");
    w.histogram("dpmon_import_duration_seconds", "", m.import_seconds);
    w.family("dpmon_reconciliation_duration_seconds", "histogram", "Time of a reconciliation: every account, or those an import touched.");
    for (const char* scope : {"full", "accounts"}) {
        auto it = m.reconciliation_seconds.find(scope);
        w.histogram("dpmon_reconciliation_duration_seconds", label("scope", scope),
                    it == m.reconciliation_seconds.end() ? core::histogram{} : it->second);
    }
    w.family("dpmon_smtp_attempts_total", "counter", "Attempts to hand an alert email to the mail server, by result.");
    for (const char* r : {"sent", "temporary_failure", "permanent_failure"}) {
        auto it = m.smtp_attempts.find(r);
        w.sample("dpmon_smtp_attempts_total", label("result", r), it == m.smtp_attempts.end() ? 0.0 : static_cast<double>(it->second));
    }
}

void http_part(writer& w, const core::metrics::copy& m) {
    w.family("dpmon_http_requests_total", "counter", "HTTP requests answered, by route pattern, method and status.");
    for (const auto& [key, n] : m.http_requests) {
        const auto& [route, method, status] = key;
        w.sample("dpmon_http_requests_total",
                 label("route", route) + "," + label("method", method) + "," + label("status", std::to_string(status)),
                 static_cast<double>(n));
    }
    w.family("dpmon_http_request_duration_seconds", "histogram", "Time from a request read to its answer written, by route pattern.");
    for (const auto& [route, h] : m.http_seconds) w.histogram("dpmon_http_request_duration_seconds", label("route", route), h);
}

void state_part(writer& w, const core::status_snapshot* s, const std::vector<core::health_check>& health) {
    if (s) {
        w.family("dpmon_flags_open", "gauge", "Open flags, by code.");
        for (core::flag_code code : core::all_flag_codes()) {  // every code, so a rule can watch one still at zero
            const auto it = s->open_flags_by_code.find(std::string(core::to_string(code)));
            w.sample("dpmon_flags_open", label("code", core::to_string(code)),
                     it == s->open_flags_by_code.end() ? 0.0 : static_cast<double>(it->second));
        }
        w.family("dpmon_reviews", "gauge", "Scheduled reviews and audits due within 28 days, and overdue.");
        w.sample("dpmon_reviews", label("state", "due"), static_cast<double>(s->reviews_due));
        w.sample("dpmon_reviews", label("state", "overdue"), static_cast<double>(s->reviews_overdue));
        w.family("dpmon_outbox_messages", "gauge", "Alert emails waiting to be sent, and failed for good.");
        w.sample("dpmon_outbox_messages", label("state", "pending"), static_cast<double>(s->outbox_pending));
        w.sample("dpmon_outbox_messages", label("state", "failed"), static_cast<double>(s->outbox_failed));
    }
    w.family("dpmon_health", "gauge", "Each health check: 0 ok, 1 degraded, 2 failing (as GET /healthz).");
    for (const auto& c : health) w.sample("dpmon_health", label("check", c.name), static_cast<double>(static_cast<int>(c.state)));
}

}  // namespace

std::string render_metrics(const core::metrics::copy& m, const core::status_snapshot* counts,
                           const std::vector<core::health_check>& health, const process_facts& facts) {
    writer w;
    jobs(w, m);
    http_part(w, m);
    state_part(w, counts, health);
    w.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
    w.sample("process_resident_memory_bytes", "", static_cast<double>(facts.resident_bytes));
    w.family("dpmon_database_size_bytes", "gauge", "Size of the database file and its write-ahead log.");
    w.sample("dpmon_database_size_bytes", "", static_cast<double>(facts.database_bytes));
    return w.take();
}

void add_metrics_route(router& r, const core::metrics& m, core::status_query& source, std::function<process_facts()> facts) {
    r.add("GET", "/metrics", [&m, &source, facts = std::move(facts)](const request&, const route_match&) {
        auto counts = source.status();
        const std::string body = render_metrics(m.read(), counts ? &*counts : nullptr, source.health(), facts());
        return response{200, "text/plain; version=0.0.4; charset=utf-8", body, {}, {}};
    }, {std::nullopt, runs_on::loop});
}

}  // namespace dpmon::http
