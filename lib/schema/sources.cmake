# GraphQL schemas: SDL, validation, introspection and typed results.
# One line per file; parts of the schema layer add theirs.
set(GQLWS_SCHEMA_SOURCES
  schema/schema.c
  schema/sdl_parse.c
  schema/build.c
  schema/build_builtins.c
)
