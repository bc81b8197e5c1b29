/*
 * sdl_validate.c - graphql-js's validateSDL(): the rules of specifiedSDLRules
 * over a type-system document, with graphql-js's messages and locations, in
 * its order (one traversal in document order; at each node the rules in
 * list order; a directive's required arguments when the traversal leaves
 * it).
 *
 * The traversal runs twice. The first pass only records every name that a
 * uniqueness rule compares (type, field, enum value and directive names,
 * directive uses, input object fields, arguments); sorting those records
 * tells each one which earlier record it repeats. The second pass reports,
 * reading the records back in the same order. So uniqueness costs
 * O(n log n) however many names a hostile SDL repeats; lookups by name are
 * binary searches.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "errors.h"

/* -------------------------------------------------------- name records */

typedef enum key_kind {
	KEY_TYPE,        /* UniqueTypeNames */
	KEY_ENUM_VALUE,  /* UniqueEnumValueNames, scope: the type */
	KEY_FIELD,       /* UniqueFieldDefinitionNames, scope: the type */
	KEY_DIRECTIVE,   /* UniqueDirectiveNames */
	KEY_USE,         /* UniqueDirectivesPerLocation, scope: type, schema or node */
	KEY_INPUT_FIELD, /* UniqueInputFieldNames, scope: the object value */
	KEY_ARG_DEF,     /* UniqueArgumentDefinitionNames, scope: the argument list */
	KEY_ARG,         /* UniqueArgumentNames, scope: the directive */
	KEY_KINDS,
} key_kind;

typedef struct name_key {
	size_t scope_id;          /* a scope of its own (node), or 0 */
	const char *scope_name;   /* a named scope (type), or NULL */
	const char *name;
	size_t order;
	doc_pos pos;
	size_t first;             /* index (in sorted) of the first of its name */
	size_t group_size;        /* how many share scope and name */
} name_key;

typedef struct key_list {
	name_key *keys;           /* document order */
	size_t count, cap;
	name_key **sorted;        /* by scope, name, order */
	size_t cursor;            /* second pass: the next record */
} key_list;

/* ----------------------------------------------------- directive facts */

typedef struct directive_info {
	const char *name;
	size_t order;
	const sdl_def *def;       /* its definition: specified or the SDL's */
	unsigned locations;
} directive_info;

typedef struct type_info {
	const char *name;
	size_t order;
	const sdl_def *def;
} type_info;

typedef struct sdl_validator {
	cJSON **errors;
	int rc;                        /* 0, -1 errors, -2 no memory */
	int pass;                      /* 1: record names, 2: report */
	key_list lists[KEY_KINDS];
	size_t scope_counter;
	size_t order_counter;
	/* lookups (second pass) */
	directive_info *directives;    /* by name; the last definition wins */
	size_t directive_count;
	type_info *types;              /* type definitions by name, then order */
	size_t type_count;
	const char **defined_names;    /* type names in first-definition order */
	size_t defined_name_count;
	const char **type_suggestions; /* standard names, then defined_names */
	size_t type_suggestion_count;
	size_t suggestion_budget;      /* bounds the lexical-distance work */
	size_t error_count;
	bool aborted;                  /* SCHEMA_MAX_ERRORS reached */
	cJSON *last_error;             /* also_at's count of its locations */
	size_t last_locations;
	/* rule state */
	size_t schema_definitions;
	const sdl_operation_type *operation_types[4];
} sdl_validator;

static void nomem(sdl_validator *v)
{
	v->rc = -2;
}

static cJSON *report(sdl_validator *v, doc_pos pos, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

static cJSON *report(sdl_validator *v, doc_pos pos, const char *format, ...)
{
	if (v->rc == -2 || v->aborted)
		return NULL;
	if (v->error_count++ == SCHEMA_MAX_ERRORS) {
		v->aborted = true;
		if (!schema_error_abort(v->errors))
			nomem(v);
		return NULL;
	}
	va_list args;
	va_start(args, format);
	cJSON *e = schema_error_vadd(v->errors, pos, format, args);
	va_end(args);
	if (!e)
		nomem(v);
	else
		v->rc = -1;
	return e;
}

static void also_at(sdl_validator *v, cJSON *error, doc_pos pos)
{
	if (!error)
		return;
	if (error != v->last_error) {
		v->last_error = error;
		v->last_locations = (size_t)cJSON_GetArraySize(
			cJSON_GetObjectItemCaseSensitive(error, "locations"));
	}
	if (v->last_locations >= SCHEMA_MAX_LOCATIONS)
		return;
	v->last_locations++;
	if (doc_error_add_location(error, pos) != 0)
		nomem(v);
}

/* First pass: records a name. Second pass: reads its record back. */
static const name_key *key(sdl_validator *v, key_kind kind, size_t scope_id,
			   const char *scope_name, const char *name, doc_pos pos)
{
	key_list *l = &v->lists[kind];
	if (v->pass == 2)
		return l->cursor < l->count ? &l->keys[l->cursor++] : NULL;
	if (v->rc == -2 || !name)
		return NULL;
	if (l->count == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		name_key *keys = realloc(l->keys, cap * sizeof *keys);
		if (!keys) {
			nomem(v);
			return NULL;
		}
		l->keys = keys;
		l->cap = cap;
	}
	l->keys[l->count++] = (name_key){scope_id, scope_name, name, v->order_counter++, pos, 0, 0};
	return NULL;
}

static int compare_keys(const void *a, const void *b)
{
	const name_key *x = *(const name_key *const *)a, *y = *(const name_key *const *)b;
	if (x->scope_id != y->scope_id)
		return x->scope_id < y->scope_id ? -1 : 1;
	int c = strcmp(x->scope_name ? x->scope_name : "", y->scope_name ? y->scope_name : "");
	if (c)
		return c;
	if ((c = strcmp(x->name, y->name)))
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static bool same_group(const name_key *x, const name_key *y)
{
	return x->scope_id == y->scope_id &&
	       strcmp(x->scope_name ? x->scope_name : "", y->scope_name ? y->scope_name : "") == 0 &&
	       strcmp(x->name, y->name) == 0;
}

static void resolve(sdl_validator *v, key_list *l)
{
	if (!l->count)
		return;
	l->sorted = malloc(l->count * sizeof *l->sorted);
	if (!l->sorted) {
		nomem(v);
		return;
	}
	for (size_t i = 0; i < l->count; i++)
		l->sorted[i] = &l->keys[i];
	qsort(l->sorted, l->count, sizeof *l->sorted, compare_keys);
	for (size_t i = 0; i < l->count;) {
		size_t j = i + 1;
		while (j < l->count && same_group(l->sorted[i], l->sorted[j]))
			j++;
		for (size_t k = i; k < j; k++) {
			l->sorted[k]->first = i;
			l->sorted[k]->group_size = j - i;
		}
		i = j;
	}
}

/* The first record of k's name (NULL when k is the first). */
static const name_key *first_of(const sdl_validator *v, key_kind kind, const name_key *k)
{
	const key_list *l = &v->lists[kind];
	const name_key *first = l->sorted[k->first];
	return first == k ? NULL : first;
}

static size_t new_scope(sdl_validator *v)
{
	return ++v->scope_counter;
}

/* ------------------------------------------------------------- lookups */

static int compare_directive_info(const void *a, const void *b)
{
	const directive_info *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->order < y->order ? -1 : x->order > y->order);
}

/* The last definition of a directive name (the SDL's over the specified). */
static const directive_info *find_directive_info(const sdl_validator *v, const char *name)
{
	size_t lo = 0, hi = v->directive_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(v->directives[mid].name, name) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || strcmp(v->directives[lo - 1].name, name) != 0)
		return NULL;
	return &v->directives[lo - 1];
}

static int compare_type_info(const void *a, const void *b)
{
	const type_info *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->order < y->order ? -1 : x->order > y->order);
}

/* The last definition of a type name (graphql-js keeps the last). */
static const sdl_def *find_type_def(const sdl_validator *v, const char *name)
{
	size_t lo = 0, hi = v->type_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(v->types[mid].name, name) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || strcmp(v->types[lo - 1].name, name) != 0)
		return NULL;
	return v->types[lo - 1].def;
}

static bool is_type_def(const sdl_def *d)
{
	return d->kind != SDL_DEF_SCHEMA && d->kind != SDL_DEF_DIRECTIVE &&
	       d->kind != SDL_DEF_EXECUTABLE;
}

static const char *const standard_type_names[] = {
	"String",   "Int",		   "Float",  "Boolean",	     "ID",
	"__Schema", "__Directive", "__DirectiveLocation", "__Type", "__Field",
	"__InputValue", "__EnumValue", "__TypeKind",
};
#define STANDARD_TYPE_COUNT (sizeof standard_type_names / sizeof standard_type_names[0])

static bool is_standard_type_name(const char *name)
{
	for (size_t i = 0; i < STANDARD_TYPE_COUNT; i++)
		if (strcmp(standard_type_names[i], name) == 0)
			return true;
	return false;
}

/* " Did you mean ...?" for input among options, into buf (empty for none,
 * or when the lexical-distance work this validation may spend is spent). */
static void suggest(sdl_validator *v, const char *input, const char *const *options, size_t count,
		    char *buf, size_t size)
{
	buf[0] = '\0';
	if (!count || v->aborted)
		return;
	size_t work = (strlen(input) + 1) * count;
	if (work > v->suggestion_budget)
		return;
	v->suggestion_budget -= work;
	const char **out = malloc(count * sizeof *out);
	if (!out) {
		nomem(v);
		return;
	}
	size_t n = schema_suggestion_list(input, options, count, out);
	schema_did_you_mean(buf, size, NULL, out, n);
	free(out);
}

static int setup_lookups(sdl_validator *v, const sdl_document *builtins, const sdl_document *doc)
{
	size_t cap = 0, tcap = 0;
	for (const sdl_def *d = builtins->defs; d; d = d->next)
		cap += d->kind == SDL_DEF_DIRECTIVE;
	for (const sdl_def *d = doc->defs; d; d = d->next) {
		cap += d->kind == SDL_DEF_DIRECTIVE;
		tcap += is_type_def(d) && !d->extension;
	}
	v->directives = calloc(cap ? cap : 1, sizeof *v->directives);
	v->types = calloc(tcap ? tcap : 1, sizeof *v->types);
	v->defined_names = calloc(tcap ? tcap : 1, sizeof *v->defined_names);
	v->type_suggestions = calloc(tcap + STANDARD_TYPE_COUNT, sizeof *v->type_suggestions);
	if (!v->directives || !v->types || !v->defined_names || !v->type_suggestions)
		return -2;
	size_t order = 0;
	const sdl_document *docs[2] = {builtins, doc};
	for (int i = 0; i < 2; i++) {
		for (const sdl_def *d = docs[i]->defs; d; d = d->next) {
			if (d->kind != SDL_DEF_DIRECTIVE || !d->name)
				continue;
			unsigned locations = 0;
			for (const sdl_name *n = d->locations; n; n = n->next) {
				int loc = schema_location_from_name(n->name);
				if (loc >= 0)
					locations |= 1u << loc;
			}
			v->directives[v->directive_count++] =
				(directive_info){d->name, order++, d, locations};
		}
	}
	qsort(v->directives, v->directive_count, sizeof *v->directives, compare_directive_info);
	for (const sdl_def *d = doc->defs; d; d = d->next)
		if (is_type_def(d) && !d->extension && d->name)
			v->types[v->type_count++] = (type_info){d->name, order++, d};
	qsort(v->types, v->type_count, sizeof *v->types, compare_type_info);
	/* Object.keys(definedTypes): each name once, where it was first defined */
	for (const sdl_def *d = doc->defs; d; d = d->next) {
		if (!is_type_def(d) || d->extension || !d->name)
			continue;
		size_t lo = 0, hi = v->type_count;
		while (lo < hi) { /* the first definition of the name */
			size_t mid = lo + (hi - lo) / 2;
			if (strcmp(v->types[mid].name, d->name) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (v->types[lo].def == d)
			v->defined_names[v->defined_name_count++] = d->name;
	}
	for (size_t i = 0; i < STANDARD_TYPE_COUNT; i++)
		v->type_suggestions[v->type_suggestion_count++] = standard_type_names[i];
	for (size_t i = 0; i < v->defined_name_count; i++)
		if (!is_standard_type_name(v->defined_names[i]))
			v->type_suggestions[v->type_suggestion_count++] = v->defined_names[i];
	return 0;
}

/* graphql-js print() of a type reference ("[Int!]!"), allocated (caller
 * frees); NULL when out of memory. */
static char *print_doc_type(const doc_type *t)
{
	const doc_type *named = t;
	size_t wrappers = 0, lists = 0;
	while (named && named->kind != DOC_TYPE_NAMED) {
		wrappers++;
		lists += named->kind == DOC_TYPE_LIST;
		named = named->of_type;
	}
	const char *name = named && named->name ? named->name : "";
	size_t len = lists + strlen(name) + wrappers;
	char *out = malloc(len + 1);
	if (!out)
		return NULL;
	size_t used = 0;
	for (size_t i = 0; i < lists; i++)
		out[used++] = '[';
	memcpy(out + used, name, strlen(name));
	used += strlen(name);
	/* suffixes inside out: the innermost wrapper's first */
	size_t end = len;
	for (const doc_type *w = t; w && w->kind != DOC_TYPE_NAMED; w = w->of_type)
		out[--end] = w->kind == DOC_TYPE_LIST ? ']' : '!';
	out[len] = '\0';
	return out;
}

static bool is_required_node(const sdl_input_value *arg)
{
	return arg->type && arg->type->kind == DOC_TYPE_NON_NULL && !arg->default_value;
}

/* KnownTypeNames: a type name not defined (in type-system definitions the
 * standard names are known too, and suggested). */
static void check_named_in(sdl_validator *v, const char *name, doc_pos pos, bool sdl)
{
	if (find_type_def(v, name) || (sdl && is_standard_type_name(name)))
		return;
	char hint[600];
	if (sdl)
		suggest(v, name, v->type_suggestions, v->type_suggestion_count, hint, sizeof hint);
	else
		suggest(v, name, v->defined_names, v->defined_name_count, hint, sizeof hint);
	report(v, pos, "Unknown type \"%s\".%s", name, hint);
}

static void check_named(sdl_validator *v, const char *name, doc_pos pos)
{
	check_named_in(v, name, pos, true);
}

/* --------------------------------------------------------------- values */

/* UniqueInputFieldNames over a constant value (a default or a directive
 * argument); nesting was bounded by the parser's depth limit. */
static void walk_value(sdl_validator *v, const doc_value *value)
{
	if (!value)
		return;
	if (value->kind == DOC_VALUE_LIST) {
		for (const doc_value *item = value->items; item; item = item->next)
			walk_value(v, item);
		return;
	}
	if (value->kind != DOC_VALUE_OBJECT)
		return;
	size_t scope = v->pass == 1 ? new_scope(v) : 0;
	for (const doc_value *member = value->items; member; member = member->next) {
		const name_key *k = key(v, KEY_INPUT_FIELD, scope, NULL, member->member_name,
					member->member_pos);
		if (k) {
			const name_key *first = first_of(v, KEY_INPUT_FIELD, k);
			if (first) {
				cJSON *e = report(v, first->pos,
						  "There can be only one input field named \"%s\".",
						  k->name);
				also_at(v, e, k->pos);
			}
		}
		walk_value(v, member);
	}
}

/* ----------------------------------------------------------- directives */

/* UniqueDirectivesPerLocation at the node that carries the directives:
 * scope 0 with a scope_name (a type, or "" for the schema), or a node of
 * its own. */
static void check_directive_uses(sdl_validator *v, const doc_directive *list,
				 const char *scope_name, bool node_scope)
{
	size_t scope = node_scope && v->pass == 1 ? new_scope(v) : 0;
	for (const doc_directive *d = list; d; d = d->next) {
		if (!d->name)
			continue;
		if (v->pass == 1) {
			key(v, KEY_USE, scope, node_scope ? NULL : scope_name, d->name, d->pos);
			continue;
		}
		const name_key *k = key(v, KEY_USE, 0, NULL, NULL, d->pos);
		const directive_info *info = find_directive_info(v, d->name);
		if (!k || !info || info->def->repeatable)
			continue;
		/* Only non-repeatable uses count: find the first such one before
		 * this use in its group (repeatable-ness is per name, so every
		 * use in the group shares it). */
		const name_key *first = first_of(v, KEY_USE, k);
		if (first) {
			cJSON *e = report(v, first->pos,
					  "The directive \"@%s\" can only be used once at this location.",
					  d->name);
			also_at(v, e, d->pos);
		}
	}
}

/* graphql-js groupBy over names: one error per name given more than once,
 * in the order of their first use, at every use. */
static void report_groups(sdl_validator *v, key_kind kind, size_t count, const char *format,
			  const char *parent)
{
	key_list *l = &v->lists[kind];
	size_t start = l->cursor;
	for (size_t i = 0; i < count && start + i < l->count; i++) {
		const name_key *k = &l->keys[start + i];
		if (k->group_size < 2 || first_of(v, kind, k))
			continue;
		cJSON *e = parent ? report(v, k->pos, format, parent, k->name)
				  : report(v, k->pos, format, k->name);
		for (size_t j = 1; j < k->group_size; j++)
			also_at(v, e, l->sorted[k->first + j]->pos);
	}
	l->cursor = start + count;
}

/* UniqueArgumentNames over a directive's or a field's arguments. */
static void check_arguments(sdl_validator *v, const doc_argument *arguments)
{
	if (v->pass == 1) {
		size_t scope = new_scope(v);
		for (const doc_argument *a = arguments; a; a = a->next)
			key(v, KEY_ARG, scope, NULL, a->name, a->pos);
		return;
	}
	size_t count = 0;
	for (const doc_argument *a = arguments; a; a = a->next)
		count += a->name != NULL;
	report_groups(v, KEY_ARG, count, "There can be only one argument named \"%s\".", NULL);
}

static void walk_directive(sdl_validator *v, const doc_directive *d, schema_location location)
{
	if (!d->name)
		return;
	const directive_info *info = v->pass == 2 ? find_directive_info(v, d->name) : NULL;
	if (v->pass == 2) {
		/* KnownDirectives */
		if (!info)
			report(v, d->pos, "Unknown directive \"@%s\".", d->name);
		else if (!(info->locations & (1u << location)))
			report(v, d->pos, "Directive \"@%s\" may not be used on %s.", d->name,
			       schema_location_name(location));
		/* KnownArgumentNamesOnDirectives */
		if (info) {
			for (const doc_argument *a = d->arguments; a; a = a->next) {
				bool known = false;
				size_t n = 0;
				for (const sdl_input_value *def = info->def->args; def; def = def->next, n++)
					known = known || strcmp(def->name, a->name) == 0;
				if (known)
					continue;
				const char **names = malloc((n ? n : 1) * sizeof *names);
				if (!names) {
					nomem(v);
					return;
				}
				size_t k = 0;
				for (const sdl_input_value *def = info->def->args; def; def = def->next)
					names[k++] = def->name;
				char hint[600];
				suggest(v, a->name, names, k, hint, sizeof hint);
				free(names);
				report(v, a->pos, "Unknown argument \"%s\" on directive \"@%s\".%s", a->name,
				       d->name, hint);
			}
		}
	}
	check_arguments(v, d->arguments); /* UniqueArgumentNames */
	for (const doc_argument *a = d->arguments; a; a = a->next)
		walk_value(v, a->value);
	/* ProvidedRequiredArgumentsOnDirectives, as the traversal leaves */
	if (v->pass == 2 && info) {
		for (const sdl_input_value *def = info->def->args; def; def = def->next) {
			if (!is_required_node(def))
				continue;
			/* keyMap over the required ones: a name at its first place,
			 * with its last definition */
			bool first_of_name = true;
			for (const sdl_input_value *o = info->def->args; o != def; o = o->next)
				first_of_name = first_of_name &&
						(!is_required_node(o) || strcmp(o->name, def->name) != 0);
			if (!first_of_name)
				continue;
			const sdl_input_value *last = def;
			for (const sdl_input_value *o = def->next; o; o = o->next)
				if (is_required_node(o) && strcmp(o->name, def->name) == 0)
					last = o;
			bool given = false;
			for (const doc_argument *a = d->arguments; a && !given; a = a->next)
				given = strcmp(a->name, def->name) == 0;
			if (given)
				continue;
			char *type = print_doc_type(last->type);
			if (!type) {
				nomem(v);
				return;
			}
			report(v, d->pos,
			       "Directive \"@%s\" argument \"%s\" of type \"%s\" is required, but it was not provided.",
			       d->name, def->name, type);
			free(type);
		}
	}
}

static void walk_directives(sdl_validator *v, const doc_directive *list, schema_location location)
{
	for (const doc_directive *d = list; d && v->rc != -2; d = d->next)
		walk_directive(v, d, location);
}

/* ---------------------------------------------------------------- types */

/* KnownTypeNames at the named type under a type reference. */
static void walk_type_in(sdl_validator *v, const doc_type *t, bool sdl)
{
	while (t && t->kind != DOC_TYPE_NAMED)
		t = t->of_type;
	if (v->pass != 2 || !t || !t->name)
		return;
	check_named_in(v, t->name, t->pos, sdl);
}

static void walk_type(sdl_validator *v, const doc_type *t)
{
	walk_type_in(v, t, true);
}

/* ------------------------------------------- executable definitions */

/* An operation or fragment in SDL: buildASTSchema ignores it, but
 * validateSDL's rules see its type names, directives and arguments (and,
 * outside type-system definitions, the standard type names are unknown
 * unless the SDL defines them). Nesting is the parser's, bounded. */
static void walk_selections(sdl_validator *v, const doc_selection *list)
{
	for (const doc_selection *sel = list; sel && v->rc != -2; sel = sel->next) {
		check_directive_uses(v, sel->directives, NULL, true);
		switch (sel->kind) {
		case DOC_SELECTION_FIELD:
			check_arguments(v, sel->arguments);
			for (const doc_argument *a = sel->arguments; a; a = a->next)
				walk_value(v, a->value);
			walk_directives(v, sel->directives, SCHEMA_LOC_FIELD);
			walk_selections(v, sel->selections);
			break;
		case DOC_SELECTION_SPREAD:
			walk_directives(v, sel->directives, SCHEMA_LOC_FRAGMENT_SPREAD);
			break;
		default:
			if (sel->type_condition && v->pass == 2)
				check_named_in(v, sel->type_condition, sel->type_condition_pos, false);
			walk_directives(v, sel->directives, SCHEMA_LOC_INLINE_FRAGMENT);
			walk_selections(v, sel->selections);
			break;
		}
	}
}

static void walk_executable(sdl_validator *v, const sdl_def *d)
{
	if (d->operation) {
		const gqlws_doc_operation *op = d->operation;
		check_directive_uses(v, op->directives, NULL, true);
		for (const doc_variable_def *var = op->variables; var; var = var->next) {
			check_directive_uses(v, var->directives, NULL, true);
			walk_type_in(v, var->type, false);
			walk_value(v, var->default_value);
			walk_directives(v, var->directives, SCHEMA_LOC_VARIABLE_DEFINITION);
		}
		schema_location loc = op->type == GQLWS_DOC_MUTATION	    ? SCHEMA_LOC_MUTATION
				      : op->type == GQLWS_DOC_SUBSCRIPTION ? SCHEMA_LOC_SUBSCRIPTION
									    : SCHEMA_LOC_QUERY;
		walk_directives(v, op->directives, loc);
		walk_selections(v, op->selections);
	} else if (d->fragment) {
		const doc_fragment *f = d->fragment;
		check_directive_uses(v, f->directives, NULL, true);
		if (f->type_condition && v->pass == 2)
			check_named_in(v, f->type_condition, f->type_condition_pos, false);
		walk_directives(v, f->directives, SCHEMA_LOC_FRAGMENT_DEFINITION);
		walk_selections(v, f->selections);
	}
}

/* ---------------------------------------------------------- definitions */

static void walk_input_value(sdl_validator *v, const sdl_input_value *iv, schema_location location)
{
	check_directive_uses(v, iv->directives, NULL, true);
	walk_type(v, iv->type);
	walk_value(v, iv->default_value);
	walk_directives(v, iv->directives, location);
}

static void walk_input_values(sdl_validator *v, const sdl_input_value *list,
			      schema_location location)
{
	for (const sdl_input_value *iv = list; iv && v->rc != -2; iv = iv->next)
		walk_input_value(v, iv, location);
}

static size_t count_args(const sdl_input_value *list)
{
	size_t n = 0;
	for (; list; list = list->next)
		n += list->name != NULL;
	return n;
}

/* UniqueArgumentDefinitionNames over one argument list. */
static void check_arg_defs(sdl_validator *v, const sdl_input_value *args, const char *parent)
{
	if (v->pass == 1) {
		size_t scope = new_scope(v);
		for (const sdl_input_value *a = args; a; a = a->next)
			key(v, KEY_ARG_DEF, scope, NULL, a->name, a->pos);
		return;
	}
	report_groups(v, KEY_ARG_DEF, count_args(args),
		      "Argument \"%s(%s:)\" can only be defined once.", parent);
}

static const char *const extension_kind_names[] = {
	[SDL_DEF_SCALAR] = "scalar", [SDL_DEF_OBJECT] = "object",
	[SDL_DEF_INTERFACE] = "interface", [SDL_DEF_UNION] = "union",
	[SDL_DEF_ENUM] = "enum", [SDL_DEF_INPUT] = "input object",
};

static schema_location def_location(sdl_def_kind kind)
{
	switch (kind) {
	case SDL_DEF_SCHEMA:
		return SCHEMA_LOC_SCHEMA;
	case SDL_DEF_OBJECT:
		return SCHEMA_LOC_OBJECT;
	case SDL_DEF_INTERFACE:
		return SCHEMA_LOC_INTERFACE;
	case SDL_DEF_UNION:
		return SCHEMA_LOC_UNION;
	case SDL_DEF_ENUM:
		return SCHEMA_LOC_ENUM;
	case SDL_DEF_INPUT:
		return SCHEMA_LOC_INPUT_OBJECT;
	case SDL_DEF_DIRECTIVE:
		return SCHEMA_LOC_DIRECTIVE_DEFINITION;
	default:
		return SCHEMA_LOC_SCALAR;
	}
}

static const char *const operation_names[] = {"", "query", "mutation", "subscription"};

/* The rules that look at a definition as a whole, as the traversal enters it. */
static void enter_definition(sdl_validator *v, const sdl_def *d)
{
	bool pass2 = v->pass == 2;
	if (d->kind == SDL_DEF_SCHEMA) {
		/* LoneSchemaDefinition */
		if (pass2 && !d->extension && v->schema_definitions++ > 0)
			report(v, d->pos, "Must provide only one schema definition.");
		/* UniqueOperationTypes */
		for (const sdl_operation_type *o = d->operations; pass2 && o; o = o->next) {
			const sdl_operation_type **seen = &v->operation_types[o->operation & 3];
			if (*seen) {
				cJSON *e = report(v, (*seen)->pos,
						  "There can be only one %s type in schema.",
						  operation_names[o->operation & 3]);
				also_at(v, e, o->pos);
			} else {
				*seen = o;
			}
		}
	}
	/* UniqueTypeNames */
	if (is_type_def(d) && !d->extension && d->name) {
		const name_key *k = key(v, KEY_TYPE, 0, NULL, d->name, d->name_pos);
		const name_key *first = k ? first_of(v, KEY_TYPE, k) : NULL;
		if (first) {
			cJSON *e = report(v, first->pos, "There can be only one type named \"%s\".",
					  d->name);
			also_at(v, e, k->pos);
		}
	}
	/* UniqueEnumValueNames */
	if (d->kind == SDL_DEF_ENUM) {
		for (const sdl_enum_value *ev = d->values; ev; ev = ev->next) {
			const name_key *k = key(v, KEY_ENUM_VALUE, 0, d->name, ev->name, ev->pos);
			const name_key *first = k ? first_of(v, KEY_ENUM_VALUE, k) : NULL;
			if (first) {
				cJSON *e = report(v, first->pos,
						  "Enum value \"%s.%s\" can only be defined once.",
						  d->name, ev->name);
				also_at(v, e, k->pos);
			}
		}
	}
	/* UniqueFieldDefinitionNames (fields of one name, whatever the kind) */
	if (d->kind == SDL_DEF_OBJECT || d->kind == SDL_DEF_INTERFACE || d->kind == SDL_DEF_INPUT) {
		bool input = d->kind == SDL_DEF_INPUT;
		const sdl_field *f = input ? NULL : d->fields;
		const sdl_input_value *iv = input ? d->input_fields : NULL;
		while (f || iv) {
			const char *name = f ? f->name : iv->name;
			doc_pos pos = f ? f->pos : iv->pos;
			const name_key *k = key(v, KEY_FIELD, 0, d->name, name, pos);
			const name_key *first = k ? first_of(v, KEY_FIELD, k) : NULL;
			if (first) {
				cJSON *e = report(v, first->pos,
						  "Field \"%s.%s\" can only be defined once.", d->name,
						  name);
				also_at(v, e, k->pos);
			}
			if (f)
				f = f->next;
			else
				iv = iv->next;
		}
	}
	/* UniqueArgumentDefinitionNames */
	if (d->kind == SDL_DEF_DIRECTIVE) {
		char parent[512];
		snprintf(parent, sizeof parent, "@%s", d->name ? d->name : "");
		check_arg_defs(v, d->args, parent);
	}
	if (d->kind == SDL_DEF_OBJECT || d->kind == SDL_DEF_INTERFACE) {
		for (const sdl_field *f = d->fields; f; f = f->next) {
			char parent[1024];
			snprintf(parent, sizeof parent, "%s.%s", d->name, f->name);
			check_arg_defs(v, f->args, parent);
		}
	}
	/* UniqueDirectiveNames */
	if (d->kind == SDL_DEF_DIRECTIVE && d->name) {
		const name_key *k = key(v, KEY_DIRECTIVE, 0, NULL, d->name, d->name_pos);
		const name_key *first = k ? first_of(v, KEY_DIRECTIVE, k) : NULL;
		if (first) {
			cJSON *e = report(v, first->pos,
					  "There can be only one directive named \"@%s\".", d->name);
			also_at(v, e, k->pos);
		}
	}
	/* UniqueDirectivesPerLocation: the schema's and each type's directives
	 * count together over its definition and extensions. */
	if (d->kind == SDL_DEF_SCHEMA)
		check_directive_uses(v, d->directives, "", false);
	else if (is_type_def(d))
		check_directive_uses(v, d->directives, d->name, false);
	/* PossibleTypeExtensions */
	if (pass2 && is_type_def(d) && d->extension) {
		const sdl_def *def = find_type_def(v, d->name);
		if (!def) {
			char hint[600];
			suggest(v, d->name, v->defined_names, v->defined_name_count, hint, sizeof hint);
			report(v, d->name_pos, "Cannot extend type \"%s\" because it is not defined.%s",
			       d->name, hint);
		} else if (def->kind != d->kind) {
			cJSON *e = report(v, def->pos, "Cannot extend non-%s type \"%s\".",
					  extension_kind_names[d->kind], d->name);
			also_at(v, e, d->pos);
		}
	}
}

static void walk_definition(sdl_validator *v, const sdl_def *d)
{
	if (d->kind == SDL_DEF_EXECUTABLE) {
		walk_executable(v, d);
		return;
	}
	enter_definition(v, d);
	switch (d->kind) {
	case SDL_DEF_SCHEMA:
		walk_directives(v, d->directives, SCHEMA_LOC_SCHEMA);
		for (const sdl_operation_type *o = d->operations; o; o = o->next)
			if (v->pass == 2)
				check_named(v, o->type.name, o->type.pos);
		break;
	case SDL_DEF_OBJECT:
	case SDL_DEF_INTERFACE:
		for (const sdl_name *n = d->interfaces; n; n = n->next)
			if (v->pass == 2)
				check_named(v, n->name, n->pos);
		walk_directives(v, d->directives, def_location(d->kind));
		for (const sdl_field *f = d->fields; f && v->rc != -2; f = f->next) {
			check_directive_uses(v, f->directives, NULL, true);
			walk_input_values(v, f->args, SCHEMA_LOC_ARGUMENT_DEFINITION);
			walk_type(v, f->type);
			walk_directives(v, f->directives, SCHEMA_LOC_FIELD_DEFINITION);
		}
		break;
	case SDL_DEF_UNION:
		walk_directives(v, d->directives, SCHEMA_LOC_UNION);
		for (const sdl_name *n = d->members; n; n = n->next)
			if (v->pass == 2)
				check_named(v, n->name, n->pos);
		break;
	case SDL_DEF_ENUM:
		walk_directives(v, d->directives, SCHEMA_LOC_ENUM);
		for (const sdl_enum_value *ev = d->values; ev && v->rc != -2; ev = ev->next) {
			check_directive_uses(v, ev->directives, NULL, true);
			walk_directives(v, ev->directives, SCHEMA_LOC_ENUM_VALUE);
		}
		break;
	case SDL_DEF_INPUT:
		walk_directives(v, d->directives, SCHEMA_LOC_INPUT_OBJECT);
		/* graphql-js names the fields of an input extension arguments */
		walk_input_values(v, d->input_fields,
				  d->extension ? SCHEMA_LOC_ARGUMENT_DEFINITION
					       : SCHEMA_LOC_INPUT_FIELD_DEFINITION);
		break;
	case SDL_DEF_DIRECTIVE:
		walk_input_values(v, d->args, SCHEMA_LOC_ARGUMENT_DEFINITION);
		break;
	default: /* scalar */
		walk_directives(v, d->directives, SCHEMA_LOC_SCALAR);
		break;
	}
}

int sdl_validate(const sdl_document *builtins, const sdl_document *doc, cJSON **errors)
{
	sdl_validator vs, *v = &vs;
	memset(v, 0, sizeof *v);
	v->errors = errors;
	/* Enough for every suggestion of an ordinary schema's errors; hostile
	 * SDL with thousands of unknown names gets its errors without hints
	 * once this much lexical-distance work is spent. */
	v->suggestion_budget = (size_t)64 << 20;
	if (setup_lookups(v, builtins, doc) != 0) {
		v->rc = -2;
		goto out;
	}
	v->pass = 1;
	for (const sdl_def *d = doc->defs; d && v->rc != -2; d = d->next)
		walk_definition(v, d);
	for (int i = 0; i < KEY_KINDS && v->rc != -2; i++)
		resolve(v, &v->lists[i]);
	v->pass = 2;
	for (const sdl_def *d = doc->defs; d && v->rc != -2; d = d->next)
		walk_definition(v, d);
out:
	for (int i = 0; i < KEY_KINDS; i++) {
		free(v->lists[i].keys);
		free(v->lists[i].sorted);
	}
	free(v->directives);
	free(v->types);
	free(v->defined_names);
	free(v->type_suggestions);
	return v->rc;
}
