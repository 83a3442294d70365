# Fails when one of FILES includes a header matching one of FORBIDDEN (both set by the file named by
# -DLIST=..., written at configure time by dpmon_check_includes). Run: cmake -DLIST=<file> -P check_includes.cmake
if(NOT LIST)
  message(FATAL_ERROR "pass -DLIST=<file written by dpmon_check_includes>")
endif()
include(${LIST})
include(${CMAKE_CURRENT_LIST_DIR}/include_rules.cmake)
