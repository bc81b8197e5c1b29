/*
 * validate_names.c - the rules' name sets: open addressing in the
 * validation arena, so that a document with thousands of names costs
 * linear time in every uniqueness rule.
 */
#include <string.h>

#include "validate_internal.h"

static size_t hash_name(const char *name)
{
	size_t h = 14695981039346656037ull & (size_t)-1;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * (size_t)1099511628211ull;
	return h;
}

static size_t slot_of(const vname_map *map, const char *name)
{
	size_t mask = map->room - 1, i = hash_name(name) & mask;
	while (map->names[i] && strcmp(map->names[i], name) != 0)
		i = (i + 1) & mask;
	return i;
}

const void *vname_map_get(const vname_map *map, const char *name)
{
	if (!map->room)
		return NULL;
	size_t i = slot_of(map, name);
	return map->names[i] ? map->values[i] : NULL;
}

bool vname_map_put(vctx *ctx, vname_map *map, const char *name, const void *value)
{
	if (2 * (map->count + 1) > map->room) {
		vname_map bigger = {0};
		bigger.room = map->room ? 2 * map->room : 16;
		bigger.names = vctx_alloc(ctx, bigger.room * sizeof *bigger.names);
		bigger.values = vctx_alloc(ctx, bigger.room * sizeof *bigger.values);
		if (!bigger.names || !bigger.values)
			return false;
		for (size_t i = 0; i < map->room; i++) {
			if (!map->names[i])
				continue;
			size_t k = slot_of(&bigger, map->names[i]);
			bigger.names[k] = map->names[i];
			bigger.values[k] = map->values[i];
			bigger.count++;
		}
		*map = bigger;
	}
	size_t i = slot_of(map, name);
	if (!map->names[i]) {
		map->names[i] = name;
		map->count++;
	}
	map->values[i] = value;
	return true;
}
