/*
 * ast.h - the syntax tree of an executable document, shared by the parser,
 * the validator, plans and projection. Every node lives in the document's
 * arena and keeps the line and column (1-based, UTF-16 units like graphql-js)
 * where it starts. Sibling lists are singly linked through `next`.
 */
#ifndef GQLWS_DOC_AST_H
#define GQLWS_DOC_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "arena.h"
#include "gqlws_doc.h"

/* Hard ceiling of gqlws_doc_limits.max_depth: bounds every recursion. */
#define DOC_DEPTH_CEILING ((size_t)GQLWS_DOC_DEPTH_CEILING)

typedef struct doc_pos {
	unsigned line;
	unsigned column;
} doc_pos;

typedef enum doc_value_kind {
	DOC_VALUE_VARIABLE,
	DOC_VALUE_INT,
	DOC_VALUE_FLOAT,
	DOC_VALUE_STRING,
	DOC_VALUE_BOOLEAN,
	DOC_VALUE_NULL,
	DOC_VALUE_ENUM,
	DOC_VALUE_LIST,
	DOC_VALUE_OBJECT,
} doc_value_kind;

typedef struct doc_value {
	doc_value_kind kind;
	doc_pos pos;
	/* variable and enum: the name; int and float: the source text; string:
	 * the decoded text (may hold NUL bytes, hence len) */
	const char *text;
	size_t len;
	bool boolean;
	bool block;                /* a string written as a block string */
	const char *member_name;   /* set on members of an object value */
	doc_pos member_pos;        /* a member's name (graphql-js's ObjectField) */
	struct doc_value *items;   /* list items or object members */
	struct doc_value *next;
} doc_value;

typedef struct doc_argument {
	const char *name;
	doc_pos pos;
	doc_value *value;
	struct doc_argument *next;
} doc_argument;

typedef struct doc_directive {
	const char *name;
	doc_pos pos;
	doc_argument *arguments;
	struct doc_directive *next;
} doc_directive;

typedef enum doc_type_kind {
	DOC_TYPE_NAMED,
	DOC_TYPE_LIST,
	DOC_TYPE_NON_NULL,
} doc_type_kind;

typedef struct doc_type {
	doc_type_kind kind;
	doc_pos pos;               /* where it starts (a non-null: its inner type) */
	const char *name;          /* DOC_TYPE_NAMED */
	struct doc_type *of_type;  /* list and non-null */
} doc_type;

typedef enum doc_selection_kind {
	DOC_SELECTION_FIELD,
	DOC_SELECTION_SPREAD,
	DOC_SELECTION_INLINE,
} doc_selection_kind;

struct doc_fragment;

typedef struct doc_selection {
	doc_selection_kind kind;
	doc_pos pos;
	unsigned index;              /* 0..doc->selection_count-1, for plan flags */
	doc_directive *directives;
	/* field */
	const char *alias;           /* or NULL */
	const char *name;            /* field name, or spread's fragment name */
	doc_pos name_pos;            /* the spread's fragment name */
	const char *key;             /* response key: alias or name */
	size_t key_len;
	doc_argument *arguments;
	/* field (optional) and inline fragment (required) */
	struct doc_selection *selections;
	doc_pos selections_pos;      /* its opening brace (field), for errors about it */
	/* inline fragment (optional) */
	const char *type_condition;
	doc_pos type_condition_pos;
	/* spread, linked by the validator */
	struct doc_fragment *fragment;
	struct doc_selection *next;
} doc_selection;

typedef struct doc_variable_def {
	const char *name;            /* without the $ */
	doc_pos pos;                 /* its `$` */
	doc_pos name_pos;            /* the name after the `$` */
	doc_type *type;
	doc_value *default_value;    /* or NULL */
	doc_directive *directives;
	struct doc_variable_def *next;
} doc_variable_def;

typedef struct doc_fragment {
	const char *name;
	doc_pos pos;
	doc_pos name_pos;
	const char *type_condition;
	doc_pos type_condition_pos;
	doc_directive *directives;
	doc_selection *selections;
	unsigned index;              /* 0..doc->fragment_count-1 */
	bool has_variable_uses;      /* some value in it is a $variable */
	size_t spread_count;         /* fragment spreads in it, nested ones included */
	struct doc_fragment *next;
} doc_fragment;

struct gqlws_doc_operation {
	gqlws_doc_op_type type;
	const char *name;            /* or NULL */
	doc_pos pos;
	doc_pos name_pos;
	doc_variable_def *variables;
	doc_directive *directives;
	doc_selection *selections;
	size_t spread_count;         /* fragment spreads in it, nested ones included */
	unsigned index;              /* 0..doc->operation_count-1 */
	struct gqlws_doc_operation *next;
};

/* A type-system definition or extension found in an executable document:
 * parsed and kept only so that validation can say it is not executable. */
typedef struct doc_type_system_def {
	const char *name;            /* NULL: a schema definition or extension */
	doc_pos pos;
	struct doc_type_system_def *next;
} doc_type_system_def;

struct gqlws_doc {
	doc_arena arena;
	gqlws_doc_operation *operations;
	size_t operation_count;
	doc_fragment *fragments;
	size_t fragment_count;
	size_t selection_count;
	bool has_variable_uses; /* some value is a $variable (not a definition) */
	doc_type_system_def *type_system_defs; /* only from doc_parse_for_rules() */
	gqlws_doc_limits limits;
};

/* True if a type condition (NULL: none) admits an object of type type_name
 * (NULL: unknown, which admits every condition). */
static inline bool doc_type_condition_matches(const char *condition, const char *type_name)
{
	return !condition || !type_name || strcmp(condition, type_name) == 0;
}

#endif
