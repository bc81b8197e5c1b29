/*
 * Outbound frame queue: a FIFO of heap frames, each laid out as
 * [headroom][payload], recycled through a short free list. Every frame is
 * counted at its allocation cost, not its payload: a 15-byte pong takes a
 * few hundred bytes of heap, and a client that never reads must not make a
 * "1 MiB" queue hold twenty.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame_queue.h"
#include "gqlws.h"

/* Frames whose payload fits this many bytes are recycled; most protocol
 * messages and typical subscription events do. */
#define RECYCLE_CAPACITY 256
#define RECYCLE_MAX 16

struct gqlws_frame {
	struct gqlws_frame *next;
	size_t len;
	size_t capacity; /* payload capacity */
	unsigned char bytes[]; /* headroom, then payload */
};

void fq_init(struct gqlws_frame_queue *q, size_t headroom)
{
	memset(q, 0, sizeof(*q));
	q->headroom = headroom;
}

static size_t capacity_for(size_t len)
{
	return len <= RECYCLE_CAPACITY ? RECYCLE_CAPACITY : len;
}

static size_t cost_of_capacity(const struct gqlws_frame_queue *q, size_t capacity)
{
	size_t fixed = sizeof(struct gqlws_frame) + q->headroom;

	if (capacity > SIZE_MAX / 2 - fixed)
		return SIZE_MAX / 2; /* never fits any bound; no overflow in sums */
	return gqlws_alloc_bytes(fixed + capacity);
}

size_t fq_frame_cost(const struct gqlws_frame_queue *q, size_t len)
{
	return cost_of_capacity(q, capacity_for(len));
}

static void free_chain(struct gqlws_frame *f)
{
	while (f) {
		struct gqlws_frame *next = f->next;

		free(f);
		f = next;
	}
}

void fq_drop_queued(struct gqlws_frame_queue *q)
{
	free_chain(q->head);
	q->head = q->tail = NULL;
	q->queued_bytes = 0;
	q->queued_cost = 0;
}

void fq_clear(struct gqlws_frame_queue *q)
{
	fq_drop_queued(q);
	free_chain(q->free_list);
	q->free_list = NULL;
	q->free_count = 0;
	q->spare_cost = 0;
}

static struct gqlws_frame *frame_get(struct gqlws_frame_queue *q, size_t len)
{
	size_t capacity = capacity_for(len);
	struct gqlws_frame *f;

	if (capacity == RECYCLE_CAPACITY && q->free_list) {
		f = q->free_list;
		q->free_list = f->next;
		q->free_count--;
		q->spare_cost -= cost_of_capacity(q, capacity);
		return f;
	}
	if (capacity > SIZE_MAX - sizeof(*f) - q->headroom)
		return NULL;
	f = malloc(sizeof(*f) + q->headroom + capacity);
	if (f)
		f->capacity = capacity;
	return f;
}

static void frame_put(struct gqlws_frame_queue *q, struct gqlws_frame *f)
{
	if (f->capacity == RECYCLE_CAPACITY && q->free_count < RECYCLE_MAX) {
		f->next = q->free_list;
		q->free_list = f;
		q->free_count++;
		q->spare_cost += cost_of_capacity(q, f->capacity);
		return;
	}
	free(f);
}

size_t fq_pieces_len(const struct gqlws_piece *pieces, size_t count)
{
	size_t len = 0;

	for (size_t i = 0; i < count; i++) {
		if (pieces[i].len > SIZE_MAX - len)
			return SIZE_MAX;
		len += pieces[i].len;
	}
	return len;
}

enum fq_result fq_push(struct gqlws_frame_queue *q, const struct gqlws_piece *pieces, size_t count)
{
	size_t len = fq_pieces_len(pieces, count);
	struct gqlws_frame *f;
	unsigned char *out;

	if (len == SIZE_MAX)
		return FQ_NOMEM;
	f = frame_get(q, len);
	if (!f)
		return FQ_NOMEM;
	out = f->bytes + q->headroom;
	for (size_t i = 0; i < count; i++) {
		if (!pieces[i].len)
			continue; /* data may be NULL then */
		memcpy(out, pieces[i].data, pieces[i].len);
		out += pieces[i].len;
	}
	f->len = len;
	f->next = NULL;
	if (q->tail)
		q->tail->next = f;
	else
		q->head = f;
	q->tail = f;
	q->queued_bytes += len;
	q->queued_cost += cost_of_capacity(q, f->capacity);
	return FQ_OK;
}

bool fq_empty(const struct gqlws_frame_queue *q)
{
	return q->head == NULL;
}

unsigned char *fq_peek(struct gqlws_frame_queue *q, size_t *len)
{
	if (!q->head) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = q->head->len;
	return q->head->bytes + q->headroom;
}

void fq_pop(struct gqlws_frame_queue *q)
{
	struct gqlws_frame *f = q->head;

	if (!f)
		return;
	q->head = f->next;
	if (!q->head)
		q->tail = NULL;
	q->queued_bytes -= f->len;
	q->queued_cost -= cost_of_capacity(q, f->capacity);
	frame_put(q, f);
}
