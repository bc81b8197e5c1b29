/*
 * project_internal.h - what the typed projection's files share: the text
 * sink that remembers an allocation failure, JSON writers, graphql-js's
 * leaf serialisation (result coercion) and its inspect() for messages.
 */
#ifndef GQLWS_SCHEMA_PROJECT_INTERNAL_H
#define GQLWS_SCHEMA_PROJECT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "gqlws_doc.h"
#include "schema_internal.h"

/* Data copied as it is (custom scalars) nests at most this deep; deeper
 * values are written as null rather than risk the stack. cJSON's own
 * parser stops at 1000 levels, so parsed values always fit. */
#define SCHEMA_PROJECT_JSON_DEPTH_MAX 1000u

/* Appends to buf; after a failed append every later one is skipped, so a
 * walk checks nomem once at the end instead of after every write. */
typedef struct schema_project_sink {
	gqlws_doc_buf *buf;
	bool nomem;
} schema_project_sink;

/* The slow path of schema_project_emit: grows the buffer. */
void schema_project_emit_grow(schema_project_sink *sink, const char *bytes, size_t n);

/* Projections write many small pieces: while there is room, a piece is a
 * copy and nothing else. The text is NUL-terminated only by
 * schema_project_sink_end() (the room test keeps a byte for it). */
static inline void schema_project_emit(schema_project_sink *sink, const char *bytes, size_t n)
{
	gqlws_doc_buf *buf = sink->buf;
	if (buf->cap - buf->len > n) {
		memcpy(buf->data + buf->len, bytes, n);
		buf->len += n;
	} else {
		schema_project_emit_grow(sink, bytes, n);
	}
}

/* NUL-terminates the text, as gqlws_doc_buf promises after each append. */
static inline void schema_project_sink_end(schema_project_sink *sink)
{
	if (sink->buf->data && sink->buf->len < sink->buf->cap)
		sink->buf->data[sink->buf->len] = '\0';
}

#define SCHEMA_PROJECT_EMIT_LITERAL(sink, lit) schema_project_emit((sink), (lit), sizeof(lit) - 1)

/* A JSON string, escaped as JSON.stringify escapes it. */
void schema_project_emit_string(schema_project_sink *sink, const char *s);
/* A number as JSON.stringify writes it (Number::toString; non-finite: null). */
void schema_project_emit_number(schema_project_sink *sink, double d);
/* Any cJSON value as JSON text (custom scalars pass through like this). */
void schema_project_emit_json(schema_project_sink *sink, const cJSON *v, unsigned depth);

/* graphql-js's result coercion of a leaf: writes the serialised value of v
 * (not null) for type (a scalar or enum) and returns true, or returns false
 * with graphql-js's message (`Int cannot represent non-integer value: 1.5`)
 * in message, writing nothing. */
bool schema_project_leaf(schema_project_sink *sink, const schema_type *type, const cJSON *v,
			 schema_project_sink *message);

/* graphql-js's inspect() of a JSON value, as its messages show values:
 * strings quoted, `{ a: 1 }`, `[1, 2]`, [Object] below two levels, at most
 * ten list items. */
void schema_project_inspect(schema_project_sink *sink, const cJSON *v);

/* JavaScript's Number(s) for a string: white space trimmed, "" is 0,
 * decimal, 0x / 0o / 0b and Infinity forms; false for NaN. */
bool schema_project_js_number(const char *s, double *out);

/* graphql-js getVariableValues: the operation's variables given in given
 * (an object, or NULL), coerced by their types in schema into *coerced (a
 * new object of the variables given; absent ones left to the plan, which
 * applies defaults), errors appended to *errors (made on the first one) in
 * graphql-js's order and words, at most 50 and then "Too many errors
 * processing variables, ...". Returns 0, 1 when there were errors (then
 * *coerced is still made, to free), or -1 out of memory (*coerced NULL). */
int schema_project_coerce_variables(const gqlws_schema *schema, const gqlws_doc_operation *op,
				    const cJSON *given, cJSON **coerced, cJSON **errors);

/* value coerced to type as above (graphql-js coerceInputValue), for values
 * that validation already vouched for (argument literals): a new value, or
 * NULL when it does not coerce or memory ran out. */
cJSON *schema_project_coerce_value(const schema_ref *type, const cJSON *value);

/* Appends to *errors (made on the first one) the error a root field's
 * resolver raised, as graphql-js reports it: {"message","locations":[every
 * root node with the field's response key],"path":[key]}. Returns 0, or -1
 * when out of memory. */
int schema_project_root_error(const gqlws_schema *schema, const gqlws_doc_plan *plan,
			      const gqlws_doc_field *field, const char *message, cJSON **errors);

/* The schema a request was made against (gqlws_schema_request keeps it
 * private to project_request.c). */
const gqlws_schema *schema_request_schema(const gqlws_schema_request *r);

#endif
