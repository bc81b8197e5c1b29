/*
 * The index of live operations by id and by serial (see op_map.h): chained
 * hash tables linked through the op records, grown and shrunk by powers of
 * two, their one allocation charged to the session's budget.
 */
#include <stdlib.h>
#include <string.h>

#include "keyed_hash.h"
#include "op_map.h"
#include "session_internal.h"

/* The smallest table: 2 chains of each kind, 48 bytes of heap. Most
 * connections run one or two operations, and this table is paid per
 * connection (8 chains cost about 100 bytes more each, 3% of a subscribed
 * connection); growing from 2 is a few cheap rehashes for the others. */
#define MIN_CAPACITY 2u

void op_map_init(struct op_map *m, const struct gqlws_session *owner)
{
	memset(m, 0, sizeof(*m));
	keyed_hash_seed(m->key, owner);
}

void op_map_free(struct op_map *m)
{
	free(m->chains);
	m->chains = NULL;
	m->capacity = m->count = m->cost = 0;
}

uint64_t op_map_hash_id(const struct op_map *m, const char *id, size_t len, bool is_string)
{
	/* The legacy id 7 and "7" are different ids: they hash under
	 * different keys. */
	return keyed_hash_siphash13(m->key[0] ^ (uint64_t)is_string, m->key[1], id, len);
}

/* Serials are consecutive numbers of the core's own: a multiplication by
 * the golden ratio spreads them over every chain. */
static size_t serial_chain(const struct op_map *m, uint64_t serial)
{
	uint64_t mixed = serial * 0x9e3779b97f4a7c15ull;

	return m->capacity + ((size_t)(mixed ^ (mixed >> 32)) & (m->capacity - 1));
}

static size_t id_chain(const struct op_map *m, uint64_t hash)
{
	return (size_t)hash & (m->capacity - 1);
}

/* ------------------------------------------------------------- chains */

static void link_op(struct op_map *m, struct gqlws_op *op)
{
	struct gqlws_op **by_id = &m->chains[id_chain(m, op->id_hash)];
	struct gqlws_op **by_serial = &m->chains[serial_chain(m, op->serial)];

	op->id_next = *by_id;
	*by_id = op;
	op->serial_next = *by_serial;
	*by_serial = op;
}

enum resize_result { RESIZED, RESIZE_OVER_LIMIT, RESIZE_NOMEM };

/* Moves every op into new chains of that capacity. The new table is
 * charged while the old one still is: both are on the heap for a moment. */
static enum resize_result resize(struct gqlws_session *s, struct op_map *m, size_t capacity)
{
	struct gqlws_op **old = m->chains, **chains;
	size_t old_capacity = m->capacity, cost;

	if (capacity > SIZE_MAX / 2 / sizeof(*chains))
		return RESIZE_OVER_LIMIT;
	cost = gqlws_alloc_bytes(2 * capacity * sizeof(*chains));
	if (!session_charge(s, cost))
		return RESIZE_OVER_LIMIT;
	chains = calloc(2 * capacity, sizeof(*chains));
	if (!chains) {
		session_uncharge(s, cost);
		return RESIZE_NOMEM;
	}
	m->chains = chains;
	m->capacity = capacity;
	/* Every op is on exactly one id chain: walking those finds them all. */
	for (size_t i = 0; i < old_capacity; i++) {
		for (struct gqlws_op *op = old[i], *next; op; op = next) {
			next = op->id_next;
			link_op(m, op);
		}
	}
	free(old);
	session_uncharge(s, m->cost);
	m->cost = cost;
	return RESIZED;
}

bool op_map_insert(struct gqlws_session *s, struct op_map *m, struct gqlws_op *op,
		   bool *over_limit)
{
	*over_limit = false;
	/* At most one op per chain on average. */
	if (m->count >= m->capacity) {
		switch (resize(s, m, m->capacity ? m->capacity * 2 : MIN_CAPACITY)) {
		case RESIZED:
			break;
		case RESIZE_OVER_LIMIT:
			*over_limit = true;
			return false;
		case RESIZE_NOMEM:
			return false;
		}
	}
	op->id_hash = op_map_hash_id(m, op->id_text, op->id_len, op->id_is_string);
	link_op(m, op);
	m->count++;
	return true;
}

void op_map_remove(struct gqlws_session *s, struct op_map *m, struct gqlws_op *op)
{
	struct gqlws_op **at;

	if (!m->capacity)
		return;
	for (at = &m->chains[id_chain(m, op->id_hash)]; *at && *at != op; at = &(*at)->id_next)
		;
	if (!*at)
		return; /* not indexed */
	*at = op->id_next;
	for (at = &m->chains[serial_chain(m, op->serial)]; *at != op; at = &(*at)->serial_next)
		;
	*at = op->serial_next;
	op->id_next = op->serial_next = NULL;
	m->count--;
	if (!m->count) {
		session_uncharge(s, m->cost);
		op_map_free(m);
	} else if (m->capacity > MIN_CAPACITY && m->count < m->capacity / 4) {
		/* Half the size keeps the table at most half full, so the next
		 * growth is as far away as this shrink; if the heap or the budget
		 * has no room for it, the larger table just stays. */
		resize(s, m, m->capacity / 2);
	}
}

struct gqlws_op *op_map_find_id(const struct op_map *m, const char *id, size_t len,
				bool is_string)
{
	uint64_t hash;

	if (!m->count)
		return NULL;
	hash = op_map_hash_id(m, id, len, is_string);
	for (struct gqlws_op *op = m->chains[id_chain(m, hash)]; op; op = op->id_next)
		if (op->id_hash == hash && op->id_len == len && op->id_is_string == is_string &&
		    !memcmp(op->id_text, id, len))
			return op;
	return NULL;
}

struct gqlws_op *op_map_find_serial(const struct op_map *m, uint64_t serial)
{
	if (!m->count)
		return NULL;
	for (struct gqlws_op *op = m->chains[serial_chain(m, serial)]; op; op = op->serial_next)
		if (op->serial == serial)
			return op;
	return NULL;
}
