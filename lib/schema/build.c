/*
 * build.c - the model of a schema from its SDL, as graphql-js's
 * buildASTSchema() makes it: the built-in types stand in for any definition
 * of their names, extensions append to their type in document order, types
 * are listed in GraphQLSchema's getTypeMap() order and interfaces learn
 * their implementations in that order. Lookups during the build go through
 * name-sorted arrays, so a schema of n types costs O(n log n), whatever
 * names a hostile SDL chooses.
 */
#include "build.h"
#include "name_lookup.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"

typedef struct named_entry {
	const char *name;
	schema_type *type;
	const sdl_def *def;        /* NULL for a built-in the user did not define */
	size_t order;              /* document order, to keep the first of equals */
} named_entry;

typedef struct ext_entry {
	const char *name;
	const sdl_def *def;
	size_t order;
} ext_entry;

typedef struct builder {
	schema_full *full;
	gqlws_schema *schema;
	doc_arena *arena;
	cJSON **errors;
	int rc;                    /* 0, -1 (errors) or -2 (no memory) */
	named_entry *names;        /* every type by name: built-ins and the user's */
	size_t name_count;
	ext_entry *exts;           /* type extensions by name, then document order */
	size_t ext_count;
	bool *in_set;              /* by type serial: already in the type map */
	const schema_type **order; /* the type map being collected */
	size_t order_count;
} builder;

static void *alloc(builder *b, size_t size)
{
	if (size == 0)
		size = 1;
	void *p = doc_arena_alloc(b->arena, size);
	if (!p)
		b->rc = -2;
	return p;
}

static int by_name(const void *a, const void *b)
{
	const named_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->order < y->order ? -1 : x->order > y->order);
}

static int ext_by_name(const void *a, const void *b)
{
	const ext_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->order < y->order ? -1 : x->order > y->order);
}

static named_entry *find_name(const builder *b, const char *name)
{
	size_t lo = 0, hi = b->name_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(b->names[mid].name, name);
		if (c == 0)
			return &b->names[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The entry of a type the SDL names, or NULL after reporting graphql-js's
 * "Unknown type" (rc -1, or -2 when even the error found no memory). */
static named_entry *find_name_or_report(builder *b, const char *name)
{
	named_entry *e = find_name(b, name);
	if (!e) {
		if (b->rc == 0)
			b->rc = -1;
		if (!schema_error_add(b->errors, (doc_pos){0, 0}, "Unknown type: \"%s\".", name))
			b->rc = -2;
	}
	return e;
}

/* The first extension of name (they follow it in document order), or NULL. */
static const ext_entry *first_ext(const builder *b, const char *name, size_t *count)
{
	size_t lo = 0, hi = b->ext_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(b->exts[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < b->ext_count && strcmp(b->exts[end].name, name) == 0)
		end++;
	*count = end - lo;
	return *count ? &b->exts[lo] : NULL;
}

static bool is_type_def(const sdl_def *d)
{
	return d->kind != SDL_DEF_SCHEMA && d->kind != SDL_DEF_DIRECTIVE &&
	       d->kind != SDL_DEF_EXECUTABLE;
}

static schema_kind kind_of(sdl_def_kind kind)
{
	switch (kind) {
	case SDL_DEF_OBJECT:
		return SCHEMA_OBJECT;
	case SDL_DEF_INTERFACE:
		return SCHEMA_INTERFACE;
	case SDL_DEF_UNION:
		return SCHEMA_UNION;
	case SDL_DEF_ENUM:
		return SCHEMA_ENUM;
	case SDL_DEF_INPUT:
		return SCHEMA_INPUT_OBJECT;
	default:
		return SCHEMA_SCALAR;
	}
}

/* ------------------------------------------------------------ references */

static const schema_ref *build_ref(builder *b, const doc_type *t)
{
	if (b->rc == -2 || !t)
		return NULL;
	/* Nesting was bounded by the parser's depth limit. */
	schema_ref *ref = alloc(b, sizeof *ref);
	if (!ref)
		return NULL;
	switch (t->kind) {
	case DOC_TYPE_NAMED: {
		named_entry *e = find_name_or_report(b, t->name);
		if (!e)
			return NULL;
		ref->kind = SCHEMA_REF_NAMED;
		ref->named = e->type;
		return ref;
	}
	case DOC_TYPE_LIST:
		ref->kind = SCHEMA_REF_LIST;
		break;
	default:
		ref->kind = SCHEMA_REF_NON_NULL;
		break;
	}
	ref->of_type = build_ref(b, t->of_type);
	return ref->of_type ? ref : NULL;
}

/* ------------------------------------------------------------ directives */

static const doc_directive *find_directive(const doc_directive *list, const char *name)
{
	for (; list; list = list->next)
		if (list->name && strcmp(list->name, name) == 0)
			return list;
	return NULL;
}

static const doc_value *directive_arg(const doc_directive *d, const char *name)
{
	for (const doc_argument *a = d->arguments; a; a = a->next)
		if (a->name && strcmp(a->name, name) == 0)
			return a->value;
	return NULL;
}

/* graphql-js getDeprecationReason: @deprecated's reason, its default when
 * left out, NULL for no @deprecated or reason: null. */
static const char *deprecation_reason(const doc_directive *directives)
{
	const doc_directive *d = find_directive(directives, "deprecated");
	if (!d)
		return NULL;
	const doc_value *reason = directive_arg(d, "reason");
	if (!reason)
		return "No longer supported";
	if (reason->kind == DOC_VALUE_STRING)
		return reason->text;
	return NULL;
}

/* Concatenates directive lists (definition, then each extension) into
 * copies, leaving the syntax tree as it was read. */
static const doc_directive *append_directives(builder *b, const doc_directive *head,
					      const doc_directive *more)
{
	if (!more)
		return head;
	doc_directive *first = NULL, **tail = &first;
	const doc_directive *lists[2] = {head, more};
	for (int i = 0; i < 2; i++) {
		for (const doc_directive *d = lists[i]; d; d = d->next) {
			doc_directive *copy = alloc(b, sizeof *copy);
			if (!copy)
				return head;
			*copy = *d;
			copy->next = NULL;
			*tail = copy;
			tail = &copy->next;
		}
	}
	return first;
}

/* ------------------------------------------------------------ type parts */

static size_t count_input_values(const sdl_input_value *v)
{
	size_t n = 0;
	for (; v; v = v->next)
		n++;
	return n;
}

static void fill_input_value(builder *b, schema_input_value *out, const sdl_input_value *in)
{
	out->name = in->name;
	out->description = in->description;
	out->type = build_ref(b, in->type);
	out->default_value = in->default_value;
	out->deprecation_reason = deprecation_reason(in->directives);
	out->directives = in->directives;
	out->pos = in->pos;
	out->sdl = in;
}

static schema_input_value *build_input_values(builder *b, const sdl_input_value *const *lists,
					      size_t list_count, size_t *count)
{
	size_t n = 0;
	for (size_t i = 0; i < list_count; i++)
		n += count_input_values(lists[i]);
	*count = n;
	if (!n)
		return NULL;
	schema_input_value *values = alloc(b, n * sizeof *values);
	if (!values)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < list_count; i++)
		for (const sdl_input_value *v = lists[i]; v; v = v->next)
			fill_input_value(b, &values[k++], v);
	return values;
}

/* Name-sorted pointers into an array of n records whose first member is
 * their name; of equal names the first in the array comes first. */
static int by_record_name(const void *a, const void *b)
{
	const char *const *x = *(const char *const *const *)a;
	const char *const *y = *(const char *const *const *)b;
	int c = strcmp(*x, *y);
	return c ? c : (x < y ? -1 : x > y);
}

_Static_assert(offsetof(schema_field, name) == 0 && offsetof(schema_enum_value, name) == 0 &&
		       offsetof(schema_input_value, name) == 0 &&
		       offsetof(schema_directive, name) == 0,
	       "records sorted by name start with it");

static const void **sorted_by_name(builder *b, const void *records, size_t size, size_t n)
{
	if (!n)
		return NULL;
	const void **out = alloc(b, n * sizeof *out);
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++)
		out[i] = (const char *)records + i * size;
	qsort(out, n, sizeof *out, by_record_name);
	return out;
}

static void build_type(builder *b, schema_type *t, const sdl_def *def)
{
	size_t ext_count = 0;
	const ext_entry *exts = first_ext(b, def->name, &ext_count);
	size_t part_count = 1 + ext_count;
	const sdl_def **parts = alloc(b, part_count * sizeof *parts);
	if (!parts)
		return;
	parts[0] = def;
	for (size_t i = 0; i < ext_count; i++)
		parts[1 + i] = exts[i].def;

	t->description = def->description;
	t->pos = def->name_pos;
	const doc_directive *directives = def->directives;
	for (size_t i = 1; i < part_count; i++)
		directives = append_directives(b, directives, parts[i]->directives);
	t->directives = directives;

	switch (t->kind) {
	case SCHEMA_SCALAR: {
		const doc_directive *d = find_directive(def->directives, "specifiedBy");
		const doc_value *url = d ? directive_arg(d, "url") : NULL;
		if (url && url->kind == DOC_VALUE_STRING)
			t->specified_by_url = url->text;
		break;
	}
	case SCHEMA_OBJECT:
	case SCHEMA_INTERFACE: {
		size_t nf = 0, ni = 0;
		for (size_t i = 0; i < part_count; i++) {
			for (const sdl_field *f = parts[i]->fields; f; f = f->next)
				nf++;
			for (const sdl_name *n = parts[i]->interfaces; n; n = n->next)
				ni++;
		}
		schema_field *fields = nf ? alloc(b, nf * sizeof *fields) : NULL;
		const schema_type **ifaces = ni ? alloc(b, ni * sizeof *ifaces) : NULL;
		if ((nf && !fields) || (ni && !ifaces))
			return;
		size_t kf = 0, ki = 0;
		for (size_t i = 0; i < part_count; i++) {
			for (const sdl_field *f = parts[i]->fields; f; f = f->next) {
				schema_field *out = &fields[kf++];
				out->name = f->name;
				out->description = f->description;
				out->type = build_ref(b, f->type);
				const sdl_input_value *args = f->args;
				out->args = build_input_values(b, &args, 1, &out->arg_count);
				out->deprecation_reason = deprecation_reason(f->directives);
				out->directives = f->directives;
				out->pos = f->pos;
				out->sdl = f;
			}
			for (const sdl_name *n = parts[i]->interfaces; n; n = n->next) {
				named_entry *e = find_name_or_report(b, n->name);
				if (e)
					ifaces[ki++] = e->type;
			}
		}
		t->fields = fields;
		t->field_count = kf;
		t->fields_by_name = (const schema_field *const *)sorted_by_name(b, fields, sizeof *fields, kf);
		t->interfaces = ifaces;
		t->interface_count = ki;
		break;
	}
	case SCHEMA_UNION: {
		size_t n = 0;
		for (size_t i = 0; i < part_count; i++)
			for (const sdl_name *m = parts[i]->members; m; m = m->next)
				n++;
		const schema_type **members = n ? alloc(b, n * sizeof *members) : NULL;
		if (n && !members)
			return;
		size_t k = 0;
		for (size_t i = 0; i < part_count; i++) {
			for (const sdl_name *m = parts[i]->members; m; m = m->next) {
				named_entry *e = find_name_or_report(b, m->name);
				if (e)
					members[k++] = e->type;
			}
		}
		t->possible = members;
		t->possible_count = k;
		break;
	}
	case SCHEMA_ENUM: {
		size_t n = 0;
		for (size_t i = 0; i < part_count; i++)
			for (const sdl_enum_value *v = parts[i]->values; v; v = v->next)
				n++;
		schema_enum_value *values = n ? alloc(b, n * sizeof *values) : NULL;
		if (n && !values)
			return;
		size_t k = 0;
		for (size_t i = 0; i < part_count; i++) {
			for (const sdl_enum_value *v = parts[i]->values; v; v = v->next) {
				schema_enum_value *out = &values[k++];
				out->name = v->name;
				out->description = v->description;
				out->deprecation_reason = deprecation_reason(v->directives);
				out->directives = v->directives;
				out->pos = v->pos;
				out->sdl = v;
			}
		}
		t->values = values;
		t->value_count = k;
		t->values_by_name = (const schema_enum_value *const *)sorted_by_name(b, values, sizeof *values, k);
		break;
	}
	case SCHEMA_INPUT_OBJECT: {
		const sdl_input_value **lists = alloc(b, part_count * sizeof *lists);
		if (!lists)
			return;
		for (size_t i = 0; i < part_count; i++)
			lists[i] = parts[i]->input_fields;
		t->input_fields = build_input_values(b, lists, part_count, &t->input_field_count);
		t->input_fields_by_name = (const schema_input_value *const *)sorted_by_name(
			b, t->input_fields, sizeof *t->input_fields, t->input_field_count);
		t->one_of = find_directive(def->directives, "oneOf") != NULL;
		break;
	}
	}
}

/* ------------------------------------------------------- type map order */

/* graphql-js collectReferencedTypes: t and, depth first, what it references
 * that is not in the map yet. Only built-in types are ever recursed into
 * (every type the user defined is in the map from the start), so the depth
 * is that of the introspection types. */
static void collect(builder *b, const schema_type *t);

static void collect_ref(builder *b, const schema_ref *ref)
{
	const schema_type *named = schema_ref_named(ref);
	if (named && !b->in_set[named->index]) {
		b->in_set[named->index] = true;
		b->order[b->order_count++] = named;
		collect(b, named);
	}
}

static void collect(builder *b, const schema_type *t)
{
	switch (t->kind) {
	case SCHEMA_UNION:
		for (size_t i = 0; i < t->possible_count; i++) {
			const schema_type *m = t->possible[i];
			if (!b->in_set[m->index]) {
				b->in_set[m->index] = true;
				b->order[b->order_count++] = m;
				collect(b, m);
			}
		}
		break;
	case SCHEMA_OBJECT:
	case SCHEMA_INTERFACE:
		for (size_t i = 0; i < t->interface_count; i++) {
			const schema_type *m = t->interfaces[i];
			if (!b->in_set[m->index]) {
				b->in_set[m->index] = true;
				b->order[b->order_count++] = m;
				collect(b, m);
			}
		}
		for (size_t i = 0; i < t->field_count; i++) {
			collect_ref(b, t->fields[i].type);
			for (size_t j = 0; j < t->fields[i].arg_count; j++)
				collect_ref(b, t->fields[i].args[j].type);
		}
		break;
	case SCHEMA_INPUT_OBJECT:
		for (size_t i = 0; i < t->input_field_count; i++)
			collect_ref(b, t->input_fields[i].type);
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------------- directives */

static schema_directive *build_directive(builder *b, const sdl_def *def, bool builtin)
{
	schema_directive *d = alloc(b, sizeof *d);
	if (!d)
		return NULL;
	d->name = def->name;
	d->description = def->description;
	const sdl_input_value *args = def->args;
	schema_input_value *values = build_input_values(b, &args, 1, &d->arg_count);
	d->args = values;
	d->repeatable = def->repeatable;
	d->builtin = builtin;
	size_t count = 0;
	for (const sdl_name *n = def->locations; n; n = n->next)
		count++;
	schema_location *list = alloc(b, (count ? count : 1) * sizeof *list);
	if (!list)
		return NULL;
	for (const sdl_name *n = def->locations; n; n = n->next) {
		int loc = schema_location_from_name(n->name);
		if (loc < 0)
			continue;
		d->locations |= 1u << loc;
		list[d->location_list_count++] = (schema_location)loc;
	}
	d->location_list = list;
	d->pos = def->name_pos;
	d->sdl = def;
	return d;
}

/* ------------------------------------------------------------------ main */

static void build_meta_fields(builder *b)
{
	schema_full *f = b->full;
	named_entry *schema_t = find_name(b, "__Schema"), *type_t = find_name(b, "__Type"),
		    *string_t = find_name(b, "String");
	schema_ref *refs = alloc(b, 5 * sizeof *refs);
	schema_input_value *name_arg = alloc(b, sizeof *name_arg);
	if (!refs || !name_arg || !schema_t || !type_t || !string_t)
		return;
	refs[0] = (schema_ref){SCHEMA_REF_NAMED, schema_t->type, NULL};
	refs[1] = (schema_ref){SCHEMA_REF_NON_NULL, NULL, &refs[0]};
	refs[2] = (schema_ref){SCHEMA_REF_NAMED, type_t->type, NULL};
	refs[3] = (schema_ref){SCHEMA_REF_NAMED, string_t->type, NULL};
	refs[4] = (schema_ref){SCHEMA_REF_NON_NULL, NULL, &refs[3]};
	f->meta_schema.name = "__schema";
	f->meta_schema.description = "Access the current type schema of this server.";
	f->meta_schema.type = &refs[1];
	f->meta_type.name = "__type";
	f->meta_type.description = "Request the type information of a single type.";
	f->meta_type.type = &refs[2];
	name_arg->name = "name";
	name_arg->type = &refs[4];
	f->meta_type.args = name_arg;
	f->meta_type.arg_count = 1;
	f->meta_typename.name = "__typename";
	f->meta_typename.description = "The name of the current Object type at runtime.";
	f->meta_typename.type = &refs[4];
}

/* The name of a record whose name is at offset name_at. */
static const char *record_name(const void *record, size_t name_at)
{
	return *(const char *const *)(const void *)((const char *)record + name_at);
}

/* The bits of a name_lookup.h table for count names (at least twice as
 * many slots). */
static unsigned name_table_bits(size_t count)
{
	unsigned bits = 1;
	while (((size_t)1 << bits) < 2 * count)
		bits++;
	return bits;
}

/* A name_lookup.h table of count records (each with its name at offset
 * name_at) in *next (cleared room, moved past it), the first of equal
 * names kept; *shift its first-slot shift. NULL when count is 0. */
static const void **name_table(const void ***next, const void *const *records, size_t count,
			       size_t name_at, unsigned *shift)
{
	if (!count)
		return NULL;
	unsigned bits = name_table_bits(count);
	*shift = 64 - bits;
	size_t mask = ((size_t)1 << bits) - 1;
	const void **slots = *next;
	*next += mask + 1;
	for (size_t r = 0; r < count; r++) {
		const char *name = record_name(records[r], name_at);
		size_t i = name_slot_first(name_hash(name), *shift);
		while (slots[i] && strcmp(record_name(slots[i], name_at), name) != 0)
			i = (i + 1) & mask;
		if (!slots[i])
			slots[i] = records[r];
	}
	return slots;
}

/* The name tables of the type map and of every object and interface, in
 * one block of their own (schema_full.name_tables): from the schema's
 * arena they would take its last chunk's doubling for some 60 KiB. */
static void make_name_tables(builder *b)
{
	schema_full *full = b->full;
	size_t slots = (size_t)1 << name_table_bits(b->order_count);
	for (size_t i = 0; i < b->order_count; i++) {
		const schema_type *t = b->order[i];
		if ((t->kind == SCHEMA_OBJECT || t->kind == SCHEMA_INTERFACE) && t->field_count)
			slots += (size_t)1 << name_table_bits(t->field_count);
	}
	const void **next = calloc(slots, sizeof *next);
	if (!next) {
		b->rc = -2;
		return;
	}
	full->name_tables = next;
	full->name_table_bytes = slots * sizeof *next;
	full->pub.type_slots = (const schema_type *const *)name_table(
		&next, (const void *const *)b->order, b->order_count, offsetof(schema_type, name),
		&full->pub.type_slot_shift);
	for (size_t i = 0; i < b->order_count && !b->rc; i++) {
		schema_type *t = (schema_type *)b->order[i];
		if ((t->kind != SCHEMA_OBJECT && t->kind != SCHEMA_INTERFACE) || !t->field_count)
			continue;
		const void **records = malloc(t->field_count * sizeof *records);
		if (!records) {
			b->rc = -2;
			return;
		}
		for (size_t j = 0; j < t->field_count; j++)
			records[j] = &t->fields[j];
		t->field_slots = (const schema_field *const *)name_table(
			&next, records, t->field_count, offsetof(schema_field, name), &t->field_slot_shift);
		free(records);
	}
}

/* schema_field.has_required_arg of every field of the type map, once the
 * defaults are final (schema_build_values drops those that do not coerce),
 * as ProvidedRequiredArguments's isRequiredArgument asks it. */
static bool any_required(const schema_input_value *args, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (args[i].type->kind == SCHEMA_REF_NON_NULL && !args[i].default_value)
			return true;
	return false;
}

static void mark_required_args(builder *b)
{
	for (size_t i = 0; i < b->order_count; i++) {
		const schema_type *t = b->order[i];
		if (t->kind != SCHEMA_OBJECT && t->kind != SCHEMA_INTERFACE)
			continue;
		for (size_t j = 0; j < t->field_count; j++) {
			schema_field *f = (schema_field *)&t->fields[j];
			f->has_required_arg = any_required(f->args, f->arg_count);
		}
	}
	schema_full *full = b->full;
	full->meta_schema.has_required_arg = any_required(full->meta_schema.args, full->meta_schema.arg_count);
	full->meta_type.has_required_arg = any_required(full->meta_type.args, full->meta_type.arg_count);
	full->meta_typename.has_required_arg =
		any_required(full->meta_typename.args, full->meta_typename.arg_count);
}

static const schema_type *root_by_name(builder *b, const char *name)
{
	named_entry *e = find_name(b, name);
	return e && e->def ? e->type : NULL;
}

static int compare_type_indexes(const void *a, const void *b)
{
	const schema_type *const *x = a, *const *y = b;
	return (*x)->index < (*y)->index ? -1 : (*x)->index > (*y)->index;
}

static int compare_type_names(const void *a, const void *b)
{
	const schema_type *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

int schema_build(schema_full *full, const sdl_document *builtins, const sdl_document *user,
		 cJSON **errors)
{
	builder bs, *b = &bs;
	memset(b, 0, sizeof *b);
	b->full = full;
	b->schema = &full->pub;
	b->arena = &full->pub.arena;
	b->errors = errors;

	/* Every name a type may have: the built-ins first, then the user's
	 * definitions (a definition of a built-in's name is the built-in). */
	size_t cap = builtins->def_count + user->def_count;
	b->names = calloc(cap ? cap : 1, sizeof *b->names);
	b->exts = calloc(user->def_count ? user->def_count : 1, sizeof *b->exts);
	const schema_type **config = calloc(user->def_count ? user->def_count : 1, sizeof *config);
	size_t config_count = 0, serial = 0;
	if (!b->names || !b->exts || !config) {
		b->rc = -2;
		goto out;
	}
	size_t order = 0;
	for (const sdl_def *d = builtins->defs; d; d = d->next) {
		if (!is_type_def(d))
			continue;
		schema_type *t = alloc(b, sizeof *t);
		if (!t)
			goto out;
		t->named_ref = (schema_ref){SCHEMA_REF_NAMED, t, NULL};
		t->kind = kind_of(d->kind);
		t->name = d->name;
		t->builtin = true;
		t->index = (unsigned)serial++;
		b->names[b->name_count++] = (named_entry){d->name, t, NULL, order++};
	}
	qsort(b->names, b->name_count, sizeof *b->names, by_name);
	size_t builtin_names = b->name_count;
	for (const sdl_def *d = user->defs; d; d = d->next, order++) {
		if (!is_type_def(d) || !d->name)
			continue;
		if (d->extension) {
			b->exts[b->ext_count++] = (ext_entry){d->name, d, order};
			continue;
		}
		named_entry *std = NULL;
		size_t lo = 0, hi = builtin_names;
		while (lo < hi) { /* the built-ins are sorted; the user's not yet */
			size_t mid = lo + (hi - lo) / 2;
			int c = strcmp(b->names[mid].name, d->name);
			if (c == 0) {
				std = &b->names[mid];
				break;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (std) {
			std->def = d; /* marks the built-in as named by the user */
			config[config_count++] = std->type;
			continue;
		}
		schema_type *t = alloc(b, sizeof *t);
		if (!t)
			goto out;
		t->named_ref = (schema_ref){SCHEMA_REF_NAMED, t, NULL};
		t->kind = kind_of(d->kind);
		t->name = d->name;
		t->index = (unsigned)serial++;
		b->names[b->name_count++] = (named_entry){d->name, t, d, order};
		config[config_count++] = t;
	}
	qsort(b->names, b->name_count, sizeof *b->names, by_name);
	qsort(b->exts, b->ext_count, sizeof *b->exts, ext_by_name);
	/* Of equal names the first definition counts (validateSDL refuses
	 * duplicates before this; the builder only has to stay sound). */
	size_t unique = 0;
	for (size_t i = 0; i < b->name_count; i++)
		if (unique == 0 || strcmp(b->names[unique - 1].name, b->names[i].name) != 0)
			b->names[unique++] = b->names[i];
	b->name_count = unique;

	/* Fill every type: the built-ins from their SDL, the user's from theirs. */
	for (const sdl_def *d = builtins->defs; d && b->rc != -2; d = d->next) {
		if (!is_type_def(d))
			continue;
		size_t saved = b->ext_count;
		b->ext_count = 0; /* no extension reaches a built-in */
		build_type(b, find_name(b, d->name)->type, d);
		b->ext_count = saved;
	}
	for (size_t i = 0; i < b->name_count && b->rc != -2; i++)
		if (!b->names[i].type->builtin)
			build_type(b, b->names[i].type, b->names[i].def);
	if (b->rc)
		goto out;

	/* Directives: the user's, then the specified ones not redefined. */
	size_t dir_cap = 0;
	for (const sdl_def *d = user->defs; d; d = d->next)
		dir_cap += d->kind == SDL_DEF_DIRECTIVE;
	for (const sdl_def *d = builtins->defs; d; d = d->next)
		dir_cap += d->kind == SDL_DEF_DIRECTIVE;
	const schema_directive **dirs = alloc(b, (dir_cap ? dir_cap : 1) * sizeof *dirs);
	if (!dirs)
		goto out;
	size_t dir_count = 0;
	for (const sdl_def *d = user->defs; d; d = d->next)
		if (d->kind == SDL_DEF_DIRECTIVE && (dirs[dir_count] = build_directive(b, d, false)))
			dir_count++;
	size_t user_dirs = dir_count;
	for (const sdl_def *d = builtins->defs; d; d = d->next) {
		if (d->kind != SDL_DEF_DIRECTIVE)
			continue;
		bool redefined = false;
		for (size_t i = 0; i < user_dirs && !redefined; i++)
			redefined = strcmp(dirs[i]->name, d->name) == 0;
		if (!redefined && (dirs[dir_count] = build_directive(b, d, true)))
			dir_count++;
	}
	if (b->rc)
		goto out;

	/* Root types: the schema definition and its extensions, else the
	 * default names (graphql-js looks the names up only without one). */
	const sdl_def *schema_def = NULL;
	for (const sdl_def *d = user->defs; d; d = d->next) {
		if (d->kind != SDL_DEF_SCHEMA)
			continue;
		if (!d->extension && !schema_def) {
			schema_def = d;
			full->pub.description = d->description;
		}
	}
	for (const sdl_def *d = user->defs; d; d = d->next) {
		if (d->kind != SDL_DEF_SCHEMA)
			continue;
		for (const sdl_operation_type *o = d->operations; o; o = o->next) {
			named_entry *e = find_name(b, o->type.name);
			if (!e) {
				b->rc = -1;
				if (!schema_error_add(errors, (doc_pos){0, 0}, "Unknown type: \"%s\".",
						   o->type.name))
					b->rc = -2;
				continue;
			}
			if (o->operation == GQLWS_DOC_QUERY)
				full->pub.query = e->type;
			else if (o->operation == GQLWS_DOC_MUTATION)
				full->pub.mutation = e->type;
			else
				full->pub.subscription = e->type;
		}
	}
	if (!schema_def) {
		const schema_type *t;
		if ((t = root_by_name(b, "Query")))
			full->pub.query = t;
		if ((t = root_by_name(b, "Mutation")))
			full->pub.mutation = t;
		if ((t = root_by_name(b, "Subscription")))
			full->pub.subscription = t;
	}
	if (b->rc)
		goto out;

	/* The type map, in GraphQLSchema's order: each of the user's types in
	 * document order with the built-ins it is first to reference, then
	 * what the root types, the directives' arguments and __Schema add. */
	b->in_set = calloc(serial ? serial : 1, sizeof *b->in_set);
	b->order = alloc(b, (serial ? serial : 1) * sizeof *b->order);
	if (!b->in_set || !b->order) {
		b->rc = -2;
		goto out;
	}
	/* Of a name defined twice (refused by validateSDL) the first stays. */
	size_t kept = 0;
	for (size_t i = 0; i < config_count; i++) {
		const schema_type *t = config[i];
		if (find_name(b, t->name)->type == t && !b->in_set[t->index]) {
			b->in_set[t->index] = true;
			config[kept++] = t;
		}
	}
	config_count = kept;

	/* What buildASTSchema computes from literals, and may throw on. */
	const sdl_def **config_defs = calloc(config_count ? config_count : 1, sizeof *config_defs);
	if (!config_defs) {
		b->rc = -2;
		goto out;
	}
	for (size_t i = 0; i < config_count; i++)
		config_defs[i] = find_name(b, config[i]->name)->def;
	b->rc = schema_build_values((schema_type *const *)config, config_defs, config_count, serial,
				    (schema_directive *const *)dirs, user_dirs, errors);
	free(config_defs);
	if (b->rc)
		goto out;
	for (size_t i = 0; i < config_count; i++) {
		b->order[b->order_count++] = config[i];
		collect(b, config[i]);
	}
	const schema_type *roots[3] = {full->pub.query, full->pub.mutation, full->pub.subscription};
	for (int i = 0; i < 3; i++) {
		if (roots[i] && !b->in_set[roots[i]->index]) {
			b->in_set[roots[i]->index] = true;
			b->order[b->order_count++] = roots[i];
			collect(b, roots[i]);
		}
	}
	for (size_t i = 0; i < dir_count; i++)
		for (size_t j = 0; j < dirs[i]->arg_count; j++)
			collect_ref(b, dirs[i]->args[j].type);
	const schema_type *schema_type_t = find_name(b, "__Schema")->type;
	if (!b->in_set[schema_type_t->index]) {
		b->in_set[schema_type_t->index] = true;
		b->order[b->order_count++] = schema_type_t;
		collect(b, schema_type_t);
	}
	for (size_t i = 0; i < b->order_count; i++)
		((schema_type *)b->order[i])->index = (unsigned)i;

	/* Implementations, in type map order. */
	size_t *counts = calloc(b->order_count, 2 * sizeof *counts);
	if (!counts) {
		b->rc = -2;
		goto out;
	}
	for (int pass = 0; pass < 2 && b->rc == 0; pass++) {
		for (size_t i = 0; i < b->order_count; i++) {
			const schema_type *t = b->order[i];
			if (t->kind != SCHEMA_OBJECT && t->kind != SCHEMA_INTERFACE)
				continue;
			for (size_t j = 0; j < t->interface_count; j++) {
				schema_type *iface = (schema_type *)t->interfaces[j];
				if (iface->kind != SCHEMA_INTERFACE)
					continue;
				size_t *n = &counts[2 * iface->index + (t->kind == SCHEMA_INTERFACE)];
				if (pass == 1) {
					if (t->kind == SCHEMA_OBJECT)
						((const schema_type **)iface->possible)[iface->possible_count++] = t;
					else
						((const schema_type **)iface->implementing_interfaces)
							[iface->implementing_interface_count++] = t;
				} else {
					(*n)++;
				}
			}
		}
		if (pass == 0) {
			for (size_t i = 0; i < b->order_count; i++) {
				schema_type *t = (schema_type *)b->order[i];
				if (t->kind != SCHEMA_INTERFACE)
					continue;
				if (counts[2 * i] && !(t->possible = alloc(b, counts[2 * i] * sizeof(void *))))
					break;
				if (counts[2 * i + 1] &&
				    !(t->implementing_interfaces = alloc(b, counts[2 * i + 1] * sizeof(void *))))
					break;
			}
		}
	}
	free(counts);
	if (b->rc)
		goto out;

	/* Possible types by index: an interface's are in type map order
	 * already, a union's members are sorted (membership by binary search). */
	for (size_t i = 0; i < b->order_count && b->rc == 0; i++) {
		schema_type *t = (schema_type *)b->order[i];
		if (t->kind == SCHEMA_INTERFACE) {
			t->possible_by_index = t->possible;
		} else if (t->kind == SCHEMA_UNION && t->possible_count) {
			const schema_type **members = alloc(b, t->possible_count * sizeof *members);
			if (!members)
				goto out;
			memcpy(members, t->possible, t->possible_count * sizeof *members);
			qsort(members, t->possible_count, sizeof *members, compare_type_indexes);
			t->possible_by_index = members;
		}
	}

	const schema_type **sorted = alloc(b, b->order_count * sizeof *sorted);
	if (!sorted)
		goto out;
	memcpy(sorted, b->order, b->order_count * sizeof *sorted);
	qsort(sorted, b->order_count, sizeof *sorted, compare_type_names);
	full->pub.types = b->order;
	full->pub.type_count = b->order_count;
	full->pub.types_by_name = sorted;
	full->pub.directives = dirs;
	full->pub.directive_count = dir_count;
	const schema_directive **dirs_sorted = alloc(b, (dir_count ? dir_count : 1) * sizeof *dirs_sorted);
	if (!dirs_sorted)
		goto out;
	memcpy(dirs_sorted, dirs, dir_count * sizeof *dirs_sorted);
	qsort(dirs_sorted, dir_count, sizeof *dirs_sorted, by_record_name);
	full->directives_by_name = dirs_sorted;
	build_meta_fields(b);
	if (b->rc)
		goto out;
	mark_required_args(b);
	make_name_tables(b);
	if (b->rc)
		goto out;

	/* validateSchema, on the SDL nodes behind each type */
	const sdl_def **ext_defs = alloc(b, (b->ext_count ? b->ext_count : 1) * sizeof *ext_defs);
	schema_type_source *sources = calloc(b->order_count ? b->order_count : 1, sizeof *sources);
	if (!ext_defs || !sources) {
		free(sources);
		b->rc = -2;
		goto out;
	}
	for (size_t i = 0; i < b->ext_count; i++)
		ext_defs[i] = b->exts[i].def;
	for (size_t i = 0; i < b->order_count; i++) {
		const schema_type *t = b->order[i];
		if (t->builtin)
			continue;
		sources[i].def = find_name(b, t->name)->def;
		size_t count = 0;
		const ext_entry *first = first_ext(b, t->name, &count);
		sources[i].exts = first ? &ext_defs[first - b->exts] : NULL;
		sources[i].ext_count = count;
	}
	b->rc = schema_validate_model(&full->pub, sources, user, errors);
	free(sources);

out:
	free(b->names);
	free(b->exts);
	free(b->in_set);
	free(config);
	return b->rc;
}
