#include "dpmon/alerts/notices.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace dpmon::alerts {
namespace {

struct flag_text {
    core::flag_code code;
    std::string_view happened;  // {amount} is replaced
    std::string_view to_do;
};

constexpr std::array<flag_text, 10> texts{{
    {core::flag_code::surplus, "The balance is above the surplus threshold; {amount} could be recovered.",
     "Check known liabilities and any exemption, then propose a recovery or record an exemption."},
    {core::flag_code::contribution_arrears, "Assessed contributions are {amount} behind.",
     "Contact the person about the missed contributions."},
    {core::flag_code::overspend, "Spending exceeded the plan by {amount} in the period.",
     "Ask what the extra spending was for; review the plan if needs have changed."},
    {core::flag_code::underspend, "Spending has been under half of the plan ({amount} unspent in the period).",
     "Check that the planned care is being delivered."},
    {core::flag_code::overdrawn, "The account went overdrawn (lowest balance {amount}).",
     "Contact the account holder today and check for bank charges."},
    {core::flag_code::projected_shortfall, "At the recent rate of spending the balance will not last to the next council payment (short by {amount}).",
     "Check the coming payroll and HMRC payments with the account holder."},
    {core::flag_code::council_payment_missing, "A scheduled council payment of {amount} has not arrived.",
     "Check with the payments team that it was sent."},
    {core::flag_code::statement_overdue, "No statement covers the account's last return period.", "Ask for the missing statements."},
    {core::flag_code::statement_gap, "Some days between two statements are covered by none.", "Ask for the missing statement."},
    {core::flag_code::balance_mismatch, "A statement's balances do not agree with its transactions (rows missing or altered).",
     "Ask the bank for a fresh statement for the period."},
}};

std::string replace_amount(std::string_view text, core::money amount) {
    std::string out(text);
    if (auto at = out.find("{amount}"); at != std::string::npos) out.replace(at, 8, amount.to_display());
    return out;
}

std::string review_name(core::review_kind kind) { return std::string(core::plain_name(kind)); }

}  // namespace

std::string flag_sentence(const flag_notice& n) {
    const std::string amount = n.amount.to_display();
    switch (n.code) {
        case core::flag_code::overdrawn: return n.account_ref + " overdrawn: lowest balance " + amount;
        case core::flag_code::balance_mismatch: return n.account_ref + " statement balances do not follow (" + amount + " out)";
        case core::flag_code::council_payment_missing: return n.account_ref + " council payment of " + amount + " has not arrived";
        case core::flag_code::surplus: return n.account_ref + " surplus: " + amount + " could be recovered";
        case core::flag_code::contribution_arrears: return n.account_ref + " contributions " + amount + " in arrears";
        case core::flag_code::projected_shortfall: return n.account_ref + " will run short before the next payment (about " + amount + ")";
        case core::flag_code::underspend: return n.account_ref + " spending under half the plan (" + amount + " unspent)";
        case core::flag_code::household_member_payment: return n.account_ref + " paid a household member " + amount + " without approval";
        case core::flag_code::restricted_spend: return n.account_ref + " restricted spending of " + amount;
        default: break;
    }
    std::string code(core::to_string(n.code));
    for (auto& c : code) c = c == '_' ? ' ' : static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return n.account_ref + " " + code + (n.amount.is_zero() ? "" : ": " + amount);
}

std::string account_link(const std::string& dashboard_url, const std::string& account_ref, const std::string& anchor) {
    return dashboard_url + "/accounts/" + account_ref + (anchor.empty() ? "" : "#" + anchor);
}

alert_content flag_group_alert(const std::vector<flag_notice>& flags, const std::string& to, const std::string& key,
                               const std::string& dashboard_url) {
    alert_content a;
    a.key = key;
    a.kind = "flag";
    a.to = to;
    a.subject = flags.size() == 1 ? "[dpmon] " + flag_sentence(flags[0])
                                  : "[dpmon] " + std::to_string(flags.size()) + " serious flags: " + flag_sentence(flags[0]) +
                                        " and " + std::to_string(flags.size() - 1) + " more";
    a.body = flags.size() == 1 ? "A serious flag was raised on one of your accounts.\n"
                               : std::to_string(flags.size()) + " serious flags were raised on your accounts.\n";
    for (const auto& n : flags) {
        std::string happened = "A " + std::string(core::to_string(n.code)) + " flag was raised.", to_do = "Look at the account.";
        for (const auto& t : texts) {
            if (t.code == n.code) happened = replace_amount(t.happened, n.amount), to_do = t.to_do;
        }
        a.body += "\n" + flag_sentence(n) + (n.reopened ? " (again)" : "") + "\n  Flag id " + std::to_string(n.flag_id) +
                  ", bank account " + n.masked_account + ", since " + n.period_first + "\n  " + happened + "\n  What to do: " +
                  to_do + "\n  Open it: " + account_link(dashboard_url, n.account_ref, "flag-" + std::to_string(n.flag_id)) + "\n";
    }
    a.body += "\nWhen a flag is in hand, open it with the link above and acknowledge it with a note; it alerts again "
              "only if its amount grows by 25% or more.\n";
    return a;
}

// "DP-000401" or "DP-000401, DP-000402"; "7 accounts" past three.
static std::string accounts_named(const std::vector<reminder_notice>& reminders) {
    std::vector<std::string> refs;
    for (const auto& r : reminders) {
        if (std::find(refs.begin(), refs.end(), r.account_ref) == refs.end()) refs.push_back(r.account_ref);
    }
    if (refs.size() > 3) return std::to_string(refs.size()) + " accounts";
    std::string out;
    for (const auto& r : refs) out += (out.empty() ? "" : ", ") + r;
    return out;
}

alert_content reminders_alert(const std::vector<reminder_notice>& reminders, const std::string& to, const std::string& key,
                              const std::string& dashboard_url) {
    alert_content a;
    a.key = key;
    const bool escalation = !reminders.empty() && reminders.front().kind == "escalation";
    a.kind = escalation ? "escalation" : "reminder";
    a.to = to;
    const std::string count = std::to_string(reminders.size());
    a.subject = reminders.size() == 1
                    ? "[dpmon] " + std::string(escalation ? "Overdue: " : "") + "the " + review_name(reminders[0].review_kind) + " of " +
                          reminders[0].account_ref + (escalation ? " was due on " : " is due on ") + reminders[0].due_on
                    : "[dpmon] " + count + (escalation ? " reviews are overdue: " : " reviews are coming due: ") + accounts_named(reminders);
    a.body = escalation ? "These reviews are past due and not recorded as done. Arrange each with its finance officer, or record it "
                          "if it took place.\n"
                        : "These reviews are due soon or today. Arrange each, then record it as completed on its account's "
                          "page (the link below each).\n";
    for (const auto& n : reminders) {
        a.body += "\n" + n.account_ref + " (bank account " + n.masked_account + "): the " + review_name(n.review_kind) + " (review " +
                  std::to_string(n.review_id) + ") " +
                  (n.kind == "escalation" ? "was due on " : n.kind == "due" ? "is due today, " : "is due on ") + n.due_on +
                  "\n  Open it: " + account_link(dashboard_url, n.account_ref, "review-" + std::to_string(n.review_id)) + "\n";
    }
    return a;
}

alert_content onboarding_alert(const onboarding_notice& n, const std::string& to, const std::string& key,
                               const std::string& dashboard_url) {
    alert_content a;
    a.key = key;
    a.kind = "digest";
    a.to = to;
    std::int64_t flags = 0;
    for (const auto& [code, count] : n.open_flags_by_code) flags += count;
    std::string named;  // the references, when there are few enough to read in a subject
    for (std::size_t i = 0; i < n.accounts.size() && n.accounts.size() <= 3; ++i) named += (i ? ", " : "") + n.accounts[i];
    const std::string counted = std::to_string(n.accounts.size()) + " of your accounts";
    a.subject = "[dpmon] Now monitoring " + (named.empty() ? counted : named) + ": " + std::to_string(flags) + " open flag(s), " +
                std::to_string(n.overdue_reviews) + " overdue review(s)";
    a.body = "dpmon has reconciled the history of " + counted + (named.empty() ? "" : " (" + named + ")") +
             " for the first time. What it found is below; no separate alert was sent for any of it. From "
             "now on, new serious flags and reviews coming due are mailed as usual.\n\nOpen flags by code:\n";
    for (const auto& [code, count] : n.open_flags_by_code) a.body += "  " + code + ": " + std::to_string(count) + "\n";
    if (n.open_flags_by_code.empty()) a.body += "  none\n";
    a.body += "\nOverdue reviews: " + std::to_string(n.overdue_reviews) + "\n\nThe accounts most at stake, in worklist order:\n";
    for (const auto& line : n.most_at_stake) a.body += "  " + line + "\n";
    if (n.most_at_stake.empty()) a.body += "  none\n";
    a.body += "\nThe full list is your worklist on the dashboard: " + dashboard_url + "/?officer=" + to + "\n";
    return a;
}

alert_content digest_alert(const std::string& day, const std::map<std::string, std::vector<std::string>>& per_officer,
                           const std::string& to, const std::string& dashboard_url) {
    alert_content a;
    a.key = "digest:" + day;
    a.kind = "digest";
    a.to = to;
    std::size_t accounts = 0;
    for (const auto& [officer, lines] : per_officer) {
        for (const auto& l : lines) accounts += l.starts_with(" ") ? 0 : 1;
    }
    a.subject = "[dpmon] Daily digest for " + day + ": " + std::to_string(accounts) + " item(s) need attention";
    a.body = "Accounts that need attention on " + day + ", most urgent first, by finance officer: what to do first, then each "
             "open flag (with its id) or overdue review. Reviews coming due follow.\n";
    for (const auto& [officer, lines] : per_officer) {
        a.body += "\n" + officer + "\n";
        for (const auto& l : lines) a.body += "  " + l + "\n";
    }
    if (per_officer.empty()) a.body += "\nNothing open.\n";
    a.body += "\nThe worklist on the dashboard has the same order: " + dashboard_url + "/\n";
    return a;
}

}  // namespace dpmon::alerts

namespace dpmon::alerts {
namespace {

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> computation(const recovery_notice& n) {
    std::vector<std::pair<std::string, std::string>> rows = {
        {"Balance of the direct-payment account on " + n.balance_date, n.balance.to_display()},
        {"Kept in the account: " + n.retained_weeks + " weeks of your personal budget (" + n.weekly_budget.to_display() +
             " a week)",
         (-n.retained).to_display()},
    };
    if (!n.liabilities.is_zero())
        rows.push_back({"Known bills still to pay (wages, HMRC, invoices)", (-n.liabilities).to_display()});
    if (!n.overpaid.is_zero())
        rows.push_back({"Contributions you paid in above your assessed amount (refunded to you, never recovered)",
                        (-n.overpaid).to_display()});
    rows.push_back({"Amount to be recovered", n.amount.to_display()});
    return rows;
}

std::string challenge(const recovery_notice& n) {
    return "If you think this is wrong, or paying it back would leave you unable to meet your care needs, tell us "
           "before " + n.recover_on + " by writing to " + n.officer + " quoting " + n.account_ref +
           " and recovery " + std::to_string(n.recovery_id) +
           ". We will not recover the money while we consider what you say, and we will write to you with our decision. "
           "If you are still unhappy you can use the council's complaints procedure and then contact the Local "
           "Government and Social Care Ombudsman.";
}

}  // namespace

std::string recovery_notice_text(const recovery_notice& n) {
    std::string t = "NOTICE OF DIRECT PAYMENT SURPLUS RECOVERY\n\n";
    t += "Account reference: " + n.account_ref + "\nBank account: " + n.masked_account + "\nNotice date: " + n.issued_on +
         "\nRecovery reference: " + std::to_string(n.recovery_id) + "\n\n";
    t += "Your direct-payment account holds more than is needed for your care and support. The council intends to "
         "recover " + n.amount.to_display() + " on " + n.recover_on + ".\n\nHow the amount was worked out:\n";
    for (const auto& [what, amount] : computation(n)) t += "  " + what + ": " + amount + "\n";
    t += "\nThe money will be taken back on or after " + n.recover_on +
         " (by reducing a future payment or asking you to pay it back, as agreed with you).\n\n";
    t += "How to challenge this: " + challenge(n) + "\n";
    return t;
}

std::string recovery_notice_html(const recovery_notice& n) {
    std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Notice of surplus recovery " +
                    html_escape(n.account_ref) +
                    "</title><style>body{font-family:sans-serif;max-width:40em;margin:2em auto;line-height:1.4}"
                    "table{border-collapse:collapse;width:100%}td{padding:.3em;border-bottom:1px solid #ccc}"
                    "td.n{text-align:right;white-space:nowrap}@media print{body{margin:0}}</style></head><body>\n";
    h += "<h1>Notice of direct payment surplus recovery</h1>\n<p>Account reference: <strong>" + html_escape(n.account_ref) +
         "</strong><br>Bank account: " + html_escape(n.masked_account) + "<br>Notice date: " + html_escape(n.issued_on) +
         "<br>Recovery reference: " + std::to_string(n.recovery_id) + "</p>\n";
    h += "<p>Your direct-payment account holds more than is needed for your care and support. The council intends to recover <strong>" +
         html_escape(n.amount.to_display()) + "</strong> on <strong>" + html_escape(n.recover_on) + "</strong>.</p>\n";
    h += "<h2>How the amount was worked out</h2>\n<table>\n";
    for (const auto& [what, amount] : computation(n))
        h += "<tr><td>" + html_escape(what) + "</td><td class=\"n\">" + html_escape(amount) + "</td></tr>\n";
    h += "</table>\n<h2>How to challenge this</h2>\n<p>" + html_escape(challenge(n)) + "</p>\n</body></html>\n";
    return h;
}

}  // namespace dpmon::alerts
