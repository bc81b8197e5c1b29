/*
 * validate_names.c - the rules' name sets: open addressing in the
 * validation arena, so that a document with thousands of names costs
 * linear time in every uniqueness rule.
 */
#include <string.h>

#include "name_lookup.h"
#include "validate_internal.h"

static size_t hash_name(const char *name)
{
	size_t h = 14695981039346656037ull & (size_t)-1;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * (size_t)1099511628211ull;
	return h;
}

/* Up to VNAME_LINEAR names a map is a plain array searched in order (most
 * sets hold a few names: no hashing, half the room); beyond, a hash table
 * at most half full. */
#define VNAME_LINEAR 8

static size_t slot_of(const vname_map *map, const char *name)
{
	size_t mask = map->room - 1, i = hash_name(name) & mask;
	while (map->names[i] && name_compare(map->names[i], name) != 0)
		i = (i + 1) & mask;
	return i;
}

static size_t linear_find(const vname_map *map, const char *name)
{
	size_t i = 0;
	while (i < map->count && name_compare(map->names[i], name) != 0)
		i++;
	return i;
}

const void *vname_map_get(const vname_map *map, const char *name)
{
	if (!map->room)
		return NULL;
	if (map->room == VNAME_LINEAR) {
		size_t i = linear_find(map, name);
		return i < map->count ? map->values[i] : NULL;
	}
	size_t i = slot_of(map, name);
	return map->names[i] ? map->values[i] : NULL;
}

static bool make_room(vctx *ctx, vname_map *map, size_t room)
{
	vname_map bigger = {0};
	bigger.room = room;
	bigger.names = vctx_alloc(ctx, room * sizeof *bigger.names);
	bigger.values = vctx_alloc(ctx, room * sizeof *bigger.values);
	if (!bigger.names || !bigger.values)
		return false;
	/* names are distinct: each goes to a free slot of the hash table */
	size_t old = map->room == VNAME_LINEAR ? map->count : map->room;
	for (size_t i = 0; i < old; i++) {
		if (!map->names[i])
			continue;
		size_t k = slot_of(&bigger, map->names[i]);
		bigger.names[k] = map->names[i];
		bigger.values[k] = map->values[i];
		bigger.count++;
	}
	*map = bigger;
	return true;
}

bool vname_map_put(vctx *ctx, vname_map *map, const char *name, const void *value)
{
	if (!map->room) {
		map->names = vctx_alloc(ctx, VNAME_LINEAR * sizeof *map->names);
		map->values = vctx_alloc(ctx, VNAME_LINEAR * sizeof *map->values);
		if (!map->names || !map->values)
			return false;
		map->room = VNAME_LINEAR;
	}
	if (map->room == VNAME_LINEAR) {
		size_t i = linear_find(map, name);
		if (i < map->count) {
			map->values[i] = value;
			return true;
		}
		if (map->count < VNAME_LINEAR) {
			map->names[i] = name;
			map->values[i] = value;
			map->count++;
			return true;
		}
		if (!make_room(ctx, map, 4 * VNAME_LINEAR))
			return false;
	} else if (2 * (map->count + 1) > map->room && !make_room(ctx, map, 2 * map->room)) {
		return false;
	}
	size_t i = slot_of(map, name);
	if (!map->names[i]) {
		map->names[i] = name;
		map->count++;
	}
	map->values[i] = value;
	return true;
}
