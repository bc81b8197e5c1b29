# Check tests of lib/hub (topics): one executable per area.
# The topic half: fan-out through real sessions (the core's test harness).
gqlws_add_check_test(hub_topics hub_topics.c)
target_link_libraries(hub_topics PRIVATE gqlws_test_harness)
target_include_directories(hub_topics PRIVATE ${PROJECT_SOURCE_DIR}/lib/hub)
gqlws_add_check_test(hub_topics_publish hub_topics_publish.c)
target_link_libraries(hub_topics_publish PRIVATE gqlws_test_harness)
target_include_directories(hub_topics_publish PRIVATE ${PROJECT_SOURCE_DIR}/lib/hub)

# The binding half: gqlws_hub_new's checks of the directives, templates
# expanded from each kind of value.
gqlws_add_check_test(hub_bind hub_bind.c)
target_include_directories(hub_bind PRIVATE ${PROJECT_SOURCE_DIR}/lib/hub ${PROJECT_SOURCE_DIR}/lib/schema
  ${PROJECT_SOURCE_DIR}/lib/doc)

# What an operation on a hub's schema does, over real sessions of both
# subprotocols (the topic half included).
gqlws_add_check_test(hub_op hub_op.c)
target_link_libraries(hub_op PRIVATE gqlws_test_harness)
target_include_directories(hub_op PRIVATE ${PROJECT_SOURCE_DIR}/lib/hub ${PROJECT_SOURCE_DIR}/lib/schema
  ${PROJECT_SOURCE_DIR}/lib/doc)
