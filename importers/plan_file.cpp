#include "dpmon/importers/plan_file.hpp"

#include <boost/json/stream_parser.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <set>

#include "dpmon/core/civil_date.hpp"
#include "dpmon/importers/statement.hpp"

namespace dpmon::importers {
namespace {

const std::set<std::string, std::less<>> account_keys{
    "account_ref", "person_ref", "account_type", "finance_officer", "status",           "dp_start",
    "bank",        "plans",      "policy",       "reviews",         "household_members", "return_frequency",
    "closed_on"};

std::size_t line_of(std::string_view text, std::size_t offset) {
    std::size_t line = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n';
    return line;
}

}  // namespace

plan_file parse_plan_file(std::string_view json_text) {
    plan_file out;
    boost::system::error_code ec;
    boost::json::stream_parser p;
    const std::size_t used = p.write(json_text.data(), json_text.size(), ec);
    if (!ec) p.finish(ec);
    if (ec) {
        out.errors.push_back("line " + std::to_string(line_of(json_text, used)) + ": not valid JSON: " + ec.message());
        return out;
    }
    const boost::json::value doc = p.release();
    const auto* root = doc.if_object();
    const auto* accounts = root && root->contains("accounts") ? root->at("accounts").if_array() : nullptr;
    if (!accounts) {
        out.errors.push_back("the file must be a JSON object with an \"accounts\" array");
        return out;
    }
    std::set<std::string> refs;
    for (std::size_t i = 0; i < accounts->size(); ++i) {
        const auto* a = (*accounts)[i].if_object();
        std::string where = "accounts[" + std::to_string(i) + "]";
        if (!a) {
            out.errors.push_back(where + ": expected an object");
            continue;
        }
        auto text = [&](std::string_view key, bool required) -> std::string {
            const auto* v = a->if_contains(key);
            if (!v || v->is_null()) {
                if (required) out.errors.push_back(where + ": field '" + std::string(key) + "': missing");
                return {};
            }
            if (!v->is_string()) {
                out.errors.push_back(where + ": field '" + std::string(key) + "': expected a string");
                return {};
            }
            return std::string(v->as_string());
        };
        plan_account acc;
        acc.account_ref = text("account_ref", true);
        if (!acc.account_ref.empty()) where += " (" + acc.account_ref + ")";
        if (!acc.account_ref.empty() && !refs.insert(acc.account_ref).second)
            out.errors.push_back(where + ": field 'account_ref': the same account appears twice in the file");
        acc.person_ref = text("person_ref", true);
        acc.account_type = text("account_type", true);
        acc.finance_officer = text("finance_officer", true);
        acc.status = text("status", false);
        if (acc.status.empty()) acc.status = "active";
        acc.dp_start = text("dp_start", true);
        for (const auto& [k, v] : *a) {
            if (account_keys.count(std::string_view(k)) == 0)
                out.errors.push_back(where + ": field '" + std::string(k) + "': unknown field");
        }
        if (!acc.account_type.empty() && acc.account_type != "dedicated_bank" && acc.account_type != "prepaid_card" &&
            acc.account_type != "managed_account")
            out.errors.push_back(where + ": field 'account_type': '" + acc.account_type +
                                 "' is not dedicated_bank, prepaid_card or managed_account");
        if (acc.status != "active" && acc.status != "suspended" && acc.status != "closed")
            out.errors.push_back(where + ": field 'status': '" + acc.status + "' is not active, suspended or closed");
        if (!acc.dp_start.empty()) {
            if (auto d = core::parse_iso_date(acc.dp_start); !d)
                out.errors.push_back(where + ": field 'dp_start': " + d.error().message);
        }
        if (!acc.finance_officer.empty() && acc.finance_officer.find('@') == std::string::npos)
            out.errors.push_back(where + ": field 'finance_officer': '" + acc.finance_officer + "' is not an email address");
        const auto* bank = a->if_contains("bank") ? a->at("bank").if_object() : nullptr;
        if (!bank) {
            out.errors.push_back(where + ": field 'bank': missing (sort_code and account_number, or card_id)");
        } else {
            auto bank_text = [&](std::string_view key) {
                const auto* v = bank->if_contains(key);
                return v && v->is_string() ? std::string(v->as_string()) : std::string();
            };
            const std::string sort = bank_text("sort_code");
            const std::string number = bank_text("account_number");
            acc.card_id = bank_text("card_id");
            acc.sort_code = digits_only(sort);
            acc.account_number = digits_only(number);
            if (!sort.empty() && acc.sort_code.size() != 6)
                out.errors.push_back(where + ": field 'bank.sort_code': '" + sort + "' is not six digits");
            if (!number.empty() && (acc.account_number.size() < 6 || acc.account_number.size() > 10))
                out.errors.push_back(where + ": field 'bank.account_number': expected 6 to 10 digits");
            if (acc.card_id.empty() && (acc.sort_code.empty() || acc.account_number.empty()))
                out.errors.push_back(where + ": field 'bank': give sort_code and account_number, or card_id");
        }
        if (const auto* plans = a->if_contains("plans")) {
            if (!plans->is_array()) out.errors.push_back(where + ": field 'plans': expected an array");
            else acc.plans_json = boost::json::serialize(*plans);
        }
        out.accounts.push_back(std::move(acc));
    }
    return out;
}

}  // namespace dpmon::importers
