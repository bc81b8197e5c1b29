# GraphQL schema tests (lib/schema): one executable per part and area.
gqlws_add_check_test(schema_sdl schema_sdl.c)
target_include_directories(schema_sdl PRIVATE ${PROJECT_SOURCE_DIR}/lib/doc ${PROJECT_SOURCE_DIR}/lib/schema)
gqlws_add_check_test(schema_introspect schema_introspect.c)
target_compile_definitions(schema_introspect PRIVATE GQLWS_TEST_DATA_DIR="${CMAKE_CURRENT_SOURCE_DIR}/data")
gqlws_add_check_test(schema_project schema_project.c)
gqlws_add_check_test(schema_validate schema_validate.c)
gqlws_add_check_test(schema_rules_v2 schema_rules_v2.c)
gqlws_add_check_test(schema_sdl_errors schema_sdl_errors.c)
