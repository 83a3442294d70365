#include "dpmon/importers/ofx.hpp"

#include <algorithm>

#include "dpmon/core/text.hpp"

namespace dpmon::importers {
namespace {

using core::trim;

// XML/SGML character references that banks use in OFX text.
std::string unescape(std::string_view s) {
    if (s.find('&') == std::string_view::npos) return std::string(s);
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '&') {
            const std::size_t semi = s.find(';', i);
            if (semi != std::string_view::npos && semi - i <= 6) {
                const std::string_view ent = s.substr(i + 1, semi - i - 1);
                const char* rep = ent == "amp" ? "&" : ent == "lt" ? "<" : ent == "gt" ? ">" : ent == "quot" ? "\"" : ent == "apos" ? "'" : nullptr;
                if (rep) {
                    out += rep;
                    i = semi;
                    continue;
                }
            }
        }
        out.push_back(s[i]);
    }
    return out;
}

// "20090401122017.000[-5:EST]" -> 2009-04-01: the date as the bank wrote it.
std::optional<core::civil_date> ofx_date(std::string_view v) {
    if (v.size() < 8) return std::nullopt;
    for (std::size_t i = 0; i < 8; ++i) {
        if (v[i] < '0' || v[i] > '9') return std::nullopt;
    }
    auto num = [&](std::size_t at, std::size_t len) {
        int n = 0;
        for (std::size_t i = at; i < at + len; ++i) n = n * 10 + (v[i] - '0');
        return n;
    };
    const core::civil_date d{date::year{num(0, 4)}, date::month{static_cast<unsigned>(num(4, 2))},
                             date::day{static_cast<unsigned>(num(6, 2))}};
    if (!d.ok()) return std::nullopt;
    return d;
}

// OFX amounts are plain decimals ("-12.50", "12,50" in some locales, "+3.1").
std::optional<core::money> ofx_amount(std::string_view v) {
    std::string s(v);
    if (s.find('.') == std::string::npos) std::replace(s.begin(), s.end(), ',', '.');
    auto m = core::parse_money(s);
    if (!m || s.find_first_of("()") != std::string::npos || s.find("\xC2\xA3") != std::string::npos) return std::nullopt;
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+')) return std::nullopt;
    }
    return *m;
}

struct parser {
    std::string_view text;
    ofx_result out;
    std::vector<std::string> aggregates;  // open aggregates we care about, innermost last
    ofx_statement* stmt = nullptr;
    std::optional<ofx_transaction> txn;
    bool txn_has_date = false;
    bool txn_has_amount = false;
    bool txn_bad = false;
    bool balance_seen_empty = false;
    std::size_t balance_line = 0;

    void bad(std::size_t line, std::string field, std::string message, std::string value = {}) {
        out.diagnostics.push_back(diagnostic{line, 0, std::move(field), std::move(message), std::move(value)});
    }

    bool inside(std::string_view name) const {
        return std::find(aggregates.begin(), aggregates.end(), name) != aggregates.end();
    }

    void open(std::string_view name, std::size_t line) {
        if (name == "STMTRS" || name == "CCSTMTRS") {
            out.statements.emplace_back();
            stmt = &out.statements.back();
        } else if (name == "STMTTRN" && stmt) {
            txn.emplace();
            txn->line = line;
            txn_has_date = txn_has_amount = txn_bad = false;
        } else if (name == "LEDGERBAL") {
            balance_seen_empty = false;
            balance_line = line;
        }
        static constexpr std::string_view tracked[] = {"STMTRS", "CCSTMTRS", "BANKACCTFROM", "CCACCTFROM",
                                                       "BANKTRANLIST", "STMTTRN", "LEDGERBAL", "PAYEE"};
        if (std::find(std::begin(tracked), std::end(tracked), name) != std::end(tracked)) aggregates.emplace_back(name);
    }

    void close(std::string_view name) {
        auto it = std::find(aggregates.rbegin(), aggregates.rend(), name);
        if (it == aggregates.rend()) return;
        aggregates.erase(std::next(it).base(), aggregates.end());
        if (name == "STMTTRN" && txn && stmt) {
            if (!txn_has_date) bad(txn->line, "DTPOSTED", "the transaction" + (txn->id.empty() ? "" : " " + txn->id) +
                                                             " has no posting date (DTPOSTED)");
            if (!txn_has_amount) bad(txn->line, "TRNAMT", "the transaction has no amount (TRNAMT)");
            if (txn_has_date && txn_has_amount && !txn_bad) stmt->transactions.push_back(std::move(*txn));
            txn.reset();
        } else if (name == "LEDGERBAL" && stmt) {
            if (balance_seen_empty && stmt->ledger_balance_date)
                bad(balance_line, "BALAMT", "the ledger balance (LEDGERBAL) has a date but no amount");
        } else if (name == "STMTRS" || name == "CCSTMTRS") {
            stmt = nullptr;
        }
    }

    void leaf(std::string_view name, std::string_view raw, std::size_t line) {
        if (raw.size() > max_field_chars) {
            return bad(line, std::string(name),
                       std::to_string(raw.size()) + " characters, over the limit of " +
                           std::to_string(max_field_chars) + " for one field: the file looks damaged");
        }
        const std::string value = unescape(trim(raw));
        if (!stmt) return;
        if (txn && inside("STMTTRN")) {
            if (name == "TRNTYPE") txn->type = core::to_lower(value);
            else if (name == "FITID") txn->id = value;
            else if (name == "NAME") txn->payee = value;
            else if (name == "MEMO") txn->memo = value;
            else if (name == "DTPOSTED") {
                if (value.empty()) return;  // reported at </STMTTRN> as missing
                txn_has_date = true;  // present, good or bad: a bad one is reported here, not again as missing
                auto d = ofx_date(value);
                if (!d) {
                    txn_bad = true;
                    return bad(line, "DTPOSTED", "'" + value + "' is not an OFX date (YYYYMMDD...)", value);
                }
                txn->date = *d;
            } else if (name == "TRNAMT") {
                txn_has_amount = true;
                auto m = ofx_amount(value);
                if (!m) {
                    txn_bad = true;
                    return bad(line, "TRNAMT", "'" + value + "' is not an amount (expected a plain decimal such as -12.50)", value);
                }
                txn->amount = *m;
            }
            return;
        }
        if (inside("LEDGERBAL")) {
            if (name == "BALAMT") {
                if (value.empty()) {
                    balance_seen_empty = true;
                    return;
                }
                auto m = ofx_amount(value);
                if (!m) return bad(line, "BALAMT", "'" + value + "' is not an amount", value);
                stmt->ledger_balance = *m;
            } else if (name == "DTASOF" && !value.empty()) {
                stmt->ledger_balance_date = ofx_date(value);
                if (!stmt->ledger_balance_date) bad(line, "DTASOF", "'" + value + "' is not an OFX date", value);
            }
            return;
        }
        if (inside("BANKACCTFROM") || inside("CCACCTFROM")) {
            if (name == "BANKID") stmt->bank_id = value;
            else if (name == "ACCTID") stmt->account_id = value;
            else if (name == "ACCTTYPE") stmt->account_type = value;
            return;
        }
        if (inside("BANKTRANLIST")) {
            if (name == "DTSTART" && !value.empty()) stmt->start_date = ofx_date(value);
            else if (name == "DTEND" && !value.empty()) stmt->end_date = ofx_date(value);
            return;
        }
        if (name == "CURDEF") stmt->currency = core::to_lower(value);
    }

    void run() {
        std::size_t i = text.find('<');
        std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(std::min(i, text.size())), '\n'));
        while (i != std::string_view::npos && i < text.size()) {
            const std::size_t end = text.find('>', i);
            if (end == std::string_view::npos) break;
            std::string_view tag = text.substr(i + 1, end - i - 1);
            std::size_t next = text.find('<', end);
            std::string_view after = text.substr(end + 1, (next == std::string_view::npos ? text.size() : next) - end - 1);
            // <NAME><![CDATA[text]]></NAME>: the CDATA section is the element's text.
            std::string cdata;
            if (next != std::string_view::npos && text.substr(next).starts_with("<![CDATA[")) {
                const std::size_t close_cdata = text.find("]]>", next);
                if (close_cdata != std::string_view::npos) {
                    cdata = std::string(after) + std::string(text.substr(next + 9, close_cdata - next - 9));
                    after = cdata;
                    next = text.find('<', close_cdata + 3);
                }
            }
            const std::size_t tag_line = line;
            line += static_cast<std::size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(i),
                                                        text.begin() + static_cast<std::ptrdiff_t>(next == std::string_view::npos ? text.size() : next), '\n'));
            if (!tag.empty() && tag.front() != '?' && tag.front() != '!') {
                if (tag.front() == '/') {
                    close(trim(tag.substr(1)));
                } else {
                    const std::size_t sp = tag.find_first_of(" \t\r\n");
                    const std::string_view name = sp == std::string_view::npos ? tag : tag.substr(0, sp);
                    const bool self_closing = tag.back() == '/';
                    // A leaf has text after it (SGML leaves are never closed), or is closed right away
                    // (XML; also empty SGML-in-XML style tags like <NAME></NAME>).
                    const bool closed_next = next != std::string_view::npos && text.substr(next).starts_with("</") &&
                                             text.substr(next + 2).starts_with(name);
                    if (self_closing) {
                        leaf(name, "", tag_line);
                    } else if (!trim(after).empty() || closed_next) {
                        leaf(name, after, tag_line);
                    } else {
                        open(name, tag_line);
                    }
                }
            }
            i = next;
        }
        // SGML files may leave aggregates open at the end; close what is left.
        while (!aggregates.empty()) close(std::string(aggregates.back()));
    }
};

}  // namespace

bool looks_like_ofx(std::string_view head) {
    if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
    head = trim(head);
    return head.starts_with("OFXHEADER") || head.find("<?OFX") != std::string_view::npos ||
           head.find("<OFX>") != std::string_view::npos;
}

ofx_result parse_ofx(std::string_view text) {
    parser p{text, {}, {}, nullptr, std::nullopt, false, false, false, false, 0};
    if (!looks_like_ofx(text.substr(0, 4096))) {
        p.bad(1, "", "this is not an OFX file (no OFXHEADER line or <OFX> element)");
        return std::move(p.out);
    }
    p.run();
    // Every OFX file, SGML or XML, ends by closing its root: without it the file was cut short (perhaps
    // still being delivered) and its last transactions may be missing.
    const std::string_view body = trim(text);
    if (core::to_lower(body.substr(body.size() > 64 ? body.size() - 64 : 0)).find("</ofx>") == std::string::npos) {
        const auto end = static_cast<std::ptrdiff_t>(body.data() - text.data() + static_cast<std::ptrdiff_t>(body.size()));
        const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.begin() + end, '\n')) + 1;
        p.bad(lines, "", "the file ends before its closing </OFX>: it was cut short; deliver it again whole");
    }
    // An empty ledger balance with no date either means "no balance" (some banks send empty tags).
    return std::move(p.out);
}

std::vector<statement_row> to_statement_rows(const ofx_statement& s) {
    statement_row base;
    const std::string bank = digits_only(s.bank_id);
    const std::string acct = digits_only(s.account_id);
    if (bank.size() == 6 && acct.size() == 8 && acct.size() == s.account_id.size()) {
        base.sort_code = bank;
        base.account_number = acct;
    } else {
        split_account_identifier(s.account_id, base);
    }
    std::vector<statement_row> rows;
    rows.reserve(s.transactions.size());
    for (const auto& t : s.transactions) {
        statement_row r = base;
        r.line = t.line;
        r.date = t.date;
        r.amount = t.amount;
        r.reference = t.id;
        r.description = t.payee;
        if (!t.memo.empty() && t.memo != t.payee) {
            r.description += (r.description.empty() ? "" : " ") + t.memo;
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

}  // namespace dpmon::importers
