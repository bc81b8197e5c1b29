/*
 * literal.h - literal values of a document against the input types an
 * executor names, checked and printed as graphql-js's validation does
 * (ValuesOfCorrectType, VariablesInAllowedPosition) for the built-in
 * scalars, so that `counter(limit: 1e400)` is refused in the words a
 * client already knows.
 */
#ifndef GQLWS_DOC_LITERAL_H
#define GQLWS_DOC_LITERAL_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "ast.h"

/* Writes v as graphql-js's print() writes a value: `1e400`, `"a\n"`,
 * `[1, $x]`, `{a: 1}`; cut to size (always NUL-terminated). */
void doc_literal_print(const doc_value *v, char *out, size_t size);

/* Checks v, written where a value of type t goes. Built-in scalar types
 * (Int, Float, String, Boolean, ID) get their literal rules; a null for a
 * non-null type is refused; a variable must be declared in op with a type
 * that fits (op NULL: variables pass); values of other named types pass.
 * Appends one error per problem to *errors (created on first use). Returns
 * the number appended, or -1 on allocation failure. */
int doc_literal_check(const doc_value *v, const doc_type *t, const gqlws_doc_operation *op,
		      cJSON **errors);

#endif
