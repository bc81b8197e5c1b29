/*
 * rule_overlap.c - OverlappingFieldsCanBeMerged as graphql-js 16.15 runs
 * it: fields of one response name compared within each selection set, then
 * between the set and the fragments it spreads and between those fragments,
 * recursively into sub-selections, with its memos (fields collected once per
 * parent type and selection set, fragment pairs and field-fragment pairs
 * compared once, field-pair reasons and overlapping names cached) and its
 * complexity budget: 500000 units spent at the same steps as graphql-js, so
 * a document that exhausts it ends the validation with graphql-js's
 * "Validation aborted." at the same selection set, and every other document
 * gets the same conflicts, messages and locations.
 *
 * Bounds of our own, which no document within the document limits reaches:
 * the recursion (a field or spread level on either side of a comparison)
 * stops at twice max-document-depth with "Validation aborted." too, and
 * only conflicts that can still be reported are kept (graphql-js stops at
 * 100 errors; a nested conflict keeps only the text and the 20 locations
 * its message shows). Every memo entry but those the document's own size
 * bounds (names, collected fields, argument texts) is made after spending
 * budget, so the memos never hold more than about 500000 entries: the
 * worst documents take some 30 MiB and 100 ms (graphql-js: 115 MiB, 0.5 s).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "name_lookup.h"
#include "print_value.h"
#include "rule_values.h"

#define MAX_CONFLICT_DETAIL_LENGTH 1000
#define MAX_CONFLICT_NODES 20
#define MAX_COMPLEXITY_BUDGET 500000
/* graphql-js reports at most 100 errors; the 101st ends the validation, so
 * no selection set ever gets more than 101 of its conflicts reported. */
#define TOP_CONFLICTS_KEPT 101

/* ---------------------------------------------------------------- maps */

/* Open addressing on a pair of pointers, in the validation arena (a grown
 * table abandons the old one: the arena frees both at the end). A NULL
 * value marks a free slot. */
typedef struct pmap_slot {
	const void *a, *b;
	void *value;
} pmap_slot;

typedef struct pmap {
	pmap_slot *slots;
	size_t cap; /* a power of two, or 0 */
	size_t count;
} pmap;

static size_t pair_hash(const void *a, const void *b)
{
	uint64_t x = (uint64_t)(uintptr_t)a * UINT64_C(0x9E3779B97F4A7C15);
	x ^= ((uint64_t)(uintptr_t)b + UINT64_C(0x632BE59BD9B4E019)) * UINT64_C(0xC2B2AE3D27D4EB4F);
	x ^= x >> 31;
	x *= UINT64_C(0xD6E8FEB86659FD93);
	x ^= x >> 32;
	return (size_t)x;
}

static void *pmap_get(const pmap *m, const void *a, const void *b)
{
	if (!m->cap)
		return NULL;
	for (size_t i = pair_hash(a, b) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		const pmap_slot *s = &m->slots[i];
		if (!s->value)
			return NULL;
		if (s->a == a && s->b == b)
			return s->value;
	}
}

static void pmap_place(pmap_slot *slots, size_t cap, const void *a, const void *b, void *value)
{
	size_t i = pair_hash(a, b) & (cap - 1);
	while (slots[i].value && !(slots[i].a == a && slots[i].b == b))
		i = (i + 1) & (cap - 1);
	slots[i] = (pmap_slot){a, b, value};
}

/* ------------------------------------------------------------- the rule */

/* An interned name (response or fragment name): equal text, same object,
 * so names compare and key the maps by pointer. A fragment name also
 * remembers what it names, looked up once. */
typedef struct name_info {
	const char *text;
	bool fragment_looked_up;
	const struct collected *fragment; /* its fields, NULL: no such fragment */
} name_info;

typedef struct field_detail {
	const schema_type *parent_type;   /* NULL: unknown */
	const doc_selection *node;
	const schema_field *def;          /* parentType.getFields()[name], or NULL */
	bool simple_leaf;                 /* no arguments, no selection set */
	/* graphql-js getArgumentInfo, made when first compared: the arguments
	 * in place order with their values' canonical texts (made when first
	 * compared), and their places sorted by name (then place), so the last
	 * of a name is found fast */
	struct argument_info *args;
	size_t *by_name;
	size_t arg_count;
} field_detail;

typedef struct field_group {
	const name_info *name;            /* response name */
	field_detail **fields;
	size_t count, cap;
	/* every field the same simple leaf: findConflict returns at once for
	 * any pair of them (and of another such group with the same field
	 * name and type identity), after spending its 2 units */
	bool uniform;
	const char *uniform_name;         /* the field name */
	const void *uniform_type;         /* what identifies its type */
} field_group;

/* graphql-js collectFields' result: the fields by response name (in order
 * of first appearance) and the fragment names spread (once each). */
typedef struct collected {
	field_group **groups;
	size_t group_count, group_cap;
	const name_info **fragments;      /* fragment names spread */
	size_t fragment_count, fragment_cap;
} collected;

typedef struct overlap_entry {
	const name_info *name;
	const field_group *group1, *group2;
} overlap_entry;

typedef struct overlap_list {
	overlap_entry *entries;
	size_t count;
} overlap_list;

/* A conflict on its way up: the reason text and the locations graphql-js
 * would list (never more than MAX_CONFLICT_NODES a side). */
typedef struct conflict {
	const name_info *response_name;
	gqlws_doc_buf reason;
	const doc_selection *fields1[MAX_CONFLICT_NODES];
	const doc_selection *fields2[MAX_CONFLICT_NODES];
	size_t count1, count2;
} conflict;

/* The conflicts of one selection set, in graphql-js's order; only the
 * first TOP_CONFLICTS_KEPT can ever be reported. */
typedef struct top_conflicts {
	conflict *kept[TOP_CONFLICTS_KEPT];
	size_t count;
} top_conflicts;

/* Where findConflict's results go: the selection set's list (top) or the
 * subfield message being built for an enclosing pair of fields (graphql-js
 * subfieldConflicts, consumed conflict by conflict). Small: one lives on
 * the stack per level of nested fields compared. */
typedef struct conflict_sink {
	top_conflicts *top;               /* or NULL: subfields */
	size_t found;
	gqlws_doc_buf message;
	bool message_full;
	conflict *into;                   /* its fields1/fields2 being collected */
	bool nodes_full1, nodes_full2;
} conflict_sink;

enum { REASON_NONE = 1, REASON_DIFFERENT_FIELDS, REASON_DIFFERENT_ARGUMENTS };
enum { PAIR_NOT_EXCLUSIVE = 1, PAIR_EXCLUSIVE };

typedef struct name_slot {
	size_t hash;
	name_info *name;                  /* NULL: free */
} name_slot;

typedef struct name_table {
	name_slot *slots;
	size_t cap, count;
} name_table;

typedef struct overlap {
	vctx *ctx;
	doc_arena *arena;                 /* vctx_arena(ctx) */
	const gqlws_schema *schema;
	long budget;
	size_t depth, max_depth;
	bool stop;                        /* aborted or out of memory */
	name_table names;                 /* interned names */
	pmap collected_by_set;            /* (parent type, first selection) */
	pmap groups_by_name;              /* (collected, name) -> field_group */
	pmap fragment_in_set;             /* (collected, name) -> marker */
	pmap compared_fragments;          /* (collected, name) -> PAIR_* */
	/* (parent type, first selection) -> the spread's name text: a set
	 * compared with its one fragment without being collected (see
	 * one_fragment_without_overlap); collect() records the comparison in
	 * compared_fragments when it collects that set after all */
	pmap compared_uncollected;
	pmap fragment_pairs;              /* (name, name) -> PAIR_* */
	pmap overlaps;                    /* (collected, collected) -> list */
	pmap reasons;                     /* (detail, detail) -> REASON_* */
	const doc_selection *inline_selections; /* the inline fragment's own set */
	top_conflicts *top;               /* one set's conflicts, reused set by set */
} overlap;

typedef struct canonical {
	size_t len;
	char text[];
} canonical;

static void halt(overlap *o)
{
	if (!o->stop) {
		o->stop = true;
		/* graphql-js throws the one validationAbortedError for either
		 * budget: spending the whole fragment-work budget ends the
		 * validation the same way ("Validation aborted.") */
		vctx_spend_fragment_work(o->ctx, SIZE_MAX);
	}
}

static void out_of_memory(overlap *o)
{
	if (!o->stop) {
		o->stop = true;
		rule_out_of_memory(o->ctx);
	}
}

/* graphql-js spendComplexityBudget. */
static bool spend(overlap *o, long cost)
{
	if (o->stop)
		return false;
	o->budget -= cost;
	if (o->budget < 0)
		halt(o);
	return !o->stop;
}

/* count pairs of 2 units each, at once (the count may be huge) */
static bool spend_pairs(overlap *o, uint64_t pairs)
{
	uint64_t units = pairs * 2;
	if (pairs > MAX_COMPLEXITY_BUDGET)
		units = MAX_COMPLEXITY_BUDGET + 1;
	return spend(o, (long)units);
}

static bool enter_level(overlap *o)
{
	if (o->stop)
		return false;
	if (++o->depth > o->max_depth)
		halt(o);
	return !o->stop;
}

/* The validation's arena, inline: most of the rule's nodes are of constant
 * size, and their clearing becomes a few stores instead of a memset call. */
static inline void *arena(overlap *o, size_t size)
{
	if (o->stop)
		return NULL;
	void *p = doc_arena_alloc(o->arena, size);
	if (!p)
		out_of_memory(o);
	return p;
}

static bool pmap_put(overlap *o, pmap *m, const void *a, const void *b, void *value)
{
	if (m->count + 1 > m->cap / 2) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		pmap_slot *slots = arena(o, cap * sizeof *slots);
		if (!slots)
			return false;
		for (size_t i = 0; i < m->cap; i++)
			if (m->slots[i].value)
				pmap_place(slots, cap, m->slots[i].a, m->slots[i].b, m->slots[i].value);
		m->slots = slots;
		m->cap = cap;
	}
	if (!pmap_get(m, a, b))
		m->count++;
	pmap_place(m->slots, m->cap, a, b, value);
	return true;
}

/* The slot of (a, b) with a single probe: the one holding it, or a free
 * one claimed for it (value NULL: the caller sets a value). NULL when out
 * of memory. */
static pmap_slot *pmap_slot_for(overlap *o, pmap *m, const void *a, const void *b)
{
	if (m->count + 1 > m->cap / 2) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		pmap_slot *slots = arena(o, cap * sizeof *slots);
		if (!slots)
			return NULL;
		for (size_t i = 0; i < m->cap; i++)
			if (m->slots[i].value)
				pmap_place(slots, cap, m->slots[i].a, m->slots[i].b, m->slots[i].value);
		m->slots = slots;
		m->cap = cap;
	}
	size_t i = pair_hash(a, b) & (m->cap - 1);
	while (m->slots[i].value && !(m->slots[i].a == a && m->slots[i].b == b))
		i = (i + 1) & (m->cap - 1);
	pmap_slot *slot = &m->slots[i];
	if (!slot->value) {
		slot->a = a;
		slot->b = b;
		m->count++;
	}
	return slot;
}

/* Interned names: equal text, same pointer, so names compare and key the
 * maps by pointer. Open addressing on the text's hash, in the arena. */
static size_t text_hash(const char *text)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (; *text; text++)
		h = (h ^ (unsigned char)*text) * UINT64_C(1099511628211);
	return (size_t)h;
}

static const name_info *intern(overlap *o, const char *text)
{
	name_table *t = &o->names;
	size_t h = text_hash(text);
	if (t->cap) {
		for (size_t i = h & (t->cap - 1); t->slots[i].name; i = (i + 1) & (t->cap - 1))
			if (t->slots[i].hash == h && strcmp(t->slots[i].name->text, text) == 0)
				return t->slots[i].name;
	}
	if (t->count + 1 > t->cap / 2) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		name_slot *slots = arena(o, cap * sizeof *slots);
		if (!slots)
			return NULL;
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->slots[i].name)
				continue;
			size_t j = t->slots[i].hash & (cap - 1);
			while (slots[j].name)
				j = (j + 1) & (cap - 1);
			slots[j] = t->slots[i];
		}
		t->slots = slots;
		t->cap = cap;
	}
	name_info *name = arena(o, sizeof *name);
	if (!name)
		return NULL;
	name->text = text;
	size_t i = h & (t->cap - 1);
	while (t->slots[i].name)
		i = (i + 1) & (t->cap - 1);
	t->slots[i] = (name_slot){h, name};
	t->count++;
	return name;
}

/* ----------------------------------------------------------- collecting */

/* A small set's groups are found by scanning its list (names are
 * interned: a pointer compare each), a larger one's through groups_by_name
 * (which holds the groups of sets of more than GROUPS_SCANNED only). */
enum { GROUPS_SCANNED = 8 };

static field_group *group_find(const overlap *o, const collected *c, const name_info *name)
{
	if (c->group_count > GROUPS_SCANNED)
		return pmap_get(&o->groups_by_name, c, name);
	for (size_t i = 0; i < c->group_count; i++)
		if (c->groups[i]->name == name)
			return c->groups[i];
	return NULL;
}

static field_group *group_for(overlap *o, collected *c, const name_info *name)
{
	field_group *g = group_find(o, c, name);
	if (g)
		return g;
	g = arena(o, sizeof *g);
	if (!g)
		return NULL;
	g->name = name;
	if (c->group_count == c->group_cap) {
		size_t cap = c->group_cap ? c->group_cap * 2 : 8;
		field_group **groups = arena(o, cap * sizeof *groups);
		if (!groups)
			return NULL;
		if (c->group_count)
			memcpy(groups, c->groups, c->group_count * sizeof *groups);
		c->groups = groups;
		c->group_cap = cap;
	}
	c->groups[c->group_count++] = g;
	if (c->group_count <= GROUPS_SCANNED)
		return g;
	if (c->group_count == GROUPS_SCANNED + 1) /* from now on looked up in the map */
		for (size_t i = 0; i < GROUPS_SCANNED; i++)
			if (!pmap_put(o, &o->groups_by_name, c, c->groups[i]->name, c->groups[i]))
				return NULL;
	return pmap_put(o, &o->groups_by_name, c, name, g) ? g : NULL;
}

static bool add_detail(overlap *o, field_group *g, field_detail *d)
{
	if (g->count == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 2;
		field_detail **fields = arena(o, cap * sizeof *fields);
		if (!fields)
			return false;
		if (g->count)
			memcpy(fields, g->fields, g->count * sizeof *fields);
		g->fields = fields;
		g->cap = cap;
	}
	g->fields[g->count++] = d;
	return true;
}

static bool add_fragment(overlap *o, collected *c, const name_info *name)
{
	if (pmap_get(&o->fragment_in_set, c, name))
		return true;
	if (c->fragment_count == c->fragment_cap) {
		size_t cap = c->fragment_cap ? c->fragment_cap * 2 : 4;
		const name_info **fragments = arena(o, cap * sizeof *fragments);
		if (!fragments)
			return false;
		if (c->fragment_count)
			memcpy(fragments, c->fragments, c->fragment_count * sizeof *fragments);
		c->fragments = fragments;
		c->fragment_cap = cap;
	}
	c->fragments[c->fragment_count++] = name;
	return pmap_put(o, &o->fragment_in_set, c, name, (void *)name);
}

/* graphql-js collectFieldsImpl; inline fragments nest no deeper than the
 * parser allowed. */
static bool collect_into(overlap *o, collected *c, const schema_type *parent,
			 const doc_selection *selections, size_t depth)
{
	if (depth > DOC_DEPTH_CEILING) {
		halt(o);
		return false;
	}
	for (const doc_selection *s = selections; s; s = s->next) {
		switch (s->kind) {
		case DOC_SELECTION_FIELD: {
			const name_info *name = intern(o, s->key);
			field_group *g = name ? group_for(o, c, name) : NULL;
			field_detail *d = g ? arena(o, sizeof *d) : NULL;
			if (!d)
				return false;
			d->parent_type = parent;
			d->node = s;
			d->def = parent && (parent->kind == SCHEMA_OBJECT ||
					    parent->kind == SCHEMA_INTERFACE)
					 ? name_lookup_field(parent, s->name)
					 : NULL;
			d->simple_leaf = !s->arguments && !s->selections;
			if (!add_detail(o, g, d))
				return false;
			break;
		}
		case DOC_SELECTION_SPREAD: {
			const name_info *name = intern(o, s->name);
			if (!name || !add_fragment(o, c, name))
				return false;
			break;
		}
		case DOC_SELECTION_INLINE: {
			const schema_type *type = s->type_condition
							  ? vctx_type_find(o->ctx, s->type_condition)
							  : parent;
			if (!collect_into(o, c, type, s->selections, depth + 1))
				return false;
			break;
		}
		}
	}
	return true;
}

/* graphql-js collectFields, cached by parent type and selection set (a
 * selection set is known by its first selection). */
/* What makes two types identical to graphql-js (see types_identical): the
 * named type of a field typed by a bare name, else the field definition
 * that wrapped it; &no_type for a field of no known definition. */
static const char no_type;

static const void *type_identity(const field_detail *d)
{
	if (!d->def)
		return &no_type;
	return d->def->type->kind == SCHEMA_REF_NAMED ? (const void *)d->def->type->named
						       : (const void *)d->def;
}

static void mark_uniform(field_group *g)
{
	const field_detail *first = g->fields[0];
	g->uniform = first->simple_leaf;
	g->uniform_name = first->node->name;
	g->uniform_type = type_identity(first);
	for (size_t i = 1; i < g->count && g->uniform; i++)
		g->uniform = g->fields[i]->simple_leaf &&
			     strcmp(g->fields[i]->node->name, g->uniform_name) == 0 &&
			     type_identity(g->fields[i]) == g->uniform_type;
}

static collected *collect(overlap *o, const schema_type *parent, const doc_selection *selections)
{
	collected *c = pmap_get(&o->collected_by_set, parent, selections);
	if (c)
		return c;
	c = arena(o, sizeof *c);
	if (!c || !collect_into(o, c, parent, selections, 0) ||
	    !pmap_put(o, &o->collected_by_set, parent, selections, c))
		return NULL;
	for (size_t g = 0; g < c->group_count; g++)
		mark_uniform(c->groups[g]);
	const char *compared = pmap_get(&o->compared_uncollected, parent, selections);
	if (compared) { /* as graphql-js's comparedFragments of this result says */
		const name_info *name = intern(o, compared);
		if (!name || !pmap_put(o, &o->compared_fragments, c, name,
				       (void *)(uintptr_t)PAIR_NOT_EXCLUSIVE))
			return NULL;
	}
	return c;
}

/* The fields of the fragment a name names (NULL: none, or out of memory),
 * looked up and collected once per name. */
static const collected *fragment_fields(overlap *o, const name_info *name)
{
	name_info *info = (name_info *)name; /* the arena's own, written once */
	if (!info->fragment_looked_up) {
		const doc_fragment *fragment = vctx_fragment(o->ctx, name->text);
		info->fragment =
			fragment ? collect(o, vctx_type_find(o->ctx, fragment->type_condition),
					   fragment->selections)
				 : NULL;
		info->fragment_looked_up = !o->stop;
	}
	return info->fragment;
}

/* ------------------------------------------------------------ conflicts */

static void conflict_free(conflict *c)
{
	if (c) {
		gqlws_doc_buf_free(&c->reason);
		free(c);
	}
}

/* graphql-js maybeAbbreviate, appended. Names and messages are ASCII
 * (GraphQL names are), so bytes are graphql-js's UTF-16 units. */
static int put_abbreviated(gqlws_doc_buf *out, const char *text, size_t len)
{
	if (len <= MAX_CONFLICT_DETAIL_LENGTH)
		return gqlws_doc_buf_append(out, text, len);
	return gqlws_doc_buf_append(out, text, MAX_CONFLICT_DETAIL_LENGTH) ||
	       rule_put(out, "...");
}

static conflict *conflict_new(overlap *o, const name_info *response_name)
{
	conflict *c = calloc(1, sizeof *c);
	if (!c)
		out_of_memory(o);
	else
		c->response_name = response_name;
	return c;
}

/* A conflict between two fields themselves: one location a side. */
static conflict *leaf_conflict(overlap *o, const name_info *response_name, const field_detail *d1,
			       const field_detail *d2)
{
	conflict *c = conflict_new(o, response_name);
	if (c) {
		c->fields1[c->count1++] = d1->node;
		c->fields2[c->count2++] = d2->node;
	}
	return c;
}

static void sink_push(overlap *o, conflict_sink *sink, conflict *c)
{
	if (sink->top) {
		if (sink->top->count < TOP_CONFLICTS_KEPT)
			sink->top->kept[sink->top->count++] = c;
		else
			conflict_free(c);
		return;
	}
	/* subfieldConflicts: the message stops growing once past the detail
	 * length; locations are taken from each conflict's end until 20 */
	sink->found++;
	if (!sink->message_full) {
		bool failed = (sink->message.len && rule_put(&sink->message, " and ")) ||
			      rule_put(&sink->message, "subfields \"") ||
			      put_abbreviated(&sink->message, c->response_name->text,
					      strlen(c->response_name->text)) ||
			      rule_put(&sink->message, "\" conflict because ") ||
			      gqlws_doc_buf_append(&sink->message, c->reason.data, c->reason.len);
		if (failed)
			out_of_memory(o);
		sink->message_full = sink->message.len > MAX_CONFLICT_DETAIL_LENGTH;
	}
	conflict *into = sink->into;
	if (!sink->nodes_full1) {
		size_t take = MAX_CONFLICT_NODES - into->count1;
		size_t from = c->count1 > take ? c->count1 - take : 0;
		for (size_t i = from; i < c->count1; i++)
			into->fields1[into->count1++] = c->fields1[i];
		sink->nodes_full1 = into->count1 == MAX_CONFLICT_NODES;
	}
	if (!sink->nodes_full2) {
		size_t take = MAX_CONFLICT_NODES - into->count2;
		size_t from = c->count2 > take ? c->count2 - take : 0;
		for (size_t i = from; i < c->count2; i++)
			into->fields2[into->count2++] = c->fields2[i];
		sink->nodes_full2 = into->count2 == MAX_CONFLICT_NODES;
	}
	conflict_free(c);
}

/* ------------------------------------------------------------ arguments */

static void canonical_write(gqlws_doc_buf *out, const doc_value *v, size_t depth, bool *failed);

typedef struct member_at {
	const doc_value *member;
	size_t index;
} member_at;

static int compare_members(const void *pa, const void *pb)
{
	const member_at *a = pa, *b = pb;
	int c = strcmp(a->member->member_name, b->member->member_name);
	if (c)
		return c;
	/* stable, as graphql-js's sort is: members keep their order */
	return a->index < b->index ? -1 : 1;
}

/* A tag, the length as raw bytes, then the text: never ambiguous. */
static void canonical_text(gqlws_doc_buf *out, char tag, const char *text, size_t len,
			   bool *failed)
{
	char head[1 + sizeof len];
	head[0] = tag;
	memcpy(head + 1, &len, sizeof len);
	*failed = *failed || gqlws_doc_buf_append(out, head, sizeof head) ||
		  gqlws_doc_buf_append(out, text, len);
}

/* An encoding equal for two values exactly when graphql-js's
 * stringifyValue is: kinds, source text of numbers, decoded strings and
 * their block flag, object members sorted by name (stably). */
static void canonical_write(gqlws_doc_buf *out, const doc_value *v, size_t depth, bool *failed)
{
	if (*failed)
		return;
	if (depth > DOC_DEPTH_CEILING) { /* the parser bounds value nesting first */
		*failed = true;
		return;
	}
	switch (v->kind) {
	case DOC_VALUE_VARIABLE:
		canonical_text(out, 'V', v->text, strlen(v->text), failed);
		return;
	case DOC_VALUE_INT:
		canonical_text(out, 'I', v->text, strlen(v->text), failed);
		return;
	case DOC_VALUE_FLOAT:
		canonical_text(out, 'F', v->text, strlen(v->text), failed);
		return;
	case DOC_VALUE_ENUM:
		canonical_text(out, 'E', v->text, strlen(v->text), failed);
		return;
	case DOC_VALUE_STRING:
		canonical_text(out, v->block ? 'B' : 'S', v->text, v->len, failed);
		return;
	case DOC_VALUE_BOOLEAN:
		canonical_text(out, v->boolean ? 'T' : 'f', "", 0, failed);
		return;
	case DOC_VALUE_NULL:
		canonical_text(out, 'N', "", 0, failed);
		return;
	case DOC_VALUE_LIST:
	case DOC_VALUE_OBJECT:
		break;
	}
	size_t count = 0;
	for (const doc_value *m = v->items; m; m = m->next)
		count++;
	canonical_text(out, v->kind == DOC_VALUE_LIST ? 'L' : 'O', "", 0, failed);
	canonical_text(out, '#', (const char *)&count, sizeof count, failed);
	if (v->kind == DOC_VALUE_LIST) {
		for (const doc_value *m = v->items; m; m = m->next)
			canonical_write(out, m, depth + 1, failed);
		return;
	}
	member_at *members = count ? malloc(count * sizeof *members) : NULL;
	if (count && !members) {
		*failed = true;
		return;
	}
	size_t i = 0;
	for (const doc_value *m = v->items; m; m = m->next, i++)
		members[i] = (member_at){m, i};
	if (count > 1)
		qsort(members, count, sizeof *members, compare_members);
	for (i = 0; i < count && !*failed; i++) {
		const doc_value *m = members[i].member;
		canonical_text(out, 'M', m->member_name, strlen(m->member_name), failed);
		canonical_write(out, m, depth + 1, failed);
	}
	free(members);
}

/* graphql-js stringifyValue (cached by the caller). */
static const canonical *stringified(overlap *o, const doc_value *v)
{
	gqlws_doc_buf text = {0};
	bool failed = false;
	canonical_write(&text, v, 0, &failed);
	canonical *made = failed ? NULL : arena(o, sizeof *made + text.len + 1);
	if (made) {
		made->len = text.len;
		if (text.len)
			memcpy(made->text, text.data, text.len);
	} else if (failed) {
		out_of_memory(o);
	}
	gqlws_doc_buf_free(&text);
	return made;
}

typedef struct argument_info {
	const doc_argument *argument;
	const canonical *value;           /* NULL until compared */
} argument_info;

typedef struct named_place {
	const char *name;
	size_t place;
} named_place;

static int compare_places(const void *pa, const void *pb)
{
	const named_place *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);
	return c ? c : a->place < b->place ? -1 : 1;
}

/* The field's arguments indexed, once; false when out of memory. */
static bool argument_index(overlap *o, field_detail *d)
{
	if (d->args || !d->node->arguments)
		return true;
	size_t n = 0;
	for (const doc_argument *a = d->node->arguments; a; a = a->next)
		n++;
	argument_info *args = arena(o, n * sizeof *args);
	size_t *by_name = arena(o, n * sizeof *by_name);
	named_place *sorted = args && by_name ? malloc(n * sizeof *sorted) : NULL;
	if (!sorted) {
		if (args && by_name)
			out_of_memory(o);
		return false;
	}
	n = 0;
	for (const doc_argument *a = d->node->arguments; a; a = a->next, n++) {
		args[n].argument = a;
		sorted[n] = (named_place){a->name, n};
	}
	if (n > 1)
		qsort(sorted, n, sizeof *sorted, compare_places);
	for (size_t i = 0; i < n; i++)
		by_name[i] = sorted[i].place;
	free(sorted);
	d->args = args;
	d->by_name = by_name;
	d->arg_count = n;
	return true;
}

/* The place of the last argument of d named name (graphql-js keeps them
 * in a Map), or arg_count when there is none. */
static size_t argument_named(const field_detail *d, const char *name)
{
	size_t lo = 0, hi = d->arg_count;
	while (lo < hi) { /* the first place past every argument <= name */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(d->args[d->by_name[mid]].argument->name, name) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && strcmp(d->args[d->by_name[lo - 1]].argument->name, name) == 0)
		return d->by_name[lo - 1];
	return d->arg_count;
}

static const canonical *argument_value(overlap *o, argument_info *a)
{
	if (!a->value)
		a->value = stringified(o, a->argument->value);
	return a->value;
}

/* graphql-js sameArguments: same count, and each argument of the first
 * found (the last of that name) in the second with an equal value; one
 * unit spent per argument looked at. */
static bool same_arguments(overlap *o, field_detail *d1, field_detail *d2)
{
	if (!d1->node->arguments || !d2->node->arguments)
		return !d1->node->arguments && !d2->node->arguments;
	if (!argument_index(o, d1) || !argument_index(o, d2))
		return false;
	if (d1->arg_count != d2->arg_count)
		return false;
	for (size_t i = 0; i < d1->arg_count; i++) {
		if (!spend(o, 1))
			return false;
		size_t j = argument_named(d2, d1->args[i].argument->name);
		if (j == d2->arg_count)
			return false;
		const canonical *c1 = argument_value(o, &d1->args[i]);
		const canonical *c2 = c1 ? argument_value(o, &d2->args[j]) : NULL;
		if (!c2)
			return false;
		if (c1->len != c2->len || memcmp(c1->text, c2->text, c1->len) != 0)
			return false;
	}
	return true;
}

/* ---------------------------------------------------------------- types */

/* graphql-js compares type objects by identity: a named type is one object,
 * but each field definition wraps its own list and non-null objects. */
static bool types_identical(const schema_ref *t1, const schema_ref *t2, bool same_definition)
{
	if (same_definition)
		return true;
	return t1->kind == SCHEMA_REF_NAMED && t2->kind == SCHEMA_REF_NAMED &&
	       t1->named == t2->named;
}

/* graphql-js doTypesConflict; one unit per level compared. */
static bool types_conflict(overlap *o, const schema_ref *t1, const schema_ref *t2,
			   bool same_definition)
{
	for (;;) {
		if (types_identical(t1, t2, same_definition))
			return false;
		if (!spend(o, 1))
			return false;
		if (t1->kind == SCHEMA_REF_LIST || t2->kind == SCHEMA_REF_LIST) {
			if (t1->kind != t2->kind)
				return true;
		} else if (t1->kind == SCHEMA_REF_NON_NULL || t2->kind == SCHEMA_REF_NON_NULL) {
			if (t1->kind != t2->kind)
				return true;
		} else {
			if (schema_is_leaf_kind(t1->named->kind) ||
			    schema_is_leaf_kind(t2->named->kind))
				return t1->named != t2->named;
			return false;
		}
		t1 = t1->of_type;
		t2 = t2->of_type;
	}
}

/* ------------------------------------------------------------ algorithm */

static conflict *find_conflict(overlap *o, bool parents_exclusive, const name_info *response_name,
			       field_detail *d1, field_detail *d2);
static void between_fields_and_fragment(overlap *o, conflict_sink *sink, bool exclusive,
					const collected *c, const name_info *fragment_name);
static void between_fragments(overlap *o, conflict_sink *sink, bool exclusive,
			      const name_info *name1, const name_info *name2);

static void push_found(overlap *o, conflict_sink *sink, conflict *c)
{
	if (c && !o->stop)
		sink_push(o, sink, c);
	else
		conflict_free(c);
}

/* graphql-js collectConflictsWithin. */
static void conflicts_within(overlap *o, conflict_sink *sink, const collected *c)
{
	for (size_t g = 0; g < c->group_count && !o->stop; g++) {
		const field_group *group = c->groups[g];
		if (group->uniform) { /* no pair conflicts: only the units are spent */
			spend_pairs(o, (uint64_t)group->count * (group->count - 1) / 2);
			continue;
		}
		for (size_t i = 0; i < group->count && !o->stop; i++)
			for (size_t j = i + 1; j < group->count && !o->stop; j++)
				push_found(o, sink,
					   find_conflict(o, false, group->name, group->fields[i],
							 group->fields[j]));
	}
}

/* graphql-js getOverlappingFields: one unit per name of the first set,
 * once per ordered pair of sets. */
static const overlap_list *overlapping(overlap *o, const collected *c1, const collected *c2)
{
	pmap_slot *slot = pmap_slot_for(o, &o->overlaps, c1, c2);
	if (!slot)
		return NULL;
	if (slot->value)
		return slot->value;
	overlap_list *list = arena(o, sizeof *list);
	overlap_entry *entries = list && c1->group_count
					 ? arena(o, c1->group_count * sizeof *entries)
					 : NULL;
	if (!list || (c1->group_count && !entries))
		return NULL;
	list->entries = entries;
	for (size_t g = 0; g < c1->group_count; g++) {
		if (!spend(o, 1))
			return NULL;
		const field_group *g2 = group_find(o, c2, c1->groups[g]->name);
		if (g2)
			entries[list->count++] = (overlap_entry){c1->groups[g]->name, c1->groups[g], g2};
	}
	slot->value = list;
	return list;
}

/* graphql-js collectConflictsBetween. */
static void conflicts_between(overlap *o, conflict_sink *sink, bool exclusive,
			      const collected *c1, const collected *c2)
{
	if (!c1->group_count || !c2->group_count)
		return;
	const overlap_list *list = overlapping(o, c1, c2);
	if (!list)
		return;
	for (size_t e = 0; e < list->count && !o->stop; e++) {
		const overlap_entry *entry = &list->entries[e];
		const field_group *g1 = entry->group1, *g2 = entry->group2;
		if (g1->uniform && g2->uniform && g1->uniform_type == g2->uniform_type &&
		    strcmp(g1->uniform_name, g2->uniform_name) == 0) {
			spend_pairs(o, (uint64_t)g1->count * g2->count);
			continue;
		}
		for (size_t i = 0; i < entry->group1->count && !o->stop; i++)
			for (size_t j = 0; j < entry->group2->count && !o->stop; j++)
				push_found(o, sink,
					   find_conflict(o, exclusive, entry->name,
							 entry->group1->fields[i],
							 entry->group2->fields[j]));
	}
}

/* graphql-js collectConflictsBetweenFieldsAndFragment. */
static void between_fields_and_fragment(overlap *o, conflict_sink *sink, bool exclusive,
					const collected *c, const name_info *fragment_name)
{
	if (!spend(o, 1) || !c->group_count)
		return;
	/* compared before: not exclusively (which covers both), or exclusively
	 * again */
	pmap_slot *slot = pmap_slot_for(o, &o->compared_fragments, c, fragment_name);
	if (!slot)
		return;
	uintptr_t compared = (uintptr_t)slot->value;
	if (compared == PAIR_NOT_EXCLUSIVE || (exclusive && compared == PAIR_EXCLUSIVE))
		return;
	slot->value = (void *)(uintptr_t)(exclusive ? PAIR_EXCLUSIVE : PAIR_NOT_EXCLUSIVE);
	const collected *c2 = fragment_fields(o, fragment_name);
	if (!c2 || c2 == c)
		return;
	if (!enter_level(o))
		return;
	conflicts_between(o, sink, exclusive, c, c2);
	for (size_t i = 0; i < c2->fragment_count && !o->stop; i++)
		between_fields_and_fragment(o, sink, exclusive, c, c2->fragments[i]);
	o->depth--;
}

/* graphql-js PairSet: a record per ordered pair of fragment names, each
 * exclusive or not; has(a, b) looks at both orders, and a non-exclusive
 * question is answered only by a non-exclusive record. Both orders share
 * one entry (keyed by the names in address order), two bits each. */
#define PAIR_PRESENT 16u

static unsigned pair_bits(uintptr_t record, bool forward)
{
	return forward ? record & 3u : (record >> 2) & 3u;
}

/* graphql-js collectConflictsBetweenFragments. */
static void between_fragments(overlap *o, conflict_sink *sink, bool exclusive,
			      const name_info *name1, const name_info *name2)
{
	if (!spend(o, 2) || name1 == name2)
		return;
	bool forward = (uintptr_t)name1 < (uintptr_t)name2;
	pmap_slot *slot = forward ? pmap_slot_for(o, &o->fragment_pairs, name1, name2)
				  : pmap_slot_for(o, &o->fragment_pairs, name2, name1);
	if (!slot)
		return;
	uintptr_t record = (uintptr_t)slot->value;
	unsigned ab = pair_bits(record, forward), ba = pair_bits(record, !forward);
	if (exclusive ? ab || ba : ab == PAIR_NOT_EXCLUSIVE || ba == PAIR_NOT_EXCLUSIVE)
		return;
	unsigned mine = exclusive ? PAIR_EXCLUSIVE : PAIR_NOT_EXCLUSIVE;
	record = forward ? (record & ~(uintptr_t)3u) | mine
			 : (record & ~(uintptr_t)12u) | ((uintptr_t)mine << 2);
	slot->value = (void *)(record | PAIR_PRESENT);
	const collected *c1 = fragment_fields(o, name1);
	const collected *c2 = fragment_fields(o, name2);
	if (!c1 || !c2 || !enter_level(o))
		return;
	conflicts_between(o, sink, exclusive, c1, c2);
	for (size_t i = 0; i < c2->fragment_count && !o->stop; i++)
		between_fragments(o, sink, exclusive, name1, c2->fragments[i]);
	for (size_t i = 0; i < c1->fragment_count && !o->stop; i++)
		between_fragments(o, sink, exclusive, c1->fragments[i], name2);
	o->depth--;
}

/* graphql-js findConflictsBetweenSubSelectionSets, into sink. */
static void between_sub_selections(overlap *o, conflict_sink *sink, bool exclusive,
				   const schema_type *parent1, const doc_selection *set1,
				   const schema_type *parent2, const doc_selection *set2)
{
	const collected *c1 = collect(o, parent1, set1);
	const collected *c2 = c1 ? collect(o, parent2, set2) : NULL;
	if (!c2)
		return;
	conflicts_between(o, sink, exclusive, c1, c2);
	for (size_t i = 0; i < c2->fragment_count && !o->stop; i++)
		between_fields_and_fragment(o, sink, exclusive, c1, c2->fragments[i]);
	for (size_t i = 0; i < c1->fragment_count && !o->stop; i++)
		between_fields_and_fragment(o, sink, exclusive, c2, c1->fragments[i]);
	for (size_t i = 0; i < c1->fragment_count && !o->stop; i++)
		for (size_t j = 0; j < c2->fragment_count && !o->stop; j++)
			between_fragments(o, sink, exclusive, c1->fragments[i], c2->fragments[j]);
}

static const schema_ref *type_of(const field_detail *d)
{
	return d->def ? d->def->type : NULL;
}

static conflict *reason_conflict(overlap *o, const name_info *response_name, const field_detail *d1,
				 const field_detail *d2, uintptr_t reason)
{
	conflict *c = leaf_conflict(o, response_name, d1, d2);
	if (!c)
		return NULL;
	bool failed;
	if (reason == REASON_DIFFERENT_FIELDS)
		failed = rule_put(&c->reason, "\"") ||
			 put_abbreviated(&c->reason, d1->node->name, strlen(d1->node->name)) ||
			 rule_put(&c->reason, "\" and \"") ||
			 put_abbreviated(&c->reason, d2->node->name, strlen(d2->node->name)) ||
			 rule_put(&c->reason, "\" are different fields");
	else
		failed = rule_put(&c->reason, "they have differing arguments");
	if (failed) {
		conflict_free(c);
		out_of_memory(o);
		return NULL;
	}
	return c;
}

static conflict *type_conflict(overlap *o, const name_info *response_name, const field_detail *d1,
			       const field_detail *d2)
{
	conflict *c = leaf_conflict(o, response_name, d1, d2);
	if (c && (rule_put(&c->reason, "they return conflicting types \"") ||
		  schema_print_ref(&c->reason, type_of(d1)) || rule_put(&c->reason, "\" and \"") ||
		  schema_print_ref(&c->reason, type_of(d2)) || rule_put(&c->reason, "\""))) {
		conflict_free(c);
		out_of_memory(o);
		return NULL;
	}
	return c;
}

/* The pair's sub-selections compared; their conflicts make one conflict
 * (graphql-js subfieldConflicts). */
static conflict *subfield_conflict(overlap *o, bool exclusive, const name_info *response_name,
				   const field_detail *d1, const field_detail *d2)
{
	conflict *into = leaf_conflict(o, response_name, d1, d2);
	if (!into)
		return NULL;
	conflict_sink sink = {.top = NULL, .into = into};
	const schema_ref *t1 = type_of(d1), *t2 = type_of(d2);
	between_sub_selections(o, &sink, exclusive, t1 ? schema_ref_named(t1) : NULL,
			       d1->node->selections, t2 ? schema_ref_named(t2) : NULL,
			       d2->node->selections);
	bool failed = false;
	if (!o->stop && sink.found)
		failed = put_abbreviated(&into->reason, sink.message.data, sink.message.len);
	gqlws_doc_buf_free(&sink.message);
	if (failed)
		out_of_memory(o);
	if (o->stop || !sink.found) {
		conflict_free(into);
		return NULL;
	}
	return into;
}

/* graphql-js findConflict. */
static conflict *find_conflict(overlap *o, bool parents_exclusive, const name_info *response_name,
			       field_detail *d1, field_detail *d2)
{
	const schema_type *p1 = d1->parent_type, *p2 = d2->parent_type;
	bool exclusive = parents_exclusive || (p1 != p2 && p1 && p2 && p1->kind == SCHEMA_OBJECT &&
					       p2->kind == SCHEMA_OBJECT);
	if (!spend(o, 2))
		return NULL;
	const schema_ref *t1 = type_of(d1), *t2 = type_of(d2);
	bool same_definition = d1->def == d2->def;
	bool same_type = (!t1 && !t2) || (t1 && t2 && types_identical(t1, t2, same_definition));
	if (d1->simple_leaf && d2->simple_leaf && same_type &&
	    strcmp(d1->node->name, d2->node->name) == 0)
		return NULL;
	if (!exclusive) {
		pmap_slot *slot = pmap_slot_for(o, &o->reasons, d1, d2);
		if (!slot)
			return NULL;
		uintptr_t reason = (uintptr_t)slot->value;
		if (!reason) {
			if (strcmp(d1->node->name, d2->node->name) != 0)
				reason = REASON_DIFFERENT_FIELDS;
			else if (same_arguments(o, d1, d2))
				reason = REASON_NONE;
			else
				reason = REASON_DIFFERENT_ARGUMENTS;
			if (o->stop)
				return NULL;
			slot->value = (void *)reason;
		}
		if (reason != REASON_NONE)
			return reason_conflict(o, response_name, d1, d2, reason);
	}
	if (t1 && t2 && types_conflict(o, t1, t2, same_definition))
		return type_conflict(o, response_name, d1, d2);
	if (o->stop || !d1->node->selections || !d2->node->selections)
		return NULL;
	if (!enter_level(o))
		return NULL;
	conflict *c = subfield_conflict(o, exclusive, response_name, d1, d2);
	o->depth--;
	return c;
}

/* graphql-js findConflictsWithinSelectionSet. */
static void conflicts_within_selection_set(overlap *o, conflict_sink *sink,
					   const schema_type *parent,
					   const doc_selection *selections)
{
	const collected *c = collect(o, parent, selections);
	if (!c)
		return;
	conflicts_within(o, sink, c);
	if (!c->fragment_count || (!c->group_count && c->fragment_count < 2))
		return;
	for (size_t i = 0; i < c->fragment_count && !o->stop; i++) {
		between_fields_and_fragment(o, sink, false, c, c->fragments[i]);
		for (size_t j = i + 1; j < c->fragment_count && !o->stop; j++)
			between_fragments(o, sink, false, c->fragments[i], c->fragments[j]);
	}
}

static void report(overlap *o, const conflict *c)
{
	gqlws_doc_buf m = {0};
	bool failed = rule_put(&m, "Fields \"") ||
		      put_abbreviated(&m, c->response_name->text, strlen(c->response_name->text)) ||
		      rule_put(&m, "\" conflict because ") ||
		      gqlws_doc_buf_append(&m, c->reason.data, c->reason.len) ||
		      rule_put(&m, ". Use different aliases on the fields to fetch both if this "
				   "was intentional.");
	if (failed) {
		gqlws_doc_buf_free(&m);
		out_of_memory(o);
		return;
	}
	cJSON *error = vctx_report(o->ctx, c->fields1[0]->pos, "%s", m.data);
	gqlws_doc_buf_free(&m);
	if (!error)
		return;
	for (size_t i = 1; i < c->count1; i++)
		if (doc_error_add_location(error, c->fields1[i]->pos) != 0)
			out_of_memory(o);
	for (size_t i = 0; i < c->count2; i++)
		if (doc_error_add_location(error, c->fields2[i]->pos) != 0)
			out_of_memory(o);
}

/* A set of fields whose response names all differ, counting the fields of
 * its inline fragments (collectFields merges them into the set), and with
 * no fragment spread, has nothing to compare: graphql-js collects it, finds
 * no name twice and spends nothing, so skipping it changes no result (its
 * fields are collected if another comparison needs them later). Checked
 * for small sets a few inline fragments deep, the usual case. */
enum { SMALL_SET = 16, SHALLOW_INLINE = 4 };

static bool distinct_names(const doc_selection *selections, const doc_selection **seen,
			   size_t *count, size_t depth)
{
	for (const doc_selection *s = selections; s; s = s->next) {
		if (s->kind == DOC_SELECTION_INLINE) {
			if (depth == SHALLOW_INLINE || !distinct_names(s->selections, seen, count, depth + 1))
				return false;
			continue;
		}
		if (s->kind != DOC_SELECTION_FIELD || *count == SMALL_SET)
			return false;
		for (size_t i = 0; i < *count; i++)
			if (seen[i]->key_len == s->key_len && seen[i]->key[0] == s->key[0] &&
			    memcmp(seen[i]->key, s->key, s->key_len) == 0)
				return false;
		seen[(*count)++] = s;
	}
	return true;
}

static bool nothing_to_compare(const doc_selection *selections)
{
	const doc_selection *seen[SMALL_SET];
	size_t count = 0;
	return distinct_names(selections, seen, &count, 0);
}

/* The response names of a set's fields (its inline fragments' included,
 * up to SHALLOW_INLINE deep) into seen, and its spreads into spreads (room
 * for one): false when a name repeats, or there are more than room. */
static bool names_and_spread(const doc_selection *selections, const doc_selection **seen, size_t *count,
			     const doc_selection **spread, size_t depth)
{
	for (const doc_selection *s = selections; s; s = s->next) {
		if (s->kind == DOC_SELECTION_INLINE) {
			if (depth == SHALLOW_INLINE ||
			    !names_and_spread(s->selections, seen, count, spread, depth + 1))
				return false;
			continue;
		}
		if (s->kind == DOC_SELECTION_SPREAD) {
			if (*spread)
				return false;
			*spread = s;
			continue;
		}
		if (*count == SMALL_SET)
			return false;
		for (size_t i = 0; i < *count; i++)
			if (seen[i]->key_len == s->key_len && seen[i]->key[0] == s->key[0] &&
			    memcmp(seen[i]->key, s->key, s->key_len) == 0)
				return false;
		seen[(*count)++] = s;
	}
	return true;
}

/* True when one of the fields (count of them in seen) has key as its
 * response name. */
static bool name_seen(const doc_selection *const *seen, size_t count, const doc_selection *field)
{
	for (size_t i = 0; i < count; i++)
		if (seen[i]->key_len == field->key_len && seen[i]->key[0] == field->key[0] &&
		    memcmp(seen[i]->key, field->key, field->key_len) == 0)
			return true;
	return false;
}

/* The fields of a fragment's selections (inline fragments' included, up to
 * SHALLOW_INLINE deep) counted into *fields: false when one of them has a
 * response name of seen, or a spread is met (or the nesting is deeper). */
static bool fragment_apart(const doc_selection *selections, const doc_selection *const *seen, size_t count,
			   size_t *fields, size_t depth)
{
	for (const doc_selection *s = selections; s; s = s->next) {
		if (s->kind == DOC_SELECTION_INLINE) {
			if (depth == SHALLOW_INLINE ||
			    !fragment_apart(s->selections, seen, count, fields, depth + 1))
				return false;
			continue;
		}
		if (s->kind == DOC_SELECTION_SPREAD || name_seen(seen, count, s))
			return false;
		(*fields)++;
	}
	return true;
}

/* A set whose fields have distinct response names and that spreads one
 * fragment, whose own fields share none of those names and which spreads
 * no fragment, has no pair to compare either (the usual set with a
 * fragment). graphql-js collects both, finds nothing and spends 1 unit
 * for the fragment, and 1 per response name of the set when the fragment
 * exists and has fields; that is spent here, and the comparison recorded
 * for the set (compared_uncollected), since a later comparison that
 * collects the set finds it in graphql-js's comparedFragments: so the
 * budget runs out at the same step for every document. Its other memo,
 * the overlapping names of the set and the fragment, is only asked again
 * through that comparison, except when the set is a fragment's own (two
 * fragments compared: not taken for those). False (nothing spent) for
 * any other set, and for one collected before (its memos may say
 * otherwise). */
static bool one_fragment_without_overlap(overlap *o, const schema_type *parent, const doc_selection *first)
{
	const doc_selection *seen[SMALL_SET];
	const doc_selection *spread = NULL;
	size_t count = 0;
	if (!names_and_spread(first, seen, &count, &spread, 0) || !spread || !count)
		return false;
	const doc_fragment *fragment = vctx_spread_fragment(spread);
	size_t fragment_field_count = 0;
	if (fragment && (fragment->selections == first ||
			 !fragment_apart(fragment->selections, seen, count, &fragment_field_count, 0)))
		return false;
	if (pmap_get(&o->collected_by_set, parent, first))
		return false;
	if (!pmap_put(o, &o->compared_uncollected, parent, first, (void *)spread->name))
		return true; /* out of memory: the validation fails */
	spend(o, 1 + (fragment && fragment_field_count ? (long)count : 0));
	return true;
}

static void overlap_enter(vctx *ctx, const vnode *node, void *state)
{
	overlap *o = state;
	if (node->kind == VNODE_INLINE_FRAGMENT) {
		o->inline_selections = node->selection->selections;
		return;
	}
	if (node->kind != VNODE_SELECTION_SET || o->stop)
		return;
	/* an inline fragment's set is compared as part of its parent's */
	if (node->selections == o->inline_selections)
		return;
	const doc_selection *first = node->selections;
	if (!first || (!first->next && first->kind != DOC_SELECTION_INLINE) ||
	    nothing_to_compare(first))
		return;
	if (!o->ctx) {
		o->ctx = ctx;
		o->arena = vctx_arena(ctx);
		o->schema = vctx_schema(ctx);
		o->budget = MAX_COMPLEXITY_BUDGET;
		o->max_depth = 2 * vctx_doc(ctx)->limits.max_depth;
		if (o->max_depth > 2 * DOC_DEPTH_CEILING || !o->max_depth)
			o->max_depth = 2 * DOC_DEPTH_CEILING;
	}
	if (!node->fragment && one_fragment_without_overlap(o, vctx_parent_type(ctx), first))
		return;
	/* in the validation's arena once, not a calloc of 101 slots per set */
	if (!o->top && !(o->top = arena(o, sizeof *o->top)))
		return;
	top_conflicts *top = o->top;
	top->count = 0;
	conflict_sink sink = {.top = top};
	conflicts_within_selection_set(o, &sink, vctx_parent_type(ctx), first);
	/* graphql-js reports nothing of a set whose comparison was aborted */
	for (size_t i = 0; i < top->count; i++) {
		if (!o->stop && !vctx_aborted(ctx))
			report(o, top->kept[i]);
		conflict_free(top->kept[i]);
	}
	top->count = 0;
}

const validation_rule rule_overlapping_fields_can_be_merged = {
	.name = "OverlappingFieldsCanBeMerged",
	.state_size = sizeof(overlap),
	.enter = overlap_enter,
	.leave = NULL,
	.enter_kinds = VKIND(VNODE_INLINE_FRAGMENT) | VKIND(VNODE_SELECTION_SET),
	.leave_kinds = 0,
};
