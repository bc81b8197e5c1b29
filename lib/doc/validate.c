/*
 * validate.c - see validate.h. One depth-first walk per operation and per
 * fragment; each fragment's expanded depth and size are computed once and
 * remembered, so the walk is linear in the document, and it never recurses
 * deeper than the depth limit.
 */
#include "validate.h"

#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"

enum { FRAG_NEW, FRAG_ACTIVE, FRAG_DONE };

typedef struct validator {
	gqlws_doc *doc;
	cJSON **errors;
	doc_fragment **sorted;      /* fragments by name, for lookup */
	unsigned char *state;       /* per fragment index */
	size_t *rel_depth;          /* expanded depth of a done fragment */
	size_t *count;              /* expanded selections of a done fragment */
	size_t *entry_height;       /* spread stack height when it became active */
	size_t spread_count;
	bool depth_reported;
	bool limits_only;           /* doc_validate_limits: no rule errors */
	bool nomem;
	bool invalid;
	/* last: only entries below spread_count are read, so the 8 KiB are
	 * not cleared per document */
	const doc_selection *spreads[DOC_DEPTH_CEILING + 2];
} validator;

static void report(validator *v, cJSON *error)
{
	v->invalid = true;
	if (!error)
		v->nomem = true;
}

/* By name, then document order, so that of fragments sharing a name the
 * last defined wins, as graphql-js's getFragment() finds it. */
static int compare_fragments(const void *a, const void *b)
{
	const doc_fragment *fa = *(doc_fragment *const *)a, *fb = *(doc_fragment *const *)b;
	int c = strcmp(fa->name, fb->name);
	return c ? c : (fa->index > fb->index) - (fa->index < fb->index);
}

static doc_fragment *find_fragment(const validator *v, const char *name)
{
	size_t lo = 0, hi = v->doc->fragment_count;
	while (lo < hi) { /* the first index whose name is after name */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(name, v->sorted[mid]->name) < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo > 0 && strcmp(name, v->sorted[lo - 1]->name) == 0 ? v->sorted[lo - 1] : NULL;
}

static size_t saturating_add(size_t a, size_t b, size_t cap)
{
	return (a > cap || b > cap - a) ? cap + 1 : a + b;
}

static void report_depth(validator *v, doc_pos pos)
{
	if (v->depth_reported)
		return;
	v->depth_reported = true;
	report(v, doc_error_add(v->errors, pos,
				"Document exceeds max-document-depth (%zu) when fragments are expanded.",
				v->doc->limits.max_depth));
}

static void report_cycle(validator *v, const doc_selection *spread, const doc_fragment *target)
{
	char via[400];
	size_t used = 0;
	size_t from = v->entry_height[target->index];
	via[0] = '\0';
	for (size_t i = from; i < v->spread_count && used < sizeof via - 1; i++) {
		int n = snprintf(via + used, sizeof via - used, "%s\"%s\"", i == from ? " via " : ", ",
				 v->spreads[i]->name);
		if (n < 0)
			break;
		used += (size_t)n;
		if (used >= sizeof via)
			used = sizeof via - 1;
	}
	/* Locations follow the cycle from its start, as graphql-js lists them. */
	cJSON *error = doc_error_add(v->errors, (doc_pos){0, 0},
				     "Cannot spread fragment \"%s\" within itself%s.", target->name, via);
	report(v, error);
	for (size_t i = from; error && i < v->spread_count; i++)
		if (doc_error_add_location(error, v->spreads[i]->pos) != 0)
			v->nomem = true;
	if (error && doc_error_add_location(error, spread->pos) != 0)
		v->nomem = true;
}

static void measure_fragment(validator *v, doc_fragment *f, size_t depth);

/* Walks the selection set sels found at absolute depth `depth`; returns its
 * expanded depth (relative, >= 1) and adds its expanded size to *count. */
static size_t measure(validator *v, doc_selection *sels, size_t depth, size_t *count)
{
	size_t limit = v->doc->limits.max_depth, cap = v->doc->limits.max_expanded;
	size_t deepest_child = 0;
	if (depth > limit) {
		report_depth(v, sels->pos);
		return 1;
	}
	for (doc_selection *s = sels; s && !v->nomem; s = s->next) {
		size_t child = 0;
		*count = saturating_add(*count, 1, cap);
		if (s->kind != DOC_SELECTION_SPREAD) {
			if (s->selections)
				child = measure(v, s->selections, depth + 1, count);
		} else {
			doc_fragment *f = find_fragment(v, s->name);
			s->fragment = f;
			if (!f) {
				if (!v->limits_only)
					report(v, doc_error_add(v->errors, s->pos, "Unknown fragment \"%s\".",
								s->name));
				continue;
			}
			if (v->state[f->index] == FRAG_ACTIVE) {
				if (!v->limits_only)
					report_cycle(v, s, f);
				continue;
			}
			if (v->state[f->index] == FRAG_NEW) {
				v->spreads[v->spread_count++] = s;
				measure_fragment(v, f, depth + 1);
				v->spread_count--;
			}
			if (v->state[f->index] != FRAG_DONE)
				continue;
			child = v->rel_depth[f->index];
			if (depth + child > limit)
				report_depth(v, s->pos);
			*count = saturating_add(*count, v->count[f->index], cap);
		}
		if (child > deepest_child)
			deepest_child = child;
	}
	return 1 + deepest_child;
}

static void measure_fragment(validator *v, doc_fragment *f, size_t depth)
{
	size_t count = 0;
	v->state[f->index] = FRAG_ACTIVE;
	v->entry_height[f->index] = v->spread_count;
	size_t rel = measure(v, f->selections, depth, &count);
	v->rel_depth[f->index] = rel;
	v->count[f->index] = count;
	v->state[f->index] = FRAG_DONE;
}

static void check_names(validator *v)
{
	const gqlws_doc *doc = v->doc;
	for (size_t i = 1; i < doc->fragment_count; i++) {
		if (strcmp(v->sorted[i - 1]->name, v->sorted[i]->name) == 0) {
			cJSON *e = doc_error_add(v->errors, v->sorted[i - 1]->pos,
						 "There can be only one fragment named \"%s\".", v->sorted[i]->name);
			report(v, e);
			if (e && doc_error_add_location(e, v->sorted[i]->pos) != 0)
				v->nomem = true;
		}
	}
	for (const gqlws_doc_operation *op = doc->operations; op; op = op->next) {
		if (!op->name) {
			if (doc->operation_count > 1)
				report(v, doc_error_add(v->errors, op->pos,
							"This anonymous operation must be the only defined operation."));
			continue;
		}
		/* Quadratic, but operations are few: each needs its own braces. */
		for (const gqlws_doc_operation *other = op->next; other; other = other->next) {
			if (other->name && strcmp(op->name, other->name) == 0) {
				cJSON *e = doc_error_add(v->errors, op->pos,
							 "There can be only one operation named \"%s\".", op->name);
				report(v, e);
				if (e && doc_error_add_location(e, other->pos) != 0)
					v->nomem = true;
				break;
			}
		}
	}
}

/* Fragments up to this many have their arrays on the stack (a typical
 * document has one or two). */
#define SMALL_FRAGMENT_COUNT 8

/* compare_fragments's order for a few fragments without qsort's setup. */
static void sort_fragments(doc_fragment **sorted, size_t n)
{
	if (n > SMALL_FRAGMENT_COUNT) {
		qsort(sorted, n, sizeof *sorted, compare_fragments);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		doc_fragment *f = sorted[i];
		size_t k = i;
		for (; k > 0 && compare_fragments(&f, &sorted[k - 1]) < 0; k--)
			sorted[k] = sorted[k - 1];
		sorted[k] = f;
	}
}

static int validate(gqlws_doc *doc, cJSON **errors, bool limits_only)
{
	validator v;
	memset(&v, 0, offsetof(validator, spreads));
	v.doc = doc;
	v.errors = errors;
	v.limits_only = limits_only;
	size_t n = doc->fragment_count;
	char *block = NULL;
	/* the per-fragment arrays in one block: word-sized ones first */
	size_t words = n * (sizeof *v.sorted + sizeof *v.rel_depth + sizeof *v.count +
			    sizeof *v.entry_height);
	_Alignas(max_align_t) char small[SMALL_FRAGMENT_COUNT * (4 * sizeof(void *) + 1)];
	if (n) {
		_Static_assert(sizeof *v.sorted + sizeof *v.rel_depth + sizeof *v.count +
					       sizeof *v.entry_height <=
				       4 * sizeof(void *),
			       "the small block fits the arrays");
		block = n <= SMALL_FRAGMENT_COUNT ? small : malloc(words + n);
		if (!block) {
			v.nomem = true;
			goto out;
		}
		v.sorted = (doc_fragment **)(void *)block;
		v.rel_depth = (size_t *)(void *)(block + n * sizeof *v.sorted);
		v.count = v.rel_depth + n;
		v.entry_height = v.count + n;
		v.state = (unsigned char *)block + words;
		memset(v.state, 0, n);
		size_t i = 0;
		for (doc_fragment *f = doc->fragments; f; f = f->next)
			v.sorted[i++] = f;
		sort_fragments(v.sorted, n);
	}
	if (!limits_only)
		check_names(&v);
	/* Fragments first, in document order, so cycles are described from
	 * where graphql-js starts them. */
	for (doc_fragment *f = doc->fragments; f && !v.nomem; f = f->next)
		if (v.state[f->index] == FRAG_NEW)
			measure_fragment(&v, f, 1);
	for (gqlws_doc_operation *op = doc->operations; op && !v.nomem; op = op->next) {
		size_t count = 0;
		measure(&v, op->selections, 1, &count);
		if (count > doc->limits.max_expanded)
			report(&v, doc_error_add(errors, op->pos,
						 "Document exceeds max-document-selections (%zu) when fragments are expanded.",
						 doc->limits.max_expanded));
	}
out:
	if (block != small)
		free(block);
	if (v.nomem)
		return -2;
	return v.invalid ? -1 : 0;
}

int doc_validate(gqlws_doc *doc, cJSON **errors)
{
	return validate(doc, errors, false);
}

int doc_validate_limits(gqlws_doc *doc, cJSON **errors)
{
	return validate(doc, errors, true);
}
