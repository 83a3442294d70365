# The app/ include check, as the build runs it (its list file), passes on the real tree and fails when an
# app file includes Boost.JSON, CLI11, Asio or a room above app.
include(${LIST})
execute_process(COMMAND ${CMAKE_COMMAND} -DLIST=${LIST} -P ${SOURCE}/cmake/check_includes.cmake RESULT_VARIABLE clean)
if(NOT clean EQUAL 0)
  message(FATAL_ERROR "the app/ include check fails on the real tree")
endif()
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
foreach(include "<boost/json/value.hpp>" "<CLI/CLI.hpp>" "<boost/asio/io_context.hpp>" "\"dpmon/views/views.hpp\"")
  file(WRITE "${WORK}/leak.cpp" "#include ${include}\n")
  file(WRITE "${WORK}/list.cmake" "include(${LIST})\nlist(APPEND files \"${WORK}/leak.cpp\")\n")
  execute_process(COMMAND ${CMAKE_COMMAND} -DLIST=${WORK}/list.cmake -P ${SOURCE}/cmake/check_includes.cmake
                  RESULT_VARIABLE dirty OUTPUT_QUIET ERROR_QUIET)
  if(dirty EQUAL 0)
    message(FATAL_ERROR "the app/ include check accepted #include ${include}")
  endif()
endforeach()
message(STATUS "app/ include check: the real tree passes, forbidden includes fail")
