# Fails when a file in core/ or include/dpmon/core/ includes Asio, Beast, SQLite, curl, spdlog, toml++
# or a header of another dpmon module. Run: cmake -DROOT=<source dir> -P cmake/check_core_purity.cmake
if(NOT ROOT)
  message(FATAL_ERROR "pass -DROOT=<source dir>")
endif()
file(GLOB_RECURSE files "${ROOT}/core/*.cpp" "${ROOT}/core/*.hpp" "${ROOT}/include/dpmon/core/*.hpp")
set(forbidden "boost/asio" "boost/beast" "sqlite3" "curl/" "spdlog" "toml\\+\\+" "dpmon/storage/"
              "dpmon/http/" "dpmon/daemon/" "dpmon/importers/" "dpmon/alerts/" "systemd/" "<fstream>"
              "<filesystem>" "<thread>")
set(bad "")
foreach(f IN LISTS files)
  file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include")
  foreach(line IN LISTS lines)
    foreach(pattern IN LISTS forbidden)
      if(line MATCHES "${pattern}")
        string(APPEND bad "\n  ${f}: ${line}")
      endif()
    endforeach()
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "core/ must stay pure (no I/O libraries, no other dpmon module); found:${bad}")
endif()
