#include "dpmon/daemon/reconciler.hpp"

#include <algorithm>
#include <functional>
#include <map>

#include "dpmon/core/reconcile.hpp"
#include "dpmon/daemon/config.hpp"
#include "dpmon/importers/plan_file.hpp"
#include "dpmon/storage/accounts.hpp"
#include "dpmon/storage/import_store.hpp"


namespace dpmon::daemon {
namespace {

std::optional<core::civil_date> date_of(const std::string& iso) {
    auto d = core::parse_iso_date(iso);
    if (!d) return std::nullopt;
    return *d;
}

}  // namespace

std::string rules_key(const storage::account_record& a, const reconcile_settings& settings) {
    std::string text = a.plans_json;
    for (const auto& r : settings.council) text += "\n" + r.id + "\t" + r.match + "\t" + r.pattern + "\t" + r.category;
    for (const auto& c : settings.extra_categories) text += "\n+" + c;
    return std::to_string(std::hash<std::string>{}(text));
}

reconcile_settings reconcile_settings_from(const config& c) {
    reconcile_settings s;
    s.rules = c.policy;
    s.extra_categories = c.extra_categories;
    for (const auto& r : c.rules) {
        s.council.push_back({"config line " + std::to_string(r.line), r.match, r.regex, r.category, core::direction::any,
                             std::nullopt, std::nullopt});
    }
    return s;
}

result<core::account_facts> load_facts(
    const storage::database& db, const storage::account_record& a, const reconcile_settings& settings,
    const std::function<result<void>(const storage::transaction_record&, const core::categorisation&)>& on_category,
    bool stored_categories) {
    auto plans = importers::plan_versions_from_json(a.plans_json, settings.extra_categories);
    if (!plans) return plans.error();
    auto dp_start = date_of(a.dp_start);
    if (!dp_start) return make_error(errc::invalid_argument, a.account_ref + ": dp_start is not a date");
    core::account_facts facts;
    facts.account_ref = a.account_ref;
    facts.dp_start = *dp_start;
    facts.plans = std::move(*plans);
    facts.rules = settings.rules;
    if (auto o = importers::apply_policy_overrides(facts.rules, a.policy_json); !o)
        return make_error(errc::invalid_argument, a.account_ref + ": " + o.error().message);
    if (a.return_frequency == "quarterly") facts.returns = core::return_frequency::quarterly;
    else if (a.return_frequency == "6-monthly") facts.returns = core::return_frequency::six_monthly;
    else if (a.return_frequency == "annually") facts.returns = core::return_frequency::annually;
    const core::categoriser categorise(settings.council);
    // Each plan version's rules, prepared once for all of its transactions.
    std::vector<core::categoriser::prepared_rules> version_rules;
    for (const auto& v : facts.plans) version_rules.push_back(core::categoriser::prepare(core::account_rules(v)));
    const core::categoriser::prepared_rules no_rules;
    auto txns = storage::list_transactions(db, a.id, "", "", !stored_categories);
    if (!txns) return txns.error();
    facts.transactions.reserve(txns->size());
    for (const auto& t : *txns) {
        core::categorised_transaction c;
        c.t.date = date_of(t.posted_on).value_or(*dp_start);
        c.t.amount = core::money::from_pence(t.amount_pence);
        c.t.description = t.description;
        c.t.reference = t.bank_reference;
        if (t.balance_pence) c.t.balance = core::money::from_pence(*t.balance_pence);
        c.t.line = static_cast<std::size_t>(t.source_line);
        if (stored_categories) {
            if (t.category.empty()) return make_error(errc::conflict, a.account_ref + " has transactions not yet categorised");
            c.category = t.category;
            facts.transactions.push_back(std::move(c));
            continue;
        }
        const core::plan_version* v = core::version_on(facts.plans, c.t.date);
        const core::categorisation cat =
            categorise.categorise(c.t, v ? version_rules[static_cast<std::size_t>(v - facts.plans.data())] : no_rules);
        if (on_category) {
            if (auto r = on_category(t, cat); !r) return r.error();
        }
        c.category = cat.category;
        facts.transactions.push_back(std::move(c));
    }
    // Each import's reach, from its first and last rows in the order the money moved.
    std::map<std::int64_t, std::pair<const storage::transaction_record*, const storage::transaction_record*>> ends;
    for (const auto& t : *txns) {
        auto& e = ends[t.import_id];
        if (!e.first) e.first = &t;
        e.second = &t;
    }
    auto names = storage::import_names(db);
    if (!names) return names.error();
    for (const auto& [import_id, e] : ends) {
        auto first = date_of(e.first->posted_on);
        auto last = date_of(e.second->posted_on);
        if (!first || !last) continue;
        core::statement_cover c{(*names)[import_id], *first, *last, std::nullopt, std::nullopt};
        if (e.first->balance_pence) c.opening = core::money::from_pence(*e.first->balance_pence - e.first->amount_pence);
        if (e.second->balance_pence) c.closing = core::money::from_pence(*e.second->balance_pence);
        facts.statements.push_back(std::move(c));
    }
    auto findings = storage::balance_findings(db, a.id);
    if (!findings) return findings.error();
    for (const auto& f : *findings) {
        facts.findings.push_back({f.file_name, f.line, date_of(f.posted_on).value_or(*dp_start),
                                  core::money::from_pence(f.expected_pence), core::money::from_pence(f.actual_pence)});
    }
    return facts;
}

result<reconcile_summary> reconcile_accounts(storage::database& db, const reconcile_settings& settings,
                                             const std::vector<std::string>& refs, core::civil_date today,
                                             const std::string& now_utc, const std::function<bool()>& cancelled) {
    auto accounts = storage::list_accounts(db);
    if (!accounts) return accounts.error();
    const std::string today_iso = core::format_iso_date(today);
    reconcile_summary summary;

    for (const auto& a : *accounts) {
        if (!refs.empty() && std::find(refs.begin(), refs.end(), a.account_ref) == refs.end()) continue;
        if (cancelled && cancelled()) return make_error(errc::cancelled, "reconciliation was stopped");
        if (auto plans = importers::plan_versions_from_json(a.plans_json, settings.extra_categories); !plans) {
            summary.problems.push_back(a.account_ref + ": " + plans.error().message);
            continue;
        }
        bool skipped = false;
        auto done = db.in_transaction([&]() -> result<void> {
            std::size_t seen = 0;
            // Categories stored under the same plan and rules are still right: skip reading the texts.
            const std::string key = rules_key(a, settings);
            auto status_now = storage::find_account_status(db, a.id);
            if (!status_now) return status_now.error();
            result<core::account_facts> facts = make_error(errc::conflict, "");
            if (*status_now && (*status_now)->rules_key == key) facts = load_facts(db, a, settings, {}, true);
            if (!facts && facts.error().code == errc::conflict) facts = load_facts(db, a, settings,
                                    [&](const storage::transaction_record& t, const core::categorisation& cat) -> result<void> {
                                        if (cancelled && ++seen % 4096 == 0 && cancelled())
                                            return make_error(errc::cancelled, "reconciliation of " + a.account_ref + " was stopped");
                                        if (cat.category == t.category && cat.rule == t.rule) return {};
                                        ++summary.recategorised;
                                        return storage::set_category(db, t.id, cat.category, cat.rule);
                                    });
            if (!facts) {
                if (facts.error().code != errc::invalid_argument) return facts.error();
                summary.problems.push_back(a.account_ref + ": " + facts.error().message);
                skipped = true;
                return {};
            }
            const core::reconciliation r = core::reconcile(*facts, today);
            auto changes = storage::sync_flags(db, a.id, r.flags, today_iso, now_utc);
            if (!changes) return changes.error();
            storage::account_status status;
            status.reconciled_on = today_iso;
            status.rules_key = key;
            if (!r.periods.empty()) {
                status.balance_pence = r.periods.back().closing.pence();
                status.balance_from_statement = r.periods.back().balance_from_statement;
            }
            if (!facts->transactions.empty()) status.balance_date = core::format_iso_date(facts->transactions.back().t.date);
            for (const auto& f : r.flags) {
                // Only a surplus now counts: the period that holds today.
                if (f.code == "SURPLUS" && !r.periods.empty() && f.span == r.periods.back().span)
                    status.recoverable_pence = f.amount.pence();
            }
            if (auto saved = storage::save_account_status(db, a.id, status); !saved) return saved;
            summary.raised += static_cast<std::int64_t>(changes->raised.size());
            summary.resolved += static_cast<std::int64_t>(changes->resolved.size());
            return {};
        });
        if (!done) return done.error();
        if (!skipped) ++summary.accounts;
    }
    return summary;
}

}  // namespace dpmon::daemon
