# Core engine tests: one executable per area of lib/PROTOCOL.md, all sharing the fake
# transport/executor of test_harness.c. Included by CMakeLists.txt here.

add_library(gqlws_test_harness STATIC test_harness.c)
target_link_libraries(gqlws_test_harness PUBLIC gqlws_static PkgConfig::CHECK)
target_include_directories(gqlws_test_harness PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
gqlws_strict(gqlws_test_harness)

foreach(area legacy modern origin lifecycle memory message_cost notify evict)
  gqlws_add_check_test(session_${area} session_${area}.c)
  target_link_libraries(session_${area} PRIVATE gqlws_test_harness)
endforeach()

# The strict JSON check on its own (a private header of the core).
gqlws_add_check_test(json_strict json_strict.c)
target_include_directories(json_strict PRIVATE ${PROJECT_SOURCE_DIR}/lib/src)

# The index of operations by id and serial (a private header of the core),
# directly through the registry and through client messages.
gqlws_add_check_test(op_map op_map.c)
target_include_directories(op_map PRIVATE ${PROJECT_SOURCE_DIR}/lib/src)
