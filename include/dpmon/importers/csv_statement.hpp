#pragma once
// csv_statement_parser: a CSV statement export, read with a profile, streamed into statement rows.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dpmon/importers/csv_reader.hpp"
#include "dpmon/importers/profile.hpp"
#include "dpmon/importers/statement.hpp"
#include "dpmon/importers/text_decoder.hpp"

namespace dpmon::importers {

class csv_statement_parser {
public:
    // `p` is copied. Diagnostics beyond `max_diagnostics` are counted but not kept.
    explicit csv_statement_parser(profile p, std::size_t max_diagnostics = 200);

    // Pushes raw file bytes. Rows that parse go to `on_row`; rows that do not become diagnostics and the
    // file is bad (error_count() > 0). A problem that stops reading altogether (bytes that are not text,
    // an unclosed quote, a header without a needed column) is returned as an error naming the line.
    result<void> feed(std::string_view bytes, const row_fn& on_row);
    result<void> finish(const row_fn& on_row);

    const std::vector<diagnostic>& diagnostics() const { return diagnostics_; }
    std::size_t error_count() const { return error_count_; }
    std::size_t rows() const { return rows_; }
    // Lines after the data that were not transactions (totals, notes) and were ignored.
    std::size_t trailer_lines() const { return trailer_.size(); }

private:
    struct columns {
        int date = -1, amount = -1, debit = -1, credit = -1, type = -1, balance = -1, sort_code = -1,
            account_number = -1, account = -1, reference = -1;
        std::vector<int> description;
    };

    bool on_record(std::span<const std::string_view> fields, std::size_t line, const row_fn& on_row);
    result<void> map_header(std::span<const std::string_view> fields, std::size_t line);
    void add(diagnostic d);

    profile profile_;
    std::size_t max_diagnostics_;
    text_decoder decoder_;
    csv_reader reader_;
    std::string text_;
    columns cols_;
    std::vector<std::string> header_names_;
    std::size_t expected_fields_ = 0;
    bool header_done_ = false;
    std::optional<error> fatal_;
    std::vector<diagnostic> diagnostics_;
    std::vector<diagnostic> trailer_;  // non-data lines that may be a trailer, if no data follows
    std::size_t error_count_ = 0;
    std::size_t rows_ = 0;
    statement_row row_;
};

}  // namespace dpmon::importers
