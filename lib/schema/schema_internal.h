/*
 * schema_internal.h - the model of a built schema, shared by the SDL
 * builder, the validator, introspection and typed projection. Everything
 * lives in the schema's arena and is immutable once gqlws_schema_parse()
 * returns. Names are NUL-terminated arena strings. Directives applied in
 * the SDL are kept as the parser's doc_directive lists (lib/doc/ast.h), so
 * executors can read their own directives (@topic, ...) from a definition.
 */
#ifndef GQLWS_SCHEMA_INTERNAL_H
#define GQLWS_SCHEMA_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "ast.h"
#include "gqlws_schema.h"

typedef enum schema_kind {
	SCHEMA_SCALAR,
	SCHEMA_OBJECT,
	SCHEMA_INTERFACE,
	SCHEMA_UNION,
	SCHEMA_ENUM,
	SCHEMA_INPUT_OBJECT,
} schema_kind;

typedef struct schema_type schema_type;

/* The SDL nodes (lib/schema/sdl_ast.h) a definition was built from. */
struct sdl_def;
struct sdl_field;
struct sdl_input_value;
struct sdl_enum_value;

/* A type reference: a named type wrapped in lists and non-nulls. */
typedef enum schema_ref_kind {
	SCHEMA_REF_NAMED,
	SCHEMA_REF_LIST,
	SCHEMA_REF_NON_NULL,
} schema_ref_kind;

typedef struct schema_ref {
	schema_ref_kind kind;
	const schema_type *named;          /* SCHEMA_REF_NAMED */
	const struct schema_ref *of_type;  /* list and non-null */
} schema_ref;

/* An argument of a field or directive, or a field of an input type. */
typedef struct schema_input_value {
	const char *name;
	const char *description;           /* or NULL */
	const schema_ref *type;
	/* As written in the SDL; NULL when there is none, and when graphql-js's
	 * valueFromAST() cannot coerce it to the type (buildASTSchema then
	 * has no default either: introspection says null, and a non-null
	 * argument without one is required). */
	const doc_value *default_value;
	const char *deprecation_reason;    /* NULL: not deprecated */
	const doc_directive *directives;   /* as applied in the SDL */
	doc_pos pos;
	const struct sdl_input_value *sdl; /* its SDL node (NULL: __type's name) */
} schema_input_value;

typedef struct schema_field {
	const char *name;
	const char *description;
	const schema_ref *type;
	const schema_input_value *args;    /* definition order */
	size_t arg_count;
	const char *deprecation_reason;
	const doc_directive *directives;
	doc_pos pos;
	const struct sdl_field *sdl;       /* its SDL node (NULL: a meta field) */
	/* an argument is required (non-null, no default): the validation's
	 * walker calls ProvidedRequiredArguments at the fields with one only */
	bool has_required_arg;
} schema_field;

typedef struct schema_enum_value {
	const char *name;
	const char *description;
	const char *deprecation_reason;
	const doc_directive *directives;
	doc_pos pos;
	const struct sdl_enum_value *sdl;  /* its SDL node */
} schema_enum_value;

struct schema_type {
	schema_kind kind;
	const char *name;
	const char *description;
	const char *specified_by_url;      /* scalars, or NULL */
	bool one_of;                       /* an input object with @oneOf */
	bool builtin;                      /* a built-in scalar or __ type */
	const doc_directive *directives;   /* definition and extensions */
	doc_pos pos;
	unsigned index;                    /* in gqlws_schema.types */
	/* object and interface: fields in definition order (extensions after) */
	const schema_field *fields;
	size_t field_count;
	/* object and interface: the fields sorted by name (strcmp), for
	 * schema_field_find() */
	const schema_field *const *fields_by_name;
	/* object and interface: the same fields by name_hash (name_lookup.h),
	 * for the hot paths' name_lookup_field; NULL: no fields */
	const schema_field *const *field_slots;
	unsigned field_slot_shift;
	/* object and interface: the interfaces it implements */
	const schema_type *const *interfaces;
	size_t interface_count;
	/* union: its members; interface: the object types implementing it, in
	 * schema type order (graphql-js getPossibleTypes) */
	const schema_type *const *possible;
	size_t possible_count;
	/* the same sorted by schema_type.index, for O(log n) membership */
	const schema_type *const *possible_by_index;
	/* interface: the interfaces implementing it */
	const schema_type *const *implementing_interfaces;
	size_t implementing_interface_count;
	/* enum */
	const schema_enum_value *values;
	size_t value_count;
	const schema_enum_value *const *values_by_name;
	/* input object */
	const schema_input_value *input_fields;
	size_t input_field_count;
	const schema_input_value *const *input_fields_by_name;
	/* a reference naming this type, ready-made for the validation's
	 * TypeInfo (the type of an inline fragment, a fragment, an operation) */
	schema_ref named_ref;
};

/* Where a directive may be used (bit positions of schema_directive.locations),
 * in the order of the GraphQL spec's DirectiveLocation enum. */
typedef enum schema_location {
	SCHEMA_LOC_QUERY,
	SCHEMA_LOC_MUTATION,
	SCHEMA_LOC_SUBSCRIPTION,
	SCHEMA_LOC_FIELD,
	SCHEMA_LOC_FRAGMENT_DEFINITION,
	SCHEMA_LOC_FRAGMENT_SPREAD,
	SCHEMA_LOC_INLINE_FRAGMENT,
	SCHEMA_LOC_VARIABLE_DEFINITION,
	SCHEMA_LOC_SCHEMA,
	SCHEMA_LOC_SCALAR,
	SCHEMA_LOC_OBJECT,
	SCHEMA_LOC_FIELD_DEFINITION,
	SCHEMA_LOC_ARGUMENT_DEFINITION,
	SCHEMA_LOC_INTERFACE,
	SCHEMA_LOC_UNION,
	SCHEMA_LOC_ENUM,
	SCHEMA_LOC_ENUM_VALUE,
	SCHEMA_LOC_INPUT_OBJECT,
	SCHEMA_LOC_INPUT_FIELD_DEFINITION,
	SCHEMA_LOC_DIRECTIVE_DEFINITION,   /* graphql-js 16.15: @deprecated's */
	SCHEMA_LOC_COUNT,
} schema_location;

/* "QUERY", "FIELD_DEFINITION", ... */
const char *schema_location_name(schema_location loc);
/* The location of a name, or -1 when it names none. */
int schema_location_from_name(const char *name);

typedef struct schema_directive {
	const char *name;                  /* without the @ */
	const char *description;
	const schema_input_value *args;
	size_t arg_count;
	bool repeatable;
	bool builtin;
	unsigned locations;                /* 1u << schema_location, ... */
	/* The locations as the definition lists them, repeats kept: graphql-js
	 * introspects them in that order (@deprecated's built-in order is
	 * FIELD_DEFINITION, ARGUMENT_DEFINITION, INPUT_FIELD_DEFINITION,
	 * ENUM_VALUE, DIRECTIVE_DEFINITION). */
	const schema_location *location_list;
	size_t location_list_count;
	doc_pos pos;
	const struct sdl_def *sdl;         /* its SDL definition */
} schema_directive;

struct gqlws_schema {
	doc_arena arena;
	const char *description;
	const schema_type *query;          /* each may be NULL */
	const schema_type *mutation;
	const schema_type *subscription;
	/* Every type, built-in scalars and introspection types included, in the
	 * order graphql-js's GraphQLSchema.getTypeMap() lists them (introspection
	 * answers in this order). */
	const schema_type *const *types;
	size_t type_count;
	/* The same types sorted by name (strcmp), for schema_type_find(). */
	const schema_type *const *types_by_name;
	/* The same types by name_hash (name_lookup.h): name_lookup_type's. */
	const schema_type *const *type_slots;
	unsigned type_slot_shift;
	/* Directives in graphql-js's getDirectives() order: the SDL's in
	 * definition order, then the specified ones it did not redefine
	 * (@include, @skip, @deprecated, @specifiedBy, @oneOf). */
	const schema_directive *const *directives;
	size_t directive_count;
};

/* ------------------------------------------------------------- lookups */

const schema_type *schema_type_find(const gqlws_schema *schema, const char *name);
const schema_directive *schema_directive_find(const gqlws_schema *schema, const char *name);
/* A field of an object or interface type; NULL for other kinds. Does not
 * answer the meta fields (__typename, __schema, __type): see below. */
const schema_field *schema_field_find(const schema_type *type, const char *name);
/* graphql-js getFieldDef: the field `name` of parent as a selection sees it,
 * the meta fields included (__schema and __type on the query type only,
 * __typename on every composite type). */
const schema_field *schema_field_def(const gqlws_schema *schema, const schema_type *parent,
				     const char *name);
const schema_input_value *schema_arg_find(const schema_input_value *args, size_t count,
					  const char *name);
const schema_input_value *schema_input_field_find(const schema_type *type, const char *name);
const schema_enum_value *schema_enum_value_find(const schema_type *type, const char *name);

/* ------------------------------------------------------- type relations */

/* The named type under every list and non-null. Inline: the walker and
 * the rules ask it at every field. */
static inline const schema_type *schema_ref_named(const schema_ref *ref)
{
	while (ref && ref->kind != SCHEMA_REF_NAMED)
		ref = ref->of_type;
	return ref ? ref->named : NULL;
}
/* ref without its outer non-null (ref itself if nullable). */
const schema_ref *schema_ref_nullable(const schema_ref *ref);
bool schema_ref_equal(const schema_ref *a, const schema_ref *b);
/* "[String!]!" into buf (always NUL-terminated, truncated to size). Returns
 * the length it needed, as snprintf does. */
size_t schema_ref_print(const schema_ref *ref, char *buf, size_t size);

/* Inline: the walker and the rules ask them at every field. */
static inline bool schema_is_input_kind(schema_kind kind) /* scalar, enum, input */
{
	return kind == SCHEMA_SCALAR || kind == SCHEMA_ENUM || kind == SCHEMA_INPUT_OBJECT;
}
static inline bool schema_is_output_kind(schema_kind kind) /* all but input */
{
	return kind != SCHEMA_INPUT_OBJECT;
}
static inline bool schema_is_leaf_kind(schema_kind kind) /* scalar, enum */
{
	return kind == SCHEMA_SCALAR || kind == SCHEMA_ENUM;
}
static inline bool schema_is_composite_kind(schema_kind kind) /* object, interface, union */
{
	return kind == SCHEMA_OBJECT || kind == SCHEMA_INTERFACE || kind == SCHEMA_UNION;
}
static inline bool schema_is_abstract_kind(schema_kind kind) /* interface, union */
{
	return kind == SCHEMA_INTERFACE || kind == SCHEMA_UNION;
}

/* graphql-js isPossibleType: object is a member of the union or implements
 * the interface. */
bool schema_is_possible_type(const schema_type *abstract, const schema_type *object);
/* graphql-js isSubType: maybe_sub is a possible type (or implementing
 * interface) of abstract. */
bool schema_is_sub_type(const schema_type *abstract, const schema_type *maybe_sub);
/* graphql-js isTypeSubTypeOf. */
bool schema_ref_is_subtype_of(const schema_ref *maybe_sub, const schema_ref *super);
/* graphql-js doTypesOverlap, for composite types. */
bool schema_types_overlap(const schema_type *a, const schema_type *b);

/* The schema_ref of a document type (`[Int!]` in a variable definition):
 * allocated in arena; NULL when a named type is unknown or on allocation
 * failure (*unknown then tells which). */
const schema_ref *schema_ref_from_doc(const gqlws_schema *schema, const doc_type *type,
				      doc_arena *arena, bool *unknown);

/* ----------------------------------------------------------- suggestions */

/* graphql-js suggestionList: the options within lexical distance of input,
 * best first (ties by natural order of the names), written to out (room
 * for count entries). Returns how many. */
size_t schema_suggestion_list(const char *input, const char *const *options, size_t count,
			      const char **out);

/* graphql-js naturalCompare: <0, 0, >0; runs of digits compare by value. */
int schema_natural_compare(const char *a, const char *b);

/* graphql-js didYouMean: appends " Did you mean \"a\", \"b\", or \"c\"?"
 * (at most 5; sub_message e.g. "the enum value" inserted after "mean")
 * to buf at its NUL; nothing for no suggestions. */
void schema_did_you_mean(char *buf, size_t size, const char *sub_message,
			 const char *const *suggestions, size_t count);

#endif
