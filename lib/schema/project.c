/*
 * project.c - typed results: completes an executor's JSON value for one
 * root field through its selection with the schema's types, as graphql-js's
 * execute() completes values (lists, leaves serialised, abstract types
 * resolved from a __typename member, fragments by the resolved type, null
 * propagated to the nearest nullable parent), straight to JSON text.
 *
 * Null propagation on text: every nullable position remembers the output
 * length where its value starts; a non-null violation below it cuts the
 * text back to there and writes null. Errors are appended the moment they
 * arise, which is graphql-js's order for values that are all there (it
 * records an error where it is caught, and nothing runs in between).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "plan.h"
#include "name_lookup.h"
#include "project_internal.h"

/* Recursion follows the value: each object or list level of the output is
 * one level of the executor's value (cJSON's parser stops at 1000), and
 * between two of them there are at most two completions of wrappers. A
 * value nested deeper than this (built by hand) is null there, so that the
 * stack stays under about 500 KiB whatever the SDL and the value nest. */
#define PROJECT_DEPTH_MAX (GQLWS_DOC_DEPTH_CEILING + 24u)

/* Up to this many fields in one selection, same response keys are found by
 * comparing every pair (faster than hashing for what queries look like). */
#define PROJECT_PAIRWISE_MAX 32u

#define PROJECT_NODES_INLINE 64u
#define PROJECT_FRAGMENTS_INLINE 16u
#define PROJECT_FIELD_MEMO 16u /* a power of two */

/* The response path, linked through the C stack: free to extend, walked
 * only when an error is recorded. */
typedef struct path_seg {
	const struct path_seg *parent;
	const char *key; /* NULL for a list index */
	size_t key_len;
	size_t index;
} path_seg;

typedef struct projector {
	const gqlws_schema *schema;
	const gqlws_doc_plan *plan;
	const gqlws_doc_field *root;
	const schema_type *root_type;
	schema_project_sink out;
	cJSON **errors;
	unsigned depth;
	/* Field nodes, used as a stack: each object level collects its fields
	 * above what its callers hold. Reached by index, as it may move. */
	const doc_selection **nodes;
	size_t node_count, node_cap;
	/* Fragments spread in the current collection (graphql-js visits each
	 * once per collection): mark == generation. Made on first use. */
	unsigned *fragment_mark;
	unsigned generation;
	/* Per collected node, as a stack beside nodes: the index of the next
	 * node with the same response key (KEY_NO_NEXT: none), KEY_FIRST set
	 * on a key's first node. */
	uint32_t *links;
	size_t link_count, link_cap;
	/* An array's "length" as a value (see member_of): one is enough, as a
	 * number is completed before the next member is looked up. */
	cJSON length;
	/* the runtime type an abstract value named last */
	const schema_type *last_runtime;
	/* field definitions found, by node and object type: a list's items
	 * complete the same nodes on the same type again and again */
	struct {
		const doc_selection *node;
		const schema_type *type;
		const schema_field *def;
	} field_memo[PROJECT_FIELD_MEMO];
	/* The selection whose @skip/@include raised in the current collection
	 * (DOC_SEL_RAISES): graphql-js stops collecting there. */
	const doc_selection *raised;
	/* last: not cleared per call (see gqlws_schema_project_text) */
	const doc_selection *node_storage[PROJECT_NODES_INLINE];
	uint32_t link_storage[PROJECT_NODES_INLINE];
	unsigned fragment_storage[PROJECT_FRAGMENTS_INLINE];
} projector;

#define KEY_FIRST 0x80000000u
#define KEY_NO_NEXT 0x7fffffffu

/* The field whose value is being completed: its parent object type, its
 * name, and its nodes (nodes[at..at+count) of the projector), or for the
 * root field (count 0) the plan's field. */
typedef struct field_ctx {
	const schema_type *parent;
	const char *name;
	size_t at, count;
} field_ctx;

typedef enum completion {
	COMPLETED,      /* a value other than null was written */
	COMPLETED_NULL, /* null was written */
	THROWN,         /* an error was recorded; the nearest nullable parent becomes null */
} completion;

static void set_nomem(projector *pr)
{
	pr->out.nomem = true;
}

static bool push_node(projector *pr, const doc_selection *node)
{
	if (pr->node_count == pr->node_cap) {
		size_t cap = pr->node_cap * 2;
		const doc_selection **grown;
		if (pr->nodes == pr->node_storage) {
			grown = malloc(cap * sizeof *grown);
			if (grown)
				memcpy(grown, pr->nodes, pr->node_count * sizeof *grown);
		} else {
			grown = realloc(pr->nodes, cap * sizeof *grown);
		}
		if (!grown) {
			set_nomem(pr);
			return false;
		}
		pr->nodes = grown;
		pr->node_cap = cap;
	}
	pr->nodes[pr->node_count++] = node;
	return true;
}

/* Cuts the output back to mark, where a value that became null started. */
static void write_null_at(projector *pr, size_t mark)
{
	if (pr->out.nomem)
		return;
	pr->out.buf->len = mark;
	SCHEMA_PROJECT_EMIT_LITERAL(&pr->out, "null");
}

/* ----------------------------------------------------------- collecting */

/* graphql-js doesFragmentConditionMatch. */
static bool condition_matches(const projector *pr, const char *condition, const schema_type *type)
{
	if (!condition || name_compare(condition, type->name) == 0)
		return true;
	const schema_type *conditional = name_lookup_type(pr->schema, condition);
	return conditional && schema_is_abstract_kind(conditional->kind) &&
	       schema_is_possible_type(conditional, type);
}

static bool fragment_visit(projector *pr, const doc_fragment *fragment)
{
	if (!pr->fragment_mark) {
		size_t count = pr->plan->doc->fragment_count + 1;
		if (count <= PROJECT_FRAGMENTS_INLINE) {
			memset(pr->fragment_storage, 0, sizeof pr->fragment_storage);
			pr->fragment_mark = pr->fragment_storage;
		} else {
			pr->fragment_mark = calloc(count, sizeof *pr->fragment_mark);
		}
		if (!pr->fragment_mark) {
			set_nomem(pr);
			return false;
		}
	}
	if (pr->fragment_mark[fragment->index] == pr->generation)
		return false;
	pr->fragment_mark[fragment->index] = pr->generation;
	return true;
}

/* graphql-js collectFieldsImpl: pushes the fields of set that apply to an
 * object of type type. Its recursion follows fragments, each at most once
 * per collection, within the document's validated depth. */
static void collect(projector *pr, const doc_selection *set, const schema_type *type)
{
	for (const doc_selection *s = set; s && !pr->out.nomem && !pr->raised; s = s->next) {
		if (pr->plan->included[s->index] != DOC_SEL_INCLUDED) {
			if (pr->plan->included[s->index] == DOC_SEL_RAISES)
				pr->raised = s;
			continue;
		}
		switch (s->kind) {
		case DOC_SELECTION_FIELD:
			push_node(pr, s);
			break;
		case DOC_SELECTION_INLINE:
			if (condition_matches(pr, s->type_condition, type))
				collect(pr, s->selections, type);
			break;
		case DOC_SELECTION_SPREAD:
			if (s->fragment && fragment_visit(pr, s->fragment) &&
			    condition_matches(pr, s->fragment->type_condition, type))
				collect(pr, s->fragment->selections, type);
			break;
		}
	}
}

static void begin_collection(projector *pr)
{
	if (++pr->generation == 0) { /* wrapped: forget every old mark */
		if (pr->fragment_mark)
			memset(pr->fragment_mark, 0,
			       (pr->plan->doc->fragment_count + 1) * sizeof *pr->fragment_mark);
		pr->generation = 1;
	}
}

/* The sub-fields of the field in fc for an object of type type, pushed
 * from pr->nodes[base]. */
__attribute__((noinline)) static void collect_subfields(projector *pr, const field_ctx *fc, const schema_type *type)
{
	begin_collection(pr);
	if (fc->count == 0) {
		for (size_t i = 0; i < pr->root->sub_count; i++)
			collect(pr, pr->root->subs[i], type);
		return;
	}
	for (size_t i = 0; i < fc->count; i++) {
		const doc_selection *node = pr->nodes[fc->at + i];
		if (node->selections)
			collect(pr, node->selections, type);
	}
}

/* --------------------------------------------------------------- errors */

static int add_location(cJSON *error, const doc_selection *node)
{
	return doc_error_add_location(error, node->pos);
}

/* Locations of the root field: every root node with its response key, as
 * graphql-js lists the nodes it merged. Only errors pay for finding them. */
static int add_root_locations(projector *pr, cJSON *error)
{
	const doc_selection *root_set = pr->plan->op->selections;
	size_t base = pr->node_count;
	int rc = 0;

	begin_collection(pr);
	if (pr->root_type)
		collect(pr, root_set, pr->root_type);
	for (size_t i = base; i < pr->node_count && rc == 0; i++)
		if (!strcmp(pr->nodes[i]->key, pr->root->key))
			rc = add_location(error, pr->nodes[i]);
	if (pr->node_count == base) /* a root type the plan does not know */
		rc = doc_error_add_location(error, pr->root->pos);
	pr->node_count = base;
	return pr->out.nomem ? -1 : rc;
}

/* Appends the path's segments, root first. Recursion as deep as the path,
 * which the projection's own depth bounds. */
static bool add_path(cJSON *array, const path_seg *seg)
{
	if (!seg)
		return true;
	if (!add_path(array, seg->parent))
		return false;
	cJSON *item;
	if (seg->key) {
		char small[64];
		char *key = seg->key_len < sizeof small ? small : malloc(seg->key_len + 1);
		if (!key)
			return false;
		memcpy(key, seg->key, seg->key_len);
		key[seg->key_len] = '\0';
		item = cJSON_CreateString(key);
		if (key != small)
			free(key);
	} else {
		item = cJSON_CreateNumber((double)seg->index);
	}
	if (!item)
		return false;
	cJSON_AddItemToArray(array, item);
	return true;
}

/* Records an error {message, locations, path} located at fc's nodes.
 * message is taken (freed here). */
__attribute__((noinline)) static void record_error(projector *pr, const field_ctx *fc, const path_seg *at, gqlws_doc_buf *message)
{
	cJSON *error = NULL, *path = NULL;

	if (!pr->out.nomem && message->data) {
		if (!*pr->errors)
			*pr->errors = cJSON_CreateArray();
		error = *pr->errors ? gqlws_doc_error_new(message->data, 0, 0) : NULL;
	}
	gqlws_doc_buf_free(message);
	if (!error) {
		set_nomem(pr);
		return;
	}
	cJSON_AddItemToArray(*pr->errors, error);
	int rc = 0;
	if (fc->count == 0)
		rc = add_root_locations(pr, error);
	for (size_t i = 0; i < fc->count && rc == 0; i++)
		rc = add_location(error, pr->nodes[fc->at + i]);
	path = rc == 0 ? cJSON_AddArrayToObject(error, "path") : NULL;
	if (!path || !add_path(path, at))
		set_nomem(pr);
}

/* The error of pr->raised (graphql-js's getArgumentValues for @skip or
 * @include while it collects the sub-fields at path): located at the `if`
 * value, as graphql-js keeps the nodes of the error it wraps. */
__attribute__((noinline)) static completion throw_if_error(projector *pr, const path_seg *at)
{
	cJSON *error = doc_plan_if_error(pr->plan, pr->raised);
	cJSON *path = error ? cJSON_AddArrayToObject(error, "path") : NULL;

	pr->raised = NULL;
	if (!*pr->errors && error)
		*pr->errors = cJSON_CreateArray();
	if (!path || !add_path(path, at) || !*pr->errors) {
		cJSON_Delete(error);
		set_nomem(pr);
		return THROWN;
	}
	cJSON_AddItemToArray(*pr->errors, error);
	return THROWN;
}

/* A message made of pieces (NULL-terminated), recorded as above. */
__attribute__((noinline)) static completion throw_message(projector *pr, const field_ctx *fc, const path_seg *at,
				const char *const *pieces)
{
	gqlws_doc_buf message = GQLWS_DOC_BUF_INIT;
	schema_project_sink sink = {&message, false};
	for (; *pieces; pieces++)
		schema_project_emit(&sink, *pieces, strlen(*pieces));
	schema_project_sink_end(&sink);
	if (sink.nomem) {
		gqlws_doc_buf_free(&message);
		set_nomem(pr);
		return THROWN;
	}
	record_error(pr, fc, at, &message);
	return THROWN;
}

/* ----------------------------------------------------------- completing */

/* Names are short: comparing them here beats a call to strcmp. */
static inline bool same_name(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Type tests without a call into the cJSON library per value. */
static inline int json_kind(const cJSON *v)
{
	return v->type & 0xFF;
}

static completion complete(projector *pr, const schema_ref *ref, const cJSON *value,
			   const field_ctx *fc, const path_seg *path);

/* graphql-js's default field resolver: the value's own member; an array's
 * "length" (its only named property a GraphQL name can reach); nothing for
 * other values. (JavaScript would also find inherited properties such as
 * "constructor": JSON has none.) */
static const cJSON *member_of(projector *pr, const cJSON *value, const char *name, const cJSON **cursor)
{
	if (json_kind(value) == cJSON_Object) {
		/* Executors usually send members in the order they are asked
		 * for: search on from the last one found, then wrap. */
		const cJSON *from = *cursor ? (*cursor)->next : value->child;
		for (const cJSON *m = from; m; m = m->next)
			if (m->string && same_name(m->string, name))
				return *cursor = m;
		for (const cJSON *m = value->child; m && m != from; m = m->next)
			if (m->string && same_name(m->string, name))
				return *cursor = m;
		return NULL;
	}
	if (json_kind(value) == cJSON_Array && !strcmp(name, "length")) {
		memset(&pr->length, 0, sizeof pr->length);
		pr->length.type = cJSON_Number;
		pr->length.valuedouble = (double)cJSON_GetArraySize(value);
		pr->length.valueint = (int)pr->length.valuedouble;
		return &pr->length;
	}
	return NULL;
}

static bool same_key(const doc_selection *a, const doc_selection *b)
{
	return a->key_len == b->key_len && (a->key == b->key || !memcmp(a->key, b->key, a->key_len));
}

static bool reserve_links(projector *pr, size_t n)
{
	if (n > KEY_NO_NEXT || pr->link_count + n > KEY_NO_NEXT) {
		set_nomem(pr); /* beyond any document the limits let through */
		return false;
	}
	if (pr->link_count + n <= pr->link_cap)
		return true;
	size_t cap = pr->link_cap * 2;
	while (cap < pr->link_count + n)
		cap *= 2;
	uint32_t *grown;
	if (pr->links == pr->link_storage) {
		grown = malloc(cap * sizeof *grown);
		if (grown)
			memcpy(grown, pr->links, pr->link_count * sizeof *grown);
	} else {
		grown = realloc(pr->links, cap * sizeof *grown);
	}
	if (!grown) {
		set_nomem(pr);
		return false;
	}
	pr->links = grown;
	pr->link_cap = cap;
	return true;
}

/* A cheap fingerprint of a response key: most selections repeat no key,
 * and a key whose bit is not yet set needs no comparison at all. */
static unsigned key_bit(const doc_selection *s)
{
	unsigned h = (unsigned)s->key_len * 31u + (unsigned char)s->key[0] * 7u +
		     (unsigned char)s->key[s->key_len ? s->key_len - 1 : 0];
	return h & 255u;
}

/* Links the response keys of nodes[base..base+n) into links[at..at+n)
 * (indices relative to base). Small selections compare pairs behind a
 * filter; large ones (hostile) hash. Returns at, or SIZE_MAX. */
__attribute__((noinline)) static size_t group_keys(projector *pr, size_t base, size_t n)
{
	if (!reserve_links(pr, n))
		return SIZE_MAX;
	size_t at = pr->link_count;
	uint32_t *links = pr->links + at;
	pr->link_count += n;
	if (n <= PROJECT_PAIRWISE_MAX) {
		uint64_t seen[4] = {0, 0, 0, 0};
		for (size_t i = 0; i < n; i++) {
			unsigned bit = key_bit(pr->nodes[base + i]);
			links[i] = KEY_FIRST | KEY_NO_NEXT;
			if (!(seen[bit >> 6] & (1ull << (bit & 63)))) {
				seen[bit >> 6] |= 1ull << (bit & 63);
				continue;
			}
			for (size_t j = i; j-- > 0;) {
				if (same_key(pr->nodes[base + j], pr->nodes[base + i])) {
					links[i] &= ~KEY_FIRST;
					links[j] = (links[j] & KEY_FIRST) | (uint32_t)i;
					break;
				}
			}
		}
		return at;
	}
	doc_key_links hashed;
	doc_field_list view = {.items = pr->nodes + base, .count = n, .cap = n, .on_heap = false};
	if (doc_key_links_build(&hashed, &view) != 0) {
		doc_key_links_release(&hashed);
		pr->link_count = at;
		set_nomem(pr);
		return SIZE_MAX;
	}
	for (size_t i = 0; i < n; i++)
		links[i] = (hashed.first[i] ? KEY_FIRST : 0) |
			   (hashed.next_same[i] == DOC_NO_NEXT ? KEY_NO_NEXT : hashed.next_same[i]);
	doc_key_links_release(&hashed);
	return at;
}

/* A response key is a doc string: its own doc_arena_strndup allocation,
 * rounded up to DOC_ARENA_ALIGN bytes, so the first 16 bytes of a shorter
 * key can be read. */
_Static_assert(DOC_ARENA_ALIGN >= 16, "a short key's 16-byte block lies in its allocation");

/* A member's ,"key": (no comma first) in one piece: a key of up to 15
 * bytes (a Name: nothing to escape) copied as one 16-byte block. */
static inline void emit_member(schema_project_sink *sink, const doc_selection *node, bool first)
{
	gqlws_doc_buf *buf = sink->buf;
	size_t n = node->key_len;
	if (n < 16 && buf->cap - buf->len > 16 + 4) {
		char *p = buf->data + buf->len;
		if (!first)
			*p++ = ',';
		*p++ = '"';
		memcpy(p, node->key, 16);
		p += n;
		*p++ = '"';
		*p++ = ':';
		buf->len = (size_t)(p - buf->data);
		return;
	}
	if (!first)
		SCHEMA_PROJECT_EMIT_LITERAL(sink, ",");
	SCHEMA_PROJECT_EMIT_LITERAL(sink, "\"");
	schema_project_emit(sink, node->key, n);
	SCHEMA_PROJECT_EMIT_LITERAL(sink, "\":");
}

/* The field `name` of type; selections usually follow the type's field
 * order, so the field after the last one found is tried first. */
static const schema_field *field_of(const schema_type *type, const char *name, size_t *hint)
{
	const schema_field *def;
	if (*hint < type->field_count && same_name(type->fields[*hint].name, name))
		def = &type->fields[*hint];
	else
		def = name_lookup_field(type, name);
	if (def && def >= type->fields && def < type->fields + type->field_count)
		*hint = (size_t)(def - type->fields) + 1;
	return def;
}

/* graphql-js completeObjectValue + executeFields for a value of object
 * type type. */
static completion complete_object(projector *pr, const schema_type *type, const cJSON *value,
				  const field_ctx *fc, const path_seg *path)
{
	size_t base = pr->node_count;
	completion result = COMPLETED;

	collect_subfields(pr, fc, type);
	if (pr->raised) {
		pr->node_count = base;
		return throw_if_error(pr, path);
	}
	size_t n = pr->node_count - base;
	size_t links_at = pr->out.nomem ? SIZE_MAX : group_keys(pr, base, n);
	if (links_at == SIZE_MAX) {
		pr->node_count = base;
		return THROWN;
	}
	const cJSON *cursor = NULL;
	size_t field_hint = 0;
	bool first_written = true;
	SCHEMA_PROJECT_EMIT_LITERAL(&pr->out, "{");
	for (size_t i = 0; i < n && !pr->out.nomem; i++) {
		uint32_t link = pr->links[links_at + i];
		if (!(link & KEY_FIRST))
			continue;
		const doc_selection *node = pr->nodes[base + i];
		const char *name = node->name;
		emit_member(&pr->out, node, first_written);
		first_written = false;
		if (name[0] == '_' && name[1] == '_' && !strcmp(name, "__typename")) {
			schema_project_emit_string(&pr->out, type->name);
			continue;
		}
		size_t slot = ((uintptr_t)node >> 4) & (PROJECT_FIELD_MEMO - 1);
		const schema_field *def;
		if (pr->field_memo[slot].node == node && pr->field_memo[slot].type == type) {
			def = pr->field_memo[slot].def;
		} else {
			def = field_of(type, name, &field_hint);
			pr->field_memo[slot].node = node;
			pr->field_memo[slot].type = type;
			pr->field_memo[slot].def = def;
		}
		if (!def) { /* not validated against this schema: nothing to say */
			SCHEMA_PROJECT_EMIT_LITERAL(&pr->out, "null");
			continue;
		}
		/* The nodes merged under this key, for the field's own
		 * selections and its errors' locations: usually just this one,
		 * where it lies; several are gathered above. */
		field_ctx child = {type, name, base + i, 1};
		if ((link & KEY_NO_NEXT) != KEY_NO_NEXT) {
			child.at = pr->node_count;
			for (uint32_t j = (uint32_t)i; j != KEY_NO_NEXT; j = pr->links[links_at + j] & KEY_NO_NEXT)
				if (!push_node(pr, pr->nodes[base + j]))
					break;
			child.count = pr->node_count - child.at;
		}
		const cJSON *member = member_of(pr, value, name, &cursor);
		size_t mark = pr->out.buf->len;
		path_seg seg = {path, node->key, node->key_len, 0};
		completion c = complete(pr, def->type, member, &child, &seg);
		pr->node_count = base + n;
		pr->link_count = links_at + n;
		if (c == THROWN) {
			if (def->type->kind == SCHEMA_REF_NON_NULL) {
				result = THROWN; /* the rest of this object is never run */
				break;
			}
			write_null_at(pr, mark);
		}
	}
	SCHEMA_PROJECT_EMIT_LITERAL(&pr->out, "}");
	pr->node_count = base;
	pr->link_count = links_at;
	return pr->out.nomem ? THROWN : result;
}

/* graphql-js completeAbstractValue: the runtime type named by a
 * __typename member, checked as ensureValidRuntimeType checks it. */
__attribute__((noinline)) static completion complete_abstract(projector *pr, const schema_type *abstract, const cJSON *value,
				    const field_ctx *fc, const path_seg *path)
{
	const cJSON *name = NULL;
	if (json_kind(value) == cJSON_Object) /* cJSON_GetObjectItemCaseSensitive, inlined */
		for (name = value->child; name && !(name->string && same_name(name->string, "__typename"));
		     name = name->next)
			;
	if (!name || json_kind(name) != cJSON_String || !name->valuestring) {
		const char *msg[] = {"Abstract type \"", abstract->name,
				     "\" must resolve to an Object type at runtime for field \"",
				     fc->parent->name, ".", fc->name, "\". Either the \"", abstract->name,
				     "\" type should provide a \"resolveType\" function or each possible "
				     "type should provide an \"isTypeOf\" function.",
				     NULL};
		return throw_message(pr, fc, path, msg);
	}
	/* a list's values are mostly of one type: the last one found first */
	const schema_type *runtime = pr->last_runtime && same_name(pr->last_runtime->name, name->valuestring)
					     ? pr->last_runtime
					     : name_lookup_type(pr->schema, name->valuestring);
	if (runtime)
		pr->last_runtime = runtime;
	if (!runtime) {
		const char *msg[] = {"Abstract type \"", abstract->name, "\" was resolved to a type \"",
				     name->valuestring, "\" that does not exist inside the schema.", NULL};
		return throw_message(pr, fc, path, msg);
	}
	if (runtime->kind != SCHEMA_OBJECT) {
		const char *msg[] = {"Abstract type \"", abstract->name,
				     "\" was resolved to a non-object type \"", name->valuestring, "\".",
				     NULL};
		return throw_message(pr, fc, path, msg);
	}
	if (!schema_is_possible_type(abstract, runtime)) {
		const char *msg[] = {"Runtime Object type \"", runtime->name,
				     "\" is not a possible type for \"", abstract->name, "\".", NULL};
		return throw_message(pr, fc, path, msg);
	}
	return complete_object(pr, runtime, value, fc, path);
}

__attribute__((noinline)) static completion complete_list(projector *pr, const schema_ref *ref, const cJSON *value,
				const field_ctx *fc, const path_seg *path)
{
	if (json_kind(value) != cJSON_Array) {
		const char *msg[] = {"Expected Iterable, but did not find one for field \"",
				     fc->parent->name, ".", fc->name, "\".", NULL};
		return throw_message(pr, fc, path, msg);
	}
	const schema_ref *item_ref = ref->of_type;
	path_seg seg = {path, NULL, 0, 0};
	SCHEMA_PROJECT_EMIT_LITERAL(&pr->out, "[");
	for (const cJSON *item = value->child; item && !pr->out.nomem; item = item->next, seg.index++) {
		if (seg.index)
			SCHEMA_PROJECT_EMIT_LITERAL(&pr->out, ",");
		size_t mark = pr->out.buf->len;
		completion c = complete(pr, item_ref, item, fc, &seg);
		if (c == THROWN) {
			if (item_ref->kind == SCHEMA_REF_NON_NULL)
				return THROWN; /* the rest of the list is never run */
			write_null_at(pr, mark);
		}
	}
	SCHEMA_PROJECT_EMIT_LITERAL(&pr->out, "]");
	return pr->out.nomem ? THROWN : COMPLETED;
}

/* A leaf, serialised; a value it cannot represent is an error. */
__attribute__((noinline)) static completion complete_leaf(projector *pr, const schema_type *type, const cJSON *value,
				const field_ctx *fc, const path_seg *path)
{
	gqlws_doc_buf message = GQLWS_DOC_BUF_INIT;
	schema_project_sink sink = {&message, false};
	if (schema_project_leaf(&pr->out, type, value, &sink))
		return COMPLETED;
	schema_project_sink_end(&sink);
	if (sink.nomem) {
		gqlws_doc_buf_free(&message);
		set_nomem(pr);
		return THROWN;
	}
	record_error(pr, fc, path, &message);
	return THROWN;
}

/* graphql-js completeValue. */
static completion complete(projector *pr, const schema_ref *ref, const cJSON *value,
			   const field_ctx *fc, const path_seg *path)
{
	completion c;

	if (pr->out.nomem)
		return THROWN;
	if (ref->kind == SCHEMA_REF_NON_NULL) {
		c = complete(pr, ref->of_type, value, fc, path);
		if (c == COMPLETED_NULL) {
			const char *msg[] = {"Cannot return null for non-nullable field ",
					     fc->parent->name, ".", fc->name, ".", NULL};
			c = throw_message(pr, fc, path, msg);
		}
	} else if (!value || json_kind(value) == cJSON_NULL || json_kind(value) == cJSON_Invalid) {
		SCHEMA_PROJECT_EMIT_LITERAL(&pr->out, "null");
		c = COMPLETED_NULL;
	} else if (pr->depth >= PROJECT_DEPTH_MAX) {
		SCHEMA_PROJECT_EMIT_LITERAL(&pr->out, "null");
		c = COMPLETED_NULL;
	} else if (ref->kind == SCHEMA_REF_LIST) {
		pr->depth++;
		c = complete_list(pr, ref, value, fc, path);
		pr->depth--;
	} else {
		const schema_type *type = ref->named;
		switch (type->kind) {
		case SCHEMA_SCALAR:
		case SCHEMA_ENUM:
			c = complete_leaf(pr, type, value, fc, path);
			break;
		case SCHEMA_INTERFACE:
		case SCHEMA_UNION:
			pr->depth++;
			c = complete_abstract(pr, type, value, fc, path);
			pr->depth--;
			break;
		case SCHEMA_OBJECT:
			pr->depth++;
			c = complete_object(pr, type, value, fc, path);
			pr->depth--;
			break;
		default: /* an input type cannot be a field's: not from a valid schema */
			SCHEMA_PROJECT_EMIT_LITERAL(&pr->out, "null");
			c = COMPLETED_NULL;
			break;
		}
	}
	return c;
}

/* ------------------------------------------------------------------ API */

static const schema_type *plan_root_type(const gqlws_schema *schema, const gqlws_doc_plan *plan)
{
	if (plan->root_type)
		return name_lookup_type(schema, plan->root_type);
	switch (plan->op->type) {
	case GQLWS_DOC_MUTATION: return schema->mutation;
	case GQLWS_DOC_SUBSCRIPTION: return schema->subscription;
	default: return schema->query;
	}
}

int gqlws_schema_project_text(const gqlws_schema *schema, const gqlws_doc_plan *plan,
			      const gqlws_doc_field *field, const cJSON *value, gqlws_doc_buf *out,
			      cJSON **errors)
{
	if (!schema || !plan || !field || !out || !errors)
		return -1;
	/* the inline storage (over 800 bytes) is written before it is read:
	 * only what comes before it is cleared, once per event */
	projector pr;
	memset(&pr, 0, offsetof(projector, node_storage));
	pr.schema = schema;
	pr.plan = plan;
	pr.root = field;
	pr.root_type = plan_root_type(schema, plan);
	pr.out = (schema_project_sink){out, false};
	pr.errors = errors;
	pr.node_cap = PROJECT_NODES_INLINE;
	pr.link_cap = PROJECT_NODES_INLINE;
	pr.nodes = pr.node_storage;
	pr.links = pr.link_storage;
	size_t start = out->len;
	int rc = GQLWS_SCHEMA_PROJECT_OK;

	const schema_field *def = pr.root_type ? name_lookup_field(pr.root_type, field->name) : NULL;
	if (field->name[0] == '_' && !strcmp(field->name, "__typename")) {
		if (pr.root_type)
			schema_project_emit_string(&pr.out, pr.root_type->name);
		else
			SCHEMA_PROJECT_EMIT_LITERAL(&pr.out, "null");
	} else if (!def) {
		SCHEMA_PROJECT_EMIT_LITERAL(&pr.out, "null");
	} else {
		field_ctx fc = {pr.root_type, field->name, 0, 0};
		path_seg seg = {NULL, field->key, strlen(field->key), 0};
		completion c = complete(&pr, def->type, value, &fc, &seg);
		if (c == THROWN && !pr.out.nomem) {
			write_null_at(&pr, start);
			if (def->type->kind == SCHEMA_REF_NON_NULL)
				rc = GQLWS_SCHEMA_PROJECT_DATA_NULL;
		}
	}
	schema_project_sink_end(&pr.out);
	if (pr.nodes != pr.node_storage)
		free(pr.nodes);
	if (pr.links != pr.link_storage)
		free(pr.links);
	if (pr.fragment_mark != pr.fragment_storage)
		free(pr.fragment_mark);
	return pr.out.nomem ? -1 : rc;
}

int schema_project_root_error(const gqlws_schema *schema, const gqlws_doc_plan *plan,
			      const gqlws_doc_field *field, const char *message, cJSON **errors)
{
	gqlws_doc_buf unused = GQLWS_DOC_BUF_INIT, text = GQLWS_DOC_BUF_INIT;
	projector pr;

	if (!schema || !plan || !field || !message || !errors)
		return -1;
	memset(&pr, 0, offsetof(projector, node_storage));
	pr.schema = schema;
	pr.plan = plan;
	pr.root = field;
	pr.root_type = plan_root_type(schema, plan);
	pr.out = (schema_project_sink){&unused, false};
	pr.errors = errors;
	pr.node_cap = PROJECT_NODES_INLINE;
	pr.link_cap = PROJECT_NODES_INLINE;
	pr.nodes = pr.node_storage;
	pr.links = pr.link_storage;
	if (gqlws_doc_buf_append(&text, message, strlen(message)))
		set_nomem(&pr);
	field_ctx fc = {pr.root_type, field->name, 0, 0};
	path_seg seg = {NULL, field->key, strlen(field->key), 0};
	record_error(&pr, &fc, &seg, &text); /* takes text */
	if (pr.nodes != pr.node_storage)
		free(pr.nodes);
	if (pr.links != pr.link_storage)
		free(pr.links);
	if (pr.fragment_mark != pr.fragment_storage)
		free(pr.fragment_mark);
	gqlws_doc_buf_free(&unused);
	return pr.out.nomem ? -1 : 0;
}
