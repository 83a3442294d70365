#include "dpmon/views/audit_pack.hpp"

#include <boost/json/serialize.hpp>

#include <map>

#include "dpmon/alerts/masking.hpp"
#include "dpmon/core/money.hpp"
#include "dpmon/storage/flag_store.hpp"
#include "dpmon/storage/import_store.hpp"
#include "dpmon/views/views.hpp"

namespace dpmon::daemon {
namespace {

std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string esc(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '"') out += "&quot;";
        else out += c;
    }
    return out;
}

std::string str(const boost::json::value& v) {
    if (v.is_string()) return std::string(v.as_string());
    if (v.is_null()) return "";
    return boost::json::serialize(v);
}

}  // namespace

result<std::pair<std::string, std::string>> audit_pack_range(const storage::account_record& a, std::string from,
                                                             std::string to, core::civil_date today) {
    if (from.empty()) from = a.dp_start;
    if (to.empty()) to = core::format_iso_date(today);
    for (const auto& [name, value] : {std::pair{"from", &from}, {"to", &to}}) {
        if (auto d = core::parse_iso_date(*value); !d)
            return make_error(errc::invalid_argument, std::string("'") + name + "': " + d.error().message);
    }
    if (from > to) return make_error(errc::invalid_argument, "'from' " + from + " is after 'to' " + to);
    return std::pair(std::move(from), std::move(to));
}

result<audit_pack> build_audit_pack(const storage::database& db, const reconcile_settings& settings,
                                    const storage::account_record& a, std::string from_text, std::string to_text,
                                    core::civil_date today) {
    auto range = audit_pack_range(a, std::move(from_text), std::move(to_text), today);
    if (!range) return range.error();
    const auto& [from, to] = *range;

    auto detail = app::account_details(db, a, settings, today);
    if (!detail) return detail.error();
    const boost::json::object whole = account_view(*detail, today, settings.rules);
    const boost::json::object* view = &whole;
    audit_pack pack;
    boost::json::array periods;
    for (const auto& p : view->at("periods").as_array()) {
        const auto& o = p.as_object();
        if (str(o.at("last")) < from || str(o.at("first")) > to) continue;
        periods.push_back(p);
    }
    boost::json::array flags;
    pack.flags_csv = "id,code,state,amount,period_first,period_last,raised_on,resolved_on,acknowledged_by,reason\r\n";
    for (const auto& f : view->at("flags").as_array()) {
        const auto& o = f.as_object();
        const auto& period = o.at("period").as_object();
        if (str(period.at("last")) < from || str(period.at("first")) > to) continue;
        // What happened to it: raised, updated (what changed), acknowledged, resolved, reopened.
        auto events = app::flag_history(db, o.at("id").as_int64());
        if (!events) return events.error();
        boost::json::array history;
        for (const auto& e : *events) history.push_back(boost::json::object{{"at", e.at}, {"event", e.event}, {"by", e.by}, {"detail", e.detail}});
        boost::json::object with_history = o;
        with_history["history"] = std::move(history);
        flags.push_back(std::move(with_history));
        const auto* ack = o.at("acknowledged").if_object();
        pack.flags_csv += str(o.at("id")) + "," + str(o.at("code")) + "," + str(o.at("state")) + "," + str(o.at("amount")) + "," +
                          str(period.at("first")) + "," + str(period.at("last")) + "," + str(o.at("raised_on")) + "," +
                          str(o.at("resolved_on")) + "," + csv_field(ack ? str(ack->at("by")) : "") + "," +
                          csv_field(str(o.at("reason"))) + "\r\n";
    }

    // Transactions with the categories the view used: categorised now, by the same rules.
    std::map<std::int64_t, core::categorisation> now;
    auto facts = load_facts(db, a, settings, [&](const storage::transaction_record& t, const core::categorisation& c) -> result<void> {
        now[t.id] = c;
        return {};
    });
    if (!facts) return facts.error();
    auto txns = storage::list_transactions(db, a.id, from, to);
    if (!txns) return txns.error();
    std::map<std::int64_t, std::string> files;
    pack.transactions_csv = "date,amount,description,reference,balance,category,rule,file,line\r\n";
    core::money in, out;
    for (const auto& t : *txns) {
        if (!files.count(t.import_id)) {
            auto name = storage::import_name(db, t.import_id);
            if (!name) return name.error();
            files[t.import_id] = *name;
        }
        const auto it = now.find(t.id);
        const std::string category = it != now.end() ? it->second.category : t.category;
        const std::string rule = it != now.end() ? it->second.rule : t.rule;
        const core::money amount = core::money::from_pence(t.amount_pence);
        (amount.is_negative() ? out : in) += amount.is_negative() ? -amount : amount;
        pack.transactions_csv += t.posted_on + "," + amount.to_decimal() + "," + csv_field(t.description) + "," +
                                 csv_field(t.bank_reference) + "," +
                                 (t.balance_pence ? core::money::from_pence(*t.balance_pence).to_decimal() : std::string()) + "," +
                                 category + "," + csv_field(rule) + "," + csv_field(files[t.import_id]) + "," +
                                 std::to_string(t.source_line) + "\r\n";
    }

    pack.document = boost::json::object{{"account_ref", a.account_ref},
                                        {"account_number", view->at("account_number")},
                                        {"from", from},
                                        {"to", to},
                                        {"as_of", view->at("as_of")},
                                        {"plan", view->at("plan")},
                                        {"periods", periods},
                                        {"flags", flags},
                                        {"totals", boost::json::object{{"transactions", static_cast<std::int64_t>(txns->size())},
                                                                       {"money_in", in.to_decimal()},
                                                                       {"money_out", out.to_decimal()}}}};

    // The printable summary: figures and reasons, no transaction texts.
    std::string& h = pack.html;
    h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Audit pack " + esc(a.account_ref) + " " + esc(from) +
        " to " + esc(to) +
        "</title><style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;margin:.5em 0 1.5em}"
        "th,td{border:1px solid #bbb;padding:.2em .5em}td.n{text-align:right}h2{margin-top:1.5em}"
        "@media print{body{margin:0}h2{page-break-before:auto}}</style></head><body>\n";
    h += "<h1>Audit pack: " + esc(a.account_ref) + "</h1>\n<p>Bank account " + esc(str(view->at("account_number"))) + "; DP from " +
         esc(a.dp_start) + "; finance officer " + esc(a.finance_officer) + "; range " + esc(from) + " to " + esc(to) +
         "; figures as of " + esc(str(view->at("as_of"))) + ".</p>\n";
    h += "<p>" + std::to_string(txns->size()) + " transactions: " + in.to_display() + " in, " + out.to_display() +
         " out (transactions.csv lists each with its category and rule).</p>\n";
    h += "<h2>Plan against actual, by period</h2>\n";
    for (const auto& p : periods) {
        const auto& o = p.as_object();
        h += "<h3>" + esc(str(o.at("first"))) + " to " + esc(str(o.at("last"))) + (o.at("complete").as_bool() ? "" : " (so far)") +
             "</h3>\n<table><tr><th>category</th><th>planned</th><th>actual</th></tr>\n";
        for (const auto& c : o.at("spend").as_array()) {
            const auto& co = c.as_object();
            h += "<tr><td>" + esc(str(co.at("category"))) + "</td><td class=\"n\">" + esc(str(co.at("planned"))) +
                 "</td><td class=\"n\">" + esc(str(co.at("actual"))) + "</td></tr>\n";
        }
        h += "<tr><th>total</th><td class=\"n\">" + esc(str(o.at("planned_spend"))) + "</td><td class=\"n\">" +
             esc(str(o.at("actual_spend"))) + "</td></tr></table>\n<p>Opening " + esc(str(o.at("opening_balance"))) + ", closing " +
             esc(str(o.at("closing_balance"))) + "; council payments " +
             esc(str(o.at("council_payments").as_object().at("actual"))) + " of " +
             esc(str(o.at("council_payments").as_object().at("expected"))) + " expected.</p>\n";
    }
    h += "<h2>Flags</h2>\n<table><tr><th>code</th><th>state</th><th>amount</th><th>period</th><th>reason</th></tr>\n";
    for (const auto& f : flags) {
        const auto& o = f.as_object();
        const auto& period = o.at("period").as_object();
        h += "<tr><td>" + esc(str(o.at("code"))) + "</td><td>" + esc(str(o.at("state"))) + "</td><td class=\"n\">" +
             esc(str(o.at("amount"))) + "</td><td>" + esc(str(period.at("first"))) + " to " + esc(str(period.at("last"))) +
             "</td><td>" + esc(str(o.at("reason"))) + "</td></tr>\n";
        for (const auto& e : o.at("history").as_array()) {
            const auto& eo = e.as_object();
            h += "<tr class=\"history\"><td></td><td>" + esc(str(eo.at("event"))) + "</td><td></td><td>" + esc(str(eo.at("at"))) +
                 "</td><td>" + esc(str(eo.at("by")).empty() ? str(eo.at("detail")) : str(eo.at("by")) + ": " + str(eo.at("detail"))) +
                 "</td></tr>\n";
        }
    }
    h += "</table>\n</body></html>\n";
    return pack;
}

}  // namespace dpmon::daemon
