/*
 * introspect.h - what the introspection files share (private): a root
 * field's selection compiled for the introspection types
 * (introspect_compile.c), their names, and default values printed as
 * graphql-js prints them for __InputValue.defaultValue
 * (introspect_value.c); introspect.c writes the answer.
 */
#ifndef GQLWS_SCHEMA_INTROSPECT_H
#define GQLWS_SCHEMA_INTROSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schema_internal.h"

/* The introspection object types a selection can be on. */
typedef enum iobj {
	IOBJ_SCHEMA,
	IOBJ_TYPE,
	IOBJ_FIELD,
	IOBJ_INPUT_VALUE,
	IOBJ_ENUM_VALUE,
	IOBJ_DIRECTIVE,
	IOBJ_NONE, /* a leaf */
} iobj;

/* Every field of the introspection types; names shared between types
 * (name, description, ...) are one id, told apart by the object. */
typedef enum ifield_id {
	IF_TYPENAME,
	IF_DESCRIPTION,
	IF_TYPES,
	IF_QUERY_TYPE,
	IF_MUTATION_TYPE,
	IF_SUBSCRIPTION_TYPE,
	IF_DIRECTIVES,
	IF_KIND,
	IF_NAME,
	IF_SPECIFIED_BY_URL,
	IF_FIELDS,
	IF_INTERFACES,
	IF_POSSIBLE_TYPES,
	IF_ENUM_VALUES,
	IF_INPUT_FIELDS,
	IF_OF_TYPE,
	IF_IS_ONE_OF,
	IF_ARGS,
	IF_TYPE,
	IF_DEFAULT_VALUE,
	IF_IS_DEPRECATED,
	IF_DEPRECATION_REASON,
	IF_IS_REPEATABLE,
	IF_LOCATIONS,
} ifield_id;

typedef struct isel isel;

/* One response key of a selection on an introspection object. */
/* The least room of an ikey's member text (see introspect.c put_member). */
#define IKEY_MEMBER_ROOM 48

typedef struct ikey {
	const char *member;      /* ,"key": ready to write (skip the comma first);
				  * IKEY_MEMBER_ROOM bytes at least, so a short
				  * one can be copied as a fixed-size block */
	size_t member_len;
	const char *key;         /* the response key, for error paths */
	const doc_pos *positions; /* every field node of the key, for errors */
	size_t position_count;
	ifield_id id;
	bool include_deprecated; /* the includeDeprecated argument, default false */
	const isel *sub;         /* the value's selection, for object values */
} ikey;

struct isel {
	const ikey *keys;
	size_t count;
	uint32_t id;             /* 1.. in compile order, for the memo's keys */
};

/* The selection of root field `field` of plan (an object of type root:
 * IOBJ_SCHEMA for __schema, IOBJ_TYPE for __type) compiled into arena, as
 * graphql-js's CollectFields and argument coercion see it: fragments and
 * inline fragments collected for each introspection type, skipped
 * selections left out, same response keys merged (their sub-selections
 * together, arguments from the first), includeDeprecated decided with the
 * plan's variables, fields the introspection types do not have left out.
 * *max_depth gets the deepest level of nested selections (the root's is
 * 1). NULL when allocation failed. */
const isel *introspect_compile(const gqlws_doc_plan *plan, const gqlws_doc_field *field, iobj root,
			       doc_arena *arena, size_t *max_depth);

/* True for the names of graphql-js's introspectionTypes (__Schema,
 * __Directive, __DirectiveLocation, __Type, __Field, __InputValue,
 * __EnumValue, __TypeKind): isIntrospectionType compares names only. */
bool introspect_is_introspection_type(const char *name);

/* Appends to text what graphql-js answers for __InputValue.defaultValue of
 * a value of type `type` whose SDL default literal is `literal`:
 * print(astFromValue(valueFromAST(literal, type), type)), GraphQL text (not
 * yet a JSON string). Returns 1 when it printed; 0 when the answer is null
 * because the literal does not coerce to the type (or it goes beyond the
 * printer's bounds); 2 when the answer is null because graphql-js cannot
 * turn the coerced value back into a literal and reports an error, whose
 * message (`Cannot convert value to AST: { a: 1 }.`, `Float cannot
 * represent non numeric value: Infinity`) is then appended to why (if not
 * NULL); -1 when allocation failed. After 0 or 2 text holds a partial
 * print. */
int introspect_default_print(const schema_ref *type, const doc_value *literal, gqlws_doc_buf *text,
			     gqlws_doc_buf *why);

#endif
