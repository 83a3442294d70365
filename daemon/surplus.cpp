#include "dpmon/daemon/surplus.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
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

// The figures a proposal stored (its computation, written by propose_surplus_recovery) for the notice. A
// missing or malformed figure is an error, never a silent zero: the notice states what will be recovered.
result<alerts::recovery_notice> recovery_computation(const std::string& computation_json, std::int64_t id) {
    auto bad = [&](const std::string& key) {
        return make_error(errc::database_error, "recovery " + std::to_string(id) + ": the stored computation lacks '" +
                                                    key + "' or it is not an amount");
    };
    boost::system::error_code ec;
    const boost::json::value how = boost::json::parse(computation_json, ec);
    const auto* o = ec ? nullptr : how.if_object();
    if (!o) return bad("the computation");
    auto text = [&](const char* k) -> std::optional<std::string> {
        const auto* v = o->if_contains(k);
        if (!v || !v->is_string()) return std::nullopt;
        return std::string(v->as_string());
    };
    alerts::recovery_notice n;
    const std::pair<const char*, core::money*> amounts[] = {{"balance", &n.balance},
                                                             {"weekly_budget", &n.weekly_budget},
                                                             {"retained", &n.retained},
                                                             {"known_liabilities", &n.liabilities},
                                                             {"overpaid_contributions_excluded", &n.overpaid}};
    for (const auto& [key, into] : amounts) {
        const auto t = text(key);
        auto m = t ? core::parse_money(*t) : result<core::money>(make_error(errc::amount_invalid, key));
        if (!m) return bad(key);
        *into = *m;
    }
    const auto date = text("balance_date");
    const auto weeks = text("retained_weeks");
    if (!date) return bad("balance_date");
    if (!weeks) return bad("retained_weeks");
    n.balance_date = *date;
    n.retained_weeks = *weeks;
    return n;
}

}  // namespace

result<storage::exemption_record> record_exemption(storage::database& db, const std::string& account_ref,
                                                   const std::string& reason, const std::string& detail,
                                                   const std::string& until, const std::string& by,
                                                   const std::string& today, const std::string& now_utc) {
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
    auto facts = load_facts(db, *a, settings);
    if (!facts) return facts.error();
    const core::reconciliation r = core::reconcile(*facts, today);
    const core::flag* surplus = nullptr;
    for (const auto& f : r.flags) {
        if (f.code == "SURPLUS" && !r.periods.empty() && f.span == r.periods.back().span) surplus = &f;
    }
    if (!surplus)
        return make_error(errc::conflict, account_ref + " has no surplus on " + core::format_iso_date(today) +
                                              ": its balance is within the threshold, so there is nothing to recover");
    const core::money recoverable = surplus->amount - *owed;
    if (recoverable <= core::money{})
        return make_error(errc::conflict, "the known liabilities of " + owed->to_display() + " take up the recoverable " +
                                              surplus->amount.to_display() + ": nothing to recover");
    const auto& in = surplus->inputs;
    auto weekly = core::parse_money(in.at("weekly_budget"));
    if (!weekly) return weekly.error();
    const std::int64_t weeks = std::stoll(in.at("retained_weeks"));
    boost::json::object how{{"rule", "balance - retained_weeks x weekly budget - known liabilities - overpaid contributions"},
                            {"balance", in.at("closing_balance")},
                            {"balance_date", core::format_iso_date(std::min(surplus->span.last, today))},
                            {"weekly_budget", in.at("weekly_budget")},
                            {"retained_weeks", in.at("retained_weeks")},
                            {"retained", (*weekly * weeks).to_decimal()},
                            {"known_liabilities", owed->to_decimal()},
                            {"overpaid_contributions_excluded", in.at("overpaid_contributions")},
                            {"recoverable", recoverable.to_decimal()}};
    result<storage::recovery_record> made = make_error(errc::conflict, "not made");
    auto done = db.in_transaction([&]() -> result<void> {
        made = storage::propose_recovery(db, a->id, recoverable.pence(), boost::json::serialize(how), by, note, now_utc);
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
    auto computed = recovery_computation(rec->computation_json, id);
    if (!computed) return computed.error();
    alerts::recovery_notice n = std::move(*computed);
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
    result<storage::recovery_record> made = make_error(errc::conflict, "not made");
    auto done = db.in_transaction([&]() -> result<void> {
        made = storage::close_recovery(db, id, state, pence, by, note, now_utc);
        if (!made) return made.error();
        return {};
    });
    if (!done) return done.error();
    return made;
}

}  // namespace dpmon::daemon
