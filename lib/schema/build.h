/*
 * build.h - how a schema is made: the SDL (sdl_ast.h) of the built-ins and
 * of the user, checked by validateSDL's rules (sdl_validate.c), built into
 * the model of schema_internal.h (build.c) and checked as graphql-js's
 * validateSchema() does (schema_validate.c).
 */
#ifndef GQLWS_SCHEMA_BUILD_H
#define GQLWS_SCHEMA_BUILD_H

#include <stdarg.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "schema_internal.h"
#include "sdl_ast.h"

/* The schema as allocated: the model, and what only the lookups need. */
typedef struct schema_full {
	gqlws_schema pub;                  /* first: a gqlws_schema * is a schema_full * */
	schema_field meta_schema;          /* __schema: __Schema! */
	schema_field meta_type;            /* __type(name: String!): __Type */
	schema_field meta_typename;        /* __typename: String! */
	/* the directives sorted by name, for schema_directive_find() */
	const schema_directive *const *directives_by_name;
	/* the name_lookup.h tables (gqlws_schema.type_slots, each
	 * schema_type.field_slots) in one block, outside the arena */
	void *name_tables;
	size_t name_table_bytes;
} schema_full;

/* The built-ins as SDL (build_builtins.c). */
extern const char schema_builtin_sdl[];
extern const size_t schema_builtin_sdl_len;

/* Appends {"message": printf(format, ...), "locations": [pos]} (line 0: no
 * locations) to *errors, creating the array on first use; unlike
 * doc_error_add() the message is as long as it needs (names in messages
 * can be long). Returns the error, or NULL when out of memory. */
cJSON *schema_error_add(cJSON **errors, doc_pos pos, const char *format, ...)
	__attribute__((format(printf, 3, 4)));
cJSON *schema_error_vadd(cJSON **errors, doc_pos pos, const char *format, va_list args)
	__attribute__((format(printf, 3, 0)));

/* Each stage stops at this many errors, adding graphql-js validate()'s
 * "Too many validation errors, error limit reached. Validation aborted.":
 * graphql-js's validateSDL() and validateSchema() have no limit, but their
 * lists can grow with the square of a hostile SDL's size (every repeated
 * `implements I` lists every other). */
#define SCHEMA_MAX_ERRORS 100
/* And an error lists at most this many locations (graphql-js lists every
 * node: `implements I & I & ...` n times would give n errors of n each). */
#define SCHEMA_MAX_LOCATIONS 100

/* Appends the abort error of SCHEMA_MAX_ERRORS; NULL when out of memory. */
cJSON *schema_error_abort(cJSON **errors);

/* graphql-js's validateSDL() on doc (builtins: the specified directives):
 * returns 0, -1 with its errors appended to *errors, or -2 when out of
 * memory. */
int sdl_validate(const sdl_document *builtins, const sdl_document *doc, cJSON **errors);

/* Builds schema's model from the built-ins and the user's (valid) SDL, in
 * schema->arena. Returns 0, -1 with errors appended to *errors (what
 * buildASTSchema() throws on SDL that validateSDL lets through), or -2 when
 * out of memory. */
int schema_build(schema_full *schema, const sdl_document *builtins, const sdl_document *user,
		 cJSON **errors);

/* buildASTSchema's own work on literals (build_values.c): the defaults it
 * cannot coerce become NULL, and the first error it would throw is
 * appended to *errors. types: the type map's first entries (the SDL's
 * types in document order, built-ins named by the SDL included) with their
 * definitions; serials: one more than the largest schema_type.index;
 * directives: the SDL's. Returns 0, -1 or -2 (no memory). */
int schema_build_values(schema_type *const *types, const sdl_def *const *defs, size_t count,
			size_t serials, schema_directive *const *directives, size_t directive_count,
			cJSON **errors);

/* A schema type's SDL: definition (NULL: a built-in) and extensions. */
typedef struct schema_type_source {
	const sdl_def *def;
	const sdl_def *const *exts;        /* document order */
	size_t ext_count;
} schema_type_source;

/* graphql-js's validateSchema() (schema_validate.c); sources by type index.
 * Returns 0, -1 with errors appended to *errors, or -2 (no memory). */
int schema_validate_model(const gqlws_schema *schema, const schema_type_source *sources,
			  const sdl_document *user, cJSON **errors);

#endif
