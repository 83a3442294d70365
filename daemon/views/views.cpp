#include "dpmon/views/views.hpp"

#include <boost/json/parse.hpp>

#include "dpmon/alerts/masking.hpp"
#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/money.hpp"
#include "dpmon/core/reconcile.hpp"

namespace dpmon::daemon {
boost::json::value nullable(const std::string& s) {
    return s.empty() ? boost::json::value(nullptr) : boost::json::value(s);
}

boost::json::object exemption_view(const storage::exemption_record& e, core::civil_date today_date) {
    const std::string today = core::format_iso_date(today_date);
    return boost::json::object{{"id", e.id},           {"account_ref", e.account_ref}, {"reason", e.reason},
                               {"detail", e.detail},   {"from", e.from_date},          {"until", e.until_date},
                               {"by", e.by},           {"recorded_at", e.recorded_at},
                               {"active", e.from_date <= today && e.until_date >= today}};
}

boost::json::object recovery_view(const storage::recovery_record& r) {
    boost::system::error_code ec;
    boost::json::value how = boost::json::parse(r.computation_json, ec);
    if (ec) how = boost::json::object();
    return boost::json::object{
        {"id", r.id},
        {"account_ref", r.account_ref},
        {"state", core::to_string(r.state)},
        {"amount", core::money::from_pence(r.amount_pence).to_decimal()},
        {"computation", std::move(how)},
        {"proposed", boost::json::object{{"by", r.proposed_by}, {"at", r.proposed_at}}},
        {"recover_on", nullable(r.recover_on)},
        {"notified", r.notified_by.empty() ? boost::json::value(nullptr)
                                           : boost::json::value(boost::json::object{{"by", r.notified_by}, {"at", r.notified_at}})},
        {"closed", r.closed_by.empty() ? boost::json::value(nullptr)
                                       : boost::json::value(boost::json::object{
                                             {"by", r.closed_by},
                                             {"at", r.closed_at},
                                             {"amount", core::money::from_pence(r.closed_amount_pence).to_decimal()}})},
        {"note", nullable(r.note)}};
}

boost::json::object flag_view(const storage::flag_record& f, const storage::exemption_record* exemption,
                              const boost::json::storage_ptr& sp) {
    boost::system::error_code ec;
    boost::json::value inputs = boost::json::parse(f.inputs_json, ec, sp);
    if (ec) inputs = boost::json::object(sp);
    return boost::json::object({
        {"id", f.id},
        {"account_ref", f.account_ref},
        {"code", core::to_string(f.code)},
        {"state", core::to_string(f.state)},
        {"amount", core::money::from_pence(f.amount_pence).to_decimal()},
        {"period", boost::json::object{{"first", f.period_first}, {"last", f.period_last}}},
        {"reason", f.reason},
        {"inputs", std::move(inputs)},
        {"raised_on", f.raised_on},
        {"acknowledged",
         f.acknowledged_by.empty()
             ? boost::json::value(nullptr)
             : boost::json::value(boost::json::object{
                   {"by", f.acknowledged_by}, {"note", f.acknowledged_note}, {"at", f.acknowledged_at}})},
        {"resolved_on", nullable(f.resolved_on)},
        {"exemption", exemption && f.code == core::flag_code::surplus && f.state != core::flag_state::resolved
                          ? boost::json::value(boost::json::object{{"reason", exemption->reason},
                                                                   {"detail", exemption->detail},
                                                                   {"until", exemption->until_date}})
                          : boost::json::value(nullptr)}}, sp);
}

boost::json::object review_view(const storage::review_record& r, core::civil_date today_date, const boost::json::storage_ptr& sp) {
    const std::string today = core::format_iso_date(today_date);
    boost::json::value completed(sp);
    if (r.state == core::review_state::completed) {
        completed = boost::json::object({{"on", r.completed_on},
                                         {"by", r.completed_by},
                                         {"outcome", r.outcome},
                                         {"next_due", nullable(r.next_due)},
                                         {"next_due_reason", nullable(r.next_due_reason)}}, sp);
    }
    return boost::json::object({{"id", r.id},
                                {"account_ref", r.account_ref},
                                {"kind", r.kind},
                                {"due_on", r.due_on},
                                {"nominal_on", r.nominal_on},
                                {"basis", r.basis},
                                {"state", core::to_string(r.state)},
                                {"overdue", r.state == core::review_state::scheduled && r.due_on < today},
                                {"scheduled_on", r.scheduled_on},
                                {"reason", nullable(r.reason)},
                                {"requested_by", nullable(r.requested_by)},
                                {"completed", std::move(completed)}}, sp);
}

boost::json::object account_row_view(const storage::account_row& row, const boost::json::storage_ptr& sp) {
    const auto& a = row.account;
    boost::json::array codes(sp);
    for (const auto& c : row.open_flags) codes.emplace_back(c);
    return boost::json::object({
        {"account_ref", a.account_ref},
        {"status", a.status},
        {"finance_officer", a.finance_officer},
        {"balance", row.status
                        ? boost::json::value(core::money::from_pence(row.status->balance_pence).to_decimal())
                        : boost::json::value(nullptr)},
        {"balance_date", row.status ? nullable(row.status->balance_date) : boost::json::value(nullptr)},
        {"open_flags", std::move(codes)},
        {"next_review", row.review ? boost::json::value(boost::json::object{{"id", row.review->id},
                                                                                      {"kind", row.review->kind},
                                                                                      {"due_on", row.review->due_on}})
                                   : boost::json::value(nullptr)},
        {"recoverable_surplus",
         core::money::from_pence(row.status ? row.status->recoverable_pence : 0).to_decimal()}}, sp);
}

namespace {

boost::json::object period_view(const core::period_figures& p, const boost::json::storage_ptr& sp) {
    boost::json::array spend(sp);
    for (const auto& c : p.spend) {
        spend.emplace_back(boost::json::object(
            {{"category", c.category}, {"planned", c.planned.to_decimal()}, {"actual", c.actual.to_decimal()}}, sp));
    }
    return boost::json::object({{"first", core::format_iso_date(p.span.first)},
                                {"last", core::format_iso_date(p.span.last)},
                                {"complete", p.complete},
                                {"opening_balance", p.opening.to_decimal()},
                                {"closing_balance", p.closing.to_decimal()},
                                {"balance_from_statement", p.balance_from_statement},
                                {"council_payments", {{"expected", p.expected_council.to_decimal()},
                                                      {"actual", p.actual_council.to_decimal()}}},
                                {"contributions", {{"expected", p.expected_contribution.to_decimal()},
                                                   {"actual", p.actual_contribution.to_decimal()}}},
                                {"other_inflows", p.other_inflows.to_decimal()},
                                {"spend", std::move(spend)},
                                {"planned_spend", p.planned_spend.to_decimal()},
                                {"actual_spend", p.actual_spend.to_decimal()}}, sp);
}

boost::json::value plan_view(const core::plan_version* v, const boost::json::storage_ptr& sp) {
    if (!v) return boost::json::value(nullptr, sp);
    boost::json::array lines(sp);
    for (const auto& l : v->lines) {
        lines.emplace_back(boost::json::object(
            {{"category", l.category}, {"amount", l.amount.to_decimal()}, {"per", core::to_string(l.per)}}, sp));
    }
    return boost::json::object(
        {{"effective_from", core::format_iso_date(v->effective_from)},
         {"effective_to", v->effective_to ? boost::json::value(core::format_iso_date(*v->effective_to), sp)
                                          : boost::json::value(nullptr, sp)},
         {"weekly_budget", v->weekly_budget.to_decimal()},
         {"weekly_contribution", v->weekly_contribution.to_decimal()},
         {"payment_basis", v->basis == core::payment_basis::net ? "net" : "gross"},
         {"lines", std::move(lines)}}, sp);
}

}  // namespace

boost::json::object account_view(const app::account_detail& d, core::civil_date day, const core::policy& rules,
                                 const boost::json::storage_ptr& sp) {
    const storage::account_record& a = d.account;
    boost::json::array periods(sp);
    periods.reserve(d.reconciliation.periods.size());
    for (const auto& p : d.reconciliation.periods) periods.emplace_back(period_view(p, sp));
    boost::json::array flag_rows(sp);
    flag_rows.reserve(d.flags.size());
    for (const auto& f : d.flags) flag_rows.emplace_back(flag_view(f, d.exemption ? &*d.exemption : nullptr, sp));
    boost::json::array review_rows(sp);
    for (const auto& r : d.reviews) review_rows.emplace_back(review_view(r, day, sp));
    const std::string masked = !a.account_number.empty() ? alerts::mask_account_number(a.account_number)
                                                         : alerts::mask_account_number(a.card_id);
    return boost::json::object({{"account_ref", a.account_ref},
                                {"person_ref", a.person_ref},
                                {"account_type", a.account_type},
                                {"account_number", masked},
                                {"status", a.status},
                                {"dp_start", a.dp_start},
                                {"finance_officer", a.finance_officer},
                                {"as_of", core::format_iso_date(day)},
                                {"plan", plan_view(core::version_on(d.facts.plans, day), sp)},
                                {"periods", std::move(periods)},
                                {"flags", std::move(flag_rows)},
                                {"reviews", std::move(review_rows)},
                                {"surplus_rules", {{"threshold_weeks", rules.surplus_threshold_weeks},
                                                   {"retained_weeks", rules.retained_weeks},
                                                   {"serious_weeks", rules.serious_surplus_weeks}}}}, sp);
}

boost::json::object outbox_view(const storage::outbox_message& m) {
    return boost::json::object{{"id", m.id},
                               {"key", m.key},
                               {"kind", m.kind},
                               {"account_ref", nullable(m.account_ref)},
                               {"recipient", m.recipient},
                               {"subject", m.subject},
                               {"message_id", m.message_id},
                               {"state", core::to_string(m.state)},
                               {"attempts", m.attempts},
                               {"next_attempt_at", m.state == core::outbox_state::pending ? boost::json::value(m.next_attempt_at) : boost::json::value(nullptr)},
                               {"last_error", nullable(m.last_error)},
                               {"reply_code", m.reply_code ? boost::json::value(m.reply_code) : boost::json::value(nullptr)},
                               {"created_at", m.created_at},
                               {"sent_at", nullable(m.sent_at)}};
}

boost::json::object worklist_entry_view(const core::worklist_entry& e) {
    boost::json::array concerns;
    for (const auto& c : e.concerns) {
        boost::json::object o{{"amount", c.amount.to_decimal()}, {"since", core::format_iso_date(c.since)}, {"reason", c.reason}};
        if (c.code) {
            o["flag_id"] = c.flag_id;
            o["code"] = core::to_string(*c.code);
        } else {
            o["flag_id"] = nullptr;
            o["code"] = "REVIEW_OVERDUE";
            o["review"] = core::to_string(c.review.value_or(core::review_kind::dp_annual));
        }
        concerns.push_back(std::move(o));
    }
    return boost::json::object{{"account_ref", e.account_ref},
                               {"finance_officer", e.finance_officer},
                               {"priority", e.priority},
                               {"severity", e.severity},
                               {"money", boost::json::object{{"recoverable_surplus", e.recoverable_surplus.to_decimal()},
                                                             {"arrears", e.arrears.to_decimal()},
                                                             {"overdrawn", e.overdrawn.to_decimal()},
                                                             {"unexplained_inflows", e.unexplained_inflows.to_decimal()}}},
                               {"concerns", std::move(concerns)},
                               {"next_action", e.next_action}};
}

boost::json::object worklist_totals_view(const core::worklist_totals& t) {
    boost::json::array officers;
    for (const auto& o : t.officers) officers.emplace_back(o);
    return boost::json::object{{"accounts", t.accounts},
                               {"recoverable_surplus", t.recoverable_surplus.to_decimal()},
                               {"arrears", t.arrears.to_decimal()},
                               {"overdrawn", t.overdrawn.to_decimal()},
                               {"unexplained_inflows", t.unexplained_inflows.to_decimal()},
                               {"reviews_overdue", t.reviews_overdue},
                               {"officers", std::move(officers)}};
}

boost::json::array worklist_view(const std::vector<core::worklist_entry>& list) {
    boost::json::array out;
    for (const auto& e : list) out.push_back(worklist_entry_view(e));
    return out;
}

boost::json::object summary_view(const app::caseload_summary& s) {
    boost::json::object flags, states;
    for (const auto& [c, n] : s.accounts_by_open_flag) flags[c] = n;
    for (const auto& [state, v] : s.recoveries_by_state)
        states[state] = boost::json::object{{"count", v.first}, {"amount", v.second.to_decimal()}};
    return boost::json::object{
        {"as_of", core::format_iso_date(s.as_of)},
        {"accounts", s.accounts},
        {"active_accounts", s.active_accounts},
        {"accounts_by_open_flag", std::move(flags)},
        {"recoverable_surplus", s.recoverable_surplus.to_decimal()},
        {"recoverable_surplus_exempt", s.recoverable_surplus_exempt.to_decimal()},
        {"recoveries_by_state", std::move(states)},
        {"accounts_without_statement_for_return_period", s.accounts_without_statement},
        {"reviews", boost::json::object{{"due", s.reviews.due}, {"overdue", s.reviews.overdue}}},
        {"outbox", boost::json::object{{"pending", s.outbox.pending}, {"failed", s.outbox.failed}}},
        {"first_in_worklist", worklist_view(s.first_in_worklist)}};
}

}  // namespace dpmon::daemon
