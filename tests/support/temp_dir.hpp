#pragma once
// A fresh folder under the system temp folder, removed with everything in it when the object dies.

#include <cstdlib>
#include <filesystem>
#include <string>

namespace dpmon::testing {

class temp_dir {
public:
    temp_dir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "dpmon-test-XXXXXX").string();
        path_ = ::mkdtemp(pattern.data());
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace dpmon::testing
