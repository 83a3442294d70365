#include "dpmon/app/queries.hpp"

#include <filesystem>
#include <memory>
#include <mutex>

#include <algorithm>

#include "dpmon/core/text.hpp"

namespace dpmon::daemon::app {

result<storage::account_record> account_named(const storage::database& db, const std::string& ref) {
    auto a = storage::find_account(db, ref);
    if (!a) return a.error();
    if (!*a) return make_error(errc::not_found, "no account " + ref);
    return std::move(**a);
}

result<std::map<std::string, storage::exemption_record>> exemptions_in_force(const storage::database& db,
                                                                              core::civil_date today) {
    const std::string day = core::format_iso_date(today);
    auto all = storage::list_exemptions(db, 0);
    if (!all) return all.error();
    std::map<std::string, storage::exemption_record> out;
    for (auto& e : *all) {
        if (e.from_date > day || e.until_date < day) continue;
        auto it = out.find(e.account_ref);
        if (it == out.end() || it->second.until_date < e.until_date) out[e.account_ref] = std::move(e);
    }
    return out;
}

result<std::map<std::string, storage::review_record>> next_reviews(const storage::database& db, core::civil_date today) {
    storage::review_filter f;
    f.today = core::format_iso_date(today);
    auto all = storage::list_reviews(db, f);  // by due date: the first seen is the soonest
    if (!all) return all.error();
    std::map<std::string, storage::review_record> out;
    for (auto& r : *all) out.emplace(r.account_ref, std::move(r));
    return out;
}

result<std::vector<storage::account_row>> list_accounts(const storage::database& db, const account_filter& f) {
    return storage::list_account_rows(db, {f.flag, f.officer, f.status, f.after_ref, f.limit});
}

result<account_detail> account_details(const storage::database& db, const storage::account_record& account,
                                       const reconcile_settings& settings, core::civil_date today) {
    account_detail d;
    d.account = account;
    auto facts = load_current_facts(db, account, settings, true);
    if (!facts) return facts.error();
    d.facts = std::move(*facts);
    d.reconciliation = core::reconcile_periods(d.facts, today);  // its flags are the stored ones
    auto flags = storage::list_flags(db, "", "", account.id);
    if (!flags) return flags.error();
    d.flags = std::move(*flags);
    auto exemption = storage::active_exemption(db, account.id, core::format_iso_date(today));
    if (!exemption) return exemption.error();
    d.exemption = std::move(*exemption);
    for (const char* state : {"", "completed"}) {
        storage::review_filter f;
        f.state = state;
        f.today = core::format_iso_date(today);
        f.account_id = account.id;
        auto reviews = storage::list_reviews(db, f);
        if (!reviews) return reviews.error();
        d.reviews.insert(d.reviews.end(), reviews->begin(), reviews->end());
    }
    return d;
}

result<caseload_summary> summarise_caseload(const storage::database& db, core::civil_date today) {
    caseload_summary s;
    s.as_of = today;
    auto rows = storage::list_account_rows(db, {});
    if (!rows) return rows.error();
    auto exempt = exemptions_in_force(db, today);
    if (!exempt) return exempt.error();
    s.accounts = static_cast<std::int64_t>(rows->size());
    for (const auto& row : *rows) {
        if (row.account.status == "active") ++s.active_accounts;
        for (const auto& c : row.open_flags) ++s.accounts_by_open_flag[c];
        const auto& open = row.open_flags;
        if (std::find(open.begin(), open.end(), "STATEMENT_OVERDUE") != open.end()) ++s.accounts_without_statement;
        if (!row.status) continue;
        const core::money recoverable = core::money::from_pence(row.status->recoverable_pence);
        (exempt->count(row.account.account_ref) ? s.recoverable_surplus_exempt : s.recoverable_surplus) += recoverable;
    }
    auto recs = storage::list_recoveries(db, 0, "");
    if (!recs) return recs.error();
    for (const auto& rec : *recs) {
        auto& [count, amount] = s.recoveries_by_state[std::string(core::to_string(rec.state))];
        ++count;
        const bool closed = rec.state == core::recovery_state::recovered || rec.state == core::recovery_state::offset;
        amount += core::money::from_pence(closed ? rec.closed_amount_pence : rec.amount_pence);
    }
    auto reviews = storage::count_reviews(db, core::format_iso_date(today));
    if (!reviews) return reviews.error();
    s.reviews = *reviews;
    auto outbox = storage::count_outbox(db);
    if (!outbox) return outbox.error();
    s.outbox = *outbox;
    auto first = worklist(db, "", 10, today);
    if (!first) return first.error();
    s.first_in_worklist = std::move(*first);
    return s;
}

namespace {

// Every account's concerns, ranked (the whole caseload's worklist).
result<std::vector<core::worklist_entry>> build_full_worklist(const storage::database& db, const std::string& officer,
                                                              core::civil_date today) {
    auto accounts = storage::list_account_officers(db);
    if (!accounts) return accounts.error();
    std::map<std::string, core::account_concerns> by_ref;
    for (const auto& a : *accounts) {
        if (!officer.empty() && !core::iequals(a.finance_officer, officer)) continue;
        by_ref[a.account_ref] = core::account_concerns{a.account_ref, a.finance_officer, {}};
    }
    auto exempt = exemptions_in_force(db, today);
    if (!exempt) return exempt.error();
    auto flags = storage::list_flags(db, "open", "", 0);
    if (!flags) return flags.error();
    for (const auto& f : *flags) {
        const auto it = by_ref.find(f.account_ref);
        if (it == by_ref.end() || (f.code == core::flag_code::surplus && exempt->count(f.account_ref))) continue;
        core::concern c;
        c.flag_id = f.id;
        c.code = f.code;
        c.amount = core::money::from_pence(f.amount_pence);
        const auto since = core::parse_iso_date(f.since);
        c.since = since ? *since : today;
        c.reason = core::first_sentence(f.reason);
        it->second.concerns.push_back(std::move(c));
    }
    storage::review_filter rf;
    rf.state = "overdue";
    rf.today = core::format_iso_date(today);
    auto reviews = storage::list_reviews(db, rf);
    if (!reviews) return reviews.error();
    for (const auto& r : *reviews) {
        const auto it = by_ref.find(r.account_ref);
        core::review_kind kind{};
        if (it == by_ref.end() || !core::parse_review_kind(r.kind, kind)) continue;
        core::concern c;
        c.review = kind;
        const auto due = core::parse_iso_date(r.due_on);
        c.since = due ? *due : today;
        c.reason = "The " + std::string(core::plain_name(kind)) + " was due on " + r.due_on + ".";
        it->second.concerns.push_back(std::move(c));
    }
    std::vector<core::account_concerns> all;
    for (auto& [ref, a] : by_ref) all.push_back(std::move(a));
    return core::build_worklist(std::move(all));
}

// The last worklist built, for the database, the day and the generation it was built at.
struct worklist_memo {
    std::mutex mutex;
    std::filesystem::path db_path;
    core::civil_date day;
    std::int64_t generation = -1;
    std::shared_ptr<const std::vector<core::worklist_entry>> list;
};

worklist_memo& memo() {
    static worklist_memo m;
    return m;
}

}  // namespace

result<std::vector<core::worklist_entry>> worklist(const storage::database& db, const std::string& officer,
                                                   std::size_t limit, core::civil_date today) {
    auto list = build_full_worklist(db, officer, today);
    if (!list) return list.error();
    if (limit != 0 && list->size() > limit) list->resize(limit);
    return list;
}

result<std::shared_ptr<const std::vector<core::worklist_entry>>> caseload_worklist(const storage::database& db,
                                                                                     core::civil_date today) {
    // The generation is read before the rows: the list kept is never older than the number it is kept under
    // (a write in between makes the next request build again).
    auto generation = storage::worklist_generation(db);
    if (!generation) return generation.error();
    worklist_memo& m = memo();
    {
        std::lock_guard lock(m.mutex);
        if (m.list && m.generation == *generation && m.day == today && m.db_path == db.path()) return m.list;
    }
    auto built = build_full_worklist(db, "", today);
    if (!built) return built.error();
    auto list = std::make_shared<const std::vector<core::worklist_entry>>(std::move(*built));
    std::lock_guard lock(m.mutex);
    if (*generation >= m.generation || m.db_path != db.path() || m.day != today) {
        m.db_path = db.path();
        m.day = today;
        m.generation = *generation;
        m.list = list;
    }
    return list;
}

}  // namespace dpmon::daemon::app
