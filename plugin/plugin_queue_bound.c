/*
 * plugin_queue_bound.c - the vhost-wide bound on send-queue heap
 * (send-queue-total-bytes): a running sum told by every change, and, when
 * it is exceeded, a sweep that evicts the largest queues first.
 *
 * Why this shape:
 * - The sum is exact at all times: each connection tells its new figure on
 *   every change (one subtraction and one addition), so the bound is checked
 *   after every outermost call that queued a frame, and the sum never passes
 *   it by more than what one such call queued (one frame for a result).
 * - Finding the largest queues walks every connection, so it must not run
 *   per message under a sustained overload. A sweep therefore evicts until
 *   the sum is down to 7/8 of the bound, not just under it: the next sweep
 *   waits until bound/8 more heap has been queued (with the default of
 *   64 MiB, 8 MiB: over 25,000 frames), which makes the walk's cost per
 *   message at most n / (bound/8 / frame) steps, a fraction of one for any
 *   n a vhost serves. A heap ordered by queue size would cost O(log n) on
 *   every message instead, overloaded or not.
 * - Within a sweep, the connections with something queued are sorted by
 *   size, largest first; closing the largest frees the most with the fewest
 *   clients lost, and the largest are the clients furthest behind.
 */
#define _DEFAULT_SOURCE /* sysconf(_SC_PHYS_PAGES) under -std=c11 */
#include "plugin_queue_bound.h"

#include <stdlib.h>
#include <unistd.h>

/* The default bound: 1/16 of physical memory, so that slow clients cannot
 * take a server's machine into swap or the OOM killer, at most 64 MiB.
 * The cap is about latency: lws serves a vhost from one thread, which
 * writes some 20-50 MB of frame heap a second, so 64 MiB is already a
 * backlog of seconds; a larger one only lets clients fall further behind. */
#define DEFAULT_FRACTION 16u
#define DEFAULT_CAP ((size_t)64 * 1024 * 1024)

/* A sweep evicts down to bound - bound / LOW_WATER_DIVISOR. */
#define LOW_WATER_DIVISOR 8u

size_t queue_bound_default(void)
{
	long pages = sysconf(_SC_PHYS_PAGES);
	long page_size = sysconf(_SC_PAGESIZE);
	size_t bound = DEFAULT_CAP;

	if (pages > 0 && page_size > 0) {
		uint64_t share = (uint64_t)pages / DEFAULT_FRACTION * (uint64_t)page_size;

		if (share < bound)
			bound = (size_t)share;
	}
	return bound < PLUGIN_QUEUE_BOUND_MIN ? PLUGIN_QUEUE_BOUND_MIN : bound;
}

void queue_bound_init(plugin_queue_bound *b, size_t bound, plugin_queue_walk walk,
		      plugin_queue_evict evict, void *list)
{
	*b = (plugin_queue_bound){ .bound = bound, .walk = walk, .evict = evict, .list = list };
}

void queue_bound_free(plugin_queue_bound *b)
{
	free(b->scratch);
	b->scratch = NULL;
	b->scratch_cap = 0;
}

static void account(plugin_queue_bound *b, plugin_queue_share *share, size_t heap)
{
	b->total = b->total - share->heap + heap;
	share->heap = heap;
	if (b->total > b->peak)
		b->peak = b->total;
}

static void evict_one(plugin_queue_bound *b, plugin_queue_share *share)
{
	b->evict(b->list, share);
	/* The queue is gone now, whether or not the eviction told it. */
	account(b, share, 0);
	b->evictions++;
}

/* Largest first. */
static int by_heap_descending(const void *x, const void *y)
{
	size_t a = (*(plugin_queue_share *const *)x)->heap;
	size_t c = (*(plugin_queue_share *const *)y)->heap;

	return a < c ? 1 : a > c ? -1 : 0;
}

/* Gathers the shares with something queued into the scratch. False when
 * the scratch cannot grow (out of memory). */
static bool gather(plugin_queue_bound *b, size_t *count)
{
	void *cursor = NULL;
	plugin_queue_share *share;

	*count = 0;
	while ((share = b->walk(b->list, &cursor))) {
		if (!share->heap)
			continue;
		if (*count == b->scratch_cap) {
			size_t cap = b->scratch_cap ? b->scratch_cap * 2 : 64;
			plugin_queue_share **grown = realloc(b->scratch, cap * sizeof(*grown));

			if (!grown)
				return false;
			b->scratch = grown;
			b->scratch_cap = cap;
		}
		b->scratch[(*count)++] = share;
	}
	return true;
}

/* Out of memory for the scratch: the largest queue by one walk each. */
static void sweep_without_scratch(plugin_queue_bound *b, size_t target)
{
	while (b->total > target) {
		plugin_queue_share *largest = NULL, *share;
		void *cursor = NULL;

		while ((share = b->walk(b->list, &cursor)))
			if (share->heap && (!largest || share->heap > largest->heap))
				largest = share;
		if (!largest)
			return;
		evict_one(b, largest);
	}
}

static void sweep(plugin_queue_bound *b)
{
	size_t target = b->bound - b->bound / LOW_WATER_DIVISOR;
	size_t count;

	b->evicting = true;
	b->sweeps++;
	if (!gather(b, &count)) {
		sweep_without_scratch(b, target);
	} else {
		qsort(b->scratch, count, sizeof(*b->scratch), by_heap_descending);
		for (size_t i = 0; i < count && b->total > target; i++)
			evict_one(b, b->scratch[i]);
	}
	b->evicting = false;
}

void queue_bound_tell(plugin_queue_bound *b, plugin_queue_share *share, size_t heap)
{
	account(b, share, heap);
	if (b->bound && b->total > b->bound && !b->evicting)
		sweep(b);
}

void queue_bound_forget(plugin_queue_bound *b, plugin_queue_share *share)
{
	b->total -= share->heap;
	share->heap = 0;
}
