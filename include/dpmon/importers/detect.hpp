#pragma once
// Choosing the profile for a statement file: by file-name glob first, then OFX by content, then by the
// header line. None, or more than one, is an error that lists what was tried.

#include <span>
#include <string_view>

#include "dpmon/importers/profile.hpp"

namespace dpmon::importers {

// `head` is the start of the file (64 KiB is plenty). Returns the chosen profile (borrowed from
// `profiles`) or errc::invalid_argument: "no profile matches ..." (without quoting the file), or
// "several profiles match ...: a, b". OFX content selects the profile named "ofx" (built in).
result<const profile*> choose_profile(std::string_view file_name, std::string_view head,
                                      std::span<const profile> profiles);

// The file's first line (after a BOM), at most 200 characters, control characters as spaces: for the
// rejected file's own report (it may hold personal data in a headerless layout).
std::string first_line(std::string_view head);

// The built-in profiles with `custom` ones added; a custom profile replaces a built-in one of the same name.
std::vector<profile> merge_profiles(std::span<const profile> custom);

}  // namespace dpmon::importers
