#include "dpmon/app/surplus.hpp"

#include <optional>

#include "dpmon/alerts/masking.hpp"
#include "dpmon/alerts/notices.hpp"
#include "dpmon/core/money.hpp"
#include "dpmon/core/text.hpp"
#include "dpmon/storage/accounts.hpp"

namespace dpmon::daemon {
namespace {

result<storage::account_record> account_named(const storage::database& db, const std::string& ref) {
    auto a = storage::find_account(db, ref);
    if (!a) return a.error();
    if (!*a) return make_error(errc::not_found, "no account " + ref);
    return **a;
}

// The figures behind a recovery of `recoverable`: the SURPLUS flag's inputs, less the known liabilities.
result<storage::recovery_computation> computation_of(const core::flag& surplus, core::money liabilities,
                                                     core::money recoverable, core::civil_date today) {
    const auto& in = surplus.inputs;
    auto money_of = [&](const char* key) -> result<core::money> {
        auto it = in.find(key);
        if (it == in.end()) return make_error(errc::invalid_argument, std::string("the SURPLUS flag has no input '") + key + "'");
        return core::parse_money(it->second);
    };
    storage::recovery_computation c;
    auto balance = money_of("balance");
    auto weekly = money_of("weekly_budget");
    auto overpaid = money_of("overpaid_contributions");
    if (!balance) return balance.error();
    if (!weekly) return weekly.error();
    if (!overpaid) return overpaid.error();
    const auto weeks = in.find("retained_weeks");
    if (weeks == in.end()) return make_error(errc::invalid_argument, "the SURPLUS flag has no input 'retained_weeks'");
    c.balance = *balance;
    const auto on = in.find("balance_on");
    c.balance_date = on != in.end() ? on->second : core::format_iso_date(std::min(surplus.span.last, today));
    c.weekly_budget = *weekly;
    c.retained_weeks = std::stoll(weeks->second);
    c.retained = *weekly * c.retained_weeks;
    c.known_liabilities = liabilities;
    c.overpaid_contributions_excluded = *overpaid;
    c.recoverable = recoverable;
    return c;
}

}  // namespace

result<storage::exemption_record> record_exemption(storage::database& db, const std::string& account_ref,
                                                   const std::string& reason, const std::string& detail,
                                                   const std::string& until, const std::string& by,
                                                   core::civil_date today_date, const std::string& now_utc) {
    const std::string today = core::format_iso_date(today_date);
    auto a = account_named(db, account_ref);
    if (!a) return a.error();
    if (reason != "hospital_stay" && reason != "pa_vacancy" && reason != "saving_for_purchase" && reason != "other")
        return make_error(errc::invalid_argument,
                          "field 'reason': '" + reason + "' is not hospital_stay, pa_vacancy, saving_for_purchase or other");
    if (reason == "other" && detail.empty())
        return make_error(errc::invalid_argument, "field 'detail': say what the other reason is");
    if (auto d = core::parse_iso_date(until); !d)
        return make_error(errc::invalid_argument, "field 'until': " + d.error().message);
    if (until < today) return make_error(errc::invalid_argument, "field 'until': " + until + " has passed");
    if (by.empty()) return make_error(errc::invalid_argument, "field 'by': who records the exemption is needed");
    result<storage::exemption_record> made = make_error(errc::conflict, "not made");
    auto done = db.in_transaction([&]() -> result<void> {
        made = storage::add_exemption(db, a->id, {0, a->account_ref, reason, detail, today, until, by, now_utc});
        if (!made) return made.error();
        return {};
    });
    if (!done) return done.error();
    return made;
}

result<storage::recovery_record> propose_surplus_recovery(storage::database& db, const reconcile_settings& settings,
                                                          const std::string& account_ref, const std::string& liabilities,
                                                          const std::string& by, const std::string& note,
                                                          core::civil_date today, const std::string& now_utc) {
    auto a = account_named(db, account_ref);
    if (!a) return a.error();
    if (by.empty()) return make_error(errc::invalid_argument, "field 'by': who proposes the recovery is needed");
    auto owed = core::parse_money(liabilities.empty() ? std::string("0.00") : liabilities);
    if (!owed || owed->is_negative())
        return make_error(errc::invalid_argument, "field 'liabilities': '" + liabilities + "' is not an amount such as \"120.00\"");
    auto facts = load_current_facts(db, *a, settings);
    if (!facts) return facts.error();
    const core::reconciliation r = core::reconcile(*facts, today);
    const core::flag* surplus = nullptr;
    for (const auto& f : r.flags) {
        if (f.code == core::flag_code::surplus) surplus = &f;
    }
    if (!surplus)
        return make_error(errc::conflict, account_ref + " has no surplus on " + core::format_iso_date(today) +
                                              ": its balance is within the threshold, so there is nothing to recover");
    const core::money recoverable = surplus->amount - *owed;
    if (recoverable <= core::money{})
        return make_error(errc::conflict, "the known liabilities of " + owed->to_display() + " take up the recoverable " +
                                              surplus->amount.to_display() + ": nothing to recover");
    auto how = computation_of(*surplus, *owed, recoverable, today);
    if (!how) return how.error();
    result<storage::recovery_record> made = make_error(errc::conflict, "not made");
    auto done = db.in_transaction([&]() -> result<void> {
        made = storage::propose_recovery(db, a->id, recoverable.pence(), *how, by, note, now_utc);
        if (!made) return made.error();
        return {};
    });
    if (!done) return done.error();
    return made;
}

result<storage::recovery_record> recovery_of(const storage::database& db, const std::string& account_ref, std::int64_t id) {
    auto r = storage::find_recovery(db, id);
    if (!r) return r.error();
    if (!*r || !core::iequals((*r)->account_ref, account_ref))
        return make_error(errc::not_found, "no recovery " + std::to_string(id) + " for " + account_ref);
    return **r;
}

result<storage::recovery_record> notify_surplus_recovery(storage::database& db, const std::string& account_ref,
                                                         std::int64_t id, const std::string& recover_on,
                                                         const std::string& by, core::civil_date today,
                                                         const std::string& now_utc) {
    auto rec = recovery_of(db, account_ref, id);
    if (!rec) return rec.error();
    auto a = account_named(db, account_ref);
    if (!a) return a.error();
    auto on = core::parse_iso_date(recover_on);
    if (!on) return make_error(errc::invalid_argument, "field 'recover_on': " + on.error().message);
    const std::string earliest = core::format_iso_date(core::add_days(today, 14));
    if (recover_on < earliest)
        return make_error(errc::invalid_argument,
                          "field 'recover_on': give at least 14 days' notice (" + earliest + " or later)");
    if (by.empty()) return make_error(errc::invalid_argument, "field 'by': who issues the notice is needed");
    auto how = storage::parse_computation(rec->computation_json);
    if (!how) return how.error();
    alerts::recovery_notice n;
    n.balance = how->balance;
    n.balance_date = how->balance_date;
    n.weekly_budget = how->weekly_budget;
    n.retained_weeks = std::to_string(how->retained_weeks);
    n.retained = how->retained;
    n.liabilities = how->known_liabilities;
    n.overpaid = how->overpaid_contributions_excluded;
    n.recovery_id = id;
    n.account_ref = a->account_ref;
    n.masked_account = alerts::mask_account_number(!a->account_number.empty() ? a->account_number : a->card_id);
    n.issued_on = core::format_iso_date(today);
    n.amount = core::money::from_pence(rec->amount_pence);
    n.recover_on = recover_on;
    n.officer = a->finance_officer;
    result<storage::recovery_record> made = make_error(errc::conflict, "not made");
    auto done = db.in_transaction([&]() -> result<void> {
        made = storage::notify_recovery(db, id, recover_on, alerts::recovery_notice_text(n), alerts::recovery_notice_html(n), by,
                                        now_utc);
        if (!made) return made.error();
        return {};
    });
    if (!done) return done.error();
    return made;
}

result<storage::recovery_record> close_surplus_recovery(storage::database& db, const std::string& account_ref,
                                                        std::int64_t id, const std::string& state,
                                                        const std::string& amount, const std::string& by,
                                                        const std::string& note, const std::string& now_utc) {
    auto rec = recovery_of(db, account_ref, id);
    if (!rec) return rec.error();
    if (by.empty()) return make_error(errc::invalid_argument, "field 'by': who records this is needed");
    std::int64_t pence = rec->amount_pence;
    if (!amount.empty()) {
        auto m = core::parse_money(amount);
        if (!m) return make_error(errc::invalid_argument, "field 'amount': '" + amount + "' is not an amount such as \"120.00\"");
        pence = m->pence();
    }
    const auto to = core::parse_recovery_state(state);
    if (!to || *to == core::recovery_state::proposed || *to == core::recovery_state::notified)
        return make_error(errc::invalid_argument, "state must be recovered, offset or waived");
    result<storage::recovery_record> made = make_error(errc::conflict, "not made");
    auto done = db.in_transaction([&]() -> result<void> {
        made = storage::close_recovery(db, id, *to, pence, by, note, now_utc);
        if (!made) return made.error();
        return {};
    });
    if (!done) return done.error();
    return made;
}

}  // namespace dpmon::daemon
