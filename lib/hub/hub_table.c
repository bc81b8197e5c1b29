/*
 * hub_table.c - the hub's keyed hash tables (topics by name, groups by
 * topic and signature): chained through the records, grown by doubling,
 * freed when they empty so that a hub with no topics holds nothing.
 */
#include <stdlib.h>

#include "keyed_hash.h"
#include "hub_topics_private.h"

#define HUB_TABLE_MIN_CAPACITY 16u

void hub_table_init(hub_table *table, const void *owner)
{
	table->chains = NULL;
	table->capacity = table->count = 0;
	keyed_hash_seed(table->key, owner);
}

void hub_table_free(hub_table *table)
{
	free(table->chains);
	table->chains = NULL;
	table->capacity = table->count = 0;
}

uint64_t hub_table_hash(const hub_table *table, uint64_t salt, const void *bytes, size_t len)
{
	return keyed_hash_siphash13(table->key[0] ^ salt, table->key[1], bytes, len);
}

hub_entry *hub_table_chain(const hub_table *table, uint64_t hash)
{
	return table->capacity ? table->chains[hash & (table->capacity - 1)] : NULL;
}

static bool grow(hub_table *table)
{
	size_t capacity = table->capacity ? table->capacity * 2 : HUB_TABLE_MIN_CAPACITY;
	hub_entry **chains = calloc(capacity, sizeof *chains);
	if (!chains)
		return false;
	for (size_t i = 0; i < table->capacity; i++) {
		for (hub_entry *e = table->chains[i], *next; e; e = next) {
			next = e->next;
			hub_entry **chain = &chains[e->hash & (capacity - 1)];
			e->next = *chain;
			*chain = e;
		}
	}
	free(table->chains);
	table->chains = chains;
	table->capacity = capacity;
	return true;
}

bool hub_table_insert(hub_table *table, hub_entry *e)
{
	if (table->count >= table->capacity && !grow(table))
		return false;
	hub_entry **chain = &table->chains[e->hash & (table->capacity - 1)];
	e->next = *chain;
	*chain = e;
	table->count++;
	return true;
}

void hub_table_remove(hub_table *table, hub_entry *e)
{
	hub_entry **link = &table->chains[e->hash & (table->capacity - 1)];
	while (*link != e)
		link = &(*link)->next;
	*link = e->next;
	e->next = NULL;
	if (--table->count == 0)
		hub_table_free(table);
}

size_t hub_table_bytes(const hub_table *table)
{
	return table->capacity ? gqlws_alloc_bytes(table->capacity * sizeof *table->chains) : 0;
}
