/*
 * introspect.c - answers the root fields __schema and __type from the
 * schema model, as graphql-js executes its introspection types. The
 * selection is compiled once per call (fragments collected, response keys
 * merged, arguments decided) into a small tree that knows, for every
 * position, which introspection field each key asks for; the walk over the
 * schema then writes JSON text straight into the caller's buffer without
 * collecting or allocating again, however many types it visits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "introspect.h"
#include "plan.h"

/* The introspection object types a selection can be on. */
typedef enum iobj {
	IOBJ_SCHEMA,
	IOBJ_TYPE,
	IOBJ_FIELD,
	IOBJ_INPUT_VALUE,
	IOBJ_ENUM_VALUE,
	IOBJ_DIRECTIVE,
	IOBJ_NONE, /* a leaf */
} iobj;

static const char *const iobj_names[] = {
	"__Schema", "__Type", "__Field", "__InputValue", "__EnumValue", "__Directive",
};

/* Every field of the introspection types; names shared between types
 * (name, description, ...) are one id, told apart by the object. */
typedef enum ifield_id {
	IF_TYPENAME,
	IF_DESCRIPTION,
	IF_TYPES,
	IF_QUERY_TYPE,
	IF_MUTATION_TYPE,
	IF_SUBSCRIPTION_TYPE,
	IF_DIRECTIVES,
	IF_KIND,
	IF_NAME,
	IF_SPECIFIED_BY_URL,
	IF_FIELDS,
	IF_INTERFACES,
	IF_POSSIBLE_TYPES,
	IF_ENUM_VALUES,
	IF_INPUT_FIELDS,
	IF_OF_TYPE,
	IF_IS_ONE_OF,
	IF_ARGS,
	IF_TYPE,
	IF_DEFAULT_VALUE,
	IF_IS_DEPRECATED,
	IF_DEPRECATION_REASON,
	IF_IS_REPEATABLE,
	IF_LOCATIONS,
} ifield_id;

typedef struct ifield_def {
	const char *name;
	ifield_id id;
	iobj value; /* the object type of its value, IOBJ_NONE for leaves */
} ifield_def;

/* graphql-js 16.15's fields of each introspection type. */
static const ifield_def schema_fields[] = {
	{"description", IF_DESCRIPTION, IOBJ_NONE},
	{"types", IF_TYPES, IOBJ_TYPE},
	{"queryType", IF_QUERY_TYPE, IOBJ_TYPE},
	{"mutationType", IF_MUTATION_TYPE, IOBJ_TYPE},
	{"subscriptionType", IF_SUBSCRIPTION_TYPE, IOBJ_TYPE},
	{"directives", IF_DIRECTIVES, IOBJ_DIRECTIVE},
	{NULL, 0, 0},
};
static const ifield_def type_fields[] = {
	{"kind", IF_KIND, IOBJ_NONE},
	{"name", IF_NAME, IOBJ_NONE},
	{"description", IF_DESCRIPTION, IOBJ_NONE},
	{"specifiedByURL", IF_SPECIFIED_BY_URL, IOBJ_NONE},
	{"fields", IF_FIELDS, IOBJ_FIELD},
	{"interfaces", IF_INTERFACES, IOBJ_TYPE},
	{"possibleTypes", IF_POSSIBLE_TYPES, IOBJ_TYPE},
	{"enumValues", IF_ENUM_VALUES, IOBJ_ENUM_VALUE},
	{"inputFields", IF_INPUT_FIELDS, IOBJ_INPUT_VALUE},
	{"ofType", IF_OF_TYPE, IOBJ_TYPE},
	{"isOneOf", IF_IS_ONE_OF, IOBJ_NONE},
	{NULL, 0, 0},
};
static const ifield_def field_fields[] = {
	{"name", IF_NAME, IOBJ_NONE},
	{"description", IF_DESCRIPTION, IOBJ_NONE},
	{"args", IF_ARGS, IOBJ_INPUT_VALUE},
	{"type", IF_TYPE, IOBJ_TYPE},
	{"isDeprecated", IF_IS_DEPRECATED, IOBJ_NONE},
	{"deprecationReason", IF_DEPRECATION_REASON, IOBJ_NONE},
	{NULL, 0, 0},
};
static const ifield_def input_value_fields[] = {
	{"name", IF_NAME, IOBJ_NONE},
	{"description", IF_DESCRIPTION, IOBJ_NONE},
	{"type", IF_TYPE, IOBJ_TYPE},
	{"defaultValue", IF_DEFAULT_VALUE, IOBJ_NONE},
	{"isDeprecated", IF_IS_DEPRECATED, IOBJ_NONE},
	{"deprecationReason", IF_DEPRECATION_REASON, IOBJ_NONE},
	{NULL, 0, 0},
};
static const ifield_def enum_value_fields[] = {
	{"name", IF_NAME, IOBJ_NONE},
	{"description", IF_DESCRIPTION, IOBJ_NONE},
	{"isDeprecated", IF_IS_DEPRECATED, IOBJ_NONE},
	{"deprecationReason", IF_DEPRECATION_REASON, IOBJ_NONE},
	{NULL, 0, 0},
};
static const ifield_def directive_fields[] = {
	{"name", IF_NAME, IOBJ_NONE},
	{"description", IF_DESCRIPTION, IOBJ_NONE},
	{"isRepeatable", IF_IS_REPEATABLE, IOBJ_NONE},
	{"locations", IF_LOCATIONS, IOBJ_NONE},
	{"args", IF_ARGS, IOBJ_INPUT_VALUE},
	{"isDeprecated", IF_IS_DEPRECATED, IOBJ_NONE},
	{"deprecationReason", IF_DEPRECATION_REASON, IOBJ_NONE},
	{NULL, 0, 0},
};

static const ifield_def *const fields_of[] = {
	schema_fields, type_fields, field_fields, input_value_fields, enum_value_fields, directive_fields,
};

static const ifield_def typename_def = {"__typename", IF_TYPENAME, IOBJ_NONE};

static const ifield_def *find_def(iobj obj, const char *name)
{
	if (strcmp(name, "__typename") == 0)
		return &typename_def;
	for (const ifield_def *d = fields_of[obj]; d->name; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

bool introspect_is_introspection_type(const char *name)
{
	static const char *const names[] = {
		"__Schema", "__Directive", "__DirectiveLocation", "__Type",
		"__Field", "__InputValue", "__EnumValue", "__TypeKind",
	};
	if (name[0] != '_' || name[1] != '_')
		return false;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

bool gqlws_schema_is_introspection_field(const char *name)
{
	return name && (strcmp(name, "__schema") == 0 || strcmp(name, "__type") == 0);
}

/* ------------------------------------------------------------ compiling */

typedef struct isel isel;

/* One response key of a selection on an introspection object. */
typedef struct ikey {
	const char *member;      /* ,"key": ready to write (skip the comma first) */
	size_t member_len;
	ifield_id id;
	bool include_deprecated; /* the includeDeprecated argument, default false */
	const isel *sub;         /* the value's selection, for object values */
} ikey;

struct isel {
	const ikey *keys;
	size_t count;
	uint32_t id;             /* 1.. in compile order, for the memo's keys */
};

static const isel empty_selection = {NULL, 0, 0};

typedef struct compiler {
	const gqlws_doc_plan *plan;
	doc_arena arena;
	uint32_t selections;     /* compiled so far */
	bool nomem;
} compiler;

/* graphql-js reads arguments from the first field node of a key. */
static bool include_deprecated_arg(const compiler *c, const doc_argument *args)
{
	for (const doc_argument *a = args; a; a = a->next) {
		if (strcmp(a->name, "includeDeprecated") != 0)
			continue;
		const doc_value *v = a->value;
		if (v->kind == DOC_VALUE_BOOLEAN)
			return v->boolean;
		if (v->kind == DOC_VALUE_VARIABLE)
			return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c->plan->variables, v->text));
		return false;
	}
	return false;
}

static const char *member_text(compiler *c, const char *key, size_t key_len, size_t *len)
{
	char *m = doc_arena_alloc(&c->arena, key_len + 5);
	if (!m)
		return NULL;
	m[0] = ',';
	m[1] = '"';
	memcpy(m + 2, key, key_len);
	memcpy(m + 2 + key_len, "\":", 3);
	*len = key_len + 4;
	return m;
}

#define COMPILE_INLINE_FIELDS 8

/* The selection sets sets[0..n-1] on an object of type obj, compiled.
 * Recursion follows the document's selection nesting (fragments expanded),
 * which the document's limits bound. */
static const isel *compile(compiler *c, const doc_selection *const *sets, size_t n, iobj obj)
{
	const doc_selection *storage[COMPILE_INLINE_FIELDS];
	doc_field_list list;
	doc_key_links links;
	isel *sel = NULL;
	doc_field_list_init(&list, storage, COMPILE_INLINE_FIELDS);
	links.next_same = links.next_storage;
	links.first = links.first_storage;
	if (doc_collect_fields(c->plan, sets, n, iobj_names[obj], &list) != 0 ||
	    doc_key_links_build(&links, &list) != 0)
		goto nomem;
	sel = doc_arena_alloc(&c->arena, sizeof *sel);
	ikey *keys = doc_arena_alloc(&c->arena, (list.count ? list.count : 1) * sizeof *keys);
	if (!sel || !keys)
		goto nomem;
	sel->keys = keys;
	sel->id = ++c->selections;
	for (size_t i = 0; i < list.count; i++) {
		const doc_selection *f = list.items[i];
		const ifield_def *def = links.first[i] ? find_def(obj, f->name) : NULL;
		if (!def)
			continue; /* graphql-js leaves out fields it has no definition of */
		ikey *k = &keys[sel->count++];
		k->id = def->id;
		k->include_deprecated = include_deprecated_arg(c, f->arguments);
		k->member = member_text(c, f->key, f->key_len, &k->member_len);
		if (!k->member)
			goto nomem;
		k->sub = &empty_selection;
		if (def->value == IOBJ_NONE)
			continue;
		size_t subs = 0;
		for (uint32_t j = (uint32_t)i; j != DOC_NO_NEXT; j = links.next_same[j])
			subs += list.items[j]->selections != NULL;
		if (!subs)
			continue;
		const doc_selection **sub_sets = doc_arena_alloc(&c->arena, subs * sizeof *sub_sets);
		if (!sub_sets)
			goto nomem;
		subs = 0;
		for (uint32_t j = (uint32_t)i; j != DOC_NO_NEXT; j = links.next_same[j])
			if (list.items[j]->selections)
				sub_sets[subs++] = list.items[j]->selections;
		k->sub = compile(c, sub_sets, subs, def->value);
		if (!k->sub)
			goto nomem;
	}
	doc_key_links_release(&links);
	doc_field_list_release(&list);
	return sel;
nomem:
	c->nomem = true;
	doc_key_links_release(&links);
	doc_field_list_release(&list);
	return NULL;
}

/* -------------------------------------------------------------- writing */

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

typedef struct writer {
	const gqlws_schema *schema;
	gqlws_doc_buf *out;
	gqlws_doc_buf scratch; /* default values printed before quoting */
	memo_entry *memo;
	size_t memo_cap;       /* a power of two, or 0 */
	size_t memo_count;
	bool nomem;
} writer;

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
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;
	PUT_LITERAL(w, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(w, s + run, i - run);
		run = i + 1;
		char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
		size_t len = 2;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default: len = 6; break;
		}
		put(w, esc, len);
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

static void put_member(writer *w, const ikey *k, size_t index)
{
	if (index)
		put(w, k->member, k->member_len);
	else
		put(w, k->member + 1, k->member_len - 1);
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
	PUT_LITERAL(w, "[");
	for (size_t i = 0; i < n && !w->nomem; i++) {
		if (i)
			PUT_LITERAL(w, ",");
		write_type(w, sel, (itype){NULL, types[i]});
	}
	PUT_LITERAL(w, "]");
}

static void write_input_value(writer *w, const isel *sel, const schema_input_value *v)
{
	PUT_LITERAL(w, "{");
	for (size_t i = 0; i < sel->count; i++) {
		const ikey *k = &sel->keys[i];
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
			int printed = introspect_default_print(v->type, v->default_value, &w->scratch);
			if (printed < 0)
				w->nomem = true;
			else if (printed == 0)
				PUT_LITERAL(w, "null");
			else
				put_json_string(w, w->scratch.data, w->scratch.len);
			break;
		}
		case IF_IS_DEPRECATED: put_bool(w, v->deprecation_reason != NULL); break;
		case IF_DEPRECATION_REASON: put_text(w, v->deprecation_reason); break;
		default: PUT_LITERAL(w, "null"); break;
		}
	}
	PUT_LITERAL(w, "}");
}

/* Arguments and input fields; deprecated ones only when asked for. */
static void write_input_values(writer *w, const ikey *k, const schema_input_value *values, size_t n)
{
	size_t written = 0;
	PUT_LITERAL(w, "[");
	for (size_t i = 0; i < n && !w->nomem; i++) {
		if (values[i].deprecation_reason && !k->include_deprecated)
			continue;
		if (written++)
			PUT_LITERAL(w, ",");
		write_input_value(w, k->sub, &values[i]);
	}
	PUT_LITERAL(w, "]");
}

static void write_field(writer *w, const isel *sel, const schema_field *f)
{
	PUT_LITERAL(w, "{");
	for (size_t i = 0; i < sel->count; i++) {
		const ikey *k = &sel->keys[i];
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
}

static void write_enum_value(writer *w, const isel *sel, const schema_enum_value *v)
{
	PUT_LITERAL(w, "{");
	for (size_t i = 0; i < sel->count; i++) {
		const ikey *k = &sel->keys[i];
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
	PUT_LITERAL(w, "{");
	for (size_t i = 0; i < sel->count && !w->nomem; i++) {
		const ikey *k = &sel->keys[i];
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
			if (!has_fields) {
				PUT_LITERAL(w, "null");
				break;
			}
			PUT_LITERAL(w, "[");
			for (size_t j = 0, written = 0; j < named->field_count && !w->nomem; j++) {
				if (named->fields[j].deprecation_reason && !k->include_deprecated)
					continue;
				if (written++)
					PUT_LITERAL(w, ",");
				write_field(w, k->sub, &named->fields[j]);
			}
			PUT_LITERAL(w, "]");
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
			if (!named || named->kind != SCHEMA_ENUM) {
				PUT_LITERAL(w, "null");
				break;
			}
			PUT_LITERAL(w, "[");
			for (size_t j = 0, written = 0; j < named->value_count && !w->nomem; j++) {
				if (named->values[j].deprecation_reason && !k->include_deprecated)
					continue;
				if (written++)
					PUT_LITERAL(w, ",");
				write_enum_value(w, k->sub, &named->values[j]);
			}
			PUT_LITERAL(w, "]");
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
		size_t cap = w->memo_cap ? w->memo_cap * 2 : 1024;
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
	size_t offset = w->out->len;
	render_type(w, sel, t);
	if (!w->nomem)
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
	PUT_LITERAL(w, "{");
	for (size_t i = 0; i < sel->count; i++) {
		const ikey *k = &sel->keys[i];
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
}

static void write_schema(writer *w, const isel *sel)
{
	const gqlws_schema *s = w->schema;
	PUT_LITERAL(w, "{");
	for (size_t i = 0; i < sel->count && !w->nomem; i++) {
		const ikey *k = &sel->keys[i];
		put_member(w, k, i);
		switch (k->id) {
		case IF_TYPENAME: PUT_LITERAL(w, "\"__Schema\""); break;
		case IF_DESCRIPTION: put_text(w, s->description); break;
		case IF_TYPES: write_type_list(w, k->sub, s->types, s->type_count); break;
		case IF_QUERY_TYPE: write_type_or_null(w, k->sub, s->query); break;
		case IF_MUTATION_TYPE: write_type_or_null(w, k->sub, s->mutation); break;
		case IF_SUBSCRIPTION_TYPE: write_type_or_null(w, k->sub, s->subscription); break;
		case IF_DIRECTIVES:
			PUT_LITERAL(w, "[");
			for (size_t j = 0; j < s->directive_count && !w->nomem; j++) {
				if (j)
					PUT_LITERAL(w, ",");
				write_directive(w, k->sub, s->directives[j]);
			}
			PUT_LITERAL(w, "]");
			break;
		default: PUT_LITERAL(w, "null"); break;
		}
	}
	PUT_LITERAL(w, "}");
}

int gqlws_schema_introspect_text(const gqlws_schema *schema, const gqlws_doc_plan *plan,
				 const gqlws_doc_field *field, gqlws_doc_buf *out)
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
	compiler c = {.plan = plan};
	doc_arena_init(&c.arena);
	const isel *sel = compile(&c, field->subs, field->sub_count, is_schema ? IOBJ_SCHEMA : IOBJ_TYPE);
	writer w = {.schema = schema, .out = out};
	if (sel) {
		if (is_schema)
			write_schema(&w, sel);
		else
			write_type(&w, sel, (itype){NULL, type});
	}
	if (!w.nomem && reserve(&w, 0))
		out->data[out->len] = '\0';
	free(w.memo);
	gqlws_doc_buf_free(&w.scratch);
	doc_arena_release(&c.arena);
	return c.nomem || w.nomem ? -1 : 0;
}
