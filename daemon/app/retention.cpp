#include "dpmon/app/retention.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <system_error>

#include "dpmon/app/sha256.hpp"
#include "dpmon/core/text.hpp"
#include "dpmon/importers/plan_csv.hpp"
#include "dpmon/importers/plan_file.hpp"

namespace dpmon::daemon::app {
namespace {

namespace fs = std::filesystem;

// Files larger than this are statements, never plan files: not read whole to look for references.
constexpr std::uintmax_t max_plan_bytes = 64ull * 1024 * 1024;

std::string read_whole(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Whether `text` names one of `ids` as a whole (core::names_whole; ids shorter than 4 characters are
// not looked for: too likely to stand for something else).
bool mentions_any(const std::string& text, const std::vector<std::string>& ids) {
    return std::any_of(ids.begin(), ids.end(), [&](const std::string& id) { return id.size() >= 4 && core::names_whole(text, id); });
}

std::vector<fs::path> files_under(const fs::path& root) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec)) out.push_back(it->path());
    }
    return out;
}

// The account references a plan file names (JSON, or the CSV layout); empty when it is not one.
std::vector<std::string> plan_refs(const fs::path& p, const std::string& text) {
    std::string json = text;
    if (p.extension() == ".csv") {
        auto converted = importers::plan_csv_to_json(text);
        if (!converted) return {};
        json = std::move(*converted);
    }
    std::vector<std::string> refs;
    for (const auto& a : importers::parse_plan_file(json).accounts) refs.push_back(a.account_ref);
    return refs;
}

result<std::int64_t> purge_archive(const storage::database& db, const fs::path& archive,
                                   const std::vector<storage::released_import>& released, const std::vector<std::string>& refs) {
    std::int64_t removed = 0;
    std::error_code ec;
    for (const fs::path& f : files_under(archive)) {
        const std::string name = f.filename().string();
        const bool named = std::any_of(released.begin(), released.end(), [&](const auto& r) { return r.file_name == name; });
        const auto size = fs::file_size(f, ec);
        if (!named && (ec || size > max_plan_bytes)) continue;
        const std::string text = read_whole(f);
        bool go = false;
        if (named) {
            const std::string sha = sha256_hex(text);
            go = std::any_of(released.begin(), released.end(), [&](const auto& r) { return r.sha256 == sha; });
        }
        if (!go && mentions_any(text, refs)) {  // a plan file: goes once none of its accounts is stored
            const auto named_refs = plan_refs(f, text);
            auto left = storage::refs_still_stored(db, named_refs);
            if (!left) return left.error();
            go = !named_refs.empty() && left->empty();
        }
        if (go && fs::remove(f, ec)) ++removed;
        if (ec) return make_error(errc::io_error, "cannot remove the archived file " + f.string() + ": " + ec.message());
    }
    return removed;
}

// A rejected file goes with its NAME.error.txt when either is older than the cutoff or names a purged account.
result<std::int64_t> purge_rejected(const fs::path& rejected, fs::file_time_type cutoff, const std::vector<std::string>& needles) {
    std::set<fs::path> doomed;
    std::error_code ec;
    for (const fs::path& f : files_under(rejected)) {
        const auto mtime = fs::last_write_time(f, ec);
        if ((!ec && mtime < cutoff) || (!needles.empty() && mentions_any(read_whole(f), needles))) {
            std::string base = f.string();
            if (base.ends_with(".error.txt")) base.resize(base.size() - 10);
            doomed.insert(base);
            doomed.insert(base + ".error.txt");
        }
    }
    std::int64_t removed = 0;
    for (const auto& f : doomed) {
        if (fs::remove(f, ec)) ++removed;
        if (ec) return make_error(errc::io_error, "cannot remove the rejected file " + f.string() + ": " + ec.message());
    }
    return removed;
}

result<std::int64_t> purge_mail(const fs::path& maildir, const std::vector<std::string>& refs) {
    std::int64_t removed = 0;
    std::error_code ec;
    for (const fs::path& f : files_under(maildir)) {
        if (!mentions_any(read_whole(f), refs)) continue;
        if (fs::remove(f, ec)) ++removed;
        if (ec) return make_error(errc::io_error, "cannot remove the message " + f.string() + ": " + ec.message());
    }
    return removed;
}

}  // namespace

core::civil_date retention_cutoff(core::civil_date today, std::int64_t retention_years) {
    return core::add_months(today, -12 * static_cast<int>(retention_years));
}

result<purge_report> purge_closed_accounts(storage::database& db, const retention_paths& paths, std::int64_t retention_years,
                                           core::civil_date today, bool dry_run) {
    purge_report report;
    report.cutoff = retention_cutoff(today, retention_years);
    report.dry_run = dry_run;
    const std::string cutoff = core::format_iso_date(report.cutoff);
    auto candidates = storage::find_retention_candidates(db, cutoff);
    if (!candidates) return candidates.error();
    report.waiting = candidates->waiting;
    for (const auto& a : candidates->due) report.accounts.push_back(a.account_ref);
    if (dry_run) return report;
    auto counts = storage::purge_accounts(db, candidates->due, cutoff);
    if (!counts) return counts.error();
    report.counts = std::move(*counts);
    // The files go after the rows, by the list the purge's transaction kept: with those of an earlier purge
    // that stopped before its files were gone (a crash, a full disk), so none is left behind.
    auto pending = storage::pending_file_purge(db);
    if (!pending) return pending.error();
    if (!pending->refs.empty() || !pending->released.empty()) {
        auto archived = purge_archive(db, paths.archive, pending->released, pending->refs);
        if (!archived) return archived.error();
        report.archive_files = *archived;
        auto mail = purge_mail(paths.maildir, pending->refs);
        if (!mail) return mail.error();
        report.mail_files = *mail;
    }
    std::vector<std::string> needles = pending->refs;
    needles.insert(needles.end(), pending->identifiers.begin(), pending->identifiers.end());
    const auto cutoff_time = fs::file_time_type::clock::from_sys(std::chrono::sys_seconds{date::sys_days{report.cutoff}});
    auto rejected = purge_rejected(paths.rejected, cutoff_time, needles);
    if (!rejected) return rejected.error();
    report.rejected_files = *rejected;
    if (!pending->empty()) {
        if (auto c = storage::clear_pending_file_purge(db); !c) return c.error();
    }
    // The purge stands even when readers keep the WAL from being emptied now: the next purge or checkpoint does.
    if (auto c = storage::checkpoint_truncate(db); !c) report.checkpoint_problem = c.error().message;
    return report;
}

}  // namespace dpmon::daemon::app
