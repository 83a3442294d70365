#include "dpmon/app/reconcile_accounts.hpp"
#include "dpmon/app/bounded_queue.hpp"
#include "dpmon/app/sha256.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "dpmon/core/reconcile.hpp"
#include "dpmon/importers/plan_file.hpp"
#include "dpmon/storage/accounts.hpp"
#include "dpmon/storage/alert_queue.hpp"
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
    return sha256_hex(text);  // stored: std::hash would differ between standard library versions
}

result<core::account_facts> load_current_facts(const storage::database& db, const storage::account_record& a,
                                               const reconcile_settings& settings, bool figures_only) {
    auto status = storage::find_account_status(db, a.id);
    if (!status) return status.error();
    const bool same_rules = *status && (*status)->rules_key == rules_key(a, settings);
    if (figures_only && same_rules) {
        auto facts = load_facts(db, a, settings, {}, true, false);
        if (!facts) return facts.error();
        const bool all_stored = std::none_of(facts->transactions.begin(), facts->transactions.end(),
                                             [](const core::categorised_transaction& c) { return c.category.empty(); });
        if (all_stored) return facts;  // else rows came since the last pass: categorising them needs their texts
    }
    return load_facts(db, a, settings, {}, same_rules);
}

result<core::account_facts> load_facts(
    const storage::database& db, const storage::account_record& a, const reconcile_settings& settings,
    const std::function<result<void>(const storage::transaction_record&, const core::categorisation&)>& on_category,
    bool stored_categories, bool texts) {
    auto plans = importers::plan_versions_from_json(a.plans_json, settings.extra_categories);
    if (!plans) return plans.error();
    auto dp_start = date_of(a.dp_start);
    if (!dp_start) return make_error(errc::invalid_argument, a.account_ref + ": dp_start is not a date");
    core::account_facts facts;
    facts.account_ref = a.account_ref;
    facts.dp_start = *dp_start;
    facts.plans = std::move(*plans);
    facts.rules = settings.rules;
    facts.household = importers::household_from_json(a.household_json);
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
    // Texts are read in both paths: the audit checks look at descriptions (cash, restricted, household,
    // duplicates).
    auto rows = storage::list_ledger(db, a.id, texts);
    if (!rows) return rows.error();
    // Each import's reach, from its first and last rows in the order the money moved.
    std::map<std::int64_t, std::pair<const storage::ledger_row*, const storage::ledger_row*>> ends;
    for (const auto& r : *rows) {
        auto& e = ends[r.import_id];
        if (!e.first) e.first = &r;
        e.second = &r;
    }
    for (const auto& [import_id, e] : ends) {
        auto name = storage::import_name(db, import_id);
        if (!name) return name.error();
        core::statement_cover c{std::move(*name), e.first->c.t.date, e.second->c.t.date, std::nullopt, std::nullopt};
        if (e.first->c.t.balance) c.opening = *e.first->c.t.balance - e.first->c.t.amount;
        if (e.second->c.t.balance) c.closing = *e.second->c.t.balance;
        facts.statements.push_back(std::move(c));
    }
    facts.transactions.reserve(rows->size());
    for (auto& r : *rows) {
        r.c.id = r.id;
        if (stored_categories && !r.c.category.empty()) {
            facts.transactions.push_back(std::move(r.c));
            continue;
        }
        const core::plan_version* v = core::version_on(facts.plans, r.c.t.date);
        const core::categorisation cat =
            categorise.categorise(r.c.t, v ? version_rules[static_cast<std::size_t>(v - facts.plans.data())] : no_rules);
        if (on_category) {
            storage::transaction_record t;
            t.id = r.id;
            t.category = r.c.category;
            t.rule = r.rule;
            if (auto res = on_category(t, cat); !res) return res.error();
        }
        r.c.category = cat.category;
        facts.transactions.push_back(std::move(r.c));
    }
    auto acknowledged = texts ? storage::list_flags(db, "acknowledged", "", a.id) : std::vector<storage::flag_record>{};
    if (!acknowledged) return acknowledged.error();
    for (const auto& f : *acknowledged) {
        if (!core::is_event_check(f.code)) continue;
        auto& ack = facts.acknowledged[f.code];
        ++ack.flags;
        ack.transactions.insert(f.transaction_ids.begin(), f.transaction_ids.end());
    }
    auto findings = storage::balance_findings(db, a.id);
    if (!findings) return findings.error();
    for (const auto& f : *findings) {
        facts.findings.push_back({f.file_name, f.line, date_of(f.posted_on).value_or(*dp_start),
                                  core::money::from_pence(f.expected_pence), core::money::from_pence(f.actual_pence)});
    }
    return facts;
}

namespace {

struct category_change {
    std::int64_t id = 0;
    std::string category;
    std::string rule;
};

// One account made ready on the reading side: its facts with the categories they have now, and the
// categories to store. `problem` says why it cannot be reconciled (its plan cannot be read).
struct prepared_account {
    const storage::account_record* account = nullptr;
    std::string key;
    std::optional<core::account_facts> facts;
    std::vector<category_change> changes;
    std::string problem;
    bool first = false;  // never reconciled with a statement before: onboarding
};

result<prepared_account> prepare(const storage::database& reader, const storage::account_record& a,
                                 const reconcile_settings& settings, const std::function<bool()>& stop) {
    prepared_account p;
    p.account = &a;
    p.key = rules_key(a, settings);
    auto status_now = storage::find_account_status(reader, a.id);
    if (!status_now) return status_now.error();
    // Categories stored under the same plan and rules are still right: only new rows are categorised, and
    // the other rows' texts are not even read. Otherwise every row is categorised again.
    const bool same_rules = *status_now && (*status_now)->rules_key == p.key;
    p.first = !*status_now || (*status_now)->balance_date.empty();  // no statement seen before
    std::size_t seen = 0;
    auto facts = load_facts(
        reader, a, settings,
        [&](const storage::transaction_record& t, const core::categorisation& cat) -> result<void> {
            if (stop && ++seen % 4096 == 0 && stop())
                return make_error(errc::cancelled, "reconciliation of " + a.account_ref + " was stopped");
            if (cat.category != t.category || cat.rule != t.rule) p.changes.push_back({t.id, cat.category, cat.rule});
            return {};
        },
        same_rules);
    if (!facts) {
        if (facts.error().code != errc::invalid_argument) return facts.error();
        p.problem = a.account_ref + ": " + facts.error().message;
        return p;
    }
    p.facts = std::move(*facts);
    return p;
}

// Stores what reconciling a prepared account gives, in the caller's transaction.
result<void> apply(storage::database& db, const reconcile_settings& settings, const prepared_account& p,
                   core::civil_date today, const std::string& now_utc, reconcile_summary& summary) {
    if (!p.problem.empty()) {
        summary.problems.push_back(p.problem);
        return {};
    }
    const std::int64_t account_id = p.account->id;
    for (const auto& c : p.changes) {
        if (auto r = storage::set_category(db, c.id, c.category, c.rule); !r) return r;
    }
    const core::account_facts& facts = *p.facts;
    const core::reconciliation r = core::reconcile(facts, today);
    const std::string today_iso = core::format_iso_date(today);
    auto changes = storage::sync_flags(db, account_id, r.flags, today_iso, now_utc);
    if (!changes) return changes.error();
    auto now = core::parse_utc_timestamp(now_utc);
    if (!now) return now.error();
    if (auto q = queue_flag_alerts(db, settings.alerts, *p.account, *changes, today, *now, p.first); !q) return q.error();
    if (p.first && r.judged_to) {  // its first reconciliation with statements: onboarding
        if (auto o = storage::record_onboarding(db, account_id, p.account->finance_officer, today_iso, now_utc); !o) return o;
    }
    storage::account_status status;
    status.reconciled_on = today_iso;
    status.rules_key = p.key;
    if (!r.periods.empty()) {
        status.balance_pence = r.periods.back().closing.pence();
        status.balance_from_statement = r.periods.back().balance_from_statement;
    }
    if (!facts.transactions.empty()) status.balance_date = core::format_iso_date(facts.transactions.back().t.date);
    for (const auto& f : r.flags) {
        if (f.code == core::flag_code::surplus) status.recoverable_pence = f.amount.pence();
    }
    if (auto saved = storage::save_account_status(db, account_id, status); !saved) return saved;
    summary.recategorised += static_cast<std::int64_t>(p.changes.size());
    summary.raised += static_cast<std::int64_t>(changes->raised.size());
    summary.resolved += static_cast<std::int64_t>(changes->resolved.size());
    ++summary.accounts;
    return {};
}

// Accounts handed from the reading thread to the writing one (a small bounded queue, so memory stays
// flat whatever the number of accounts). The reading thread hands prepared accounts to the writing one; it reads batch b only once the writer
// has begun batch b (the writer holds the write lock, so the reader's snapshot sees everything committed
// before it and nothing can commit under it).
class handover {
public:
    explicit handover(std::size_t capacity) : items(capacity) {}

    // Consumer: batch `b` may be read now.
    void begin_batch(std::size_t b) {
        std::lock_guard lock(m_);
        begun_ = b + 1;
        cv_.notify_all();
    }
    // Producer: false when the consumer has stopped.
    bool wait_batch(std::size_t b) {
        std::unique_lock lock(m_);
        cv_.wait(lock, [&] { return halted_ || begun_ > b; });
        return !halted_;
    }
    // Consumer: the next account, or errc::cancelled as soon as `cancelled` says so.
    result<prepared_account> pop(const std::function<bool()>& cancelled) {
        auto item = items.pop(cancelled);
        if (!item) return make_error(errc::cancelled, "reconciliation was stopped");
        return std::move(*item);
    }
    void halt() {
        items.stop();
        std::lock_guard lock(m_);
        halted_ = true;
        cv_.notify_all();
    }

    bounded_queue<result<prepared_account>> items;

private:
    std::mutex m_;
    std::condition_variable cv_;
    std::size_t begun_ = 0;
    bool halted_ = false;
};

// Accounts per write transaction: few commits (each one an fsync), while a concurrent writer (an
// acknowledgement, a plan update) waits at most a fraction of a second.
constexpr std::size_t batch_size = 200;

}  // namespace

result<reconcile_summary> reconcile_accounts(storage::database& db, const reconcile_settings& settings,
                                             const std::vector<std::string>& refs, core::civil_date today,
                                             const std::string& now_utc, const std::function<bool()>& cancelled) {
    auto accounts = storage::list_accounts(db);
    if (!accounts) return accounts.error();
    std::vector<const storage::account_record*> todo;
    for (const auto& a : *accounts) {
        if (refs.empty() || std::find(refs.begin(), refs.end(), a.account_ref) != refs.end()) todo.push_back(&a);
    }
    reconcile_summary summary;
    const std::size_t batches = (todo.size() + batch_size - 1) / batch_size;
    auto batch_of = [&](std::size_t b) {
        return std::pair(b * batch_size, std::min(todo.size(), (b + 1) * batch_size));
    };

    // Several accounts: they are read on a second connection and thread while this one reconciles and
    // writes, which halves the time of a full pass on two cores. One account, or an in-memory database:
    // all here.
    std::optional<storage::database> reader;
    if (todo.size() > 1) {
        if (auto r = storage::database::open_reader(db.path(), false); r) reader.emplace(std::move(*r));
    }
    handover queue(8);
    std::thread loader;
    if (reader) {
        loader = std::thread([&] {
            for (std::size_t b = 0; b < batches; ++b) {
                if (!queue.wait_batch(b)) return;
                if (auto r = reader->begin_read(); !r) {
                    queue.items.push(r.error());
                    return;
                }
                const auto [first, last] = batch_of(b);
                bool ok = true;
                for (std::size_t i = first; i < last && ok; ++i) {
                    auto p = prepare(*reader, *todo[i], settings, [&] { return queue.items.stopped(); });
                    const bool failed = !p;
                    ok = queue.items.push(std::move(p)) && !failed;
                }
                reader->rollback();  // ends the read snapshot
                if (!ok) return;
            }
        });
    }
    struct stop_loader {
        handover& q;
        std::thread& t;
        ~stop_loader() {
            q.halt();
            if (t.joinable()) t.join();
        }
    } guard{queue, loader};

    for (std::size_t b = 0; b < batches; ++b) {
        if (auto r = db.begin(); !r) return r.error();
        queue.begin_batch(b);
        const auto [first, last] = batch_of(b);
        for (std::size_t i = first; i < last; ++i) {
            if (cancelled && cancelled()) {
                // Accounts already done stay done.
                if (auto c = db.commit(); !c) return c.error();
                return make_error(errc::cancelled, "reconciliation was stopped");
            }
            auto p = reader ? queue.pop(cancelled) : prepare(db, *todo[i], settings, cancelled);
            auto r = p ? apply(db, settings, *p, today, now_utc, summary) : result<void>(p.error());
            if (!r && r.error().code == errc::cancelled) {
                if (auto c = db.commit(); !c) return c.error();
                return r.error();
            }
            if (!r) {
                db.rollback();
                return r.error();
            }
        }
        if (auto c = db.commit(); !c) return c.error();
    }
    return summary;
}

}  // namespace dpmon::daemon
