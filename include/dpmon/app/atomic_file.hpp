#pragma once
// write_file_atomic: the one way dpmon writes a whole file (rejection reports, audit packs, demo data):
// to a hidden name beside it (".NAME.tmp", which the drop folder ignores), fsynced, then renamed into
// place, so a reader never sees half of it; private to its owner (0600).

#include <filesystem>
#include <string_view>

#include "dpmon/core/error.hpp"

namespace dpmon::daemon {

// errc::disk_full when the disk is full, errc::io_error otherwise, naming the file; the temporary file is
// removed on failure. The folder must exist.
result<void> write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

}  // namespace dpmon::daemon
