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
	unsigned char *included;          /* per selection index: a DOC_SEL_* */
	char *root_type;
	/* Made by doc_plan_new_deferring(): the first root selection whose
	 * @skip/@include raises (graphql-js's execute() then answers that
	 * error alone, data null); no root field is planned. */
	const doc_selection *root_raised;
	gqlws_doc_field *fields;
	size_t field_count;
};

/* What a plan decided for a selection's @skip/@include. DOC_SEL_RAISES only
 * in plans made by doc_plan_new_deferring(): its `if` is a variable that is
 * null or was not provided, which graphql-js's execute() finds only when it
 * collects the selection, as a field error (doc_plan_if_error()). */
enum { DOC_SEL_SKIPPED = 0, DOC_SEL_INCLUDED = 1, DOC_SEL_RAISES = 2 };

/* gqlws_doc_plan_new() for an executor that runs as graphql-js executes
 * (lib/schema's requests): an `if` of @skip/@include that is a null or
 * absent variable is not refused but marked DOC_SEL_RAISES. */
gqlws_doc_plan *doc_plan_new_deferring(const gqlws_doc *doc, const gqlws_doc_operation *op,
				       const char *root_type, const cJSON *variables, cJSON **errors);

/* The error graphql-js raises when it collects selection s, marked
 * DOC_SEL_RAISES: its message (`Argument "if" of non-null type "Boolean!"
 * must not be null.`, or `... of required type "Boolean!" was provided the
 * variable "$v" which was not provided a runtime value.`) as a new error
 * array's only error, located at the `if` value (@skip's first, as
 * graphql-js looks at @skip before @include), without a path. Returns the
 * error (the caller owns it) or NULL when out of memory. */
cJSON *doc_plan_if_error(const gqlws_doc_plan *plan, const doc_selection *s);

/* Fields collected from one or more selection sets, in order. Starts on
 * caller storage and moves to the heap only when it outgrows it. */
typedef struct doc_field_list {
	const doc_selection **items;
	size_t count;
	size_t cap;
	bool on_heap;
	const doc_selection *raised; /* the first DOC_SEL_RAISES met (left out) */
} doc_field_list;

void doc_field_list_init(doc_field_list *list, const doc_selection **storage, size_t cap);
void doc_field_list_release(doc_field_list *list);

/* Appends the fields of the selection sets sets[0..n-1] that apply to an
 * object of type type_name (NULL: unknown): skipped selections left out,
 * fragment spreads and inline fragments followed when their condition
 * matches; one that raises is left out and recorded in out->raised. Returns 0 or -1 (out of memory). Recursion is bounded by the
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
