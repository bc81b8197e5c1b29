/*
 * collect.c - the spec's CollectFields over a plan's skip/include decisions;
 * see plan.h. Fields with the same response key are kept side by side here
 * and merged by the caller, which knows what it merges them into.
 */
#include <stdlib.h>

#include "plan.h"

void doc_field_list_init(doc_field_list *list, const doc_selection **storage, size_t cap)
{
	list->items = storage;
	list->count = 0;
	list->cap = cap;
	list->on_heap = false;
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
		if (!plan->included[s->index])
			continue;
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
