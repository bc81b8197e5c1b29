/*
 * Memory accounting: what an allocation really takes from the heap, the unit
 * in which the send queue and max-connection-bytes count.
 */
#include <stdint.h>
#include <string.h>

#include "gqlws.h"

/* glibc's malloc on 64-bit: a size field in front, 16-byte granules, 32-byte
 * minimum chunks. Other allocators round in the same way, within a few
 * percent; what matters is that 15 bytes are never counted as 15. */
#define ALLOC_HEADER sizeof(size_t)
#define ALLOC_ALIGN 16u
#define ALLOC_MIN 32u

size_t gqlws_alloc_bytes(size_t n)
{
	size_t chunk;

	if (n > SIZE_MAX - ALLOC_HEADER - ALLOC_ALIGN)
		return SIZE_MAX;
	chunk = (n + ALLOC_HEADER + ALLOC_ALIGN - 1) & ~(size_t)(ALLOC_ALIGN - 1);
	return chunk < ALLOC_MIN ? ALLOC_MIN : chunk;
}

static size_t string_bytes(const char *s)
{
	return s ? gqlws_alloc_bytes(strlen(s) + 1) : 0;
}

static size_t tree_bytes(const cJSON *item);

static size_t list_bytes(const cJSON *first)
{
	size_t total = 0;

	for (const cJSON *item = first; item; item = item->next)
		total += tree_bytes(item);
	return total;
}

/* Recursion is bounded by cJSON's nesting limit on every parsed tree. */
static size_t tree_bytes(const cJSON *item)
{
	size_t total = gqlws_alloc_bytes(sizeof(cJSON));

	if (!(item->type & cJSON_IsReference))
		total += string_bytes(item->valuestring) + list_bytes(item->child);
	if (!(item->type & cJSON_StringIsConst))
		total += string_bytes(item->string);
	return total;
}

size_t gqlws_json_bytes(const cJSON *item)
{
	return item ? tree_bytes(item) : 0;
}
