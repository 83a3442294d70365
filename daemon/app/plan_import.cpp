#include "dpmon/app/plan_import.hpp"
#include "dpmon/app/system_clock.hpp"

#include <chrono>
#include <fstream>
#include <sstream>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/text.hpp"
#include "dpmon/importers/plan_csv.hpp"
#include "dpmon/importers/plan_file.hpp"
#include "dpmon/storage/accounts.hpp"
#include "dpmon/storage/review_store.hpp"

namespace dpmon::daemon {
namespace {

storage::account_record record_of(const importers::plan_account& a) {
    storage::account_record r;
    r.account_ref = a.account_ref;
    r.person_ref = a.person_ref;
    r.account_type = a.account_type;
    r.sort_code = a.sort_code;
    r.account_number = a.account_number;
    r.card_id = a.card_id;
    r.dp_start = a.dp_start;
    r.finance_officer = a.finance_officer;
    r.status = a.status;
    r.plans_json = a.plans_json.empty() ? "[]" : a.plans_json;
    r.policy_json = a.policy_json;
    r.return_frequency = a.return_frequency;
    r.closed_on = a.closed_on;
    r.household_json = a.household_json;
    return r;
}

}  // namespace

result<plan_report> apply_plan_file(storage::database& db, const std::filesystem::path& file,
                                    std::span<const std::string> extra_categories, std::optional<core::civil_date> retention_cutoff) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return make_error(errc::io_error, "cannot read the plan file " + file.string());
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return make_error(errc::io_error, "cannot read the plan file " + file.string());
    return apply_plan_bytes(db, text.str(), file.filename().string(), extra_categories, retention_cutoff);
}

result<plan_report> apply_plan_bytes(storage::database& db, const std::string& bytes, const std::string& file_name,
                                     std::span<const std::string> extra_categories, std::optional<core::civil_date> retention_cutoff) {
    if (!core::iequals(std::filesystem::path(file_name).extension().string(), ".csv"))
        return apply_plan_text(db, bytes, file_name, extra_categories, retention_cutoff);
    // The CSV form (case-management exports) becomes the JSON form first.
    auto json = importers::plan_csv_to_json(bytes);
    if (json) return apply_plan_text(db, *json, file_name, extra_categories, retention_cutoff);
    plan_report report;
    report.file_name = file_name;
    // The message is copied: error() returns the error by value, so a view into it would dangle.
    const std::string message = json.error().message;
    std::string_view rest = message;
    while (!rest.empty()) {
        const std::size_t nl = rest.find('\n');
        report.errors.push_back(report.file_name + ": " + std::string(rest.substr(0, nl)));
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
    }
    return report;
}

result<plan_report> apply_plan_text(storage::database& db, std::string_view json_text, const std::string& source,
                                    std::span<const std::string> extra_categories, std::optional<core::civil_date> retention_cutoff) {
    plan_report report;
    report.file_name = source;
    const importers::plan_file parsed = importers::parse_plan_file(json_text, extra_categories);
    for (const auto& e : parsed.errors) report.errors.push_back(report.file_name + ": " + e);
    if (!report.errors.empty()) return report;

    std::vector<storage::account_record> records;
    for (const auto& a : parsed.accounts) records.push_back(record_of(a));
    const std::string cutoff = retention_cutoff ? core::format_iso_date(*retention_cutoff) : std::string();
    // Whole or not at all: the accounts and the reviews they say were completed before dpmon.
    const std::string now = now_utc();
    auto applied = db.in_transaction([&]() -> result<void> {
        for (std::size_t i = 0; i < records.size(); ++i) {
            const auto& r = records[i];
            if (!cutoff.empty() && r.status == "closed" && !r.closed_on.empty() && r.closed_on <= cutoff) {
                auto stored = storage::find_account(db, r.account_ref);
                if (!stored) return stored.error();
                if (!*stored) {
                    report.past_retention.push_back(r.account_ref);
                    continue;
                }
            }
            auto id = storage::upsert_account(db, r);
            if (!id) return id.error();
            report.accounts.push_back(r.account_ref);
            for (const auto& [kind, on] : parsed.accounts[i].completed_reviews) {
                if (auto done = storage::record_past_review(db, *id, kind, on, source, now); !done) return done;
            }
        }
        return {};
    });
    if (!applied) return applied.error();
    return report;
}

}  // namespace dpmon::daemon
