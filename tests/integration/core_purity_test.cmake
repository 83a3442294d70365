# Copies core/ and include/dpmon/core/ into a scratch tree, checks that the clean copy passes, adds a file
# that includes SQLite, and expects the check to fail.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/include/dpmon")
file(COPY "${SOURCE}/core" DESTINATION "${WORK}")
file(COPY "${SOURCE}/include/dpmon/core" DESTINATION "${WORK}/include/dpmon")
execute_process(COMMAND ${CMAKE_COMMAND} -DROOT=${WORK} -P ${SOURCE}/cmake/check_core_purity.cmake RESULT_VARIABLE clean)
if(NOT clean EQUAL 0)
  message(FATAL_ERROR "the purity check fails on the real core/")
endif()
foreach(include "<sqlite3.h>" "<boost/asio/io_context.hpp>" "<curl/curl.h>" "<spdlog/spdlog.h>")
  file(WRITE "${WORK}/core/leak.cpp" "#include ${include}\n")
  execute_process(COMMAND ${CMAKE_COMMAND} -DROOT=${WORK} -P ${SOURCE}/cmake/check_core_purity.cmake
                  RESULT_VARIABLE dirty OUTPUT_QUIET ERROR_QUIET)
  if(dirty EQUAL 0)
    message(FATAL_ERROR "the purity check accepted #include ${include} in core/")
  endif()
endforeach()
message(STATUS "core purity check: clean tree passes, forbidden includes fail")
