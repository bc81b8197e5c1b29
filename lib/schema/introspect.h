/*
 * introspect.h - what the introspection files share (private): the names
 * of the introspection types, and default values printed as graphql-js
 * prints them for __InputValue.defaultValue.
 */
#ifndef GQLWS_SCHEMA_INTROSPECT_H
#define GQLWS_SCHEMA_INTROSPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "schema_internal.h"

/* True for the names of graphql-js's introspectionTypes (__Schema,
 * __Directive, __DirectiveLocation, __Type, __Field, __InputValue,
 * __EnumValue, __TypeKind): isIntrospectionType compares names only. */
bool introspect_is_introspection_type(const char *name);

/* Appends to text what graphql-js answers for __InputValue.defaultValue of
 * a value of type `type` whose SDL default literal is `literal`:
 * print(astFromValue(valueFromAST(literal, type), type)), GraphQL text (not
 * yet a JSON string). Returns 1 when it printed, 0 when the answer is null
 * (the literal does not coerce to the type, or graphql-js cannot turn the
 * coerced value back into a literal: Infinity, objects of custom scalars;
 * graphql-js also reports an error for those, this does not; text then
 * holds a partial print), -1 when allocation failed. */
int introspect_default_print(const schema_ref *type, const doc_value *literal, gqlws_doc_buf *text);

#endif
