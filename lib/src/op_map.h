/*
 * The session's index of its live operations (held and running): by id, for
 * every start, stop and complete message, and by serial, for every result a
 * worker posts, so that neither walks the operation list (max-operations may
 * be set very high). The list itself stays: it keeps the start order that
 * stop-all, held starts and drain delivery follow.
 */
#ifndef GQLWS_OP_MAP_H
#define GQLWS_OP_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gqlws_op;
struct gqlws_session;

/* Two chained hash tables of one capacity sharing one allocation, chained
 * through links in the op records, so an insert allocates nothing unless
 * the table grows. The allocation is charged to the session's budget
 * (max-connection-bytes) and freed when the last op leaves.
 *
 * Ids are chosen by the client, so they are hashed with SipHash-1-3 under a
 * key of the session's own (op_map_init): without the key a client cannot
 * choose ids that share a chain. Serials are the core's own, so a
 * multiplicative hash spreads them. */
struct op_map {
	struct gqlws_op **chains; /* capacity id chains, then capacity serial chains */
	size_t capacity;          /* a power of two; 0 while no op is live */
	size_t count;
	size_t cost;              /* heap bytes of chains, as charged */
	uint64_t key[2];
};

/* An empty map with a key derived from the session's address, a process-wide
 * counter and, on Linux, the kernel's random bytes for this process. */
void op_map_init(struct op_map *m, const struct gqlws_session *owner);
/* Frees the chains; the session's charge for them is its own business. */
void op_map_free(struct op_map *m);

/* The hash of an id under the map's key (stored in the op at insertion). */
uint64_t op_map_hash_id(const struct op_map *m, const char *id, size_t len, bool is_string);

/* Indexes op (its id fields and serial set; its id must not be live):
 * false, and nothing changed, when the table had to grow and the budget
 * (*over_limit set) or the allocator had no room for it. */
bool op_map_insert(struct gqlws_session *s, struct op_map *m, struct gqlws_op *op,
		   bool *over_limit);
/* Unindexes op, shrinking (or freeing) the table when it is mostly empty. */
void op_map_remove(struct gqlws_session *s, struct op_map *m, struct gqlws_op *op);

struct gqlws_op *op_map_find_id(const struct op_map *m, const char *id, size_t len,
				bool is_string);
struct gqlws_op *op_map_find_serial(const struct op_map *m, uint64_t serial);

#endif
