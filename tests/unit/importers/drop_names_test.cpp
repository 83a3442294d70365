#include <catch2/catch.hpp>

#include <cerrno>
#include <string>

#include "dpmon/importers/drop_names.hpp"

using namespace dpmon::importers;

TEST_CASE("hidden and partly written files in the drop folder are not read yet") {
    for (const char* name : {".DP-000123.csv", "DP-000123.csv.part", "DP-000123.csv.tmp", "x.PART", ".", ""}) {
        INFO(name);
        CHECK(is_ignored_drop_name(name));
    }
    for (const char* name : {"DP-000123.csv", "statement.ofx", "part", "tmp.csv", "a.partial"}) {
        INFO(name);
        CHECK_FALSE(is_ignored_drop_name(name));
    }
}

TEST_CASE("a statement file is matched by a name that begins with the account reference") {
    CHECK(file_name_names_account("DP-000123-march.csv", "DP-000123"));
    CHECK(file_name_names_account("dp-000123_2026-05.csv", "DP-000123"));
    CHECK(file_name_names_account("DP-000123.csv", "DP-000123"));
    CHECK(file_name_names_account("DP-000123", "DP-000123"));
    CHECK_FALSE(file_name_names_account("DP-0001234.csv", "DP-000123"));
    CHECK_FALSE(file_name_names_account("march-DP-000123.csv", "DP-000123"));
    CHECK_FALSE(file_name_names_account("DP-00012.csv", "DP-000123"));
    CHECK_FALSE(file_name_names_account("DP-000123.csv", ""));
}

TEST_CASE("a delivered file dpmond may not read is explained as the upload group's missing read permission") {
    const std::string hint = delivery_permission_hint(EACCES);
    CHECK(hint.find("dpmon-upload") != std::string::npos);
    CHECK(hint.find("chmod g+r") != std::string::npos);
    CHECK(hint.find("0640") != std::string::npos);
    CHECK(delivery_permission_hint(ENOENT).empty());
    CHECK(delivery_permission_hint(EIO).empty());
}
