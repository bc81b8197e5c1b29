/*
 * collect.c - the spec's CollectFields over a plan's skip/include decisions;
 * see plan.h. Fields with the same response key are kept side by side here
 * and merged by the caller, which knows what it merges them into.
 */
#include <stdlib.h>
#include <string.h>

#include "plan.h"

void doc_field_list_init(doc_field_list *list, const doc_selection **storage, size_t cap)
{
	list->items = storage;
	list->count = 0;
	list->cap = cap;
	list->on_heap = false;
	list->raised = NULL;
}

void doc_field_list_release(doc_field_list *list)
{
	if (list->on_heap)
		free(list->items);
	list->items = NULL;
	list->count = list->cap = 0;
	list->on_heap = false;
}

static int push(doc_field_list *list, const doc_selection *field)
{
	if (list->count == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;
		const doc_selection **items;
		if (list->on_heap) {
			items = realloc(list->items, cap * sizeof *items);
		} else {
			items = malloc(cap * sizeof *items);
			for (size_t i = 0; items && i < list->count; i++)
				items[i] = list->items[i];
		}
		if (!items)
			return -1;
		list->items = items;
		list->cap = cap;
		list->on_heap = true;
	}
	list->items[list->count++] = field;
	return 0;
}

static int collect(const gqlws_doc_plan *plan, const doc_selection *set, const char *type_name,
		   doc_field_list *out)
{
	for (const doc_selection *s = set; s; s = s->next) {
		if (plan->included[s->index] != DOC_SEL_INCLUDED) {
			if (plan->included[s->index] == DOC_SEL_RAISES && !out->raised)
				out->raised = s;
			continue;
		}
		switch (s->kind) {
		case DOC_SELECTION_FIELD:
			if (push(out, s) != 0)
				return -1;
			break;
		case DOC_SELECTION_INLINE:
			if (doc_type_condition_matches(s->type_condition, type_name) &&
			    collect(plan, s->selections, type_name, out) != 0)
				return -1;
			break;
		case DOC_SELECTION_SPREAD:
			if (s->fragment &&
			    doc_type_condition_matches(s->fragment->type_condition, type_name) &&
			    collect(plan, s->fragment->selections, type_name, out) != 0)
				return -1;
			break;
		}
	}
	return 0;
}

int doc_collect_fields(const gqlws_doc_plan *plan, const doc_selection *const *sets, size_t n,
		       const char *type_name, doc_field_list *out)
{
	for (size_t i = 0; i < n; i++)
		if (collect(plan, sets[i], type_name, out) != 0)
			return -1;
	return 0;
}

static bool same_key(const doc_selection *a, const doc_selection *b)
{
	return a->key == b->key || (a->key_len == b->key_len && memcmp(a->key, b->key, a->key_len) == 0);
}

static uint32_t key_hash(const doc_selection *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < s->key_len; i++)
		h = (h ^ (unsigned char)s->key[i]) * 16777619u;
	return h;
}

int doc_key_links_build(doc_key_links *links, const doc_field_list *fields)
{
	size_t n = fields->count;
	links->next_same = links->next_storage;
	links->first = links->first_storage;
	if (n > DOC_KEY_LINKS_INLINE) {
		links->next_same = malloc(n * sizeof *links->next_same);
		links->first = malloc(n);
		if (!links->next_same || !links->first)
			return -1;
	}
	/* Open addressing, at most half full; a slot holds 1 + the index of
	 * the latest field seen with that key, 0 when empty. */
	size_t slots = 2 * DOC_KEY_LINKS_INLINE;
	while (slots < 2 * n)
		slots *= 2;
	uint32_t table_storage[2 * DOC_KEY_LINKS_INLINE];
	uint32_t *table = table_storage;
	if (slots > 2 * DOC_KEY_LINKS_INLINE) {
		table = calloc(slots, sizeof *table);
		if (!table)
			return -1;
	} else {
		memset(table_storage, 0, sizeof table_storage);
	}
	for (size_t i = 0; i < n; i++) {
		const doc_selection *f = fields->items[i];
		size_t slot = key_hash(f) & (slots - 1);
		while (table[slot] && !same_key(fields->items[table[slot] - 1], f))
			slot = (slot + 1) & (slots - 1);
		links->next_same[i] = DOC_NO_NEXT;
		links->first[i] = table[slot] == 0;
		if (table[slot])
			links->next_same[table[slot] - 1] = (uint32_t)i;
		table[slot] = (uint32_t)i + 1;
	}
	if (table != table_storage)
		free(table);
	return 0;
}

void doc_key_links_release(doc_key_links *links)
{
	if (links->next_same != links->next_storage)
		free(links->next_same);
	if (links->first != links->first_storage)
		free(links->first);
	links->next_same = links->next_storage;
	links->first = links->first_storage;
}
