# GraphQL schemas: SDL, validation, introspection and typed results.
# One line per file; parts of the schema layer add theirs.
set(GQLWS_SCHEMA_SOURCES
  schema/schema.c
  schema/sdl_parse.c
  schema/build.c
  schema/build_builtins.c
  schema/project.c
  schema/project_leaf.c
  schema/project_request.c
  schema/project_result.c
  schema/suggest.c
  schema/validate.c
  schema/validate_fragments.c
  schema/validate_names.c
  schema/rules_table.c
  schema/rules_unique.c
  schema/rules_fragments.c
  schema/rules_variables.c
  schema/rules_fields.c
  schema/rules_subscription.c
  schema/rules_introspection.c
  schema/rules_placeholder.c
  schema/introspect.c
  schema/introspect_refuse.c
  schema/introspect_value.c
)
