// GET /api/v1/summary: the caseload in figures; GET /api/v1/worklist: accounts in priority order.
#include "routes.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "dpmon/app/system_clock.hpp"
#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/flag_code.hpp"
#include "dpmon/core/text.hpp"
#include "dpmon/app/queries.hpp"
#include "dpmon/views/views.hpp"
#include "route_helpers.hpp"
#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

#include "dpmon/core/money.hpp"

namespace dpmon::daemon {
namespace {

// Each worklist entry's JSON, made the first time a page shows it and kept while the worklist it came from
// is the one in use (entries do not change until the list is built again): a page copies 100 strings
// instead of building and serialising 100 documents per request.
class worklist_json {
public:
    using list_ptr = std::shared_ptr<const std::vector<core::worklist_entry>>;

    // The JSON of each of `list`'s entries at `indexes`.
    std::vector<std::shared_ptr<const std::string>> rows(const list_ptr& list, const std::vector<std::size_t>& indexes) {
        std::vector<std::shared_ptr<const std::string>> out(indexes.size());
        {
            std::lock_guard lock(mutex_);
            if (list_ != list) {  // a new list: what was kept belongs to the old one
                list_ = list;
                json_.assign(list->size(), nullptr);
            }
            for (std::size_t i = 0; i < indexes.size(); ++i) out[i] = json_[indexes[i]];
        }
        bool made = false;
        for (std::size_t i = 0; i < indexes.size(); ++i) {
            if (out[i]) continue;
            out[i] = std::make_shared<const std::string>(boost::json::serialize(worklist_entry_view((*list)[indexes[i]])));
            made = true;
        }
        if (made) {
            std::lock_guard lock(mutex_);
            if (list_ == list) {
                for (std::size_t i = 0; i < indexes.size(); ++i) json_[indexes[i]] = out[i];
            }
        }
        return out;
    }

    // The totals of what `filter` keeps of `list` with the officers of the whole list (core::total,
    // core::officers_of), worked out once per list and filter: every page of a walk shows the same.
    core::worklist_totals totals(const list_ptr& list, const core::worklist_filter& filter) {
        std::lock_guard lock(mutex_);
        if (totals_list_ != list) {
            totals_.clear();
            officers_ = core::officers_of(*list);
            totals_list_ = list;
        }
        const std::string key = filter.officer + '\n' + filter.concern;
        auto it = totals_.find(key);
        if (it == totals_.end()) {
            if (totals_.size() >= 256) totals_.clear();  // officers x concerns at most, in practice
            it = totals_.emplace(key, core::total(*list, filter)).first;
            it->second.officers = officers_;
        }
        return it->second;
    }

private:
    std::mutex mutex_;
    list_ptr list_;
    list_ptr totals_list_;
    std::vector<std::string> officers_;
    std::map<std::string, core::worklist_totals> totals_;
    std::vector<std::shared_ptr<const std::string>> json_;
};

}  // namespace

void add_summary_routes(http::router& r, const api_context& ctx) {
    const auto today = ctx.today;
    add_read(r, ctx, "/api/v1/summary", [today](const storage::database& db, const http::request&, const http::route_match&) {
        auto summary = app::summarise_caseload(db, today());
        if (!summary) return storage_failure(summary.error());
        return json(summary_view(*summary));
    });
    // The worklist is built whole (it ranks every account) and paged by its order: priority, then the number
    // of concerns (both descending), then reference.
    auto kept = std::make_shared<worklist_json>();
    add_read(r, ctx, "/api/v1/worklist", [today, kept](const storage::database& db, const http::request& req,
                                                      const http::route_match& m) {
        auto page = page_params(m, "accounts", 3);
        if (!page) return error_answer(page.error());
        auto list = app::caseload_worklist(db, today());
        if (!list) return storage_failure(list.error());
        const std::vector<core::worklist_entry>& entries = **list;
        const core::worklist_filter filter{query(m, "officer"), query(m, "concern")};
        if (!filter.concern.empty() && filter.concern != "REVIEW_OVERDUE" && !core::is_flag_code(filter.concern))
            return http::error_response(400, "bad_request", "concern must be a flag code (such as SURPLUS) or REVIEW_OVERDUE");
        auto key = [](const core::worklist_entry& e) {
            return std::tuple(-e.priority, -static_cast<std::int64_t>(e.concerns.size()), std::string_view(e.account_ref));
        };
        auto first = entries.begin();
        if (!page->after.empty()) {
            const auto priority = cursor_number(*page, 0);
            const auto concerns = cursor_number(*page, 1);
            if (!priority || !concerns) return error_answer(priority ? concerns.error() : priority.error());
            const auto after = std::tuple(-*priority, -*concerns, std::string_view(page->after[2]));
            first = std::upper_bound(entries.begin(), entries.end(), after,
                                     [&](const auto& a, const core::worklist_entry& e) { return a < key(e); });
        }
        std::vector<std::size_t> slice;  // indexes into the list
        for (auto it = first; it != entries.end() && static_cast<std::int64_t>(slice.size()) <= page->limit; ++it) {
            if (filter.matches(*it)) slice.push_back(static_cast<std::size_t>(it - entries.begin()));
        }
        const auto json_rows = kept->rows(*list, slice);
        const core::worklist_totals totals = kept->totals(*list, filter);
        std::vector<std::string_view> rows(json_rows.size());
        std::transform(json_rows.begin(), json_rows.end(), rows.begin(), [](const auto& j) { return std::string_view(*j); });
        return page_answer(req, "accounts", *page, std::move(rows),
                           [&](std::size_t i) {
                               const core::worklist_entry& e = entries[slice[i]];
                               return std::vector<std::string>{std::to_string(e.priority), std::to_string(e.concerns.size()),
                                                               e.account_ref};
                           },
                           boost::json::object{{"as_of", core::format_iso_date(today())},
                                               {"totals", worklist_totals_view(totals)}});
    });
}

}  // namespace dpmon::daemon
