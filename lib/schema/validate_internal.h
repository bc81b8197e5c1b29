/*
 * validate_internal.h - how the validation rules meet the walker.
 *
 * graphql-js validates by one traversal of the document that visits every
 * rule in parallel (visitInParallel) with a TypeInfo tracking the types at
 * each node; errors therefore come out in traversal order, rules in
 * specifiedRules order at each node, `leave` reports when the walker leaves
 * the node. The walker (validate.c) does the same: it enters and leaves
 * every node of the document in source order, keeps the TypeInfo, and calls
 * each rule of validation_rules[] (specifiedRules order) at each node:
 * TypeInfo is entered before the rules' enter and left after their leave,
 * as visitWithTypeInfo does. graphql-js lets a rule skip a subtree by
 * returning false; here a rule ignores the nodes it would have skipped
 * (its own state says which).
 * A rule is a pair of callbacks and a state block the walker zeroes per
 * document; rules keep everything else in the validation arena.
 */
#ifndef GQLWS_SCHEMA_VALIDATE_INTERNAL_H
#define GQLWS_SCHEMA_VALIDATE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "schema_internal.h"

typedef enum vnode_kind {
	VNODE_DOCUMENT,
	VNODE_OPERATION,
	VNODE_VARIABLE_DEFINITION,
	VNODE_SELECTION_SET,
	VNODE_FIELD,
	VNODE_ARGUMENT,
	VNODE_FRAGMENT_SPREAD,
	VNODE_INLINE_FRAGMENT,
	VNODE_FRAGMENT_DEFINITION,
	VNODE_DIRECTIVE,
	VNODE_VALUE,          /* any value, variables included (not the $name
			       * a variable definition defines) */
	VNODE_OBJECT_FIELD,   /* a member of an object value (value->member_name,
			       * pos its member_pos); its VALUE follows inside */
	VNODE_NAMED_TYPE,     /* in a variable's type or a type condition, or
			       * anywhere in a type-system definition */
	/* A type-system definition or extension in the executable document
	 * (graphql-js parses and visits them; ExecutableDefinitions refuses
	 * them): type_system_name is its name (NULL: schema); and a field,
	 * argument, input field or enum value defined in one. Both carry
	 * their directives. */
	VNODE_TYPE_SYSTEM,
	VNODE_TYPE_SYSTEM_MEMBER,
	VNODE_KIND_COUNT
} vnode_kind;

/* A set of node kinds, for validation_rule's enter_kinds and leave_kinds. */
#define VKIND(kind) (1u << (kind))

/* What the walker knows a node lacks (vnode.lacks; a bit is set only where
 * the walker has looked: 0 says nothing), for validation_rule's enter_needs
 * and leave_needs: a rule with nothing to do at a node lacking one of them
 * is not called there. Most fields have no directive, one argument at most,
 * no required argument and a name without "__": the per-field rules that
 * look for those cost no call. */
#define VLACKS_SEVERAL_DIRECTIVES (1u << 0) /* an operation, variable
					     * definition, field, spread,
					     * inline fragment or fragment
					     * definition with at most one */
#define VLACKS_SEVERAL_ARGUMENTS (1u << 1)  /* a field or directive with at
					     * most one argument */
#define VLACKS_META_NAME (1u << 2)          /* a field whose name does not
					     * start with "__" */
#define VLACKS_REQUIRED_ARGUMENTS (1u << 3) /* a field whose definition is
					     * unknown or has no required
					     * argument (schema_field's
					     * has_required_arg) */
#define VLACKS_COMBINATIONS 16u             /* every set of the bits above */

/* The node entered or left; only the members of its kind are set. */
typedef struct vnode {
	vnode_kind kind;
	doc_pos pos;
	const gqlws_doc_operation *operation;     /* OPERATION */
	const doc_variable_def *variable_def;     /* VARIABLE_DEFINITION */
	const doc_selection *selection;           /* FIELD, FRAGMENT_SPREAD, INLINE_FRAGMENT */
	const doc_selection *selections;          /* SELECTION_SET: its first selection */
	const doc_fragment *fragment;             /* FRAGMENT_DEFINITION; SELECTION_SET:
						   * the fragment whose own set it is
						   * (NULL: another set) */
	const doc_argument *argument;             /* ARGUMENT */
	const doc_directive *directive;           /* DIRECTIVE */
	const doc_value *value;                   /* VALUE, OBJECT_FIELD */
	const char *type_name;                    /* NAMED_TYPE */
	const doc_type *type;                     /* NAMED_TYPE in a variable's type,
						   * else NULL */
	/* the directives of a node that carries some (operation, variable
	 * definition, field, spread, inline fragment, fragment definition) */
	const doc_directive *directives;
	const char *type_system_name;             /* TYPE_SYSTEM */
	bool type_system_directive;               /* TYPE_SYSTEM: a directive definition */
	unsigned lacks;                           /* VLACKS_... */
} vnode;

typedef struct vctx vctx;

/* ------------------------------------------------------------- TypeInfo */
/* graphql-js TypeInfo: one stack per kind of fact; every push is matched by
 * a pop when the walker leaves the node (room: validate_context.h). */
typedef struct typeinfo {
	const schema_ref **types;
	const schema_type **parent_types;
	const schema_ref **input_types;
	const schema_field **field_defs;
	const doc_value **default_values;
	size_t type_count, parent_type_count, input_type_count, field_def_count, default_value_count;
	const schema_directive *directive;
	const schema_input_value *argument;
	schema_location directive_location;
	bool in_type_system;
} typeinfo;

/* The top of a TypeInfo stack, or NULL when it is empty. */
#define TOP(ti, stack, count) ((ti)->count ? (ti)->stack[(ti)->count - 1] : NULL)

/* The first members of struct vctx (validate_context.h, which asserts it):
 * the getters below are inline, since the rules ask them at every field. */
typedef struct vctx_head {
	const gqlws_schema *schema;
	typeinfo *ti;
} vctx_head;

static inline const typeinfo *vctx_typeinfo(const vctx *ctx)
{
	return ((const vctx_head *)(const void *)ctx)->ti;
}

/* As graphql-js's TypeInfo at the current node (NULL where it has none). */
static inline const gqlws_schema *vctx_schema(const vctx *ctx)
{
	return ((const vctx_head *)(const void *)ctx)->schema;
}
const gqlws_doc *vctx_doc(const vctx *ctx);
static inline const schema_type *vctx_parent_type(const vctx *ctx) /* getParentType */
{
	return TOP(vctx_typeinfo(ctx), parent_types, parent_type_count);
}
static inline const schema_ref *vctx_type(const vctx *ctx) /* getType */
{
	return TOP(vctx_typeinfo(ctx), types, type_count);
}
static inline const schema_field *vctx_field_def(const vctx *ctx) /* getFieldDef */
{
	return TOP(vctx_typeinfo(ctx), field_defs, field_def_count);
}
static inline const schema_directive *vctx_directive(const vctx *ctx) /* getDirective */
{
	return vctx_typeinfo(ctx)->directive;
}
static inline const schema_input_value *vctx_argument(const vctx *ctx) /* getArgument */
{
	return vctx_typeinfo(ctx)->argument;
}
static inline const schema_ref *vctx_input_type(const vctx *ctx) /* getInputType */
{
	return TOP(vctx_typeinfo(ctx), input_types, input_type_count);
}
static inline const schema_ref *vctx_parent_input_type(const vctx *ctx) /* getParentInputType */
{
	const typeinfo *ti = vctx_typeinfo(ctx);
	return ti->input_type_count >= 2 ? ti->input_types[ti->input_type_count - 2] : NULL;
}
static inline const doc_value *vctx_default_value(const vctx *ctx) /* getDefaultValue */
{
	return TOP(vctx_typeinfo(ctx), default_values, default_value_count);
}
/* The location a directive being visited is used at. */
static inline schema_location vctx_directive_location(const vctx *ctx)
{
	return vctx_typeinfo(ctx)->directive_location;
}
/* True while the walker is inside a type-system definition. */
static inline bool vctx_in_type_system(const vctx *ctx)
{
	return vctx_typeinfo(ctx)->in_type_system;
}

/* schema_type_find for a name held by the document (a type condition, a
 * variable's type, a named type node): the same answer, remembered by the
 * name's address for the rest of the validation (the document's strings
 * neither move nor change while it runs; never pass a scratch buffer). */
const schema_type *vctx_type_find(vctx *ctx, const char *name);

/* ------------------------------------------------------------ document */
const doc_fragment *vctx_fragment(const vctx *ctx, const char *name);
/* vctx_fragment(ctx, spread->name) for a spread of the document, without
 * the search: the limits check before the rules (doc_validate_limits)
 * linked every spread to the last fragment of its name, NULL: none. */
static inline const doc_fragment *vctx_spread_fragment(const doc_selection *spread)
{
	return spread->fragment;
}

/* Types and directives the document itself defines (type-system
 * definitions in an executable document), which graphql-js's rules count
 * as known: type definitions' names (not extensions'), in document order;
 * a directive definition (the last of a name) as the rules see it. */
size_t vctx_document_types(const vctx *ctx, const char *const **names);
bool vctx_document_defines_type(const vctx *ctx, const char *name);
typedef struct vctx_document_directive {
	const char *name;
	unsigned locations;               /* 1u << schema_location, ... */
	bool repeatable;
	const char *const *arg_names;
	const doc_type *const *arg_types;     /* as written */
	const doc_value *const *arg_defaults; /* or NULL each */
	size_t arg_count;
} vctx_document_directive;
const vctx_document_directive *vctx_document_directive_find(const vctx *ctx, const char *name);

/* graphql-js getRecursiveVariableUsages: every variable used in op and in
 * the fragments it reaches, with the input type and default value TypeInfo
 * had at the use. Valid until the validation ends. */
typedef struct vctx_variable_usage {
	const doc_value *node;            /* kind DOC_VALUE_VARIABLE */
	const schema_ref *type;           /* NULL: unknown position */
	const schema_ref *parent_type;    /* getParentInputType at the use */
	const doc_value *default_value;   /* the location's default, or NULL */
	bool has_default;                 /* the location has a default */
} vctx_variable_usage;
size_t vctx_variable_usages(vctx *ctx, const gqlws_doc_operation *op,
			    const vctx_variable_usage **usages);

/* graphql-js ValidationContext.spendFragmentWork: the fragment-work budget
 * (50000) shared by the rules that expand fragments; when it runs out the
 * validation ends with "Validation aborted." Returns false then (and on
 * every later call): the rule stops its work and returns. */
bool vctx_spend_fragment_work(vctx *ctx, size_t cost);

/* True once the validation has ended early (error limit, fragment-work
 * budget or out of memory): rules doing long work check it and return. */
bool vctx_aborted(const vctx *ctx);

/* The arena vctx_alloc takes from, for a rule's hot path: its nodes of
 * constant size from doc_arena_alloc inline. A NULL from it is reported
 * with rule_out_of_memory(). */
doc_arena *vctx_arena(vctx *ctx);
/* Records that the validation ran out of memory (it fails with NOMEM). */
void vctx_out_of_memory(vctx *ctx);

/* Arena memory that lives until the validation ends (zeroed); NULL when
 * out of memory (the validation then fails with NOMEM). Inline: a node of
 * constant size is cleared by a few stores. */
static inline void *vctx_alloc(vctx *ctx, size_t size)
{
	void *p = doc_arena_alloc(vctx_arena(ctx), size);
	if (!p)
		vctx_out_of_memory(ctx);
	return p;
}

/* -------------------------------------------------------------- errors */
/* Appends an error (printf-style message, any length) at pos (line 0: no
 * location) to the validation's errors; returns it so more locations can be
 * added with doc_error_add_location(), or NULL when out of memory (recorded)
 * or when the validation has been aborted: the 101st error is replaced by
 * graphql-js's "Too many validation errors, error limit reached. Validation
 * aborted." and the walk stops after the callback returns. */
cJSON *vctx_report(vctx *ctx, doc_pos pos, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

/* Adds one more location to an error vctx_report() returned (NULL is ok). */
void vctx_add_location(vctx *ctx, cJSON *error, doc_pos pos);

/* graphql-js's validate() lets an error thrown inside a rule escape (as
 * collectFields does for a bad @skip in SingleFieldSubscriptions): the
 * result is that one error alone, and the validation ends. */
cJSON *vctx_throw(vctx *ctx, doc_pos pos, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

/* A map from names to pointers for the rules' "seen" sets, in the
 * validation arena (zeroed: empty). */
typedef struct vname_map {
	const char **names;
	const void **values;
	size_t room;
	size_t count;
} vname_map;
/* The value stored under name, or NULL. */
const void *vname_map_get(const vname_map *map, const char *name);
/* Stores value (not NULL) under name, replacing; false when out of memory. */
bool vname_map_put(vctx *ctx, vname_map *map, const char *name, const void *value);

/* --------------------------------------------------------------- rules */
typedef struct validation_rule {
	const char *name;                 /* graphql-js's rule name */
	size_t state_size;                /* zeroed per document */
	void (*enter)(vctx *ctx, const vnode *node, void *state);  /* may be NULL */
	void (*leave)(vctx *ctx, const vnode *node, void *state);  /* may be NULL */
	/* The kinds of node enter (leave) has something to do at (VKIND(...)
	 * | ...; 0: every kind): the walker calls it at those only, so a node
	 * costs the rules that look at it, not all 27. */
	unsigned enter_kinds;
	unsigned leave_kinds;
	/* VLACKS_... bits: the walker skips the callback at a node that lacks
	 * one of them (0: called at every node of its kinds). Only for a rule
	 * that provably does nothing there, errors and state alike. */
	unsigned enter_needs;
	unsigned leave_needs;
} validation_rule;

/* At most this many rules (the walker's per-kind lists hold indexes). */
#define VALIDATION_RULE_MAX 32

/* specifiedRules of graphql-js 16, in its order, NULL-terminated. */
extern const validation_rule *const validation_rules[];

#endif
