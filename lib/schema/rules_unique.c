/*
 * rules_unique.c - the rules about definitions and names that need no
 * types: ExecutableDefinitions, UniqueOperationNames,
 * LoneAnonymousOperation, UniqueFragmentNames, UniqueVariableNames,
 * UniqueDirectivesPerLocation, UniqueArgumentNames, UniqueInputFieldNames.
 * Messages and locations are graphql-js 16's.
 */
#include <stdint.h>
#include <string.h>

#include "name_lookup.h"
#include "validate_internal.h"

/* graphql-js groupBy then one error per name seen more than once, in the
 * order names first appear, listing every occurrence. */
/* True when a name repeats among a few (no map for the usual two or three
 * distinct arguments or variables). */
static bool any_repeated(const char *const *names, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t k = 0; k < i; k++)
			if (name_compare(names[i], names[k]) == 0)
				return true;
	return false;
}

#define FEW_NAMES 16

static void report_duplicates(vctx *ctx, const char *const *names, const doc_pos *positions, size_t n,
			      const char *what, const char *sigil)
{
	if (n < 2 || (n <= FEW_NAMES && !any_repeated(names, n)))
		return;
	size_t *self = vctx_alloc(ctx, n * sizeof *self);
	size_t *next_same = vctx_alloc(ctx, n * sizeof *next_same);
	size_t *last = vctx_alloc(ctx, n * sizeof *last);
	vname_map heads = {0};
	if (!self || !next_same || !last)
		return;
	for (size_t i = 0; i < n; i++) {
		self[i] = i;
		next_same[i] = SIZE_MAX;
		const size_t *head = vname_map_get(&heads, names[i]);
		if (head) {
			next_same[last[*head]] = i;
			last[*head] = i;
		} else {
			last[i] = i;
			if (!vname_map_put(ctx, &heads, names[i], &self[i]))
				return;
		}
	}
	for (size_t i = 0; i < n && !vctx_aborted(ctx); i++) {
		if (next_same[i] == SIZE_MAX || vname_map_get(&heads, names[i]) != &self[i])
			continue;
		cJSON *error = vctx_report(ctx, positions[i], "There can be only one %s named \"%s%s\".",
					   what, sigil, names[i]);
		for (size_t k = next_same[i]; error && k != SIZE_MAX; k = next_same[k])
			vctx_add_location(ctx, error, positions[k]);
	}
}

/* ---------------------------------------------------- ExecutableDefinitions */

static void executable_definitions_enter(vctx *ctx, const vnode *node, void *state)
{
	(void)state;
	if (node->kind != VNODE_DOCUMENT)
		return;
	for (const doc_type_system_def *d = vctx_doc(ctx)->type_system_defs; d; d = d->next) {
		if (d->name)
			vctx_report(ctx, d->pos, "The \"%s\" definition is not executable.", d->name);
		else
			vctx_report(ctx, d->pos, "The schema definition is not executable.");
	}
}

const validation_rule rule_executable_definitions = {
	"ExecutableDefinitions", 0, executable_definitions_enter, NULL,
	.enter_kinds = VKIND(VNODE_DOCUMENT),
	.leave_kinds = 0,
};

/* ----------------------------------------------------- UniqueOperationNames */

typedef struct names_state {
	vname_map seen;
} names_state;

static void unique_operation_names_enter(vctx *ctx, const vnode *node, void *state)
{
	names_state *st = state;
	if (node->kind != VNODE_OPERATION || !node->operation->name)
		return;
	const gqlws_doc_operation *op = node->operation;
	const gqlws_doc_operation *first = vname_map_get(&st->seen, op->name);
	if (first) {
		cJSON *error = vctx_report(ctx, first->name_pos,
					   "There can be only one operation named \"%s\".", op->name);
		vctx_add_location(ctx, error, op->name_pos);
	} else {
		vname_map_put(ctx, &st->seen, op->name, op);
	}
}

const validation_rule rule_unique_operation_names = {
	"UniqueOperationNames", sizeof(names_state), unique_operation_names_enter, NULL,
	.enter_kinds = VKIND(VNODE_OPERATION),
	.leave_kinds = 0,
};

/* --------------------------------------------------- LoneAnonymousOperation */

static void lone_anonymous_operation_enter(vctx *ctx, const vnode *node, void *state)
{
	(void)state;
	if (node->kind == VNODE_OPERATION && !node->operation->name &&
	    vctx_doc(ctx)->operation_count > 1)
		vctx_report(ctx, node->pos, "This anonymous operation must be the only defined operation.");
}

const validation_rule rule_lone_anonymous_operation = {
	"LoneAnonymousOperation", 0, lone_anonymous_operation_enter, NULL,
	.enter_kinds = VKIND(VNODE_OPERATION),
	.leave_kinds = 0,
};

/* ------------------------------------------------------ UniqueFragmentNames */

static void unique_fragment_names_enter(vctx *ctx, const vnode *node, void *state)
{
	names_state *st = state;
	if (node->kind != VNODE_FRAGMENT_DEFINITION)
		return;
	const doc_fragment *f = node->fragment;
	const doc_fragment *first = vname_map_get(&st->seen, f->name);
	if (first) {
		cJSON *error = vctx_report(ctx, first->name_pos,
					   "There can be only one fragment named \"%s\".", f->name);
		vctx_add_location(ctx, error, f->name_pos);
	} else {
		vname_map_put(ctx, &st->seen, f->name, f);
	}
}

const validation_rule rule_unique_fragment_names = {
	"UniqueFragmentNames", sizeof(names_state), unique_fragment_names_enter, NULL,
	.enter_kinds = VKIND(VNODE_FRAGMENT_DEFINITION),
	.leave_kinds = 0,
};

/* ------------------------------------------------------ UniqueVariableNames */

static void unique_variable_names_enter(vctx *ctx, const vnode *node, void *state)
{
	(void)state;
	if (node->kind != VNODE_OPERATION)
		return;
	size_t n = 0;
	for (const doc_variable_def *d = node->operation->variables; d; d = d->next)
		n++;
	if (n < 2)
		return;
	const char **names = vctx_alloc(ctx, n * sizeof *names);
	doc_pos *positions = vctx_alloc(ctx, n * sizeof *positions);
	if (!names || !positions)
		return;
	n = 0;
	for (const doc_variable_def *d = node->operation->variables; d; d = d->next, n++) {
		names[n] = d->name;
		positions[n] = d->name_pos;
	}
	report_duplicates(ctx, names, positions, n, "variable", "$");
}

const validation_rule rule_unique_variable_names = {
	"UniqueVariableNames", 0, unique_variable_names_enter, NULL,
	.enter_kinds = VKIND(VNODE_OPERATION),
	.leave_kinds = 0,
};

/* ---------------------------------------------- UniqueDirectivesPerLocation */

typedef struct directives_state {
	vname_map schema_seen;        /* schema definitions and extensions share one */
	vname_map type_maps;          /* type name -> its vname_map */
} directives_state;

static bool is_unique_directive(const vctx *ctx, const char *name)
{
	const vctx_document_directive *own = vctx_document_directive_find(ctx, name);
	if (own)
		return !own->repeatable;
	const schema_directive *def = schema_directive_find(vctx_schema(ctx), name);
	return def && !def->repeatable;
}

static void unique_directives_per_location_enter(vctx *ctx, const vnode *node, void *state)
{
	directives_state *st = state;
	if (!node->directives || node->kind == VNODE_DIRECTIVE ||
	    (node->kind == VNODE_TYPE_SYSTEM && node->type_system_directive))
		return;
	vname_map fresh = {0}, *seen = &fresh;
	if (node->kind == VNODE_TYPE_SYSTEM && !node->type_system_name) {
		seen = &st->schema_seen;
	} else if (node->kind == VNODE_TYPE_SYSTEM) {
		/* a type's definition and its extensions share one */
		seen = (vname_map *)vname_map_get(&st->type_maps, node->type_system_name);
		if (!seen) {
			seen = vctx_alloc(ctx, sizeof *seen);
			if (!seen || !vname_map_put(ctx, &st->type_maps, node->type_system_name, seen))
				return;
		}
	} else if (!node->directives->next) {
		return;
	}
	for (const doc_directive *d = node->directives; d && !vctx_aborted(ctx); d = d->next) {
		if (!is_unique_directive(ctx, d->name))
			continue;
		const doc_directive *first = vname_map_get(seen, d->name);
		if (first) {
			cJSON *error = vctx_report(ctx, first->pos,
						   "The directive \"@%s\" can only be used once at this location.",
						   d->name);
			vctx_add_location(ctx, error, d->pos);
		} else if (!vname_map_put(ctx, seen, d->name, d)) {
			return;
		}
	}
}

const validation_rule rule_unique_directives_per_location = {
	"UniqueDirectivesPerLocation", sizeof(directives_state), unique_directives_per_location_enter, NULL,
	.enter_kinds = VKIND(VNODE_OPERATION) | VKIND(VNODE_VARIABLE_DEFINITION) | VKIND(VNODE_FIELD) | VKIND(VNODE_FRAGMENT_SPREAD) | VKIND(VNODE_INLINE_FRAGMENT) | VKIND(VNODE_FRAGMENT_DEFINITION) | VKIND(VNODE_TYPE_SYSTEM) | VKIND(VNODE_TYPE_SYSTEM_MEMBER),
	.leave_kinds = 0,
	/* an executable node with one directive has no repeat (its map is
	 * fresh); type-system definitions share maps: never skipped */
	.enter_needs = VLACKS_SEVERAL_DIRECTIVES,
};

/* ------------------------------------------------------ UniqueArgumentNames */

static void unique_argument_names_enter(vctx *ctx, const vnode *node, void *state)
{
	(void)state;
	const doc_argument *args;
	if (node->kind == VNODE_FIELD)
		args = node->selection->arguments;
	else if (node->kind == VNODE_DIRECTIVE)
		args = node->directive->arguments;
	else
		return;
	size_t n = 0;
	for (const doc_argument *a = args; a; a = a->next)
		n++;
	if (n < 2)
		return;
	const char **names = vctx_alloc(ctx, n * sizeof *names);
	doc_pos *positions = vctx_alloc(ctx, n * sizeof *positions);
	if (!names || !positions)
		return;
	n = 0;
	for (const doc_argument *a = args; a; a = a->next, n++) {
		names[n] = a->name;
		positions[n] = a->pos;
	}
	report_duplicates(ctx, names, positions, n, "argument", "");
}

const validation_rule rule_unique_argument_names = {
	"UniqueArgumentNames", 0, unique_argument_names_enter, NULL,
	.enter_kinds = VKIND(VNODE_FIELD) | VKIND(VNODE_DIRECTIVE),
	.leave_kinds = 0,
	.enter_needs = VLACKS_SEVERAL_ARGUMENTS,
};

/* --------------------------------------------------- UniqueInputFieldNames */

/* The members seen in each object value being walked, innermost last;
 * nesting is bounded by the depth limit. */
typedef struct input_fields_state {
	vname_map *seen;
	size_t depth;
} input_fields_state;

#define INPUT_FIELDS_ROOM (DOC_DEPTH_CEILING + 8)

static void unique_input_field_names_enter(vctx *ctx, const vnode *node, void *state)
{
	input_fields_state *st = state;
	if (node->kind == VNODE_VALUE && node->value->kind == DOC_VALUE_OBJECT) {
		if (!st->seen && !(st->seen = vctx_alloc(ctx, INPUT_FIELDS_ROOM * sizeof *st->seen)))
			return;
		if (st->depth < INPUT_FIELDS_ROOM)
			memset(&st->seen[st->depth], 0, sizeof *st->seen);
		st->depth++;
		return;
	}
	if (node->kind != VNODE_OBJECT_FIELD || !st->depth || st->depth > INPUT_FIELDS_ROOM)
		return;
	vname_map *seen = &st->seen[st->depth - 1];
	const doc_value *member = node->value;
	const doc_value *first = vname_map_get(seen, member->member_name);
	if (first) {
		cJSON *error = vctx_report(ctx, first->member_pos,
					   "There can be only one input field named \"%s\".", member->member_name);
		vctx_add_location(ctx, error, member->member_pos);
	} else {
		vname_map_put(ctx, seen, member->member_name, member);
	}
}

static void unique_input_field_names_leave(vctx *ctx, const vnode *node, void *state)
{
	(void)ctx;
	input_fields_state *st = state;
	if (node->kind == VNODE_VALUE && node->value->kind == DOC_VALUE_OBJECT && st->depth)
		st->depth--;
}

const validation_rule rule_unique_input_field_names = {
	"UniqueInputFieldNames", sizeof(input_fields_state), unique_input_field_names_enter,
	unique_input_field_names_leave,
	.enter_kinds = VKIND(VNODE_VALUE) | VKIND(VNODE_OBJECT_FIELD),
	.leave_kinds = VKIND(VNODE_VALUE),
};
