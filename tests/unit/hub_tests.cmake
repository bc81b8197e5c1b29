# Check tests of lib/hub (topics): one executable per area.

# The binding half: gqlws_hub_new's checks of the directives, templates
# expanded from each kind of value.
gqlws_add_check_test(hub_bind hub_bind.c)
target_include_directories(hub_bind PRIVATE ${PROJECT_SOURCE_DIR}/lib/hub ${PROJECT_SOURCE_DIR}/lib/schema
  ${PROJECT_SOURCE_DIR}/lib/doc)
