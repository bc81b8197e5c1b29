/*
 * plugin_queue_bound.h - send-queue-total-bytes: one bound on the heap that
 * the send queues of all a vhost's connections hold together. Each
 * connection tells its figure when it changes (GQLWS_NOTIFY_QUEUE); when the
 * sum goes over the bound, the connections with the largest queues are
 * evicted (gqlws_session_evict: their queues dropped at once, close 1008)
 * until the sum is back to 7/8 of the bound. No lws here: the adapter hands
 * in how to walk its connections and how to evict one. Service thread only.
 */
#ifndef GQLWS_PLUGIN_QUEUE_BOUND_H
#define GQLWS_PLUGIN_QUEUE_BOUND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The close reason of an eviction (1008), worded as send-queue-bytes'
 * "Send queue limit exceeded": here the limit is the server's. */
#define PLUGIN_QUEUE_BOUND_REASON "Server send queue limit exceeded"

/* The option's range: 0 is off; anything else from MIN to MAX bytes. */
#define PLUGIN_QUEUE_BOUND_MIN ((size_t)16384)
#define PLUGIN_QUEUE_BOUND_MAX ((size_t)1 << 40)

/* One connection's part: what its send queue held when it last told. Lives
 * in the connection's own state; zero when it starts. */
typedef struct plugin_queue_share {
	size_t heap;
} plugin_queue_share;

/* Walks every connection of the vhost: the first share when *cursor is
 * NULL, then the one after *cursor, NULL at the end (the walker keeps its
 * place in *cursor). */
typedef plugin_queue_share *(*plugin_queue_walk)(void *list, void **cursor);

/* Closes the connection of share for the bound; must drop its queue at once
 * (gqlws_session_evict does). May tell shares of the bound meanwhile. */
typedef void (*plugin_queue_evict)(void *list, plugin_queue_share *share);

typedef struct plugin_queue_bound {
	size_t bound;        /* bytes; 0: off (then nobody tells) */
	size_t total;        /* the sum of every share */
	size_t peak;         /* the largest total ever told */
	uint64_t evictions;  /* connections closed for the bound */
	uint64_t sweeps;     /* times the bound was found exceeded */
	bool evicting;       /* inside a sweep: what evictions tell only counts */
	plugin_queue_walk walk;
	plugin_queue_evict evict;
	void *list;
	/* The shares with something queued, sorted by a sweep; kept between
	 * sweeps so that a sweep allocates only when connections grew. */
	plugin_queue_share **scratch;
	size_t scratch_cap;
} plugin_queue_bound;

/* Starts a vhost's bound (bytes; 0: off) with the adapter's walker and
 * eviction over its connection list. */
void queue_bound_init(plugin_queue_bound *b, size_t bound, plugin_queue_walk walk,
		      plugin_queue_evict evict, void *list);

/* Frees the scratch; the shares belong to their connections. */
void queue_bound_free(plugin_queue_bound *b);

/* A connection's queue now holds heap bytes. Evicts, largest first, when
 * this takes the vhost over its bound (not when called from inside an
 * eviction of this bound). */
void queue_bound_tell(plugin_queue_bound *b, plugin_queue_share *share, size_t heap);

/* The connection is gone: what it held leaves the sum. */
void queue_bound_forget(plugin_queue_bound *b, plugin_queue_share *share);

/* The default of send-queue-total-bytes on this machine: 1/16 of physical
 * memory, at most 64 MiB, at least PLUGIN_QUEUE_BOUND_MIN (see the .c). */
size_t queue_bound_default(void);

#endif /* GQLWS_PLUGIN_QUEUE_BOUND_H */
