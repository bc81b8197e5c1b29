/*
 * plan.h - what a plan holds (private): an operation bound to variables and
 * a root type, shared by plan.c (building it) and project.c (using it), and
 * CollectFields, the spec's walk that both of them need.
 */
#ifndef GQLWS_DOC_PLAN_H
#define GQLWS_DOC_PLAN_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "ast.h"

struct gqlws_doc_field {
	const char *name;
	const char *key;
	doc_pos pos;
	cJSON *args;                      /* owned by the plan */
	const doc_argument *arguments;    /* as written, borrowed from the document */
	const doc_selection **subs;       /* sub-selection sets to merge */
	size_t sub_count;
	doc_pos subs_pos;                 /* the first set's opening brace */
};

struct gqlws_doc_plan {
	const gqlws_doc *doc;
	const gqlws_doc_operation *op;    /* borrowed from doc */
	doc_arena arena;
	cJSON *variables;                 /* coerced, owned */
	unsigned char *included;          /* per selection index: 1 unless skipped */
	char *root_type;
	gqlws_doc_field *fields;
	size_t field_count;
};

/* Fields collected from one or more selection sets, in order. Starts on
 * caller storage and moves to the heap only when it outgrows it. */
typedef struct doc_field_list {
	const doc_selection **items;
	size_t count;
	size_t cap;
	bool on_heap;
} doc_field_list;

void doc_field_list_init(doc_field_list *list, const doc_selection **storage, size_t cap);
void doc_field_list_release(doc_field_list *list);

/* Appends the fields of the selection sets sets[0..n-1] that apply to an
 * object of type type_name (NULL: unknown): skipped selections left out,
 * fragment spreads and inline fragments followed when their condition
 * matches. Returns 0 or -1 (out of memory). Recursion is bounded by the
 * document's validated expanded depth. */
int doc_collect_fields(const gqlws_doc_plan *plan, const doc_selection *const *sets, size_t n,
		       const char *type_name, doc_field_list *out);

/* Links between the fields of a list that share a response key, so that
 * merging them is linear even for hostile selection sets: first[i] is 1
 * when no earlier field has field i's key, next_same[i] is the index of the
 * next field with that key or DOC_NO_NEXT. */
#define DOC_NO_NEXT UINT32_MAX
#define DOC_KEY_LINKS_INLINE 16

typedef struct doc_key_links {
	uint32_t *next_same;
	unsigned char *first;
	uint32_t next_storage[DOC_KEY_LINKS_INLINE];
	unsigned char first_storage[DOC_KEY_LINKS_INLINE];
} doc_key_links;

/* Returns 0 or -1 (out of memory); release in both cases. */
int doc_key_links_build(doc_key_links *links, const doc_field_list *fields);
void doc_key_links_release(doc_key_links *links);

#endif
