# Check tests of lib/hub (topics): one executable per area.
# The topic half: fan-out through real sessions (the core's test harness).
gqlws_add_check_test(hub_topics hub_topics.c)
target_link_libraries(hub_topics PRIVATE gqlws_test_harness)
target_include_directories(hub_topics PRIVATE ${PROJECT_SOURCE_DIR}/lib/hub)
gqlws_add_check_test(hub_topics_publish hub_topics_publish.c)
target_link_libraries(hub_topics_publish PRIVATE gqlws_test_harness)
target_include_directories(hub_topics_publish PRIVATE ${PROJECT_SOURCE_DIR}/lib/hub)
