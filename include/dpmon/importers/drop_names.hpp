#pragma once
// Rules on files in the drop folder (docs/statements.md): which names are read, and what dpmond needs to
// read them.

#include <string>
#include <string_view>

namespace dpmon::importers {

// True for names the watcher must not read yet: hidden names (".x") and files still being written
// ("x.part", "x.tmp"). Uploaders write elsewhere or under such a name, then rename into the folder.
bool is_ignored_drop_name(std::string_view file_name);

// True when a statement file that carries no bank identifiers names `account_ref`: its name begins with
// the reference, case-insensitive, followed by the end of the stem or a separator that is not a letter
// or digit ("DP-000123-march.csv", "dp-000123_2026-05.csv"; not "DP-0001234.csv" for DP-000123).
bool file_name_names_account(std::string_view file_name, std::string_view account_ref);

// What to add to "cannot open FILE: <strerror>" for a delivered file, by errno: for EACCES, that dpmond
// reads delivered files through the group dpmon-upload and what the uploader must change; else "".
std::string delivery_permission_hint(int error_number);

}  // namespace dpmon::importers
