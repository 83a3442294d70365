#pragma once
// csv_reader: a streaming RFC 4180 reader for what banks really send. Bytes are pushed in chunks of any
// size; each complete record is handed to a callback with the physical line it started on. Memory is
// bounded by the largest record, never by the file.
//
// Accepted: CRLF, LF or lone CR line ends (mixed too); quoted fields holding delimiters, doubled quotes
// and line breaks; a quote inside an unquoted field is kept as text. Errors: a character other than a
// delimiter or line end after a closing quote, a quoted field still open at the end of input, and a
// record larger than max_record_bytes.

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dpmon/core/error.hpp"

namespace dpmon::importers {

struct csv_position {
    std::size_t line = 0;    // 1-based physical line
    std::size_t column = 0;  // 1-based byte column on that line
};

class csv_reader {
public:
    // Called once per record; `fields` and their text are valid only during the call. Return false to
    // stop reading (feed() then returns at once).
    using record_fn = std::function<bool(std::span<const std::string_view> fields, std::size_t line)>;

    explicit csv_reader(char delimiter = ',', std::size_t max_record_bytes = 1024 * 1024);

    // Consumes `chunk`. Errors are errc::invalid_argument with "line L, column C: why"; the reader is then
    // unusable.
    result<void> feed(std::string_view chunk, const record_fn& on_record);

    // Ends the input: delivers a last record without a line end, or reports an open quoted field.
    result<void> finish(const record_fn& on_record);

    // Where reading has got to (the next byte's position).
    csv_position position() const { return {line_, column_}; }

private:
    enum class state { field_start, unquoted, quoted, quote_in_quoted, after_cr };

    bool end_field();
    bool end_record(const record_fn& on_record);
    // A line end outside quotes: ends the record. False when the callback asked to stop.
    bool end_line(char c, const record_fn& on_record);
    error fail(std::string_view why) const;

    char delimiter_;
    std::size_t max_record_bytes_;
    state state_ = state::field_start;
    bool record_has_content_ = false;  // false for a blank line
    bool stopped_ = false;
    std::string buffer_;                // the current record's field text, back to back
    std::vector<std::size_t> ends_;     // end offset of each completed field in buffer_
    std::vector<std::string_view> views_;
    std::size_t field_start_ = 0;
    std::size_t line_ = 1;
    std::size_t column_ = 1;
    std::size_t record_line_ = 1;
    std::size_t quote_line_ = 0;  // where the open quoted field began
    std::size_t quote_column_ = 0;
};

}  // namespace dpmon::importers
