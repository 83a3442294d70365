#include "dpmon/importers/csv_reader.hpp"

namespace dpmon::importers {

csv_reader::csv_reader(char delimiter, std::size_t max_record_bytes)
    : delimiter_(delimiter), max_record_bytes_(max_record_bytes) {}

error csv_reader::fail(std::string_view why) const {
    return make_error(errc::invalid_argument,
                      "line " + std::to_string(line_) + ", column " + std::to_string(column_) + ": " + std::string(why));
}

bool csv_reader::end_field() {
    ends_.push_back(buffer_.size());
    field_start_ = buffer_.size();
    return true;
}

bool csv_reader::end_record(const record_fn& on_record) {
    end_field();
    bool go_on = true;
    // A blank line is no record at all.
    if (record_has_content_ || ends_.size() > 1) {
        views_.clear();
        std::size_t start = 0;
        for (std::size_t end : ends_) {
            views_.emplace_back(buffer_.data() + start, end - start);
            start = end;
        }
        go_on = on_record(views_, record_line_);
    }
    buffer_.clear();
    ends_.clear();
    field_start_ = 0;
    record_has_content_ = false;
    return go_on;
}

bool csv_reader::end_line(char c, const record_fn& on_record) {
    state_ = c == '\r' ? state::after_cr : state::field_start;
    ++line_;
    column_ = 0;
    if (end_record(on_record)) return true;
    stopped_ = true;
    return false;
}

result<void> csv_reader::feed(std::string_view chunk, const record_fn& on_record) {
    if (stopped_) return {};
    for (const char c : chunk) {
        // A CR already ended the record; an LF right after it belongs to the same line end.
        if (state_ == state::after_cr) {
            state_ = state::field_start;
            if (c == '\n') continue;
        }
        const bool at_record_start = state_ == state::field_start && ends_.empty() && buffer_.empty();
        if (at_record_start && !record_has_content_) record_line_ = line_;

        switch (state_) {
            case state::field_start:
                if (c == '"') {
                    state_ = state::quoted;
                    record_has_content_ = true;
                    quote_line_ = line_;
                    quote_column_ = column_;
                    break;
                }
                [[fallthrough]];
            case state::unquoted:
                if (c == delimiter_) {
                    record_has_content_ = true;
                    end_field();
                    state_ = state::field_start;
                } else if (c == '\n' || c == '\r') {
                    if (!end_line(c, on_record)) return {};
                } else {
                    buffer_.push_back(c);
                    record_has_content_ = true;
                    state_ = state::unquoted;
                }
                break;
            case state::quoted:
                if (c == '"') {
                    state_ = state::quote_in_quoted;
                } else {
                    buffer_.push_back(c);
                    // CRLF inside a quoted field is one line end, not two.
                    if (c == '\r' || (c == '\n' && !(buffer_.size() >= 2 && buffer_[buffer_.size() - 2] == '\r'))) {
                        ++line_;
                        column_ = 0;
                    }
                }
                break;
            case state::quote_in_quoted:
                if (c == '"') {  // a doubled quote is one quote
                    buffer_.push_back('"');
                    state_ = state::quoted;
                } else if (c == delimiter_) {
                    end_field();
                    state_ = state::field_start;
                } else if (c == '\n' || c == '\r') {
                    if (!end_line(c, on_record)) return {};
                } else {
                    return fail(std::string("unexpected character '") + c +
                                "' after a closing quote (a field that starts with a quote must end with one)");
                }
                break;
            case state::after_cr: break;  // handled above
        }
        if (buffer_.size() > max_record_bytes_) {
            return fail("a record is longer than " + std::to_string(max_record_bytes_) +
                        " bytes; is a closing quote missing (the quoted field began at line " +
                        std::to_string(quote_line_) + ")?");
        }
        ++column_;
    }
    return {};
}

result<void> csv_reader::finish(const record_fn& on_record) {
    if (stopped_) return {};
    if (state_ == state::quoted) {
        return make_error(errc::invalid_argument, "line " + std::to_string(quote_line_) + ", column " +
                                                      std::to_string(quote_column_) +
                                                      ": a quoted field is never closed before the end of the file");
    }
    if (state_ == state::after_cr) state_ = state::field_start;
    if (record_has_content_ || !buffer_.empty() || !ends_.empty()) end_record(on_record);
    stopped_ = true;
    return {};
}

}  // namespace dpmon::importers
