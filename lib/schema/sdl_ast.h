/*
 * sdl_ast.h - the syntax tree of a type-system document (SDL), as read by
 * sdl_parse.c and walked by the SDL validation (sdl_validate.c) and the
 * builder (build.c). Nodes live in the schema's arena; lists are linked
 * through `next` in document order; every node keeps the position graphql-js
 * reports for it (names, types, directives and values keep their own).
 */
#ifndef GQLWS_SDL_AST_H
#define GQLWS_SDL_AST_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "ast.h"
#include "gqlws_schema.h"

typedef enum sdl_def_kind {
	SDL_DEF_SCHEMA,
	SDL_DEF_SCALAR,
	SDL_DEF_OBJECT,
	SDL_DEF_INTERFACE,
	SDL_DEF_UNION,
	SDL_DEF_ENUM,
	SDL_DEF_INPUT,
	SDL_DEF_DIRECTIVE,
	SDL_DEF_EXECUTABLE, /* an operation or fragment: parsed, then ignored */
} sdl_def_kind;

/* A name as written (a named type, an interface, a union member, a
 * directive location). */
typedef struct sdl_name {
	const char *name;
	doc_pos pos;
	struct sdl_name *next;
} sdl_name;

/* An argument definition or an input field. */
typedef struct sdl_input_value {
	const char *description;
	const char *name;
	doc_pos pos;                /* the name */
	doc_pos node_pos;           /* the node: its description or name */
	doc_type *type;
	doc_value *default_value;
	doc_directive *directives;
	struct sdl_input_value *next;
} sdl_input_value;

typedef struct sdl_field {
	const char *description;
	const char *name;
	doc_pos pos;                /* the name */
	doc_pos node_pos;           /* the node: its description or name */
	sdl_input_value *args;
	doc_type *type;
	doc_directive *directives;
	struct sdl_field *next;
} sdl_field;

typedef struct sdl_enum_value {
	const char *description;
	const char *name;
	doc_pos pos;                /* the name */
	doc_pos node_pos;           /* the node: its description or name */
	doc_directive *directives;
	struct sdl_enum_value *next;
} sdl_enum_value;

typedef struct sdl_operation_type {
	gqlws_doc_op_type operation;
	doc_pos pos;                /* the node: its operation keyword */
	sdl_name type;
	struct sdl_operation_type *next;
} sdl_operation_type;

/* A definition or an extension (`extension` set) of any kind. */
typedef struct sdl_def {
	sdl_def_kind kind;
	bool extension;
	bool repeatable;                 /* directive */
	doc_pos pos;                     /* the node: its description or keyword */
	const char *description;
	const char *name;                /* NULL for schema */
	doc_pos name_pos;
	doc_directive *directives;       /* applied to this definition */
	sdl_name *interfaces;            /* object, interface */
	sdl_field *fields;               /* object, interface */
	sdl_name *members;               /* union */
	sdl_enum_value *values;          /* enum */
	sdl_input_value *input_fields;   /* input */
	sdl_input_value *args;           /* directive */
	sdl_name *locations;             /* directive */
	sdl_operation_type *operations;  /* schema */
	/* executable: one of them (validateSDL still checks their type names,
	 * directives and arguments) */
	const gqlws_doc_operation *operation;
	const doc_fragment *fragment;
	struct sdl_def *next;
} sdl_def;

typedef struct sdl_document {
	sdl_def *defs;
	size_t def_count;
} sdl_document;

/* Parses len bytes of SDL into *out, allocating from doc->arena under
 * doc->limits (the depth bound; tokens are not capped beyond doc's limit).
 * Returns 0, -1 with the syntax error appended to *errors, or -2 when out
 * of memory. */
int sdl_parse(gqlws_doc *doc, const char *text, size_t len, sdl_document *out, cJSON **errors);

#endif
