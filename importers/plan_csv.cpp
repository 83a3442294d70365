#include "dpmon/importers/plan_csv.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <algorithm>
#include <map>

#include "dpmon/core/text.hpp"
#include "dpmon/importers/csv_reader.hpp"
#include "dpmon/importers/text_decoder.hpp"

namespace dpmon::importers {
namespace {

constexpr const char* required[] = {"account_ref", "person_ref", "account_type", "finance_officer", "dp_start",
                                    "effective_from", "weekly_budget", "council_payment_amount",
                                    "council_payment_first", "council_payment_payer"};
constexpr const char* account_fields[] = {"person_ref", "account_type", "finance_officer", "status", "dp_start",
                                          "sort_code", "account_number", "card_id"};

}  // namespace

result<std::string> plan_csv_to_json(std::string_view csv_text) {
    std::string text;
    text_decoder decoder(text_encoding::utf8);
    if (auto r = decoder.decode(csv_text, text); !r) return r.error();
    std::vector<std::string> problems;
    std::vector<std::string> header;
    std::map<std::string, boost::json::object> accounts;  // by reference
    std::vector<std::string> order;
    std::map<std::string, std::map<std::string, boost::json::object>> versions;  // ref -> effective_from -> version
    std::map<std::string, std::size_t> first_line;

    auto on_record = [&](std::span<const std::string_view> fields, std::size_t line) {
        if (header.empty()) {
            for (auto f : fields) header.push_back(core::to_lower(core::trim(f)));
            for (const char* r : required) {
                if (std::find(header.begin(), header.end(), r) == header.end())
                    problems.push_back("line " + std::to_string(line) + ": field '" + r + "': the column is missing");
            }
            return problems.empty();
        }
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size() && i < fields.size(); ++i) row[header[i]] = std::string(core::trim(fields[i]));
        auto get = [&](const char* k) { return row.count(k) ? row[k] : std::string(); };
        const std::string ref = get("account_ref");
        if (ref.empty()) {
            problems.push_back("line " + std::to_string(line) + ": field 'account_ref': missing");
            return true;
        }
        auto [it, fresh] = accounts.try_emplace(ref);
        boost::json::object& a = it->second;
        if (fresh) {
            order.push_back(ref);
            first_line[ref] = line;
            a["account_ref"] = ref;
            for (const char* k : account_fields) {
                if (!get(k).empty()) a[k] = get(k);
            }
            boost::json::object bank;
            if (!get("sort_code").empty()) bank["sort_code"] = get("sort_code");
            if (!get("account_number").empty()) bank["account_number"] = get("account_number");
            if (!get("card_id").empty()) bank["card_id"] = get("card_id");
            a["bank"] = std::move(bank);
            a.erase("sort_code");
            a.erase("account_number");
            a.erase("card_id");
        } else {
            for (const char* k : account_fields) {
                const std::string want = a.contains(k) ? std::string(a.at(k).as_string()) : std::string();
                const std::string bank_value = a.at("bank").as_object().contains(k)
                                                   ? std::string(a.at("bank").as_object().at(k).as_string())
                                                   : std::string();
                const std::string known = !want.empty() ? want : bank_value;
                if (!get(k).empty() && get(k) != known)
                    problems.push_back("line " + std::to_string(line) + ": field '" + k + "': '" + get(k) + "' differs from line " +
                                       std::to_string(first_line[ref]) + " for " + ref);
            }
        }
        boost::json::object& v = versions[ref][get("effective_from")];
        if (v.empty()) {
            v["effective_from"] = get("effective_from");
            if (!get("effective_to").empty()) v["effective_to"] = get("effective_to");
            v["weekly_budget"] = get("weekly_budget");
            if (!get("weekly_contribution").empty()) v["weekly_contribution"] = get("weekly_contribution");
            if (!get("payment_basis").empty()) v["payment_basis"] = get("payment_basis");
            boost::json::object cp{{"amount", get("council_payment_amount")},
                                   {"first", get("council_payment_first")},
                                   {"payer", get("council_payment_payer")}};
            if (!get("council_payment_every").empty()) cp["every"] = get("council_payment_every");
            v["council_payment"] = std::move(cp);
            if (!get("contribution_payer").empty()) v["contribution_payer"] = get("contribution_payer");
            v["lines"] = boost::json::array();
        }
        if (!get("line_category").empty()) {
            boost::json::array payees;
            const std::string list = get("line_payees");
            for (std::size_t start = 0; start <= list.size();) {
                const std::size_t semi = list.find(';', start);
                const std::string one(core::trim(std::string_view(list).substr(start, semi == std::string::npos ? std::string::npos : semi - start)));
                if (!one.empty()) payees.emplace_back(one);
                if (semi == std::string::npos) break;
                start = semi + 1;
            }
            v["lines"].as_array().push_back(boost::json::object{{"category", get("line_category")},
                                                               {"amount", get("line_amount")},
                                                               {"per", get("line_per").empty() ? "week" : get("line_per")},
                                                               {"payees", std::move(payees)}});
        }
        return true;
    };
    csv_reader reader;
    if (auto r = reader.feed(text, on_record); !r) return r.error();
    if (auto r = reader.finish(on_record); !r) return r.error();
    if (header.empty()) problems.push_back("line 1: the file is empty; it needs a header line");
    if (!problems.empty()) {
        std::string msg;
        for (const auto& p : problems) msg += (msg.empty() ? "" : "\n") + p;
        return make_error(errc::invalid_argument, msg);
    }
    boost::json::array out;
    for (const auto& ref : order) {
        boost::json::object a = accounts[ref];
        boost::json::array plans;
        for (auto& [from, v] : versions[ref]) plans.push_back(v);
        a["plans"] = std::move(plans);
        out.push_back(std::move(a));
    }
    return boost::json::serialize(boost::json::object{{"accounts", std::move(out)}});
}

}  // namespace dpmon::importers
