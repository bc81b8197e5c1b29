# GraphQL schemas: SDL, validation, introspection and typed results.
# One line per file; parts of the schema layer add theirs.
set(GQLWS_SCHEMA_SOURCES
  schema/project.c
  schema/project_leaf.c
  schema/project_request.c
  schema/project_result.c
  schema/suggest.c
)
