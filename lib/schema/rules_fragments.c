/*
 * rules_fragments.c - the fragment rules of graphql-js 16:
 * FragmentsOnCompositeTypes, KnownFragmentNames, NoUnusedFragments,
 * PossibleFragmentSpreads, NoFragmentCycles. Cycles are searched as
 * graphql-js searches them (depth first from each definition in document
 * order, spreads in getFragmentSpreads order), so that each cycle is named
 * from the same fragment; the search is bounded by the number of fragments.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "validate_context.h"

/* ------------------------------------------------ FragmentsOnCompositeTypes */

static void fragments_on_composite_types_enter(vctx *ctx, const vnode *node, void *state)
{
	(void)state;
	const char *condition;
	doc_pos pos;
	if (node->kind == VNODE_INLINE_FRAGMENT && node->selection->type_condition) {
		condition = node->selection->type_condition;
		pos = node->selection->type_condition_pos;
	} else if (node->kind == VNODE_FRAGMENT_DEFINITION) {
		condition = node->fragment->type_condition;
		pos = node->fragment->type_condition_pos;
	} else {
		return;
	}
	const schema_type *type = vctx_type_find(ctx, condition);
	if (!type || schema_is_composite_kind(type->kind))
		return;
	if (node->kind == VNODE_INLINE_FRAGMENT)
		vctx_report(ctx, pos, "Fragment cannot condition on non composite type \"%s\".", condition);
	else
		vctx_report(ctx, pos, "Fragment \"%s\" cannot condition on non composite type \"%s\".",
			    node->fragment->name, condition);
}

const validation_rule rule_fragments_on_composite_types = {
	"FragmentsOnCompositeTypes", 0, fragments_on_composite_types_enter, NULL,
	.enter_kinds = VKIND(VNODE_INLINE_FRAGMENT) | VKIND(VNODE_FRAGMENT_DEFINITION),
	.leave_kinds = 0,
};

/* ------------------------------------------------------- KnownFragmentNames */

static void known_fragment_names_enter(vctx *ctx, const vnode *node, void *state)
{
	(void)state;
	if (node->kind == VNODE_FRAGMENT_SPREAD && !vctx_spread_fragment(node->selection))
		vctx_report(ctx, node->selection->name_pos, "Unknown fragment \"%s\".", node->selection->name);
}

const validation_rule rule_known_fragment_names = {
	"KnownFragmentNames", 0, known_fragment_names_enter, NULL,
	.enter_kinds = VKIND(VNODE_FRAGMENT_SPREAD),
	.leave_kinds = 0,
};

/* -------------------------------------------------------- NoUnusedFragments */

static void no_unused_fragments_leave(vctx *ctx, const vnode *node, void *state)
{
	(void)state;
	if (node->kind != VNODE_DOCUMENT)
		return;
	const gqlws_doc *doc = vctx_doc(ctx);
	const fragment_list *used = vctx_referenced_fragments(ctx, ctx->operations, doc->operation_count);
	if (!used)
		return;
	unsigned char *is_used = vctx_alloc(ctx, doc->fragment_count + 1);
	if (!is_used)
		return;
	for (size_t i = 0; i < used->count; i++)
		is_used[used->fragments[i]->index] = 1;
	for (const doc_fragment *f = doc->fragments; f && !vctx_aborted(ctx); f = f->next) {
		/* graphql-js compares names: a name used by its last definition
		 * counts for the earlier ones too */
		if (!is_used[vctx_fragment(ctx, f->name)->index])
			vctx_report(ctx, f->pos, "Fragment \"%s\" is never used.", f->name);
	}
}

const validation_rule rule_no_unused_fragments = {
	"NoUnusedFragments", 0, NULL, no_unused_fragments_leave,
	.enter_kinds = 0,
	.leave_kinds = VKIND(VNODE_DOCUMENT),
};

/* -------------------------------------------------- PossibleFragmentSpreads */

static void possible_fragment_spreads_enter(vctx *ctx, const vnode *node, void *state)
{
	(void)state;
	const schema_type *parent = vctx_parent_type(ctx);
	if (node->kind == VNODE_INLINE_FRAGMENT) {
		const schema_ref *ref = vctx_type(ctx);
		const schema_type *frag = ref && ref->kind == SCHEMA_REF_NAMED ? ref->named : NULL;
		if (frag && schema_is_composite_kind(frag->kind) && parent &&
		    !schema_types_overlap(frag, parent))
			vctx_report(ctx, node->pos,
				    "Fragment cannot be spread here as objects of type \"%s\" can never be of type \"%s\".",
				    parent->name, frag->name);
	} else if (node->kind == VNODE_FRAGMENT_SPREAD) {
		const doc_fragment *f = vctx_spread_fragment(node->selection);
		const schema_type *frag = f ? vctx_type_find(ctx, f->type_condition) : NULL;
		if (frag && schema_is_composite_kind(frag->kind) && parent &&
		    !schema_types_overlap(frag, parent))
			vctx_report(ctx, node->pos,
				    "Fragment \"%s\" cannot be spread here as objects of type \"%s\" can never be of type \"%s\".",
				    f->name, parent->name, frag->name);
	}
}

const validation_rule rule_possible_fragment_spreads = {
	"PossibleFragmentSpreads", 0, possible_fragment_spreads_enter, NULL,
	.enter_kinds = VKIND(VNODE_INLINE_FRAGMENT) | VKIND(VNODE_FRAGMENT_SPREAD),
	.leave_kinds = 0,
};

/* --------------------------------------------------------- NoFragmentCycles */

typedef struct cycles_state {
	unsigned char *visited;        /* per fragment index (by name: the last) */
	size_t *path_index;            /* per fragment index, SIZE_MAX: not on path */
	const doc_selection **path;    /* spreads from the fragment being searched */
	size_t path_count;
} cycles_state;

static void report_cycle(vctx *ctx, cycles_state *st, size_t from, const char *name)
{
	size_t len = 0;
	for (size_t i = from; i + 1 < st->path_count; i++)
		len += strlen(st->path[i]->name) + 4;
	char *via = vctx_alloc(ctx, len + 8);
	if (!via)
		return;
	char *end = via;
	for (size_t i = from; i + 1 < st->path_count; i++) {
		if (i > from) {
			memcpy(end, ", ", 2);
			end += 2;
		}
		*end++ = '"';
		size_t n = strlen(st->path[i]->name);
		memcpy(end, st->path[i]->name, n);
		end += n;
		*end++ = '"';
	}
	*end = '\0';
	cJSON *error = via[0] ? vctx_report(ctx, st->path[from]->pos,
					    "Cannot spread fragment \"%s\" within itself via %s.", name, via)
			      : vctx_report(ctx, st->path[from]->pos,
					    "Cannot spread fragment \"%s\" within itself.", name);
	for (size_t i = from + 1; error && i < st->path_count; i++)
		vctx_add_location(ctx, error, st->path[i]->pos);
}

/* graphql-js detectCycleRecursive. The depth is at most the number of
 * fragments on the path, which the expanded depth limit bounds. */
static void detect_cycles(vctx *ctx, cycles_state *st, const doc_fragment *fragment, size_t depth)
{
	const doc_fragment *named = vctx_fragment(ctx, fragment->name);
	if (st->visited[named->index] || depth > DOC_DEPTH_CEILING + 2)
		return;
	st->visited[named->index] = 1;
	const spread_list *spreads = vctx_fragment_spreads(ctx, fragment);
	if (!spreads || !spreads->count)
		return;
	st->path_index[named->index] = st->path_count;
	for (size_t i = 0; i < spreads->count && !vctx_aborted(ctx); i++) {
		const doc_selection *spread = spreads->spreads[i];
		const doc_fragment *target = vctx_spread_fragment(spread);
		size_t cycle_index = target ? st->path_index[target->index] : SIZE_MAX;
		st->path[st->path_count++] = spread;
		if (cycle_index == SIZE_MAX) {
			if (target)
				detect_cycles(ctx, st, target, depth + 1);
		} else {
			report_cycle(ctx, st, cycle_index, spread->name);
		}
		st->path_count--;
	}
	st->path_index[named->index] = SIZE_MAX;
}

static void no_fragment_cycles_enter(vctx *ctx, const vnode *node, void *state)
{
	cycles_state *st = state;
	if (node->kind != VNODE_FRAGMENT_DEFINITION)
		return;
	size_t n = vctx_doc(ctx)->fragment_count;
	if (!st->visited) {
		st->visited = vctx_alloc(ctx, n + 1);
		st->path_index = vctx_alloc(ctx, (n + 1) * sizeof *st->path_index);
		/* a path holds one spread per fragment on it, and no fragment is
		 * on it twice (a spread of one is a cycle, not a step) */
		st->path = vctx_alloc(ctx, (n + 8) * sizeof *st->path);
		if (!st->visited || !st->path_index || !st->path)
			return;
		for (size_t i = 0; i < n; i++)
			st->path_index[i] = SIZE_MAX;
	}
	detect_cycles(ctx, st, node->fragment, 0);
}

const validation_rule rule_no_fragment_cycles = {
	"NoFragmentCycles", sizeof(cycles_state), no_fragment_cycles_enter, NULL,
	.enter_kinds = VKIND(VNODE_FRAGMENT_DEFINITION),
	.leave_kinds = 0,
};
