#include "dpmon/app/reviews.hpp"

#include <algorithm>

#include "dpmon/importers/plan_file.hpp"

namespace dpmon::daemon {
namespace {

constexpr const char* last_run_key = "daily_job_last_day";

result<void> schedule_one(storage::database& db, const review_settings& settings, const storage::account_record& a,
                          const std::string& today, const std::string& now_utc, review_summary& summary) {
    auto facts = review_facts_of(db, a, settings);
    if (!facts) {
        if (facts.error().code != errc::invalid_argument) return facts.error();
        summary.problems.push_back(a.account_ref + ": " + facts.error().message);
        return {};
    }
    const auto planned = core::schedule_reviews(*facts, settings.rules, settings.calendar);
    auto changed = storage::sync_reviews(db, a.id, planned, today, now_utc);
    if (!changed) return changed.error();
    summary.changed += *changed;
    ++summary.accounts;
    return {};
}

// schedule_one for each account named in `refs` (every account when empty), in the caller's transaction.
result<void> schedule_each(storage::database& db, const review_settings& settings,
                           const std::vector<storage::account_record>& accounts, const std::vector<std::string>& refs,
                           const std::string& today, const std::string& now_utc, review_summary& summary) {
    for (const auto& a : accounts) {
        if (!refs.empty() && std::find(refs.begin(), refs.end(), a.account_ref) == refs.end()) continue;
        if (auto r = schedule_one(db, settings, a, today, now_utc, summary); !r) return r;
    }
    return {};
}

}  // namespace

result<core::review_facts> review_facts_of(const storage::database& db, const storage::account_record& a,
                                           const review_settings& settings) {
    core::review_facts f;
    auto start = core::parse_iso_date(a.dp_start);
    if (!start) return make_error(errc::invalid_argument, "dp_start: " + start.error().message);
    f.dp_start = *start;
    if (a.status == "closed" && !a.closed_on.empty()) {
        auto closed = core::parse_iso_date(a.closed_on);
        if (!closed) return make_error(errc::invalid_argument, "closed_on: " + closed.error().message);
        f.closed_on = *closed;
    }
    auto plans = importers::plan_versions_from_json(a.plans_json, settings.extra_categories);
    if (!plans) return make_error(errc::invalid_argument, plans.error().message);
    for (const auto& v : *plans) f.plan_starts.push_back(v.effective_from);
    auto done = storage::completed_reviews(db, a.id);
    if (!done) return done.error();
    f.completed = std::move(*done);
    return f;
}

result<review_summary> schedule_reviews(storage::database& db, const review_settings& settings,
                                        const std::vector<std::string>& refs, core::civil_date today_date,
                                        const std::string& now_utc) {
    const std::string today = core::format_iso_date(today_date);
    auto accounts = storage::list_accounts(db);
    if (!accounts) return accounts.error();
    review_summary summary;
    auto done = db.in_transaction([&]() -> result<void> {
        return schedule_each(db, settings, *accounts, refs, today, now_utc, summary);
    });
    if (!done) return done.error();
    return summary;
}

result<review_summary> run_daily_reviews(storage::database& db, const review_settings& settings, core::civil_date day,
                                         const std::string& now_utc) {
    const std::string today = core::format_iso_date(day);
    auto accounts = storage::list_accounts(db);
    if (!accounts) return accounts.error();
    review_summary summary;
    auto done = db.in_transaction([&]() -> result<void> {
        if (auto r = schedule_each(db, settings, *accounts, {}, today, now_utc, summary); !r) return r;
        auto made = storage::produce_reminders(db, today, settings.reminder_days, settings.escalate_after_days, now_utc);
        if (!made) return made.error();
        summary.reminders = std::move(*made);
        auto now = core::parse_utc_timestamp(now_utc);
        if (!now) return now.error();
        if (auto q = queue_reminder_alerts(db, settings.alerts, summary.reminders, today, *now); !q) return q.error();
        // Never moves back: a catch-up for yesterday after today's run leaves today recorded.
        auto last = last_daily_run(db);
        if (!last) return last.error();
        if (*last && **last >= day) return {};
        return storage::set_scheduler_value(db, last_run_key, today);
    });
    if (!done) return done.error();
    return summary;
}

result<std::optional<core::civil_date>> last_daily_run(const storage::database& db) {
    auto v = storage::scheduler_value(db, last_run_key);
    if (!v) return v.error();
    if (!*v) return std::optional<core::civil_date>();
    auto d = core::parse_iso_date(**v);
    if (!d) return std::optional<core::civil_date>();
    return std::optional<core::civil_date>(*d);
}

result<storage::review_record> complete_review(storage::database& db, const review_settings& settings,
                                               std::int64_t review_id, const storage::completion& c,
                                               core::civil_date today_date, const std::string& now_utc) {
    const std::string today = core::format_iso_date(today_date);
    auto found = storage::find_review(db, review_id);
    if (!found) return found.error();
    if (!*found) return make_error(errc::not_found, "no review " + std::to_string(review_id));
    const storage::review_record review = **found;
    auto account = storage::find_account(db, review.account_ref);
    if (!account) return account.error();
    if (!*account) return make_error(errc::not_found, "no account " + review.account_ref);
    const auto& a = **account;

    auto on = core::parse_iso_date(c.completed_on);
    if (!on) return make_error(errc::invalid_argument, "field 'completed_on': " + on.error().message);
    if (c.completed_on > today)
        return make_error(errc::invalid_argument, "field 'completed_on': " + c.completed_on + " is in the future (today is " + today + ")");
    if (c.completed_on < a.dp_start)
        return make_error(errc::invalid_argument,
                          "field 'completed_on': " + c.completed_on + " is before the direct payment started (" + a.dp_start + ")");
    if (c.by.empty()) return make_error(errc::invalid_argument, "field 'by': who completed the review is needed");
    if (c.outcome.empty()) return make_error(errc::invalid_argument, "field 'outcome': the outcome is needed");
    if (!c.next_due.empty()) {
        auto next = core::parse_iso_date(c.next_due);
        if (!next) return make_error(errc::invalid_argument, "field 'next_due': " + next.error().message);
        core::review_kind kind{};
        core::parse_review_kind(review.kind, kind);
        if (!core::next_kind_after(kind))
            return make_error(errc::invalid_argument, "field 'next_due': a " + review.kind + " has no next review");
        if (c.next_due <= c.completed_on)
            return make_error(errc::invalid_argument, "field 'next_due': " + c.next_due + " is not after completed_on " + c.completed_on);
        const std::string latest = core::format_iso_date(core::latest_next_due(kind, *on, settings.rules));
        if (c.next_due > latest)
            return make_error(errc::invalid_argument, "field 'next_due': " + c.next_due + " is later than the statutory " +
                                                          std::to_string(settings.rules.interval_months) +
                                                          " months after completion (" + latest + ")");
        if (c.next_due_reason.empty())
            return make_error(errc::invalid_argument, "field 'next_due_reason': a next_due needs a reason");
    }
    review_summary summary;
    auto done = db.in_transaction([&]() -> result<void> {
        if (auto r = storage::complete_review(db, review_id, c, now_utc); !r) return r;
        return schedule_one(db, settings, a, today, now_utc, summary);
    });
    if (!done) return done.error();
    auto after = storage::find_review(db, review_id);
    if (!after) return after.error();
    return **after;
}

result<storage::review_record> request_early_review(storage::database& db, const std::string& account_ref,
                                                    const std::string& reason, const std::string& by, std::string due_on,
                                                    core::civil_date today_date, const std::string& now_utc) {
    const std::string today = core::format_iso_date(today_date);
    auto account = storage::find_account(db, account_ref);
    if (!account) return account.error();
    if (!*account) return make_error(errc::not_found, "no account " + account_ref);
    if (reason.empty()) return make_error(errc::invalid_argument, "field 'reason': say why the early review is needed");
    if (by.empty()) return make_error(errc::invalid_argument, "field 'by': who asks for the review is needed");
    auto day = core::parse_iso_date(today);
    if (!day) return day.error();
    if (due_on.empty()) due_on = core::format_iso_date(core::add_days(*day, 14));
    if (auto d = core::parse_iso_date(due_on); !d)
        return make_error(errc::invalid_argument, "field 'due_on': " + d.error().message);
    if (due_on < today) return make_error(errc::invalid_argument, "field 'due_on': " + due_on + " is in the past");
    result<storage::review_record> made = make_error(errc::conflict, "not made");
    auto done = db.in_transaction([&]() -> result<void> {
        made = storage::request_review(db, (*account)->id, reason, by, due_on, today, now_utc);
        if (!made) return made.error();
        return {};
    });
    if (!done) return done.error();
    return made;
}

}  // namespace dpmon::daemon
