#include <catch2/catch.hpp>

#include "dpmon/importers/text_decoder.hpp"

using dpmon::importers::text_decoder;
using dpmon::importers::text_encoding;

namespace {

std::pair<std::string, std::string> decode(text_encoding e, std::string_view bytes, std::size_t chunk) {
    text_decoder d(e);
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += chunk) {
        if (auto r = d.decode(bytes.substr(i, chunk), out); !r) return {out, r.error().message};
    }
    if (auto r = d.finish(); !r) return {out, r.error().message};
    return {out, ""};
}

}  // namespace

TEST_CASE("a UTF-8 byte-order mark is dropped however the first chunk is cut") {
    for (std::size_t chunk : {1u, 2u, 3u, 100u}) {
        CHECK(decode(text_encoding::utf8, "\xEF\xBB\xBF" "Date,\xC2\xA3" "5", chunk) ==
              std::pair<std::string, std::string>{"Date,\xC2\xA3" "5", ""});
    }
    CHECK(decode(text_encoding::utf8, "a\xEF\xBB\xBF", 1).first == "a\xEF\xBB\xBF");  // only at the start
}

TEST_CASE("Windows-1252 text becomes UTF-8: the pound sign, curly quotes and the euro") {
    CHECK(decode(text_encoding::windows_1252, "\xA3" "12.00 \x93ok\x94 \x80", 1).first ==
          "\xC2\xA3" "12.00 \xE2\x80\x9Cok\xE2\x80\x9D \xE2\x82\xAC");
    CHECK(decode(text_encoding::windows_1252, "a\n\x81", 4).second == "line 2: byte 0x81 is not a Windows-1252 character");
}

TEST_CASE("bytes that are not UTF-8 are refused with the line and a hint") {
    CHECK(decode(text_encoding::utf8, "ok\nPaid \xA3" "5\n", 3).second ==
          "line 2: byte 0xA3 is not UTF-8; if the file comes from an older Windows export, set encoding = "
          "\"windows-1252\" in its profile");
    CHECK(decode(text_encoding::utf8, "\xE2\x82", 1).second == "line 1: the file ends in the middle of a UTF-8 character");
    CHECK(decode(text_encoding::utf8, "\xC0\xAF", 1).second.starts_with("line 1: byte 0xC0 is not UTF-8"));
    CHECK(decode(text_encoding::utf8, "\xE2\x82\xAC \xF0\x9F\x92\xB7", 1).second.empty());
}
