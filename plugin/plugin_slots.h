/*
 * plugin_slots.h - a vhost's table of connection slots, so that a ticket
 * (slot + generation) finds its connection in O(1) whatever the number of
 * connections, and a ticket of a closed connection finds nothing: a slot's
 * generation changes each time it is taken. Service thread only.
 */
#ifndef GQLWS_PLUGIN_SLOTS_H
#define GQLWS_PLUGIN_SLOTS_H

#include <stdint.h>

typedef struct plugin_slot {
	void *conn;          /* NULL while free */
	uint32_t generation; /* never 0 once taken: a zeroed ticket matches nothing */
	uint32_t next_free;
} plugin_slot;

typedef struct plugin_slots {
	plugin_slot *slot;
	uint32_t capacity;
	uint32_t free_head; /* PLUGIN_SLOT_NONE when no slot is free */
} plugin_slots;

#define PLUGIN_SLOT_NONE UINT32_MAX

/* An empty table (no allocation until the first take). */
void plugin_slots_init(plugin_slots *t);

/* Frees the table; the connections are not touched. */
void plugin_slots_free(plugin_slots *t);

/* Gives conn a slot and its generation. Returns 0, or -1 when the table
 * could not grow (out of memory, or 2^31 slots). */
int plugin_slots_take(plugin_slots *t, void *conn, uint32_t *slot, uint32_t *generation);

/* Frees a slot taken by plugin_slots_take. */
void plugin_slots_release(plugin_slots *t, uint32_t slot);

/* The connection in slot if its generation is still the one given, else
 * NULL (the connection closed, or the values are garbage). */
void *plugin_slots_find(const plugin_slots *t, uint32_t slot, uint32_t generation);

#endif /* GQLWS_PLUGIN_SLOTS_H */
