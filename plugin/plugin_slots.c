/*
 * plugin_slots.c - connection slots with generations (see plugin_slots.h):
 * a growable array with a free list threaded through the free slots.
 */
#include <stdlib.h>

#include "plugin_slots.h"

#define FIRST_CAPACITY 64
#define MAX_CAPACITY (UINT32_C(1) << 31)

void plugin_slots_init(plugin_slots *t)
{
	t->slot = NULL;
	t->capacity = 0;
	t->free_head = PLUGIN_SLOT_NONE;
}

void plugin_slots_free(plugin_slots *t)
{
	free(t->slot);
	plugin_slots_init(t);
}

static int grow(plugin_slots *t)
{
	uint32_t capacity = t->capacity ? t->capacity * 2 : FIRST_CAPACITY;
	plugin_slot *bigger;

	if (capacity > MAX_CAPACITY)
		return -1;
	bigger = realloc(t->slot, (size_t)capacity * sizeof(*bigger));
	if (!bigger)
		return -1;
	/* New slots join the free list in index order. */
	for (uint32_t i = t->capacity; i < capacity; i++) {
		bigger[i].conn = NULL;
		bigger[i].generation = 0;
		bigger[i].next_free = i + 1 < capacity ? i + 1 : t->free_head;
	}
	t->free_head = t->capacity;
	t->slot = bigger;
	t->capacity = capacity;
	return 0;
}

int plugin_slots_take(plugin_slots *t, void *conn, uint32_t *slot, uint32_t *generation)
{
	plugin_slot *s;

	if (t->free_head == PLUGIN_SLOT_NONE && grow(t))
		return -1;
	*slot = t->free_head;
	s = &t->slot[*slot];
	t->free_head = s->next_free;
	s->conn = conn;
	if (++s->generation == 0)
		s->generation = 1;
	*generation = s->generation;
	return 0;
}

void plugin_slots_release(plugin_slots *t, uint32_t slot)
{
	if (slot >= t->capacity || !t->slot[slot].conn)
		return;
	t->slot[slot].conn = NULL;
	t->slot[slot].next_free = t->free_head;
	t->free_head = slot;
}

void *plugin_slots_find(const plugin_slots *t, uint32_t slot, uint32_t generation)
{
	if (slot >= t->capacity || !generation || t->slot[slot].generation != generation)
		return NULL;
	return t->slot[slot].conn;
}
