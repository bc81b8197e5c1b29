/*
 * arena.c - chunked bump allocation; see arena.h. Chunks double in size so a
 * large document costs a logarithmic number of malloc calls.
 */
#include "arena.h"

#include "gqlws.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN DOC_ARENA_ALIGN
#define ARENA_FIRST_CHUNK 512u /* most plans need a few hundred bytes */
#define ARENA_FIRST_CHUNK_MAX (64u * 1024u)

struct doc_arena_chunk {
	doc_arena_chunk *older;
	size_t size;
	/* node storage follows, ARENA_ALIGN-aligned */
};

static size_t chunk_header_size(void)
{
	return (sizeof(doc_arena_chunk) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

void doc_arena_init(doc_arena *arena)
{
	arena->chunks = NULL;
	arena->next = NULL;
	arena->left = 0;
	arena->allocated = 0;
	arena->first_chunk = ARENA_FIRST_CHUNK;
}

void doc_arena_init_sized(doc_arena *arena, size_t first_chunk)
{
	doc_arena_init(arena);
	if (first_chunk > ARENA_FIRST_CHUNK_MAX)
		first_chunk = ARENA_FIRST_CHUNK_MAX;
	if (first_chunk > ARENA_FIRST_CHUNK)
		arena->first_chunk = (first_chunk + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

void *doc_arena_alloc_chunk(doc_arena *arena, size_t size)
{
	void *node = doc_arena_alloc_chunk_uncleared(arena, size);
	if (node)
		memset(node, 0, size);
	return node;
}

void *doc_arena_alloc_chunk_uncleared(doc_arena *arena, size_t size)
{
	size_t rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (rounded < size)
		return NULL;
	if (rounded > arena->left) {
		size_t want = arena->first_chunk ? arena->first_chunk : ARENA_FIRST_CHUNK;
		if (arena->chunks)
			want = arena->chunks->size * 2;
		while (want < rounded) {
			if (want > SIZE_MAX / 2)
				return NULL;
			want *= 2;
		}
		doc_arena_chunk *chunk = malloc(chunk_header_size() + want);
		if (!chunk)
			return NULL;
		chunk->older = arena->chunks;
		chunk->size = want;
		arena->allocated += gqlws_alloc_bytes(chunk_header_size() + want);
		arena->chunks = chunk;
		arena->next = (char *)chunk + chunk_header_size();
		arena->left = want;
	}
	void *node = arena->next;
	arena->next += rounded;
	arena->left -= rounded;
	return node;
}

char *doc_arena_strndup_chunk(doc_arena *arena, const char *text, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *copy = doc_arena_alloc_chunk_uncleared(arena, len + 1);
	if (!copy)
		return NULL;
	if (len)
		memcpy(copy, text, len);
	copy[len] = '\0';
	return copy;
}

void doc_arena_release(doc_arena *arena)
{
	doc_arena_chunk *chunk = arena->chunks;
	while (chunk) {
		doc_arena_chunk *older = chunk->older;
		free(chunk);
		chunk = older;
	}
	size_t first_chunk = arena->first_chunk;
	doc_arena_init(arena);
	arena->first_chunk = first_chunk;
}
