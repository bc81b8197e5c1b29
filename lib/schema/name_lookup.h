/*
 * name_lookup.h - schema_type_find and schema_field_find for the hot paths
 * (the validation walker, typed projection): the same binary searches over
 * the schema's sorted tables, in strcmp's order, with the names compared
 * inline. Names are short and differ within a few bytes; a call to strcmp
 * per probe cost more than the comparing.
 */
#ifndef GQLWS_SCHEMA_NAME_LOOKUP_H
#define GQLWS_SCHEMA_NAME_LOOKUP_H

#include <stdint.h>

#include "schema_internal.h"

/* strcmp's sign. */
static inline int name_compare(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (int)(unsigned char)*a - (int)(unsigned char)*b;
}

/* Open-addressing tables by name (build.c makes them): a slot per name,
 * a power of two of them, at least twice the names; a name's first slot is
 * the top bits of its hash times a Fibonacci constant. A lookup hashes the
 * name once and compares a name or two, where a binary search compared
 * seven or eight. */
static inline uint64_t name_hash(const char *name)
{
	uint64_t h = 0;
	for (; *name; name++)
		h = h * 31 + (unsigned char)*name;
	return h;
}

static inline size_t name_slot_first(uint64_t hash, unsigned shift)
{
	return (size_t)((hash * UINT64_C(0x9E3779B97F4A7C15)) >> shift);
}

/* The slot count of a table whose first slots take shift (64 - bits). */
static inline size_t name_slot_count(unsigned shift)
{
	return (size_t)1 << (64 - shift);
}

/* schema_type_find (schema and name not NULL). */
static inline const schema_type *name_lookup_type(const gqlws_schema *schema, const char *name)
{
	const schema_type *const *slots = schema->type_slots;
	if (!slots)
		return NULL;
	size_t mask = name_slot_count(schema->type_slot_shift) - 1;
	for (size_t i = name_slot_first(name_hash(name), schema->type_slot_shift); slots[i]; i = (i + 1) & mask)
		if (name_compare(slots[i]->name, name) == 0)
			return slots[i];
	return NULL;
}

/* schema_field_find (type and name not NULL): the first of equal names (in
 * definition order: the table keeps the first). */
static inline const schema_field *name_lookup_field(const schema_type *type, const char *name)
{
	if (type->kind != SCHEMA_OBJECT && type->kind != SCHEMA_INTERFACE)
		return NULL;
	const schema_field *const *slots = type->field_slots;
	if (!slots)
		return NULL;
	size_t mask = name_slot_count(type->field_slot_shift) - 1;
	for (size_t i = name_slot_first(name_hash(name), type->field_slot_shift); slots[i]; i = (i + 1) & mask)
		if (name_compare(slots[i]->name, name) == 0)
			return slots[i];
	return NULL;
}

#endif
