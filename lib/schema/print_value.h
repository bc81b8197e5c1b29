/*
 * print_value.h - value literals of a document as graphql-js's print()
 * writes them (its printForError for values: no line is ever indented), for
 * error messages that quote a value and for anything that shows a default.
 */
#ifndef GQLWS_SCHEMA_PRINT_VALUE_H
#define GQLWS_SCHEMA_PRINT_VALUE_H

#include "ast.h"
#include "gqlws_doc.h"
#include "schema_internal.h"

/* Appends value, printed, to out: `$v`, `12`, `"a\"b"`, block strings as
 * block strings, `[1, 2]`, `{a: 1, b: 2}`. Returns 0, or -1 when out of
 * memory (out then holds a prefix). */
int schema_print_value(gqlws_doc_buf *out, const doc_value *value);

/* Appends a type reference as graphql-js's inspect() shows it: `[Int!]!`.
 * Returns 0 or -1 (out of memory). */
int schema_print_ref(gqlws_doc_buf *out, const schema_ref *ref);

/* Appends a type as written in a document, as graphql-js's print() does:
 * `[Int!]!`. Returns 0 or -1 (out of memory). */
int schema_print_doc_type(gqlws_doc_buf *out, const doc_type *type);

#endif
