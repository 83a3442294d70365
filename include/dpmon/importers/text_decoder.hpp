#pragma once
// text_decoder: turns a statement file's bytes into UTF-8, chunk by chunk. A UTF-8 byte-order mark at the
// start is dropped; Windows-1252 (older bank exports: the £ sign is byte 0xA3) is converted; UTF-8 input
// is validated, so nothing that is not text reaches the database or the JSON API.

#include <cstddef>
#include <string>
#include <string_view>

#include "dpmon/core/error.hpp"

namespace dpmon::importers {

enum class text_encoding { utf8, windows_1252 };

// "utf-8" / "windows-1252" (also "cp1252"); false for anything else.
bool parse_text_encoding(std::string_view name, text_encoding& out);

class text_decoder {
public:
    explicit text_decoder(text_encoding encoding) : encoding_(encoding) {}

    // Appends the UTF-8 text of `chunk` to `out` (a sequence split between chunks is carried over).
    // errc::invalid_argument for bytes that are not UTF-8, naming the line and suggesting windows-1252.
    result<void> decode(std::string_view chunk, std::string& out);

    // The input ended: a sequence cut short at the very end is an error.
    result<void> finish();

private:
    text_encoding encoding_;
    bool at_start_ = true;
    std::string pending_;  // bytes of an incomplete UTF-8 sequence, or of a possible BOM
    std::size_t line_ = 1;
};

}  // namespace dpmon::importers
