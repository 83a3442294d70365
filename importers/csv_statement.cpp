#include "dpmon/importers/csv_statement.hpp"

#include "dpmon/core/text.hpp"
#include "dpmon/importers/date_format.hpp"

namespace dpmon::importers {

using core::iequals;
using core::trim;

namespace {

bool has_digit(std::string_view s) {
    for (char c : s) {
        if (c >= '0' && c <= '9') return true;
    }
    return false;
}

}  // namespace

csv_statement_parser::csv_statement_parser(profile p, std::size_t max_diagnostics)
    : profile_(std::move(p)),
      max_diagnostics_(max_diagnostics),
      decoder_(profile_.encoding),
      reader_(profile_.delimiter) {}

void csv_statement_parser::add(diagnostic d) {
    ++error_count_;
    if (diagnostics_.size() < max_diagnostics_) diagnostics_.push_back(std::move(d));
}

result<void> csv_statement_parser::map_header(std::span<const std::string_view> fields, std::size_t line) {
    header_names_.clear();
    for (auto f : fields) header_names_.emplace_back(trim(f));
    // A trailing delimiter gives an empty last name: not a column.
    while (!header_names_.empty() && header_names_.back().empty()) header_names_.pop_back();
    expected_fields_ = header_names_.size();

    std::string missing;
    auto find = [&](const column_ref& c, int& out) {
        if (c.empty()) return;
        for (std::size_t i = 0; i < header_names_.size(); ++i) {
            if (iequals(header_names_[i], c.name)) {
                out = static_cast<int>(i);
                return;
            }
        }
        missing += (missing.empty() ? "" : ", ") + c.describe();
    };
    find(profile_.date, cols_.date);
    find(profile_.amount, cols_.amount);
    find(profile_.debit, cols_.debit);
    find(profile_.credit, cols_.credit);
    find(profile_.type, cols_.type);
    find(profile_.balance, cols_.balance);
    find(profile_.sort_code, cols_.sort_code);
    find(profile_.account_number, cols_.account_number);
    find(profile_.account, cols_.account);
    find(profile_.reference, cols_.reference);
    for (const auto& d : profile_.description) {
        int idx = -1;
        find(d, idx);
        cols_.description.push_back(idx);
    }
    if (!missing.empty()) {
        std::string have;
        for (const auto& n : header_names_) have += (have.empty() ? "'" : ", '") + n + "'";
        return make_error(errc::invalid_argument, "line " + std::to_string(line) + ": the header lacks column(s) " +
                                                      missing + " that profile '" + profile_.name +
                                                      "' needs; the header has " + have);
    }
    return {};
}

bool csv_statement_parser::on_record(std::span<const std::string_view> fields, std::size_t line, const row_fn& on_row) {
    // Preamble: records that start on the first skip_lines physical lines (blank lines count).
    if (line <= static_cast<std::size_t>(profile_.skip_lines)) return true;
    if (!header_done_) {
        header_done_ = true;
        if (profile_.header) {
            if (auto r = map_header(fields, line); !r) {
                fatal_ = r.error();
                return false;
            }
            return true;
        }
        auto to_index = [](const column_ref& c) { return c.empty() ? -1 : c.number - 1; };
        cols_.date = to_index(profile_.date);
        cols_.amount = to_index(profile_.amount);
        cols_.debit = to_index(profile_.debit);
        cols_.credit = to_index(profile_.credit);
        cols_.type = to_index(profile_.type);
        cols_.balance = to_index(profile_.balance);
        cols_.sort_code = to_index(profile_.sort_code);
        cols_.account_number = to_index(profile_.account_number);
        cols_.account = to_index(profile_.account);
        cols_.reference = to_index(profile_.reference);
        for (const auto& d : profile_.description) cols_.description.push_back(to_index(d));
        expected_fields_ = 0;  // without a header the number of fields is not fixed
    }

    // Trailing delimiters: extra fields past the header's are fine while they are empty.
    std::size_t n = fields.size();
    while (expected_fields_ != 0 && n > expected_fields_ && trim(fields[n - 1]).empty()) --n;
    auto field_name = [&](int idx) {
        return idx >= 0 && static_cast<std::size_t>(idx) < header_names_.size() ? header_names_[static_cast<std::size_t>(idx)]
                                                                                 : "column " + std::to_string(idx + 1);
    };
    auto get = [&](int idx) -> std::string_view {
        return idx >= 0 && static_cast<std::size_t>(idx) < n ? trim(fields[static_cast<std::size_t>(idx)])
                                                             : std::string_view();
    };

    // A line whose date column is empty or not a date, after the data has begun, may be a trailer
    // (totals, a note). It is an error only if real rows follow it, or if it is a transaction with a bad
    // date: a date-like value (with a digit) beside an amount. Taking that for a trailer would drop the
    // last rows of a statement unseen.
    const bool ragged = expected_fields_ != 0 && n != expected_fields_;
    for (std::size_t i = 0; i < n; ++i) {
        if (fields[i].size() <= max_field_chars) continue;
        add(diagnostic{line, i + 1, field_name(static_cast<int>(i)),
                       std::to_string(fields[i].size()) + " characters, over the limit of " +
                           std::to_string(max_field_chars) + " for one field: the file looks damaged",
                       ""});
        return true;
    }
    auto has_amount = [&] {
        if (cols_.amount >= 0) return !get(cols_.amount).empty() && core::parse_money(get(cols_.amount)).has_value();
        return core::parse_debit_credit(get(cols_.debit), get(cols_.credit)).has_value();
    };
    auto date = parse_date(get(cols_.date), profile_.date_format);
    if (!date) {
        diagnostic d{line, static_cast<std::size_t>(cols_.date + 1), field_name(cols_.date), date.error().message,
                     std::string(get(cols_.date))};
        if (ragged) {
            d = diagnostic{line, 0, "",
                           std::to_string(n) + " fields where the header has " + std::to_string(expected_fields_), ""};
        } else if (has_digit(get(cols_.date)) && has_amount()) {
            for (auto& t : trailer_) add(std::move(t));
            trailer_.clear();
            add(std::move(d));
            return true;
        }
        trailer_.push_back(std::move(d));
        return true;
    }
    for (auto& t : trailer_) add(std::move(t));
    trailer_.clear();
    if (ragged) {
        add(diagnostic{line, 0, "", std::to_string(n) + " fields where the header has " + std::to_string(expected_fields_), ""});
        return true;
    }
    if (static_cast<std::size_t>(cols_.date) >= n) {
        add(diagnostic{line, 0, "", "the row has only " + std::to_string(n) + " fields", ""});
        return true;
    }

    statement_row& row = row_;
    row.line = line;
    row.date = *date;
    row.balance.reset();
    row.sort_code.clear();
    row.account_number.clear();
    row.account_id.clear();

    bool ok = true;
    auto fail = [&](int idx, std::string message, std::string value) {
        add(diagnostic{line, static_cast<std::size_t>(idx + 1), field_name(idx), std::move(message), std::move(value)});
        ok = false;
    };
    if (cols_.amount >= 0) {
        auto amount = core::parse_money(get(cols_.amount));
        if (!amount) {
            fail(cols_.amount, amount.error().message, std::string(get(cols_.amount)));
        } else if (cols_.type >= 0) {
            const std::string_view type = get(cols_.type);
            bool debit = false;
            for (const auto& t : profile_.debit_types) debit = debit || iequals(type, t);
            const core::money magnitude = amount->is_negative() ? -*amount : *amount;
            row.amount = debit ? -magnitude : magnitude;
        } else {
            row.amount = profile_.sign == amount_sign::credit_positive ? *amount : -*amount;
        }
    } else {
        auto amount = core::parse_debit_credit(get(cols_.debit), get(cols_.credit));
        if (!amount) {
            fail(cols_.debit, amount.error().message,
                 std::string(get(cols_.debit)) + " / " + std::string(get(cols_.credit)));
        } else {
            row.amount = *amount;
        }
    }
    if (cols_.balance >= 0 && !get(cols_.balance).empty()) {
        auto balance = core::parse_money(get(cols_.balance));
        if (!balance) {
            fail(cols_.balance, balance.error().message, std::string(get(cols_.balance)));
        } else {
            row.balance = *balance;
        }
    }
    row.description.clear();
    for (int idx : cols_.description) {
        const std::string_view part = get(idx);
        if (part.empty()) continue;
        if (!row.description.empty()) row.description.push_back(' ');
        row.description.append(part);
    }
    row.reference = std::string(get(cols_.reference));
    if (cols_.sort_code >= 0) row.sort_code = digits_only(get(cols_.sort_code));
    if (cols_.account_number >= 0) row.account_number = digits_only(get(cols_.account_number));
    if (cols_.account >= 0) split_account_identifier(get(cols_.account), row);
    if (!ok) return true;
    ++rows_;
    return on_row(row);
}

result<void> csv_statement_parser::feed(std::string_view bytes, const row_fn& on_row) {
    if (fatal_) return *fatal_;
    text_.clear();
    if (auto r = decoder_.decode(bytes, text_); !r) return r;
    auto r = reader_.feed(text_, [&](std::span<const std::string_view> f, std::size_t line) {
        return on_record(f, line, on_row);
    });
    if (fatal_) return *fatal_;
    return r;
}

result<void> csv_statement_parser::finish(const row_fn& on_row) {
    if (fatal_) return *fatal_;
    if (auto r = decoder_.finish(); !r) return r;
    auto r = reader_.finish([&](std::span<const std::string_view> f, std::size_t line) {
        return on_record(f, line, on_row);
    });
    if (fatal_) return *fatal_;
    if (!r) return r;
    if (!header_done_ && profile_.header) {
        return make_error(errc::invalid_argument, "the file has no header line (profile '" + profile_.name + "' expects one" +
                                                      (profile_.skip_lines ? " after " + std::to_string(profile_.skip_lines) + " preamble lines" : "") + ")");
    }
    return {};
}

}  // namespace dpmon::importers
