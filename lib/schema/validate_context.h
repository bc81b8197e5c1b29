/*
 * validate_context.h - what the walker (validate.c) and the fragment and
 * variable bookkeeping (validate_fragments.c) share; rules see only
 * validate_internal.h.
 */
#ifndef GQLWS_SCHEMA_VALIDATE_CONTEXT_H
#define GQLWS_SCHEMA_VALIDATE_CONTEXT_H

#include <stdint.h>

#include "sdl_ast.h"
#include "validate_internal.h"

/* graphql-js TypeInfo: one stack per kind of fact; every push is matched by
 * a pop when the walker leaves the node. Every entry of a stack belongs to
 * a node open on the walk's path, and each such node has a token of its own
 * (a name, `[`, `{`, `$`, `...`), so a stack never holds more entries than
 * the document has bytes; nesting is also bounded by the document depth
 * limit. The room is the smaller bound, sized per document: a 300-byte
 * subscription does not clear 160 KiB of stacks it cannot fill. */
#define TYPEINFO_ROOM (2 * DOC_DEPTH_CEILING + 16)
#define TYPEINFO_SLACK 16

/* Slots of vctx_type_find's memo (a power of two). */
#define VCTX_TYPE_MEMO_SLOTS 32

/* graphql-js ValidationContext's fragment-work budget. */
#define FRAGMENT_WORK_BUDGET 50000

/* Per node kind, the callbacks of the rules whose enter [0] or leave [1]
 * looks at it, in specifiedRules order, with where the rule's state is in
 * the block of every rule's state; and per set of VLACKS_ bits a node may
 * have, which of them to call (bit j: the list's j-th), so that a rule
 * that needs what the node lacks costs no test either. */
typedef struct rule_dispatch {
	void (*fns[2][VNODE_KIND_COUNT][VALIDATION_RULE_MAX])(vctx *, const vnode *, void *);
	uint32_t state_at[2][VNODE_KIND_COUNT][VALIDATION_RULE_MAX];
	uint32_t calls[2][VNODE_KIND_COUNT][VLACKS_COMBINATIONS];
	size_t state_block; /* bytes of every rule's state, each aligned */
} rule_dispatch;


/* The fragments a set of spread names reaches, cached by the set (graphql-js
 * keys its cache by the set, not its order). */
typedef struct fragment_list {
	const doc_fragment **fragments;
	size_t count;
	/* the usages of these fragments, once computed */
	const vctx_variable_usage *usages;
	size_t usage_count;
	bool usages_done;
} fragment_list;

typedef struct spread_list {
	const doc_selection **spreads;
	size_t count;
	bool done;
} spread_list;

typedef struct usage_list {
	vctx_variable_usage *items;
	size_t count;
	size_t room;
	bool done;
} usage_list;

typedef struct reference_cache_entry {
	unsigned *ids;          /* sorted spread-name ids */
	size_t id_count;
	unsigned long long hash; /* of ids, compared first */
	fragment_list list;
	struct reference_cache_entry *next;
} reference_cache_entry;

struct vctx {
	/* first, as vctx_head (validate_internal.h) says */
	const gqlws_schema *schema;
	typeinfo *ti;           /* the main walk's */
	gqlws_doc *doc;
	doc_arena arena;
	cJSON *errors;
	size_t error_count;
	bool aborted;
	bool nomem;
	bool thrown;            /* a graphql-js throw: the only error kept */
	long long fragment_work;
	typeinfo *usage_ti;     /* the variable-usage walks' */
	size_t text_len;        /* of the document: bounds the stacks' room */
	char *rule_states;      /* every rule's state (rule_dispatch.state_at) */
	const rule_dispatch *dispatch;
	/* fragments by name (last definition of a name wins), for lookup */
	const doc_fragment **fragments_by_name;
	const doc_fragment **fragments_by_index;
	/* spread names that name no fragment, sorted and distinct: with the
	 * fragments they give every spread name an id */
	const char **unknown_names;
	size_t unknown_count;
	/* per fragment index and per operation (in document order) */
	spread_list *fragment_spreads;
	usage_list *fragment_usages;
	const gqlws_doc_operation **operations;
	spread_list *operation_spreads;
	usage_list *operation_usages;
	usage_list *recursive_usages;
	reference_cache_entry **reference_buckets; /* by hash of the set */
	size_t reference_bucket_mask;
	/* vctx_type_find's memo: a type name of the document is looked up by
	 * the walker and by several rules */
	struct {
		const char *name;
		const schema_type *type;
	} type_memo[VCTX_TYPE_MEMO_SLOTS];
	/* scratch for the spread walks: selection sets to visit */
	const doc_selection **set_stack;
	size_t set_stack_room;
	unsigned char *id_marks;       /* per spread-name id */
	unsigned *id_scratch;          /* room for every spread-name id */
	const doc_fragment **fragment_scratch; /* room for every fragment */
	/* type-system definitions of the document (NULL: none) */
	const sdl_document *sdl;
	const char **document_types;
	size_t document_type_count;
	vctx_document_directive *document_directives;
	size_t document_directive_count;
};

/* The index of op in ctx->operations. */
size_t vctx_operation_index(const vctx *ctx, const gqlws_doc_operation *op);
/* The id of a spread's name (fragment index of the fragment it names, or
 * fragment_count + its place among the unknown names). */
unsigned vctx_spread_id(const vctx *ctx, const doc_selection *spread);
/* A schema_ref naming type (NULL for NULL): the schema's own. */
static inline const schema_ref *vctx_named_ref(vctx *ctx, const schema_type *type)
{
	(void)ctx;
	return type ? &type->named_ref : NULL;
}

/* validate_walk.c: the whole document with every rule; and one definition
 * collecting its variable usages. */
void vctx_walk(vctx *ctx);
void vctx_collect_usages(vctx *ctx, const gqlws_doc_operation *op, const doc_fragment *fragment,
			 usage_list *out);

/* validate_context.c: the types and directives the document defines. */
int vctx_document_definitions_init(vctx *ctx);

/* validate_fragments.c */
int vctx_fragments_init(vctx *ctx);
/* graphql-js getFragmentSpreads of a selection set, in its order. */
const spread_list *vctx_operation_spreads(vctx *ctx, const gqlws_doc_operation *op);
const spread_list *vctx_fragment_spreads(vctx *ctx, const doc_fragment *fragment);
/* getRecursivelyReferencedFragmentsForOperations. */
const fragment_list *vctx_referenced_fragments(vctx *ctx, const gqlws_doc_operation *const *ops,
					       size_t op_count);

#endif
