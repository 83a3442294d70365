# Project-wide helpers. Our code builds with many warnings; with DPMON_WERROR (on in scripts/test.sh, so in
# CI and the developers' loop) they are errors. Off by default: a Release or packager build must never fail
# on a compiler's false positive (GCC 12 at -O3 reports a false -Wrestrict inside libstdc++'s string code).
# Third-party headers come in as SYSTEM includes (imported targets already are), so their warnings never
# count.
option(DPMON_WERROR "Treat compiler warnings as errors (CI and developer builds)" OFF)

function(dpmon_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
                                           $<$<BOOL:${DPMON_WERROR}>:-Werror>)
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/include)
endfunction()

# Asio and Beast are compiled once, in http/asio_impl.cpp (separate compilation); every target that
# includes them must see the same definitions.
set(DPMON_ASIO_DEFINITIONS BOOST_ASIO_SEPARATE_COMPILATION BOOST_BEAST_SEPARATE_COMPILATION
    BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW)

# core/ is pure domain logic: it may include the standard library, `date` and header-only
# Boost.System (the error vocabulary), nothing that does I/O. This check runs at build time
# over core/ and include/dpmon/core/ and fails the build on a forbidden include.
function(dpmon_check_core_purity target)
  add_custom_command(
    OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/core_purity.stamp
    COMMAND ${CMAKE_COMMAND} -DROOT=${PROJECT_SOURCE_DIR} -P ${PROJECT_SOURCE_DIR}/cmake/check_core_purity.cmake
    COMMAND ${CMAKE_COMMAND} -E touch ${CMAKE_CURRENT_BINARY_DIR}/core_purity.stamp
    DEPENDS ${ARGN} ${PROJECT_SOURCE_DIR}/cmake/check_core_purity.cmake ${PROJECT_SOURCE_DIR}/cmake/include_rules.cmake
    COMMENT "Checking that core/ includes no I/O library")
  add_custom_target(${target}_purity DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/core_purity.stamp)
  add_dependencies(${target} ${target}_purity)
endfunction()

# dpmon_check_includes(TARGET WHAT FORBIDDEN patterns... FILES files...): a build step that fails when one of
# FILES includes a header matching a pattern, the way core/ is kept pure (daemon/app/ uses it).
function(dpmon_check_includes target what)
  cmake_parse_arguments(arg "" "" "FORBIDDEN;FILES" ${ARGN})
  set(list_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_includes.cmake)
  set(text "set(what \"${what}\")\nset(files \"${arg_FILES}\")\nset(forbidden \"\")\n")
  foreach(p IN LISTS arg_FORBIDDEN)
    string(REPLACE "\\" "\\\\" p "${p}")
    string(APPEND text "list(APPEND forbidden \"${p}\")\n")
  endforeach()
  file(WRITE ${list_file} "${text}")
  add_custom_command(
    OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/${target}_includes.stamp
    COMMAND ${CMAKE_COMMAND} -DLIST=${list_file} -P ${PROJECT_SOURCE_DIR}/cmake/check_includes.cmake
    COMMAND ${CMAKE_COMMAND} -E touch ${CMAKE_CURRENT_BINARY_DIR}/${target}_includes.stamp
    DEPENDS ${arg_FILES} ${list_file} ${PROJECT_SOURCE_DIR}/cmake/check_includes.cmake
            ${PROJECT_SOURCE_DIR}/cmake/include_rules.cmake
    COMMENT "Checking the includes of ${target}")
  add_custom_target(${target}_includes DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/${target}_includes.stamp)
  add_dependencies(${target} ${target}_includes)
endfunction()
