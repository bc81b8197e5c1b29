# GraphQL schemas: SDL, validation, introspection and typed results.
# One line per file; parts of the schema layer add theirs.
set(GQLWS_SCHEMA_SOURCES
  schema/suggest.c
  schema/print_value.c
  schema/rule_values.c
  schema/rule_required.c
  schema/rule_variables_position.c
  schema/rule_overlap.c
)
