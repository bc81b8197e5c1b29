/*
 * introspect_compile.c - a root field's selection on the introspection
 * types, compiled once per answer: for every position, which field each
 * response key asks for, with what arguments and which sub-selection, so
 * that writing the answer neither collects fragments nor compares names
 * again, however many types it visits.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect.h"
#include "plan.h"

static const char *const iobj_names[] = {
	"__Schema", "__Type", "__Field", "__InputValue", "__EnumValue", "__Directive",
};

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

static const isel empty_selection = {NULL, 0, 0};

typedef struct compiler {
	const gqlws_doc_plan *plan;
	doc_arena *arena;
	uint32_t selections;     /* compiled so far */
	size_t max_depth;        /* of nested selections, for error paths */
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
	size_t room = key_len + 5 < IKEY_MEMBER_ROOM ? IKEY_MEMBER_ROOM : key_len + 5;
	char *m = doc_arena_alloc(c->arena, room);
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
static const isel *compile(compiler *c, const doc_selection *const *sets, size_t n, iobj obj, size_t depth)
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
	sel = doc_arena_alloc(c->arena, sizeof *sel);
	ikey *keys = doc_arena_alloc(c->arena, (list.count ? list.count : 1) * sizeof *keys);
	if (!sel || !keys)
		goto nomem;
	sel->keys = keys;
	sel->id = ++c->selections;
	if (depth > c->max_depth)
		c->max_depth = depth;
	for (size_t i = 0; i < list.count; i++) {
		const doc_selection *f = list.items[i];
		const ifield_def *def = links.first[i] ? find_def(obj, f->name) : NULL;
		if (!def)
			continue; /* graphql-js leaves out fields it has no definition of */
		ikey *k = &keys[sel->count++];
		k->id = def->id;
		k->include_deprecated = include_deprecated_arg(c, f->arguments);
		k->member = member_text(c, f->key, f->key_len, &k->member_len);
		k->key = f->key;
		size_t nodes = 0;
		for (uint32_t j = (uint32_t)i; j != DOC_NO_NEXT; j = links.next_same[j])
			nodes++;
		doc_pos *positions = doc_arena_alloc(c->arena, nodes * sizeof *positions);
		if (!k->member || !positions)
			goto nomem;
		for (uint32_t j = (uint32_t)i; j != DOC_NO_NEXT; j = links.next_same[j])
			positions[k->position_count++] = list.items[j]->pos;
		k->positions = positions;
		k->sub = &empty_selection;
		if (def->value == IOBJ_NONE)
			continue;
		size_t subs = 0;
		for (uint32_t j = (uint32_t)i; j != DOC_NO_NEXT; j = links.next_same[j])
			subs += list.items[j]->selections != NULL;
		if (!subs)
			continue;
		const doc_selection **sub_sets = doc_arena_alloc(c->arena, subs * sizeof *sub_sets);
		if (!sub_sets)
			goto nomem;
		subs = 0;
		for (uint32_t j = (uint32_t)i; j != DOC_NO_NEXT; j = links.next_same[j])
			if (list.items[j]->selections)
				sub_sets[subs++] = list.items[j]->selections;
		k->sub = compile(c, sub_sets, subs, def->value, depth + 1);
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

const isel *introspect_compile(const gqlws_doc_plan *plan, const gqlws_doc_field *field, iobj root,
			       doc_arena *arena, size_t *max_depth)
{
	compiler c = {.plan = plan, .arena = arena};
	const isel *sel = compile(&c, field->subs, field->sub_count, root, 1);
	*max_depth = c.max_depth;
	return c.nomem ? NULL : sel;
}
