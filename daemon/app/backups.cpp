#include "dpmon/app/backups.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <set>
#include <system_error>

namespace dpmon::daemon::app {

namespace fs = std::filesystem;

result<storage::backup_facts> take_backup(const fs::path& db_path, const fs::path& out) { return storage::back_up(db_path, out); }

result<storage::backup_facts> check_backup(const fs::path& file) { return storage::check_backup(file); }

result<storage::restored> restore_backup(const fs::path& db_path, const fs::path& from, const std::string& stamp) {
    return storage::restore_database(db_path, from, stamp);
}

std::string daily_backup_name(core::civil_date day) { return "dpmon-" + core::format_iso_date(day) + ".db"; }

std::vector<daily_backup> list_daily_backups(const fs::path& folder) {
    std::vector<daily_backup> out;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() != 19 || !name.starts_with("dpmon-") || !name.ends_with(".db")) continue;
        auto day = core::parse_iso_date(name.substr(6, 10));
        if (day && name == daily_backup_name(*day)) out.push_back({it->path(), *day});
    }
    std::sort(out.begin(), out.end(), [](const daily_backup& a, const daily_backup& b) { return a.day > b.day; });
    return out;
}

std::vector<core::civil_date> backups_to_keep(std::vector<core::civil_date> days, std::int64_t keep_daily,
                                              std::int64_t keep_weekly) {
    std::sort(days.begin(), days.end(), std::greater<>());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    std::set<core::civil_date> keep;
    for (std::size_t i = 0; i < days.size() && static_cast<std::int64_t>(i) < keep_daily; ++i) keep.insert(days[i]);
    std::set<date::sys_days> weeks;  // each week by its Monday
    for (const core::civil_date& d : days) {  // newest first: the first seen of a week is its newest
        const date::sys_days day{d};
        const date::sys_days monday = day - (date::weekday{day} - date::Monday);
        if (weeks.count(monday) != 0) continue;
        if (static_cast<std::int64_t>(weeks.size()) >= keep_weekly) break;
        weeks.insert(monday);
        keep.insert(d);
    }
    return {keep.rbegin(), keep.rend()};
}

result<daily_backup_result> take_daily_backup(const fs::path& db_path, const fs::path& folder, core::civil_date day,
                                              std::int64_t keep_daily, std::int64_t keep_weekly) {
    std::error_code ec;
    if (!fs::exists(folder, ec)) {
        fs::create_directories(folder, ec);
        if (ec) return make_error(errc::io_error, "cannot create the backups folder " + folder.string() + ": " + ec.message());
        ::chmod(folder.c_str(), 0700);
    }
    daily_backup_result r;
    auto taken = storage::back_up(db_path, folder / daily_backup_name(day));
    if (!taken && taken.error().code != errc::conflict) return taken.error();
    if (!taken) {  // today's is there already (a restart after it was taken)
        auto there = storage::check_backup(folder / daily_backup_name(day));
        if (!there) return there.error();
        r.backup = std::move(*there);
        return r;
    }
    r.backup = std::move(*taken);
    const auto all = list_daily_backups(folder);
    std::vector<core::civil_date> days;
    for (const auto& b : all) days.push_back(b.day);
    const auto keep = backups_to_keep(days, keep_daily, keep_weekly);
    for (const auto& b : all) {
        if (std::find(keep.begin(), keep.end(), b.day) != keep.end()) continue;
        if (fs::remove(b.file, ec)) r.removed.push_back(b.file);
        if (ec) return make_error(errc::io_error, "cannot remove the old backup " + b.file.string() + ": " + ec.message());
    }
    return r;
}

std::optional<fs::path> newest_good_backup(const fs::path& folder) {
    for (const auto& b : list_daily_backups(folder)) {
        if (storage::check_backup(b.file)) return b.file;
    }
    return std::nullopt;
}

}  // namespace dpmon::daemon::app
