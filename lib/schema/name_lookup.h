/*
 * name_lookup.h - schema_type_find and schema_field_find for the hot paths
 * (the validation walker, typed projection): the same binary searches over
 * the schema's sorted tables, in strcmp's order, with the names compared
 * inline. Names are short and differ within a few bytes; a call to strcmp
 * per probe cost more than the comparing.
 */
#ifndef GQLWS_SCHEMA_NAME_LOOKUP_H
#define GQLWS_SCHEMA_NAME_LOOKUP_H

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

/* schema_type_find (schema and name not NULL). */
static inline const schema_type *name_lookup_type(const gqlws_schema *schema, const char *name)
{
	size_t lo = 0, hi = schema->type_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = name_compare(schema->types_by_name[mid]->name, name);
		if (c == 0)
			return schema->types_by_name[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* schema_field_find (type and name not NULL): the first of equal names. */
static inline const schema_field *name_lookup_field(const schema_type *type, const char *name)
{
	if (type->kind != SCHEMA_OBJECT && type->kind != SCHEMA_INTERFACE)
		return NULL;
	const schema_field *const *sorted = type->fields_by_name;
	size_t lo = 0, hi = type->field_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = name_compare(sorted[mid]->name, name);
		if (c == 0) {
			while (mid > lo && name_compare(sorted[mid - 1]->name, name) == 0)
				mid--;
			return sorted[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

#endif
