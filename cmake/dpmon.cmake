# Project-wide helpers. Our code builds with warnings as errors; third-party headers come in as SYSTEM
# includes (imported targets already are), so their warnings never fail our build.

function(dpmon_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror -Wshadow
                                           -Wconversion -Wno-sign-conversion)
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
    DEPENDS ${ARGN} ${PROJECT_SOURCE_DIR}/cmake/check_core_purity.cmake
    COMMENT "Checking that core/ includes no I/O library")
  add_custom_target(${target}_purity DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/core_purity.stamp)
  add_dependencies(${target} ${target}_purity)
endfunction()
