/*
 * validate_fragments.c - fragment lookup and the fragment and variable
 * bookkeeping of graphql-js's ValidationContext: getFragment (the last
 * definition of a name wins), getFragmentSpreads (its stack order),
 * getRecursivelyReferencedFragments (cached by the set of names) and
 * getRecursiveVariableUsages, with the fragment-work budget spent where
 * graphql-js spends it. Every walk here is a loop over explicit lists, so
 * fragment cycles cost nothing but their spreads.
 */
#include <stdlib.h>
#include <string.h>

#include "name_lookup.h"
#include "validate_context.h"

static int compare_by_name(const void *a, const void *b)
{
	const doc_fragment *fa = *(const doc_fragment *const *)a, *fb = *(const doc_fragment *const *)b;
	int c = strcmp(fa->name, fb->name);
	return c ? c : (fa->index > fb->index) - (fa->index < fb->index);
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const doc_fragment *vctx_fragment(const vctx *ctx, const char *name)
{
	size_t lo = 0, hi = ctx->doc->fragment_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (name_compare(name, ctx->fragments_by_name[mid]->name) < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo > 0 && name_compare(name, ctx->fragments_by_name[lo - 1]->name) == 0)
		return ctx->fragments_by_name[lo - 1];
	return NULL;
}

unsigned vctx_spread_id(const vctx *ctx, const doc_selection *spread)
{
	const doc_fragment *f = vctx_spread_fragment(spread);
	if (f)
		return f->index;
	const char **found = bsearch(&spread->name, ctx->unknown_names, ctx->unknown_count,
				     sizeof *ctx->unknown_names, compare_strings);
	return (unsigned)(ctx->doc->fragment_count + (size_t)(found - ctx->unknown_names));
}

size_t vctx_operation_index(const vctx *ctx, const gqlws_doc_operation *op)
{
	(void)ctx;
	return op->index;
}

/* Every spread of a selection set, nested ones included (count of them:
 * the parser counted them), in graphql-js's order: a set's own spreads
 * first, then its nested sets last to first. */
static int collect_spreads(vctx *ctx, const doc_selection *selections, size_t count, spread_list *out)
{
	out->spreads = vctx_alloc(ctx, (count + 1) * sizeof *out->spreads);
	if (!out->spreads)
		return -1;
	out->done = true;
	if (!count)
		return 0;
	size_t top = 0;
	ctx->set_stack[top++] = selections;
	while (top) {
		const doc_selection *set = ctx->set_stack[--top];
		for (const doc_selection *s = set; s; s = s->next) {
			if (s->kind == DOC_SELECTION_SPREAD) {
				if (out->count < count) /* the parser's count bounds it */
					out->spreads[out->count++] = s;
			} else if (s->selections && top < ctx->set_stack_room) {
				ctx->set_stack[top++] = s->selections;
			}
		}
	}
	return 0;
}

const spread_list *vctx_operation_spreads(vctx *ctx, const gqlws_doc_operation *op)
{
	spread_list *list = &ctx->operation_spreads[vctx_operation_index(ctx, op)];
	if (!list->done && collect_spreads(ctx, op->selections, op->spread_count, list) != 0)
		return NULL;
	return list;
}

const spread_list *vctx_fragment_spreads(vctx *ctx, const doc_fragment *fragment)
{
	spread_list *list = &ctx->fragment_spreads[fragment->index];
	if (!list->done && collect_spreads(ctx, fragment->selections, fragment->spread_count, list) != 0)
		return NULL;
	return list;
}

static void note_unknown_names(vctx *ctx, const doc_selection *selections, size_t *n)
{
	/* Walked with the same explicit stack: no recursion. */
	size_t top = 0;
	ctx->set_stack[top++] = selections;
	while (top) {
		const doc_selection *set = ctx->set_stack[--top];
		for (const doc_selection *s = set; s; s = s->next) {
			if (s->kind == DOC_SELECTION_SPREAD && !vctx_spread_fragment(s)) {
				if (ctx->unknown_names)
					ctx->unknown_names[*n] = s->name;
				(*n)++;
			} else if (s->selections && top < ctx->set_stack_room) {
				ctx->set_stack[top++] = s->selections;
			}
		}
	}
}

static void gather_unknown_names(vctx *ctx, size_t *n)
{
	*n = 0;
	/* definitions without spreads (the parser counted them) have none */
	for (const gqlws_doc_operation *op = ctx->doc->operations; op; op = op->next)
		if (op->spread_count)
			note_unknown_names(ctx, op->selections, n);
	for (const doc_fragment *f = ctx->doc->fragments; f; f = f->next)
		if (f->spread_count)
			note_unknown_names(ctx, f->selections, n);
}

/* Carves size bytes (kept aligned) from a block being shared out. */
static void *carve(char **next, size_t size)
{
	void *p = *next;
	*next += (size + DOC_ARENA_ALIGN - 1) & ~(size_t)(DOC_ARENA_ALIGN - 1);
	return p;
}

#define CARVED(count, p) (((count) * sizeof *(p) + DOC_ARENA_ALIGN - 1) & ~(size_t)(DOC_ARENA_ALIGN - 1))

int vctx_fragments_init(vctx *ctx)
{
	const gqlws_doc *doc = ctx->doc;
	size_t fragments = doc->fragment_count, operations = doc->operation_count;
	ctx->set_stack_room = doc->selection_count + 1;
	/* the per-fragment and per-operation arrays in one zeroed block: one
	 * clearing, not one per array */
	size_t f1 = fragments + 1, o1 = operations + 1;
	size_t size = CARVED(f1, ctx->fragments_by_name) + CARVED(f1, ctx->fragments_by_index) +
		      CARVED(f1, ctx->fragment_spreads) + CARVED(f1, ctx->fragment_usages) +
		      CARVED(o1, ctx->operations) + CARVED(o1, ctx->operation_spreads) +
		      CARVED(o1, ctx->operation_usages) + CARVED(o1, ctx->recursive_usages) +
		      CARVED(ctx->set_stack_room, ctx->set_stack);
	char *next = vctx_alloc(ctx, size);
	if (!next)
		return -1;
	ctx->fragments_by_name = carve(&next, f1 * sizeof *ctx->fragments_by_name);
	ctx->fragments_by_index = carve(&next, f1 * sizeof *ctx->fragments_by_index);
	ctx->fragment_spreads = carve(&next, f1 * sizeof *ctx->fragment_spreads);
	ctx->fragment_usages = carve(&next, f1 * sizeof *ctx->fragment_usages);
	ctx->operations = carve(&next, o1 * sizeof *ctx->operations);
	ctx->operation_spreads = carve(&next, o1 * sizeof *ctx->operation_spreads);
	ctx->operation_usages = carve(&next, o1 * sizeof *ctx->operation_usages);
	ctx->recursive_usages = carve(&next, o1 * sizeof *ctx->recursive_usages);
	ctx->set_stack = carve(&next, ctx->set_stack_room * sizeof *ctx->set_stack);
	size_t i = 0;
	for (const doc_fragment *f = doc->fragments; f; f = f->next) {
		ctx->fragments_by_name[i++] = f;
		ctx->fragments_by_index[f->index] = f;
	}
	if (fragments > 1)
		qsort(ctx->fragments_by_name, fragments, sizeof *ctx->fragments_by_name, compare_by_name);
	i = 0;
	for (const gqlws_doc_operation *op = doc->operations; op; op = op->next)
		ctx->operations[i++] = op;

	size_t unknown = 0;
	gather_unknown_names(ctx, &unknown);
	if (unknown) {
		ctx->unknown_names = vctx_alloc(ctx, unknown * sizeof *ctx->unknown_names);
		if (!ctx->unknown_names)
			return -1;
		gather_unknown_names(ctx, &unknown);
		qsort(ctx->unknown_names, unknown, sizeof *ctx->unknown_names, compare_strings);
		size_t distinct = 0;
		for (i = 0; i < unknown; i++)
			if (!distinct || strcmp(ctx->unknown_names[distinct - 1], ctx->unknown_names[i]) != 0)
				ctx->unknown_names[distinct++] = ctx->unknown_names[i];
		ctx->unknown_count = distinct;
	}
	/* one set per operation, and one for all of them */
	size_t buckets = 16;
	while (buckets < 2 * (operations + 1))
		buckets *= 2;
	/* scratch of the validation's lifetime: its arena, not four mallocs;
	 * with the buckets in one zeroed block */
	size_t ids = fragments + ctx->unknown_count + 1;
	next = vctx_alloc(ctx, CARVED(buckets, ctx->reference_buckets) + CARVED(ids, ctx->id_marks) +
				       CARVED(ids, ctx->id_scratch) + CARVED(f1, ctx->fragment_scratch));
	if (!next)
		return -1;
	ctx->reference_buckets = carve(&next, buckets * sizeof *ctx->reference_buckets);
	ctx->reference_bucket_mask = buckets - 1;
	ctx->id_marks = carve(&next, ids * sizeof *ctx->id_marks);
	ctx->id_scratch = carve(&next, ids * sizeof *ctx->id_scratch);
	ctx->fragment_scratch = carve(&next, f1 * sizeof *ctx->fragment_scratch);
	return 0;
}

/* ------------------------------------------------- referenced fragments */

static int compare_ids(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return (x > y) - (x < y);
}

static void clear_marks(vctx *ctx, const unsigned *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ctx->id_marks[ids[i]] = 0;
}

const fragment_list *vctx_referenced_fragments(vctx *ctx, const gqlws_doc_operation *const *ops,
					       size_t op_count)
{
	/* The distinct names the operations spread directly, in order. */
	for (size_t i = 0; i < op_count; i++)
		if (!vctx_operation_spreads(ctx, ops[i]))
			return NULL;
	unsigned *ids = ctx->id_scratch; /* room for every id */
	size_t n = 0;
	for (size_t i = 0; i < op_count; i++) {
		const spread_list *spreads = vctx_operation_spreads(ctx, ops[i]);
		for (size_t k = 0; k < spreads->count; k++) {
			unsigned id = vctx_spread_id(ctx, spreads->spreads[k]);
			if (!ctx->id_marks[id]) {
				ctx->id_marks[id] = 1;
				ids[n++] = id;
			}
		}
	}
	clear_marks(ctx, ids, n);

	unsigned *sorted = vctx_alloc(ctx, (n + 1) * sizeof *sorted);
	if (!sorted)
		return NULL;
	memcpy(sorted, ids, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, compare_ids);
	unsigned long long hash = 14695981039346656037ull;
	for (size_t i = 0; i < n; i++)
		hash = (hash ^ sorted[i]) * 1099511628211ull;
	reference_cache_entry **bucket = &ctx->reference_buckets[hash & ctx->reference_bucket_mask];
	for (reference_cache_entry *e = *bucket; e; e = e->next)
		if (e->hash == hash && e->id_count == n && memcmp(e->ids, sorted, n * sizeof *sorted) == 0)
			return &e->list;

	reference_cache_entry *entry = vctx_alloc(ctx, sizeof *entry);
	if (!entry || !vctx_spend_fragment_work(ctx, n))
		return NULL;
	entry->ids = sorted;
	entry->id_count = n;
	entry->hash = hash;
	/* ids grows as the collected names do: a set iterated while it grows */
	size_t collected = n;
	for (size_t i = 0; i < collected; i++)
		ctx->id_marks[ids[i]] = 1;
	const doc_fragment **fragments = ctx->fragment_scratch; /* room for every fragment */
	size_t count = 0;
	for (size_t i = 0; i < collected && !ctx->aborted; i++) {
		if (ids[i] >= ctx->doc->fragment_count)
			continue; /* an unknown fragment */
		const doc_fragment *f = ctx->fragments_by_index[ids[i]];
		if (!f)
			continue;
		fragments[count++] = f;
		const spread_list *spreads = vctx_fragment_spreads(ctx, f);
		if (!spreads || !vctx_spend_fragment_work(ctx, spreads->count))
			break;
		for (size_t k = 0; k < spreads->count; k++) {
			unsigned id = vctx_spread_id(ctx, spreads->spreads[k]);
			if (!ctx->id_marks[id]) {
				ctx->id_marks[id] = 1;
				ids[collected++] = id;
			}
		}
	}
	clear_marks(ctx, ids, collected);
	if (ctx->aborted)
		return NULL;
	/* only what the set reaches is kept: a document of many operations
	 * costs the sum of their sets, not operations times fragments */
	entry->list.fragments = vctx_alloc(ctx, (count + 1) * sizeof *entry->list.fragments);
	if (!entry->list.fragments)
		return NULL;
	if (count)
		memcpy(entry->list.fragments, fragments, count * sizeof *fragments);
	entry->list.count = count;
	entry->next = *bucket;
	*bucket = entry;
	return &entry->list;
}

/* ------------------------------------------------------ variable usages */

static const usage_list *local_usages(vctx *ctx, const gqlws_doc_operation *op,
				      const doc_fragment *fragment)
{
	usage_list *list = op ? &ctx->operation_usages[vctx_operation_index(ctx, op)]
			      : &ctx->fragment_usages[fragment->index];
	if (!list->done)
		vctx_collect_usages(ctx, op, fragment, list);
	return list->done ? list : NULL;
}

size_t vctx_variable_usages(vctx *ctx, const gqlws_doc_operation *op,
			    const vctx_variable_usage **usages)
{
	*usages = NULL;
	if (ctx->aborted)
		return 0;
	usage_list *result = &ctx->recursive_usages[vctx_operation_index(ctx, op)];
	if (result->done) {
		*usages = result->items;
		return result->count;
	}
	fragment_list *fragments = (fragment_list *)vctx_referenced_fragments(ctx, &op, 1);
	if (!fragments)
		return 0;
	if (!fragments->usages_done) {
		if (!vctx_spend_fragment_work(ctx, fragments->count))
			return 0;
		size_t total = 0;
		for (size_t i = 0; i < fragments->count; i++) {
			const usage_list *local = local_usages(ctx, NULL, fragments->fragments[i]);
			if (!local || !vctx_spend_fragment_work(ctx, local->count))
				return 0;
			total += local->count;
		}
		vctx_variable_usage *all = vctx_alloc(ctx, (total + 1) * sizeof *all);
		if (!all)
			return 0;
		size_t n = 0;
		for (size_t i = 0; i < fragments->count; i++) {
			const usage_list *local = local_usages(ctx, NULL, fragments->fragments[i]);
			if (local->count)
				memcpy(all + n, local->items, local->count * sizeof *all);
			n += local->count;
		}
		fragments->usages = all;
		fragments->usage_count = n;
		fragments->usages_done = true;
	}
	if (!vctx_spend_fragment_work(ctx, fragments->usage_count))
		return 0;
	const usage_list *own = local_usages(ctx, op, NULL);
	if (!own)
		return 0;
	size_t total = own->count + fragments->usage_count;
	result->items = vctx_alloc(ctx, (total + 1) * sizeof *result->items);
	if (!result->items)
		return 0;
	if (own->count)
		memcpy(result->items, own->items, own->count * sizeof *result->items);
	if (fragments->usage_count)
		memcpy(result->items + own->count, fragments->usages,
		       fragments->usage_count * sizeof *result->items);
	result->count = total;
	result->done = true;
	*usages = result->items;
	return total;
}
