/*
 * The outbound frame queue of a session: complete text messages waiting for
 * the transport, each with scratch headroom in front, with a small free list
 * so a steady stream allocates nothing per frame. It counts what its frames
 * really cost in memory, so that a bound on it bounds the heap it holds.
 */
#ifndef GQLWS_FRAME_QUEUE_H
#define GQLWS_FRAME_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

/* One piece of a frame to assemble: the queue copies pieces back to back. */
struct gqlws_piece {
	const void *data;
	size_t len;
};

#define PIECE_LIT(s) ((struct gqlws_piece){(s), sizeof(s) - 1})

struct gqlws_frame;

struct gqlws_frame_queue {
	struct gqlws_frame *head, *tail;
	struct gqlws_frame *free_list; /* recycled small frames */
	unsigned free_count;
	size_t queued_bytes; /* payload bytes of the frames in head..tail */
	size_t queued_cost;  /* heap those frames take (gqlws_alloc_bytes) */
	size_t spare_cost;   /* heap the recycled frames take */
	size_t headroom;     /* scratch bytes before each payload */
};

void fq_init(struct gqlws_frame_queue *q, size_t headroom);

/* Frees every frame, queued or recycled. */
void fq_clear(struct gqlws_frame_queue *q);

/* Drops the queued frames (keeps the free list). */
void fq_drop_queued(struct gqlws_frame_queue *q);

/* Total length of the pieces, or SIZE_MAX when it does not fit a size_t. */
size_t fq_pieces_len(const struct gqlws_piece *pieces, size_t count);

/* The heap a queued frame of len payload bytes takes: its allocation
 * (header, headroom, capacity), as the allocator rounds it. */
size_t fq_frame_cost(const struct gqlws_frame_queue *q, size_t len);

enum fq_result { FQ_OK, FQ_NOMEM };

/* Appends one frame made of the pieces (bounds are the caller's). */
enum fq_result fq_push(struct gqlws_frame_queue *q, const struct gqlws_piece *pieces, size_t count);

bool fq_empty(const struct gqlws_frame_queue *q);

/* The first frame's payload and length, or NULL. */
unsigned char *fq_peek(struct gqlws_frame_queue *q, size_t *len);

/* Removes the first frame. */
void fq_pop(struct gqlws_frame_queue *q);

#endif
