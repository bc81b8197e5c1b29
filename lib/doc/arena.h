/*
 * arena.h - bump allocator for the nodes of one document or plan.
 *
 * A parsed document is thousands of small nodes that all die together, so
 * they come from chunks that are freed in one go.
 */
#ifndef GQLWS_DOC_ARENA_H
#define GQLWS_DOC_ARENA_H

#include <stddef.h>
#include <string.h>

typedef struct doc_arena_chunk doc_arena_chunk;

typedef struct doc_arena {
	doc_arena_chunk *chunks; /* newest first */
	char *next;              /* free space of the newest chunk */
	size_t left;
	size_t allocated;        /* heap the chunks take (gqlws_alloc_bytes) */
	size_t first_chunk;      /* the first chunk's room (0: the default) */
} doc_arena;

/* An empty arena (no allocation until the first doc_arena_alloc). */
void doc_arena_init(doc_arena *arena);
/* The same, with a first chunk of about first_chunk bytes (clamped), for a
 * caller that knows how much it will need: fewer mallocs than doubling up
 * from the default. */
void doc_arena_init_sized(doc_arena *arena, size_t first_chunk);

#define DOC_ARENA_ALIGN 16u

/* doc_arena_alloc's slow path: a new chunk (or NULL: out of memory). */
void *doc_arena_alloc_chunk(doc_arena *arena, size_t size);
/* The same without clearing (doc_arena_alloc_uncleared's, the copies'). */
void *doc_arena_alloc_chunk_uncleared(doc_arena *arena, size_t size);

/* size bytes aligned for any node, zero-filled; NULL when out of memory.
 * Inline: most calls take a node of constant size from the current chunk,
 * and the clearing becomes a few stores. */
static inline void *doc_arena_alloc(doc_arena *arena, size_t size)
{
	size_t rounded = (size + DOC_ARENA_ALIGN - 1) & ~(size_t)(DOC_ARENA_ALIGN - 1);
	if (rounded < size || rounded > arena->left)
		return doc_arena_alloc_chunk(arena, size);
	void *node = arena->next;
	arena->next += rounded;
	arena->left -= rounded;
	memset(node, 0, size);
	return node;
}

/* size bytes aligned for any node, NOT cleared, for a caller that writes
 * before it reads (scratch stacks); NULL when out of memory. */
static inline void *doc_arena_alloc_uncleared(doc_arena *arena, size_t size)
{
	size_t rounded = (size + DOC_ARENA_ALIGN - 1) & ~(size_t)(DOC_ARENA_ALIGN - 1);
	if (rounded < size || rounded > arena->left)
		return doc_arena_alloc_chunk_uncleared(arena, size);
	void *block = arena->next;
	arena->next += rounded;
	arena->left -= rounded;
	return block;
}

/* doc_arena_strndup's slow path: the copy from a new chunk. */
char *doc_arena_strndup_chunk(doc_arena *arena, const char *text, size_t len);

/* len bytes from text to out, a name's few without a memcpy call: two
 * overlapping moves of a constant size (each a load and a store), every
 * byte read inside text. */
static inline void doc_arena_copy_short(char *out, const char *text, size_t len)
{
	if (len >= 8 && len <= 16) {
		memcpy(out, text, 8);
		memcpy(out + len - 8, text + len - 8, 8);
	} else if (len >= 4 && len < 8) {
		memcpy(out, text, 4);
		memcpy(out + len - 4, text + len - 4, 4);
	} else if (len < 4) {
		for (size_t i = 0; i < len; i++)
			out[i] = text[i];
	} else {
		memcpy(out, text, len);
	}
}

/* A NUL-terminated copy of len bytes; NULL when out of memory. Inline: the
 * parser copies every name. The copy overwrites its bytes: taken from the
 * chunk without the clearing doc_arena_alloc does. */
static inline char *doc_arena_strndup(doc_arena *arena, const char *text, size_t len)
{
	size_t rounded = (len + DOC_ARENA_ALIGN) & ~(size_t)(DOC_ARENA_ALIGN - 1);
	if (rounded <= len || rounded > arena->left)
		return doc_arena_strndup_chunk(arena, text, len);
	char *copy = arena->next;
	arena->next += rounded;
	arena->left -= rounded;
	doc_arena_copy_short(copy, text, len);
	copy[len] = '\0';
	return copy;
}

/* Frees every chunk; the arena is empty again (same first chunk size). */
void doc_arena_release(doc_arena *arena);

#endif
