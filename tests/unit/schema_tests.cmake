# GraphQL schema tests (lib/schema): one executable per part and area.
gqlws_add_check_test(schema_sdl schema_sdl.c)
target_include_directories(schema_sdl PRIVATE ${PROJECT_SOURCE_DIR}/lib/doc ${PROJECT_SOURCE_DIR}/lib/schema)
