/*
 * introspect.c - answers the root fields __schema and __type from the
 * schema model, as graphql-js executes its introspection types: the
 * selection compiled once (introspect_compile.c), then a walk over the
 * schema that writes JSON text straight into the caller's buffer, copying
 * the type references it already wrote instead of walking them again.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "introspect.h"
#include "json_escape.h"
#include "plan.h"

/* Renderings of __Type values already written by this call, by what they
 * depend on: the selection, the named type and the list and non-null
 * wrappers around it, packed in one key. The same type reference is asked
 * for again and again (every field's `type { ...TypeRef }`), and copying
 * its earlier text is much cheaper than walking it again. */
typedef struct memo_entry {
	uint64_t key;           /* 0: a free slot */
	uint32_t offset;        /* in the output buffer */
	uint32_t len;
} memo_entry;

/* The key's fields: the wrappers 2 bits each under a leading 1, the type's
 * index, the selection's id. What does not fit is rendered without memo. */
#define MEMO_SHAPE_BITS 21u
#define MEMO_TYPE_BITS 23u
#define MEMO_SEL_BITS 20u

/* The memo's first size (a power of two); for __schema, room for
 * MEMO_PER_TYPE renderings per type at half load, up to a bound. */
#define MEMO_FIRST_CAP 1024u
#define MEMO_PER_TYPE 8u
#define MEMO_SCHEMA_CAP_MAX (1u << 20)

/* Where the writer is, for the path of an error: an object's key, or a
 * list's index (key NULL). Kept only when errors are asked for. */
typedef struct path_entry {
	const ikey *key;
	size_t index;
} path_entry;

typedef struct writer {
	const gqlws_schema *schema;
	gqlws_doc_buf *out;
	gqlws_doc_buf scratch; /* default values printed before quoting */
	memo_entry *memo;
	size_t memo_cap;       /* a power of two, or 0 */
	size_t memo_first_cap; /* the memo's first size */
	size_t memo_count;
	/* errors: NULL when not asked for */
	cJSON **errors;
	size_t error_count;
	const char *root_key;
	path_entry *path;
	size_t depth;
	gqlws_doc_buf why;     /* an error's message */
	bool nomem;
} writer;

static inline size_t path_enter(writer *w)
{
	return w->path ? w->depth++ : 0;
}

static inline void path_leave(writer *w)
{
	if (w->path)
		w->depth--;
}

static inline void path_key(writer *w, size_t at, const ikey *k)
{
	if (w->path)
		w->path[at] = (path_entry){k, 0};
}

static inline void path_index(writer *w, size_t at, size_t index)
{
	if (w->path)
		w->path[at] = (path_entry){NULL, index};
}

static bool grow(writer *w, size_t n)
{
	gqlws_doc_buf *out = w->out;
	if (w->nomem || n >= SIZE_MAX / 2 - out->len) {
		w->nomem = true;
		return false;
	}
	size_t cap = out->cap ? out->cap : 256;
	while (cap - out->len <= n)
		cap *= 2;
	char *data = realloc(out->data, cap);
	if (!data) {
		w->nomem = true;
		return false;
	}
	out->data = data;
	out->cap = cap;
	return true;
}

/* Room for n more bytes and the final NUL. */
static inline bool reserve(writer *w, size_t n)
{
	return w->out->cap - w->out->len > n || grow(w, n);
}

/* The text is NUL-terminated once, at the end of the call. */
static inline void put(writer *w, const char *s, size_t n)
{
	if (!reserve(w, n))
		return;
	memcpy(w->out->data + w->out->len, s, n);
	w->out->len += n;
}

#define PUT_LITERAL(w, lit) put((w), (lit), sizeof(lit) - 1)

static void put_bool(writer *w, bool b)
{
	if (b)
		PUT_LITERAL(w, "true");
	else
		PUT_LITERAL(w, "false");
}

/* A name (GraphQL names need no escaping) as a JSON string. */
static void put_name(writer *w, const char *name)
{
	/* Names are short: copy while looking for the end, instead of
	 * measuring first. */
	enum { SHORT = 64 };
	if (!reserve(w, SHORT + 2))
		return;
	char *p = w->out->data + w->out->len, *start = p;
	*p++ = '"';
	size_t i = 0;
	while (i < SHORT && name[i])
		*p++ = name[i++];
	w->out->len += (size_t)(p - start);
	if (name[i])
		put(w, name + i, strlen(name + i));
	PUT_LITERAL(w, "\"");
}

/* A JSON string as JSON.stringify writes it: ", \ and control characters
 * escaped, every other byte as it is. */
static void put_json_string(writer *w, const char *s, size_t n)
{
	size_t run = 0;
	PUT_LITERAL(w, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!doc_json_needs_escape(c))
			continue;
		put(w, s + run, i - run);
		run = i + 1;
		char esc[6];
		put(w, esc, doc_json_escape(c, esc));
	}
	put(w, s + run, n - run);
	PUT_LITERAL(w, "\"");
}

/* A description, reason or URL: a JSON string, or null. */
static void put_text(writer *w, const char *s)
{
	if (!s) {
		PUT_LITERAL(w, "null");
		return;
	}
	put_json_string(w, s, strlen(s));
}

/* A member's ,"key": (the first without its comma). Most are short: a
 * fixed 32-byte copy (the text has IKEY_MEMBER_ROOM bytes of room, the
 * output is then cut to the member's length) instead of a memcpy call. */
#define MEMBER_BLOCK 32
_Static_assert(MEMBER_BLOCK + 1 <= IKEY_MEMBER_ROOM, "a short member's block lies in its room");

static inline void put_member(writer *w, const ikey *k, size_t index)
{
	const char *text = index ? k->member : k->member + 1;
	size_t len = index ? k->member_len : k->member_len - 1;
	if (len <= MEMBER_BLOCK && reserve(w, MEMBER_BLOCK)) {
		memcpy(w->out->data + w->out->len, text, MEMBER_BLOCK);
		w->out->len += len;
		return;
	}
	put(w, text, len);
}

/* A __Type value: a named type, or a list or non-null wrapper (wrap). */
typedef struct itype {
	const schema_ref *wrap;  /* the list or non-null, or NULL */
	const schema_type *named;
} itype;

static itype itype_of_ref(const schema_ref *ref)
{
	if (ref->kind == SCHEMA_REF_NAMED)
		return (itype){NULL, ref->named};
	return (itype){ref, NULL};
}

static void write_type(writer *w, const isel *sel, itype t);
static void render_type(writer *w, const isel *sel, itype t);

static void write_type_or_null(writer *w, const isel *sel, const schema_type *t)
{
	if (t)
		write_type(w, sel, (itype){NULL, t});
	else
		PUT_LITERAL(w, "null");
}

static void write_type_list(writer *w, const isel *sel, const schema_type *const *types, size_t n)
{
	size_t at = path_enter(w);
	PUT_LITERAL(w, "[");
	for (size_t i = 0; i < n && !w->nomem; i++) {
		if (i)
			PUT_LITERAL(w, ",");
		path_index(w, at, i);
		write_type(w, sel, (itype){NULL, types[i]});
	}
	PUT_LITERAL(w, "]");
	path_leave(w);
}

/* graphql-js's error for a field whose resolver threw: the message, every
 * node of the field, and the path from the root field's key. */
static void report_error(writer *w, const ikey *k, const char *message)
{
	cJSON *error = cJSON_CreateObject();
	bool ok = error && cJSON_AddStringToObject(error, "message", message);
	cJSON *locations = ok ? cJSON_AddArrayToObject(error, "locations") : NULL;
	cJSON *path = locations ? cJSON_AddArrayToObject(error, "path") : NULL;
	ok = path != NULL;
	for (size_t i = 0; ok && i < k->position_count; i++) {
		cJSON *at = cJSON_CreateObject();
		if (!at) {
			ok = false;
			break;
		}
		cJSON_AddItemToArray(locations, at);
		ok = cJSON_AddNumberToObject(at, "line", k->positions[i].line) &&
		     cJSON_AddNumberToObject(at, "column", k->positions[i].column);
	}
	for (size_t i = 0; ok && i <= w->depth; i++) {
		/* The root field's key, then where the writer is. */
		const path_entry *e = i ? &w->path[i - 1] : NULL;
		cJSON *item = !e ? cJSON_CreateString(w->root_key)
			      : e->key ? cJSON_CreateString(e->key->key) : cJSON_CreateNumber((double)e->index);
		if (!item) {
			ok = false;
			break;
		}
		cJSON_AddItemToArray(path, item);
	}
	if (ok && !*w->errors) {
		*w->errors = cJSON_CreateArray();
		ok = *w->errors != NULL;
	}
	if (!ok) {
		cJSON_Delete(error);
		w->nomem = true;
		return;
	}
	cJSON_AddItemToArray(*w->errors, error);
	w->error_count++;
}

static void write_input_value(writer *w, const isel *sel, const void *item)
{
	const schema_input_value *v = item;
	size_t at = path_enter(w);
	PUT_LITERAL(w, "{");
	for (size_t i = 0; i < sel->count; i++) {
		const ikey *k = &sel->keys[i];
		path_key(w, at, k);
		put_member(w, k, i);
		switch (k->id) {
		case IF_TYPENAME: PUT_LITERAL(w, "\"__InputValue\""); break;
		case IF_NAME: put_name(w, v->name); break;
		case IF_DESCRIPTION: put_text(w, v->description); break;
		case IF_TYPE: write_type(w, k->sub, itype_of_ref(v->type)); break;
		case IF_DEFAULT_VALUE: {
			if (!v->default_value) {
				PUT_LITERAL(w, "null");
				break;
			}
			w->scratch.len = 0;
			w->why.len = 0;
			int printed = introspect_default_print(v->type, v->default_value, &w->scratch,
							       w->errors ? &w->why : NULL);
			if (printed < 0) {
				w->nomem = true;
			} else if (printed == 1) {
				put_json_string(w, w->scratch.data, w->scratch.len);
			} else {
				PUT_LITERAL(w, "null");
				if (printed == 2 && w->errors)
					report_error(w, k, w->why.data);
			}
			break;
		}
		case IF_IS_DEPRECATED: put_bool(w, v->deprecation_reason != NULL); break;
		case IF_DEPRECATION_REASON: put_text(w, v->deprecation_reason); break;
		default: PUT_LITERAL(w, "null"); break;
		}
	}
	PUT_LITERAL(w, "}");
	path_leave(w);
}

typedef void write_item_fn(writer *w, const isel *sel, const void *item);

/* A list of fields, arguments, input fields or enum values: n items of
 * size bytes, each with its deprecation reason (a const char *) at
 * reason_at; the deprecated ones only when k asks for them. One loop for
 * the four lists so they skip, index and separate alike. */
static void write_deprecatable_list(writer *w, const ikey *k, const void *items, size_t n, size_t size,
				    size_t reason_at, write_item_fn *write_item)
{
	size_t written = 0, at = path_enter(w);
	PUT_LITERAL(w, "[");
	for (size_t i = 0; i < n && !w->nomem; i++) {
		const char *item = (const char *)items + i * size;
		if (*(const char *const *)(item + reason_at) && !k->include_deprecated)
			continue;
		path_index(w, at, written);
		if (written++)
			PUT_LITERAL(w, ",");
		write_item(w, k->sub, item);
	}
	PUT_LITERAL(w, "]");
	path_leave(w);
}

/* Arguments and input fields. */
static void write_input_values(writer *w, const ikey *k, const schema_input_value *values, size_t n)
{
	write_deprecatable_list(w, k, values, n, sizeof *values, offsetof(schema_input_value, deprecation_reason),
				write_input_value);
}

static void write_field(writer *w, const isel *sel, const void *item)
{
	const schema_field *f = item;
	size_t at = path_enter(w);
	PUT_LITERAL(w, "{");
	for (size_t i = 0; i < sel->count; i++) {
		const ikey *k = &sel->keys[i];
		path_key(w, at, k);
		put_member(w, k, i);
		switch (k->id) {
		case IF_TYPENAME: PUT_LITERAL(w, "\"__Field\""); break;
		case IF_NAME: put_name(w, f->name); break;
		case IF_DESCRIPTION: put_text(w, f->description); break;
		case IF_ARGS: write_input_values(w, k, f->args, f->arg_count); break;
		case IF_TYPE: write_type(w, k->sub, itype_of_ref(f->type)); break;
		case IF_IS_DEPRECATED: put_bool(w, f->deprecation_reason != NULL); break;
		case IF_DEPRECATION_REASON: put_text(w, f->deprecation_reason); break;
		default: PUT_LITERAL(w, "null"); break;
		}
	}
	PUT_LITERAL(w, "}");
	path_leave(w);
}

static void write_enum_value(writer *w, const isel *sel, const void *item)
{
	const schema_enum_value *v = item;
	size_t at = path_enter(w);
	PUT_LITERAL(w, "{");
	for (size_t i = 0; i < sel->count; i++) {
		const ikey *k = &sel->keys[i];
		path_key(w, at, k);
		put_member(w, k, i);
		switch (k->id) {
		case IF_TYPENAME: PUT_LITERAL(w, "\"__EnumValue\""); break;
		case IF_NAME: put_name(w, v->name); break;
		case IF_DESCRIPTION: put_text(w, v->description); break;
		case IF_IS_DEPRECATED: put_bool(w, v->deprecation_reason != NULL); break;
		case IF_DEPRECATION_REASON: put_text(w, v->deprecation_reason); break;
		default: PUT_LITERAL(w, "null"); break;
		}
	}
	PUT_LITERAL(w, "}");
	path_leave(w);
}

static const char *const kind_names[] = {
	[SCHEMA_SCALAR] = "\"SCALAR\"",
	[SCHEMA_OBJECT] = "\"OBJECT\"",
	[SCHEMA_INTERFACE] = "\"INTERFACE\"",
	[SCHEMA_UNION] = "\"UNION\"",
	[SCHEMA_ENUM] = "\"ENUM\"",
	[SCHEMA_INPUT_OBJECT] = "\"INPUT_OBJECT\"",
};

static void render_type(writer *w, const isel *sel, itype t)
{
	const schema_type *named = t.named;
	bool has_fields = named && (named->kind == SCHEMA_OBJECT || named->kind == SCHEMA_INTERFACE);
	size_t at = path_enter(w);
	PUT_LITERAL(w, "{");
	for (size_t i = 0; i < sel->count && !w->nomem; i++) {
		const ikey *k = &sel->keys[i];
		path_key(w, at, k);
		put_member(w, k, i);
		switch (k->id) {
		case IF_TYPENAME:
			PUT_LITERAL(w, "\"__Type\"");
			break;
		case IF_KIND:
			if (named) {
				const char *kind = kind_names[named->kind];
				put(w, kind, strlen(kind));
			} else if (t.wrap->kind == SCHEMA_REF_LIST) {
				PUT_LITERAL(w, "\"LIST\"");
			} else {
				PUT_LITERAL(w, "\"NON_NULL\"");
			}
			break;
		case IF_NAME:
			if (named)
				put_name(w, named->name);
			else
				PUT_LITERAL(w, "null");
			break;
		case IF_DESCRIPTION:
			put_text(w, named ? named->description : NULL);
			break;
		case IF_SPECIFIED_BY_URL:
			/* Only scalars have the property; the others answer null. */
			put_text(w, named && named->kind == SCHEMA_SCALAR ? named->specified_by_url : NULL);
			break;
		case IF_FIELDS:
			if (has_fields)
				write_deprecatable_list(w, k, named->fields, named->field_count, sizeof *named->fields,
							offsetof(schema_field, deprecation_reason), write_field);
			else
				PUT_LITERAL(w, "null");
			break;
		case IF_INTERFACES:
			if (has_fields)
				write_type_list(w, k->sub, named->interfaces, named->interface_count);
			else
				PUT_LITERAL(w, "null");
			break;
		case IF_POSSIBLE_TYPES:
			if (named && schema_is_abstract_kind(named->kind))
				write_type_list(w, k->sub, named->possible, named->possible_count);
			else
				PUT_LITERAL(w, "null");
			break;
		case IF_ENUM_VALUES:
			if (named && named->kind == SCHEMA_ENUM)
				write_deprecatable_list(w, k, named->values, named->value_count, sizeof *named->values,
							offsetof(schema_enum_value, deprecation_reason), write_enum_value);
			else
				PUT_LITERAL(w, "null");
			break;
		case IF_INPUT_FIELDS:
			if (named && named->kind == SCHEMA_INPUT_OBJECT)
				write_input_values(w, k, named->input_fields, named->input_field_count);
			else
				PUT_LITERAL(w, "null");
			break;
		case IF_OF_TYPE:
			if (t.wrap)
				write_type(w, k->sub, itype_of_ref(t.wrap->of_type));
			else
				PUT_LITERAL(w, "null");
			break;
		case IF_IS_ONE_OF:
			if (named && named->kind == SCHEMA_INPUT_OBJECT)
				put_bool(w, named->one_of);
			else
				PUT_LITERAL(w, "null");
			break;
		default:
			PUT_LITERAL(w, "null");
			break;
		}
	}
	PUT_LITERAL(w, "}");
	path_leave(w);
}

/* The memo's key for a __Type value on sel, or 0 when it does not fit. */
static uint64_t memo_key(const isel *sel, itype t)
{
	uint64_t shape = 1;
	const schema_ref *ref = t.wrap;
	const schema_type *named = t.named;
	if (ref) {
		for (; ref->kind != SCHEMA_REF_NAMED; ref = ref->of_type) {
			if (shape >> (MEMO_SHAPE_BITS - 2))
				return 0;
			shape = shape << 2 | (ref->kind == SCHEMA_REF_LIST ? 1u : 2u);
		}
		named = ref->named;
	}
	if (named->index >= (1u << MEMO_TYPE_BITS) || sel->id >= (1u << MEMO_SEL_BITS))
		return 0;
	return (uint64_t)sel->id << (MEMO_SHAPE_BITS + MEMO_TYPE_BITS) | (uint64_t)named->index << MEMO_SHAPE_BITS |
	       shape;
}

static size_t memo_slot(const writer *w, uint64_t key)
{
	uint64_t h = key * 0x9E3779B97F4A7C15u;
	size_t slot = (size_t)(h >> 32) & (w->memo_cap - 1);
	while (w->memo[slot].key && w->memo[slot].key != key)
		slot = (slot + 1) & (w->memo_cap - 1);
	return slot;
}

/* Remembers where a rendering is; forgetting is harmless (out of memory
 * only costs speed here). */
static void memo_add(writer *w, uint64_t key, size_t offset, size_t len)
{
	if (offset > UINT32_MAX || len > UINT32_MAX)
		return;
	if (2 * (w->memo_count + 1) > w->memo_cap) {
		size_t cap = w->memo_cap ? w->memo_cap * 2 : w->memo_first_cap;
		memo_entry *old = w->memo;
		size_t old_cap = w->memo_cap;
		memo_entry *slots = calloc(cap, sizeof *slots);
		if (!slots)
			return;
		w->memo = slots;
		w->memo_cap = cap;
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].key)
				w->memo[memo_slot(w, old[i].key)] = old[i];
		free(old);
	}
	w->memo[memo_slot(w, key)] = (memo_entry){key, (uint32_t)offset, (uint32_t)len};
	w->memo_count++;
}

/* A __Type value: copied from an earlier rendering of the same type
 * reference with the same selection, or rendered (and remembered). */
static void write_type(writer *w, const isel *sel, itype t)
{
	uint64_t key = memo_key(sel, t);
	if (!key) {
		render_type(w, sel, t);
		return;
	}
	if (w->memo_cap) {
		const memo_entry *e = &w->memo[memo_slot(w, key)];
		if (e->key) {
			if (reserve(w, e->len)) {
				memcpy(w->out->data + w->out->len, w->out->data + e->offset, e->len);
				w->out->len += e->len;
			}
			return;
		}
	}
	size_t offset = w->out->len, errors = w->error_count;
	render_type(w, sel, t);
	/* A rendering with errors is rendered again where it recurs, so that
	 * each place reports them with its own path. */
	if (!w->nomem && w->error_count == errors)
		memo_add(w, key, offset, w->out->len - offset);
}

static void write_locations(writer *w, const schema_directive *d)
{
	size_t written = 0;
	PUT_LITERAL(w, "[");
	if (d->location_list_count) {
		for (size_t i = 0; i < d->location_list_count; i++) {
			if (written++)
				PUT_LITERAL(w, ",");
			put_name(w, schema_location_name(d->location_list[i]));
		}
	} else {
		/* A model without the written order: the spec's order. */
		for (unsigned loc = 0; loc < SCHEMA_LOC_COUNT; loc++) {
			if (!(d->locations & (1u << loc)))
				continue;
			if (written++)
				PUT_LITERAL(w, ",");
			put_name(w, schema_location_name((schema_location)loc));
		}
	}
	PUT_LITERAL(w, "]");
}

static void write_directive(writer *w, const isel *sel, const schema_directive *d)
{
	size_t at = path_enter(w);
	PUT_LITERAL(w, "{");
	for (size_t i = 0; i < sel->count; i++) {
		const ikey *k = &sel->keys[i];
		path_key(w, at, k);
		put_member(w, k, i);
		switch (k->id) {
		case IF_TYPENAME: PUT_LITERAL(w, "\"__Directive\""); break;
		case IF_NAME: put_name(w, d->name); break;
		case IF_DESCRIPTION: put_text(w, d->description); break;
		case IF_IS_REPEATABLE: put_bool(w, d->repeatable); break;
		case IF_LOCATIONS: write_locations(w, d); break;
		case IF_ARGS: write_input_values(w, k, d->args, d->arg_count); break;
		/* Only graphql-js's experimental SDL option deprecates a
		 * directive: buildSchema's never are. */
		case IF_IS_DEPRECATED: put_bool(w, false); break;
		case IF_DEPRECATION_REASON: PUT_LITERAL(w, "null"); break;
		default: PUT_LITERAL(w, "null"); break;
		}
	}
	PUT_LITERAL(w, "}");
	path_leave(w);
}

static void write_schema(writer *w, const isel *sel)
{
	const gqlws_schema *s = w->schema;
	size_t at = path_enter(w);
	PUT_LITERAL(w, "{");
	for (size_t i = 0; i < sel->count && !w->nomem; i++) {
		const ikey *k = &sel->keys[i];
		path_key(w, at, k);
		put_member(w, k, i);
		switch (k->id) {
		case IF_TYPENAME: PUT_LITERAL(w, "\"__Schema\""); break;
		case IF_DESCRIPTION: put_text(w, s->description); break;
		case IF_TYPES: write_type_list(w, k->sub, s->types, s->type_count); break;
		case IF_QUERY_TYPE: write_type_or_null(w, k->sub, s->query); break;
		case IF_MUTATION_TYPE: write_type_or_null(w, k->sub, s->mutation); break;
		case IF_SUBSCRIPTION_TYPE: write_type_or_null(w, k->sub, s->subscription); break;
		case IF_DIRECTIVES: {
			size_t list_at = path_enter(w);
			PUT_LITERAL(w, "[");
			for (size_t j = 0; j < s->directive_count && !w->nomem; j++) {
				if (j)
					PUT_LITERAL(w, ",");
				path_index(w, list_at, j);
				write_directive(w, k->sub, s->directives[j]);
			}
			PUT_LITERAL(w, "]");
			path_leave(w);
			break;
		}
		default: PUT_LITERAL(w, "null"); break;
		}
	}
	PUT_LITERAL(w, "}");
	path_leave(w);
}

int gqlws_schema_introspect_text_ex(const gqlws_schema *schema, const gqlws_doc_plan *plan,
				    const gqlws_doc_field *field, gqlws_doc_buf *out, cJSON **errors)
{
	bool is_schema = strcmp(field->name, "__schema") == 0;
	if (!is_schema && strcmp(field->name, "__type") != 0)
		return -2;
	const schema_type *type = NULL;
	if (!is_schema) {
		const cJSON *name = gqlws_doc_field_arg(field, "name");
		if (cJSON_IsString(name))
			type = schema_type_find(schema, name->valuestring);
		if (!type)
			return gqlws_doc_buf_append(out, "null", 4);
	}
	doc_arena arena;
	size_t max_depth = 0;
	doc_arena_init(&arena);
	const isel *sel = introspect_compile(plan, field, is_schema ? IOBJ_SCHEMA : IOBJ_TYPE, &arena, &max_depth);
	writer w = {.schema = schema, .out = out, .errors = errors, .root_key = field->key,
		    .memo_first_cap = MEMO_FIRST_CAP};
	/* __schema renders some 7 type references per type: a memo of that
	 * size from the start, not three doublings that clear and rehash */
	while (is_schema && w.memo_first_cap < MEMO_SCHEMA_CAP_MAX &&
	       w.memo_first_cap < 2 * MEMO_PER_TYPE * schema->type_count)
		w.memo_first_cap *= 2;
	if (!sel)
		w.nomem = true;
	if (sel && errors) {
		/* An object and a list entry per level of selections. */
		w.path = malloc((2 * max_depth + 2) * sizeof *w.path);
		if (!w.path)
			w.nomem = true;
	}
	if (sel && !w.nomem) {
		if (is_schema)
			write_schema(&w, sel);
		else
			write_type(&w, sel, (itype){NULL, type});
	}
	if (!w.nomem && reserve(&w, 0))
		out->data[out->len] = '\0';
	free(w.path);
	free(w.memo);
	gqlws_doc_buf_free(&w.why);
	gqlws_doc_buf_free(&w.scratch);
	doc_arena_release(&arena);
	return w.nomem ? -1 : 0;
}

int gqlws_schema_introspect_text(const gqlws_schema *schema, const gqlws_doc_plan *plan,
				 const gqlws_doc_field *field, gqlws_doc_buf *out)
{
	return gqlws_schema_introspect_text_ex(schema, plan, field, out, NULL);
}
