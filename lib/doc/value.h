/*
 * value.h - literal values and types of the syntax tree as cJSON and text:
 * argument values with variables substituted, defaults, type names.
 */
#ifndef GQLWS_DOC_VALUE_H
#define GQLWS_DOC_VALUE_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "ast.h"

/* A new cJSON value for v; variables are taken from `variables` (an object
 * of coerced values, may be NULL). A variable missing from it yields NULL
 * with *absent set (inside lists it becomes null, inside objects the member
 * is left out). NULL with *absent false: out of memory. */
cJSON *doc_value_to_json(const doc_value *v, const cJSON *variables, bool *absent);

/* Writes d as JavaScript's Number.prototype.toString() writes it, which is
 * how graphql-js shows numbers in its messages: the shortest digits that
 * read back as d, `100000000000000000000`, `1e+21`, `1.5e-7`, `Infinity`,
 * `NaN`, `0` for -0. size 32 is always enough. */
void doc_number_print(double d, char *out, size_t size);

/* Writes a type as GraphQL prints it ("[Int!]!"), truncated to size. */
void doc_type_print(const doc_type *t, char *out, size_t size);

#endif
