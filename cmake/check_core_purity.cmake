# Fails when a file in core/ or include/dpmon/core/ includes Asio, Beast, SQLite, curl, spdlog, toml++
# or a header of another dpmon module. Run: cmake -DROOT=<source dir> -P cmake/check_core_purity.cmake
if(NOT ROOT)
  message(FATAL_ERROR "pass -DROOT=<source dir>")
endif()
file(GLOB_RECURSE files "${ROOT}/core/*.cpp" "${ROOT}/core/*.hpp" "${ROOT}/include/dpmon/core/*.hpp")
set(forbidden "boost/asio" "boost/beast" "sqlite3" "curl/" "spdlog" "toml\\+\\+" "dpmon/storage/"
              "dpmon/http/" "dpmon/daemon/" "dpmon/importers/" "dpmon/alerts/" "dpmon/app/" "dpmon/jobs/"
              "dpmon/views/" "dpmon/api/" "dpmon/cli/" "dpmon/service/" "systemd/" "<fstream>"
              "<filesystem>" "<thread>")
set(what "core/ must stay pure (no I/O libraries, no other dpmon module)")
include(${CMAKE_CURRENT_LIST_DIR}/include_rules.cmake)
