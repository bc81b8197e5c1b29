/*
 * build.h - how a schema is made: the SDL (sdl_ast.h) of the built-ins and
 * of the user, checked by validateSDL's rules (sdl_validate.c), built into
 * the model of schema_internal.h (build.c) and checked as graphql-js's
 * validateSchema() does (schema_validate.c).
 */
#ifndef GQLWS_SCHEMA_BUILD_H
#define GQLWS_SCHEMA_BUILD_H

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
} schema_full;

/* The built-ins as SDL (build_builtins.c). */
extern const char schema_builtin_sdl[];
extern const size_t schema_builtin_sdl_len;

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

#endif
