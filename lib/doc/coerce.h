/*
 * coerce.h - input coercion of variable values (spec 3.10 and 6.1.2) for
 * the types a document can name without a schema: Int, Float, String,
 * Boolean and ID, lists and non-null wrappers of them. Values of any other
 * named type (enums, input objects, custom scalars) pass unchecked.
 */
#ifndef GQLWS_DOC_COERCE_H
#define GQLWS_DOC_COERCE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "ast.h"

typedef enum doc_coerce_status {
	DOC_COERCE_OK = 0,
	DOC_COERCE_INVALID = -1, /* message written */
	DOC_COERCE_NOMEM = -2,
} doc_coerce_status;

/* Coerces *value (owned by the caller, non-NULL and not JSON null at the
 * top: the caller handles absent and null variables; not linked into
 * another value) to type t: an integer ID becomes a string, a single value
 * for a list type becomes a one-item list, so *value may be replaced; it
 * stays the caller's either way. On DOC_COERCE_INVALID, message holds
 * graphql-js's text: `Variable "$x" got invalid value ...`. */
doc_coerce_status doc_coerce_variable(const char *name, const doc_type *t, cJSON **value,
				      char *message, size_t size);

#endif
