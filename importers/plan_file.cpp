#include "dpmon/importers/plan_file.hpp"

#include <boost/json/stream_parser.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <algorithm>
#include <boost/json/parse.hpp>
#include <optional>
#include <set>

#include "dpmon/core/category.hpp"
#include "dpmon/core/civil_date.hpp"
#include "dpmon/core/reviews.hpp"
#include "dpmon/importers/statement.hpp"

namespace dpmon::importers {
namespace {

const std::set<std::string, std::less<>> account_keys{
    "account_ref", "person_ref", "account_type", "finance_officer", "status",           "dp_start",
    "bank",        "plans",      "policy",       "reviews",         "household_members", "return_frequency",
    "closed_on"};

// Reads one "plans" array into versions, adding "WHERE: field 'plans[i].x': why" to `errors`.
std::vector<core::plan_version> read_versions(const boost::json::value& plans, const std::string& where,
                                              std::span<const std::string> extra, std::vector<std::string>& errors) {
    std::vector<core::plan_version> out;
    const auto* arr = plans.if_array();
    if (!arr) {
        errors.push_back(where + ": field 'plans': expected an array");
        return out;
    }
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const std::string at = "plans[" + std::to_string(i) + "]";
        auto bad = [&](const std::string& field, const std::string& why) {
            errors.push_back(where + ": field '" + at + (field.empty() ? "" : "." + field) + "': " + why);
        };
        const auto* o = (*arr)[i].if_object();
        if (!o) {
            bad("", "expected an object");
            continue;
        }
        auto str = [&](const boost::json::object& obj, std::string_view key, const std::string& field,
                       bool required) -> std::optional<std::string> {
            const auto* v = obj.if_contains(key);
            if (!v || v->is_null()) {
                if (required) bad(field, "missing");
                return std::nullopt;
            }
            if (!v->is_string()) {
                bad(field, "expected a string");
                return std::nullopt;
            }
            return std::string(v->as_string());
        };
        auto amount = [&](const boost::json::object& obj, std::string_view key, const std::string& field,
                          bool required) -> core::money {
            auto text = str(obj, key, field, required);
            if (!text) return {};
            auto m = core::parse_money(*text);
            if (!m) {
                bad(field, m.error().message + "; write amounts as strings such as \"350.00\"");
                return {};
            }
            if (m->is_negative()) bad(field, "must not be negative");
            return *m;
        };
        auto day = [&](const boost::json::object& obj, std::string_view key, const std::string& field,
                       bool required) -> std::optional<core::civil_date> {
            auto text = str(obj, key, field, required);
            if (!text) return std::nullopt;
            auto d = core::parse_iso_date(*text);
            if (!d) {
                bad(field, d.error().message);
                return std::nullopt;
            }
            return *d;
        };
        core::plan_version v;
        if (auto d = day(*o, "effective_from", "effective_from", true)) v.effective_from = *d;
        v.effective_to = day(*o, "effective_to", "effective_to", false);
        if (v.effective_to && *v.effective_to < v.effective_from) bad("effective_to", "is before effective_from");
        v.weekly_budget = amount(*o, "weekly_budget", "weekly_budget", true);
        v.weekly_contribution = amount(*o, "weekly_contribution", "weekly_contribution", false);
        if (v.weekly_contribution > v.weekly_budget) bad("weekly_contribution", "is more than the weekly budget");
        const std::string basis = str(*o, "payment_basis", "payment_basis", false).value_or("net");
        if (basis == "gross") v.basis = core::payment_basis::gross;
        else if (basis != "net") bad("payment_basis", "'" + basis + "' is not net or gross");
        v.contribution_payer = str(*o, "contribution_payer", "contribution_payer", false).value_or("");
        if (const auto* cp = o->if_contains("council_payment"); cp && cp->is_object()) {
            const auto& c = cp->as_object();
            v.council_payment.amount = amount(c, "amount", "council_payment.amount", true);
            const std::string every = str(c, "every", "council_payment.every", false).value_or("4w");
            if (!core::parse_frequency(every, v.council_payment.every) ||
                (v.council_payment.every != core::frequency::four_weeks && v.council_payment.every != core::frequency::month))
                bad("council_payment.every", "'" + every + "' is not 4w or month");
            if (auto d = day(c, "first", "council_payment.first", true)) v.council_payment.first = *d;
            v.council_payment.payer = str(c, "payer", "council_payment.payer", true).value_or("");
        } else {
            bad("council_payment", "missing (amount, every, first, payer)");
        }
        if (const auto* lines = o->if_contains("lines"); lines && lines->is_array()) {
            for (std::size_t l = 0; l < lines->as_array().size(); ++l) {
                const std::string lf = "lines[" + std::to_string(l) + "]";
                const auto* lo = lines->as_array()[l].if_object();
                if (!lo) {
                    bad(lf, "expected an object");
                    continue;
                }
                core::plan_line line;
                line.category = str(*lo, "category", lf + ".category", true).value_or("");
                const bool known = core::is_builtin_category(line.category) ||
                                   std::find(extra.begin(), extra.end(), line.category) != extra.end();
                if (!line.category.empty() && !known) bad(lf + ".category", "'" + line.category + "' is not a category");
                line.amount = amount(*lo, "amount", lf + ".amount", true);
                const std::string per = str(*lo, "per", lf + ".per", true).value_or("week");
                if (!core::parse_frequency(per, line.per))
                    bad(lf + ".per", "'" + per + "' is not week, 4w, month, quarter, year or one_off");
                if (const auto* payees = lo->if_contains("payees"); payees && payees->is_array()) {
                    for (const auto& p : payees->as_array()) {
                        if (p.is_string() && !p.as_string().empty()) line.payees.emplace_back(p.as_string());
                        else bad(lf + ".payees", "expected a list of non-empty strings");
                    }
                }
                if (const auto* r = lo->if_contains("repeats")) {
                    if (r->is_bool()) line.repeats = r->as_bool();
                    else bad(lf + ".repeats", "expected true or false");
                }
                if (const auto* r = lo->if_contains("ring_fenced")) {
                    if (r->is_bool()) line.ring_fenced = r->as_bool();
                    else bad(lf + ".ring_fenced", "expected true or false");
                }
                v.lines.push_back(std::move(line));
            }
        } else if (o->contains("lines")) {
            bad("lines", "expected an array");
        }
        out.push_back(std::move(v));
    }
    return core::normalise_versions(std::move(out));
}

// Applies one override; false (with `why`) for an unknown key or a value of the wrong kind.
bool apply_override(core::policy& p, std::string_view key, const boost::json::value& v, std::string& why) {
    static const std::pair<std::string_view, std::int64_t core::policy::*> integers[] = {
        {"surplus_threshold_weeks", &core::policy::surplus_threshold_weeks},
        {"retained_weeks", &core::policy::retained_weeks},
        {"serious_surplus_weeks", &core::policy::serious_surplus_weeks},
        {"contribution_grace_days", &core::policy::contribution_grace_days},
        {"overspend_tolerance_pct", &core::policy::overspend_tolerance_pct},
        {"overspend_window_periods", &core::policy::overspend_window_periods},
        {"underspend_pct", &core::policy::underspend_pct},
        {"underspend_periods", &core::policy::underspend_periods},
        {"hmrc_max_gap_days", &core::policy::hmrc_max_gap_days},
        {"pension_max_gap_days", &core::policy::pension_max_gap_days},
        {"insurance_max_gap_months", &core::policy::insurance_max_gap_months},
        {"duplicate_window_days", &core::policy::duplicate_window_days},
        {"council_payment_grace_days", &core::policy::council_payment_grace_days},
        {"return_grace_days", &core::policy::return_grace_days},
        {"align_window_days", &core::policy::align_window_days},
        {"escalate_after_days", &core::policy::escalate_after_days},
    };
    for (const auto& [name, member] : integers) {
        if (key != name) continue;
        if (!v.is_int64() || v.as_int64() < 0 || v.as_int64() > 10000) {
            why = "expected a whole number from 0 to 10000";
            return false;
        }
        p.*member = v.as_int64();
        return true;
    }
    if (key == "unplanned_min" || key == "cash_limit_per_period" || key == "min_flag_amount") {
        auto m = v.is_string() ? core::parse_money(std::string_view(v.as_string())) : result<core::money>(make_error(errc::amount_invalid, "expected an amount in quotes, such as \"25.00\""));
        if (!m) {
            why = m.error().message;
            return false;
        }
        (key == "unplanned_min" ? p.unplanned_min : key == "min_flag_amount" ? p.min_flag_amount : p.cash_limit_per_period) = *m;
        return true;
    }
    if (key == "period") {
        if (!v.is_string() || !core::parse_period_kind(std::string_view(v.as_string()), p.period)) {
            why = "expected \"4-weekly\", \"monthly\" or \"quarterly\"";
            return false;
        }
        return true;
    }
    why = "unknown policy key";
    return false;
}

std::size_t line_of(std::string_view text, std::size_t offset) {
    std::size_t line = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n';
    return line;
}

}  // namespace

plan_file parse_plan_file(std::string_view json_text, std::span<const std::string> extra_categories) {
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
        if (const auto* pol = a->if_contains("policy")) {
            if (!pol->is_object()) {
                out.errors.push_back(where + ": field 'policy': expected an object of policy keys");
            } else {
                core::policy scratch;
                for (const auto& [k, v] : pol->as_object()) {
                    std::string why;
                    if (!apply_override(scratch, k, v, why))
                        out.errors.push_back(where + ": field 'policy." + std::string(k) + "': " + why);
                }
                acc.policy_json = boost::json::serialize(*pol);
            }
        }
        acc.return_frequency = text("return_frequency", false);
        if (!acc.return_frequency.empty() && acc.return_frequency != "quarterly" && acc.return_frequency != "6-monthly" &&
            acc.return_frequency != "annually")
            out.errors.push_back(where + ": field 'return_frequency': '" + acc.return_frequency +
                                 "' is not quarterly, 6-monthly or annually");
        acc.closed_on = text("closed_on", false);
        if (!acc.closed_on.empty()) {
            if (auto d = core::parse_iso_date(acc.closed_on); !d)
                out.errors.push_back(where + ": field 'closed_on': " + d.error().message);
            else if (acc.closed_on < acc.dp_start)
                out.errors.push_back(where + ": field 'closed_on': " + acc.closed_on + " is before dp_start " + acc.dp_start);
        }
        if (acc.status == "closed" && acc.closed_on.empty())
            out.errors.push_back(where + ": field 'closed_on': needed when status is closed (the final audit is due 4 weeks after)");
        if (acc.status != "closed" && !acc.closed_on.empty())
            out.errors.push_back(where + ": field 'closed_on': given, but status is '" + acc.status + "', not closed");
        if (const auto* members = a->if_contains("household_members")) {
            const auto* arr = members->if_array();
            if (!arr) out.errors.push_back(where + ": field 'household_members': expected a list of {\"payee\", \"relationship\", \"approved\"}");
            for (std::size_t m = 0; arr && m < arr->size(); ++m) {
                const std::string field = where + ": field 'household_members[" + std::to_string(m) + "]";
                const auto* o = (*arr)[m].if_object();
                const auto* payee = o ? o->if_contains("payee") : nullptr;
                if (!payee || !payee->is_string() || payee->as_string().empty())
                    out.errors.push_back(field + ".payee': a non-empty string is needed (as it appears on statements)");
                const auto* rel = o ? o->if_contains("relationship") : nullptr;
                if (rel && !rel->is_string()) out.errors.push_back(field + ".relationship': expected a string");
                const auto* approved = o ? o->if_contains("approved") : nullptr;
                if (approved && !approved->is_bool()) out.errors.push_back(field + ".approved': expected true or false");
            }
            if (arr) acc.household_json = boost::json::serialize(*arr);
        }
        if (const auto* reviews = a->if_contains("reviews")) {
            const auto* obj = reviews->if_object();
            if (!obj) out.errors.push_back(where + ": field 'reviews': expected an object such as {\"DP_INITIAL_REVIEW\": {\"completed_on\": \"2026-07-01\"}}");
            for (const auto& [k, v] : obj ? *obj : boost::json::object()) {
                const std::string field = where + ": field 'reviews." + std::string(k) + "'";
                core::review_kind kind{};
                if (!core::parse_review_kind(k, kind) || kind == core::review_kind::early) {
                    out.errors.push_back(field + ": not a review kind (DP_INITIAL_REVIEW, DP_ANNUAL_REVIEW, FINANCIAL_AUDIT, SUPPORT_PLAN_REVIEW, FINAL_AUDIT)");
                    continue;
                }
                const auto* c = v.is_object() ? v.as_object().if_contains("completed_on") : nullptr;
                if (!c || !c->is_string()) {
                    out.errors.push_back(field + ": expected {\"completed_on\": \"YYYY-MM-DD\"}");
                    continue;
                }
                const std::string on(c->as_string());
                if (auto d = core::parse_iso_date(on); !d) {
                    out.errors.push_back(field + ".completed_on: " + d.error().message);
                    continue;
                }
                if (on < acc.dp_start) {
                    out.errors.push_back(field + ".completed_on: " + on + " is before dp_start " + acc.dp_start);
                    continue;
                }
                acc.completed_reviews.emplace_back(std::string(k), on);
            }
        }
        if (const auto* plans = a->if_contains("plans")) {
            acc.plans = read_versions(*plans, where, extra_categories, out.errors);
            if (plans->is_array()) acc.plans_json = boost::json::serialize(*plans);
        }
        out.accounts.push_back(std::move(acc));
    }
    return out;
}

result<void> apply_policy_overrides(core::policy& p, std::string_view policy_json) {
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(policy_json, ec);
    if (ec || !v.is_object()) return make_error(errc::invalid_argument, "stored policy overrides are not a JSON object");
    for (const auto& [k, value] : v.as_object()) {
        std::string why;
        if (!apply_override(p, k, value, why)) return make_error(errc::invalid_argument, "policy." + std::string(k) + ": " + why);
    }
    return {};
}

result<std::vector<core::plan_version>> plan_versions_from_json(std::string_view plans_json,
                                                                std::span<const std::string> extra_categories) {
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(plans_json, ec);
    if (ec) return make_error(errc::invalid_argument, "stored plans are not valid JSON: " + ec.message());
    std::vector<std::string> errors;
    auto versions = read_versions(v, "plans", extra_categories, errors);
    if (!errors.empty()) {
        std::string msg;
        for (const auto& e : errors) msg += (msg.empty() ? "" : "\n") + e;
        return make_error(errc::invalid_argument, msg);
    }
    return versions;
}

std::vector<core::household_member> household_from_json(std::string_view household_json) {
    std::vector<core::household_member> out;
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(household_json, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& item : v.as_array()) {
        const auto* o = item.if_object();
        const auto* payee = o ? o->if_contains("payee") : nullptr;
        if (!payee || !payee->is_string() || payee->as_string().empty()) continue;
        core::household_member m;
        m.payee = std::string(payee->as_string());
        if (const auto* r = o->if_contains("relationship"); r && r->is_string()) m.relationship = std::string(r->as_string());
        if (const auto* a = o->if_contains("approved"); a && a->is_bool()) m.approved = a->as_bool();
        out.push_back(std::move(m));
    }
    return out;
}

}  // namespace dpmon::importers
