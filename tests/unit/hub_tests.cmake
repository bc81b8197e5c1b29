# Check tests of lib/hub (topics): one executable per area.

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
