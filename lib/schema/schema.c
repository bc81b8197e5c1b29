/*
 * schema.c - gqlws_schema_parse() and the questions every part asks of a
 * built schema: lookups by name (binary searches over the name-sorted
 * arrays the builder made) and graphql-js's type relations.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "errors.h"
#include "gqlws.h"
#include "name_lookup.h"

/* ---------------------------------------------------------------- errors */

cJSON *schema_error_vadd(cJSON **errors, doc_pos pos, const char *format, va_list args)
{
	va_list again;
	va_copy(again, args);
	int len = vsnprintf(NULL, 0, format, args);
	char *message = len < 0 ? NULL : malloc((size_t)len + 1);
	if (message)
		vsnprintf(message, (size_t)len + 1, format, again);
	va_end(again);
	if (!message)
		return NULL;
	if (!*errors && !(*errors = cJSON_CreateArray())) {
		free(message);
		return NULL;
	}
	cJSON *error = gqlws_doc_error_new(message, pos.line, pos.column);
	free(message);
	if (error)
		cJSON_AddItemToArray(*errors, error);
	return error;
}

cJSON *schema_error_add(cJSON **errors, doc_pos pos, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	cJSON *error = schema_error_vadd(errors, pos, format, args);
	va_end(args);
	return error;
}

cJSON *schema_error_abort(cJSON **errors)
{
	return schema_error_add(errors, (doc_pos){0, 0},
				"Too many validation errors, error limit reached. Validation aborted.");
}

/* ------------------------------------------------------------ public API */

gqlws_schema *gqlws_schema_parse(const char *sdl, size_t len, cJSON **errors)
{
	*errors = NULL;
	schema_full *full = calloc(1, sizeof *full);
	if (!full)
		return NULL;
	/* The parser allocates from a document's arena and reads its limits:
	 * SDL has no token cap of its own (its length bounds it) and nests at
	 * most GQLWS_DOC_DEPTH_CEILING deep. The arena becomes the schema's. */
	gqlws_doc shell;
	memset(&shell, 0, sizeof shell);
	doc_arena_init(&shell.arena);
	gqlws_doc_limits_init(&shell.limits);
	shell.limits.max_tokens = SIZE_MAX;
	shell.limits.max_depth = DOC_DEPTH_CEILING;

	sdl_document builtins, user;
	int rc = sdl_parse(&shell, schema_builtin_sdl, schema_builtin_sdl_len, &builtins, errors);
	if (rc == -1) {
		rc = -2; /* the built-ins always parse; an error here is memory */
	} else if (rc == 0) {
		rc = sdl_parse(&shell, sdl ? sdl : "", sdl ? len : 0, &user, errors);
	}
	if (rc == 0)
		rc = sdl_validate(&builtins, &user, errors);
	full->pub.arena = shell.arena;
	if (rc == 0)
		rc = schema_build(full, &builtins, &user, errors);
	if (rc == 0)
		return &full->pub;
	if (rc == -2) {
		cJSON_Delete(*errors);
		*errors = NULL;
	}
	gqlws_schema_free(&full->pub);
	return NULL;
}

void gqlws_schema_free(gqlws_schema *schema)
{
	if (!schema)
		return;
	doc_arena_release(&schema->arena);
	free(((schema_full *)schema)->name_tables);
	free((schema_full *)schema);
}

size_t gqlws_schema_bytes(const gqlws_schema *schema)
{
	if (!schema)
		return 0;
	const schema_full *full = (const schema_full *)schema;
	return gqlws_alloc_bytes(sizeof(schema_full)) + schema->arena.allocated +
	       (full->name_tables ? gqlws_alloc_bytes(full->name_table_bytes) : 0);
}

const char *gqlws_schema_root_type(const gqlws_schema *schema, gqlws_doc_op_type type)
{
	if (!schema)
		return NULL;
	const schema_type *t = type == GQLWS_DOC_QUERY	       ? schema->query
			       : type == GQLWS_DOC_MUTATION    ? schema->mutation
			       : type == GQLWS_DOC_SUBSCRIPTION ? schema->subscription
							       : NULL;
	return t ? t->name : NULL;
}

/* --------------------------------------------------------------- lookups */

/* Binary search over n pointers to records that start with their name. */
static const void *find_sorted(const void *const *sorted, size_t n, const char *name)
{
	if (!name)
		return NULL;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = name_compare(*(const char *const *)sorted[mid], name);
		if (c == 0) {
			/* the first of equal names, as a linear scan would find */
			while (mid > lo && name_compare(*(const char *const *)sorted[mid - 1], name) == 0)
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

const schema_type *schema_type_find(const gqlws_schema *schema, const char *name)
{
	if (!schema || !name)
		return NULL;
	return name_lookup_type(schema, name);
}

const schema_directive *schema_directive_find(const gqlws_schema *schema, const char *name)
{
	if (!schema || !name)
		return NULL;
	const schema_full *full = (const schema_full *)schema;
	return find_sorted((const void *const *)full->directives_by_name, schema->directive_count,
			   name);
}

const schema_field *schema_field_find(const schema_type *type, const char *name)
{
	if (!type || (type->kind != SCHEMA_OBJECT && type->kind != SCHEMA_INTERFACE))
		return NULL;
	return find_sorted((const void *const *)type->fields_by_name, type->field_count, name);
}

const schema_field *schema_field_def(const gqlws_schema *schema, const schema_type *parent,
				     const char *name)
{
	if (!schema || !parent || !name)
		return NULL;
	const schema_full *full = (const schema_full *)schema;
	if (name[0] == '_' && name[1] == '_') {
		if (parent == schema->query && strcmp(name, "__schema") == 0)
			return &full->meta_schema;
		if (parent == schema->query && strcmp(name, "__type") == 0)
			return &full->meta_type;
		if (schema_is_composite_kind(parent->kind) && strcmp(name, "__typename") == 0)
			return &full->meta_typename;
	}
	return schema_field_find(parent, name);
}

const schema_input_value *schema_arg_find(const schema_input_value *args, size_t count,
					  const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < count; i++)
		if (strcmp(args[i].name, name) == 0)
			return &args[i];
	return NULL;
}

const schema_input_value *schema_input_field_find(const schema_type *type, const char *name)
{
	if (!type || type->kind != SCHEMA_INPUT_OBJECT)
		return NULL;
	return find_sorted((const void *const *)type->input_fields_by_name, type->input_field_count,
			   name);
}

const schema_enum_value *schema_enum_value_find(const schema_type *type, const char *name)
{
	if (!type || type->kind != SCHEMA_ENUM)
		return NULL;
	return find_sorted((const void *const *)type->values_by_name, type->value_count, name);
}

/* -------------------------------------------------------- type relations */

const schema_ref *schema_ref_nullable(const schema_ref *ref)
{
	return ref && ref->kind == SCHEMA_REF_NON_NULL ? ref->of_type : ref;
}

bool schema_ref_equal(const schema_ref *a, const schema_ref *b)
{
	while (a && b) {
		if (a->kind != b->kind)
			return false;
		if (a->kind == SCHEMA_REF_NAMED)
			return a->named == b->named;
		a = a->of_type;
		b = b->of_type;
	}
	return a == b;
}

size_t schema_ref_print(const schema_ref *ref, char *buf, size_t size)
{
	/* Wrappers open brackets outside in and close them inside out: count
	 * the list depth first, then write without recursion. */
	size_t need = 0, depth = 0;
	for (const schema_ref *r = ref; r; r = r->of_type) {
		if (r->kind == SCHEMA_REF_LIST)
			depth++;
		if (r->kind == SCHEMA_REF_NAMED)
			break;
	}
	char *out = buf;
	size_t left = size;
#define PUT(c)                                                                                    \
	do {                                                                                      \
		if (left > 1) {                                                                   \
			*out++ = (c);                                                             \
			left--;                                                                   \
		}                                                                                 \
		need++;                                                                           \
	} while (0)
	for (const schema_ref *r = ref; r; r = r->of_type) {
		if (r->kind == SCHEMA_REF_LIST)
			PUT('[');
		if (r->kind == SCHEMA_REF_NAMED) {
			for (const char *c = r->named ? r->named->name : ""; *c; c++)
				PUT(*c);
			break;
		}
	}
	/* Now the suffixes: walk again, remembering which lists are non-null. */
	bool bang_after[GQLWS_DOC_DEPTH_CEILING + 2];
	size_t level = 0;
	memset(bang_after, 0, sizeof bang_after);
	for (const schema_ref *r = ref; r && r->kind != SCHEMA_REF_NAMED; r = r->of_type) {
		if (r->kind == SCHEMA_REF_NON_NULL) {
			if (level < sizeof bang_after / sizeof bang_after[0])
				bang_after[level] = true;
		} else {
			level++;
		}
	}
	/* bang_after[k]: a ! after the wrapper at list level k (0: outside
	 * every list, i.e. the outermost; depth: on the named type). */
	for (size_t k = depth + 1; k-- > 0;) {
		if (k < depth)
			PUT(']');
		if (k < sizeof bang_after / sizeof bang_after[0] && bang_after[k])
			PUT('!');
		if (k == 0)
			break;
	}
#undef PUT
	if (size)
		*out = '\0';
	return need;
}

static bool lists_type(const schema_type *const *list, size_t n, const schema_type *t)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == t)
			return true;
	return false;
}

/* t among abstract's possible types, by binary search on the type index. */
static bool is_possible(const schema_type *abstract, const schema_type *t)
{
	const schema_type *const *list = abstract->possible_by_index;
	size_t lo = 0, hi = list ? abstract->possible_count : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (list[mid] == t)
			return true;
		if (list[mid]->index < t->index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

bool schema_is_possible_type(const schema_type *abstract, const schema_type *object)
{
	if (!abstract || !object || object->kind != SCHEMA_OBJECT ||
	    !schema_is_abstract_kind(abstract->kind))
		return false;
	return is_possible(abstract, object);
}

bool schema_is_sub_type(const schema_type *abstract, const schema_type *maybe_sub)
{
	if (!abstract || !maybe_sub)
		return false;
	if (abstract->kind == SCHEMA_UNION)
		return is_possible(abstract, maybe_sub);
	if (abstract->kind != SCHEMA_INTERFACE)
		return false;
	if (maybe_sub->kind == SCHEMA_OBJECT)
		return is_possible(abstract, maybe_sub);
	/* an interface: its own list of what it implements is the short one */
	return maybe_sub->kind == SCHEMA_INTERFACE &&
	       lists_type(maybe_sub->interfaces, maybe_sub->interface_count, abstract);
}

bool schema_ref_is_subtype_of(const schema_ref *maybe_sub, const schema_ref *super)
{
	while (maybe_sub && super) {
		if (maybe_sub->kind == SCHEMA_REF_NAMED && super->kind == SCHEMA_REF_NAMED &&
		    maybe_sub->named == super->named)
			return true;
		if (super->kind == SCHEMA_REF_NON_NULL) {
			if (maybe_sub->kind != SCHEMA_REF_NON_NULL)
				return false;
			maybe_sub = maybe_sub->of_type;
			super = super->of_type;
			continue;
		}
		if (maybe_sub->kind == SCHEMA_REF_NON_NULL) {
			maybe_sub = maybe_sub->of_type;
			continue;
		}
		if (super->kind == SCHEMA_REF_LIST) {
			if (maybe_sub->kind != SCHEMA_REF_LIST)
				return false;
			maybe_sub = maybe_sub->of_type;
			super = super->of_type;
			continue;
		}
		if (maybe_sub->kind == SCHEMA_REF_LIST)
			return false;
		const schema_type *sub = maybe_sub->named, *sup = super->named;
		return sub && sup && schema_is_abstract_kind(sup->kind) &&
		       (sub->kind == SCHEMA_INTERFACE || sub->kind == SCHEMA_OBJECT) &&
		       schema_is_sub_type(sup, sub);
	}
	return false;
}

bool schema_types_overlap(const schema_type *a, const schema_type *b)
{
	if (!a || !b)
		return false;
	if (a == b)
		return true;
	if (schema_is_abstract_kind(a->kind)) {
		if (schema_is_abstract_kind(b->kind)) {
			for (size_t i = 0; i < a->possible_count; i++)
				if (schema_is_sub_type(b, a->possible[i]))
					return true;
			return false;
		}
		return schema_is_sub_type(a, b);
	}
	if (schema_is_abstract_kind(b->kind))
		return schema_is_sub_type(b, a);
	return false;
}

const schema_ref *schema_ref_from_doc(const gqlws_schema *schema, const doc_type *type,
				      doc_arena *arena, bool *unknown)
{
	*unknown = false;
	if (!type)
		return NULL;
	/* Iterative: a document's type nests as deep as its depth limit allows. */
	schema_ref *first = NULL, **slot = &first;
	for (const doc_type *t = type; t; t = t->of_type) {
		schema_ref *ref = doc_arena_alloc(arena, sizeof *ref);
		if (!ref)
			return NULL;
		if (t->kind == DOC_TYPE_NAMED) {
			ref->kind = SCHEMA_REF_NAMED;
			ref->named = schema_type_find(schema, t->name);
			if (!ref->named) {
				*unknown = true;
				return NULL;
			}
			*slot = ref;
			return first;
		}
		ref->kind = t->kind == DOC_TYPE_LIST ? SCHEMA_REF_LIST : SCHEMA_REF_NON_NULL;
		*slot = ref;
		slot = (schema_ref **)&ref->of_type;
	}
	return NULL;
}
