/*
 * rules_introspection.c - MaxIntrospectionDepth (graphql-js 16.10+): an
 * introspection query may nest the list fields of __Type (fields,
 * interfaces, possibleTypes, inputFields) at most twice, fragments
 * followed. Its memory of fragments checked at each entry depth is kept
 * as graphql-js keeps it, so the same documents pass and fail; the
 * recursion stops at three list levels, and is bounded besides.
 */
#include <string.h>

#include "validate_context.h"

#define MAX_LISTS_DEPTH 3
#define UNSET (-1)

typedef struct introspection_state {
	const doc_selection *skipping;  /* a reported field: its subtree is skipped */
	int *checked;                   /* per fragment index: greatest entry depth that passed */
	int *exceeded;                  /* smallest entry depth that reached the limit */
	int *visited;                   /* per root check: entry depth visited */
	unsigned *visited_check;        /* which root check visited[] belongs to */
	unsigned check;
} introspection_state;

static bool check_selections(vctx *ctx, introspection_state *st, const doc_selection *set, int depth,
			     size_t recursion);

static bool check_spread(vctx *ctx, introspection_state *st, const doc_selection *spread, int depth,
			 size_t recursion)
{
	const doc_fragment *f = vctx_spread_fragment(spread);
	if (!f)
		return false; /* KnownFragmentNames reports it */
	unsigned i = f->index;
	if (st->exceeded[i] != UNSET && st->exceeded[i] <= depth)
		return true;
	bool was_visited = st->visited_check[i] == st->check;
	if ((was_visited && st->visited[i] >= depth) || (st->checked[i] != UNSET && st->checked[i] >= depth))
		return false;
	st->visited_check[i] = st->check;
	st->visited[i] = depth;
	if (check_selections(ctx, st, f->selections, depth, recursion + 1)) {
		st->exceeded[i] = depth;
		return true;
	}
	st->checked[i] = depth;
	return false;
}

static bool is_list_field(const char *name)
{
	switch (name[0]) { /* every field is asked: most are none of these */
	case 'f': return strcmp(name, "fields") == 0;
	case 'i': return strcmp(name, "interfaces") == 0 || strcmp(name, "inputFields") == 0;
	case 'p': return strcmp(name, "possibleTypes") == 0;
	default: return false;
	}
}

static bool check_selection(vctx *ctx, introspection_state *st, const doc_selection *s, int depth,
			    size_t recursion)
{
	if (s->kind == DOC_SELECTION_SPREAD)
		return check_spread(ctx, st, s, depth, recursion);
	if (s->kind == DOC_SELECTION_FIELD && is_list_field(s->name) && ++depth >= MAX_LISTS_DEPTH)
		return true;
	return s->selections && check_selections(ctx, st, s->selections, depth, recursion + 1);
}

static bool check_selections(vctx *ctx, introspection_state *st, const doc_selection *set, int depth,
			     size_t recursion)
{
	/* Each level of recursion is a selection set or a fragment, both
	 * bounded by the expanded depth limit; a fragment re-entered through a
	 * cycle comes back one list level deeper, at most three times. */
	if (recursion > 4 * (DOC_DEPTH_CEILING + 2))
		return false;
	for (const doc_selection *s = set; s; s = s->next)
		if (check_selection(ctx, st, s, depth, recursion))
			return true;
	return false;
}

static bool init_state(vctx *ctx, introspection_state *st)
{
	if (st->checked)
		return true;
	size_t n = vctx_doc(ctx)->fragment_count + 1;
	st->checked = vctx_alloc(ctx, n * sizeof *st->checked);
	st->exceeded = vctx_alloc(ctx, n * sizeof *st->exceeded);
	st->visited = vctx_alloc(ctx, n * sizeof *st->visited);
	st->visited_check = vctx_alloc(ctx, n * sizeof *st->visited_check);
	if (!st->checked || !st->exceeded || !st->visited || !st->visited_check)
		return false;
	for (size_t i = 0; i < n; i++)
		st->checked[i] = st->exceeded[i] = UNSET;
	return true;
}

static void max_introspection_depth_enter(vctx *ctx, const vnode *node, void *state)
{
	introspection_state *st = state;
	if (node->kind != VNODE_FIELD || st->skipping)
		return;
	const doc_selection *field = node->selection;
	if (field->name[0] != '_' || field->name[1] != '_' ||
	    (strcmp(field->name, "__schema") != 0 && strcmp(field->name, "__type") != 0))
		return;
	if (!init_state(ctx, st))
		return;
	st->check++;
	if (check_selection(ctx, st, field, 0, 0)) {
		vctx_report(ctx, field->pos, "Maximum introspection depth exceeded");
		st->skipping = field;
	}
}

static void max_introspection_depth_leave(vctx *ctx, const vnode *node, void *state)
{
	(void)ctx;
	introspection_state *st = state;
	if (node->kind == VNODE_FIELD && st->skipping == node->selection)
		st->skipping = NULL;
}

const validation_rule rule_max_introspection_depth = {
	"MaxIntrospectionDepth", sizeof(introspection_state), max_introspection_depth_enter,
	max_introspection_depth_leave,
	.enter_kinds = VKIND(VNODE_FIELD),
	.leave_kinds = VKIND(VNODE_FIELD),
	/* it starts at __schema and __type only, and leaves the field it
	 * started at */
	.enter_needs = VLACKS_META_NAME,
	.leave_needs = VLACKS_META_NAME,
};
