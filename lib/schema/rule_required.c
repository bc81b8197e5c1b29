/*
 * rule_required.c - ProvidedRequiredArguments: every non-null argument
 * without a default given, for fields and directives, reported when the
 * walker leaves the field or directive (so errors deeper inside come
 * first), as graphql-js 16.15 does.
 */
#include <stdlib.h>
#include <string.h>

#include "print_value.h"
#include "rule_values.h"

static bool argument_given(const doc_argument *arguments, const char *name)
{
	for (const doc_argument *a = arguments; a; a = a->next)
		if (strcmp(a->name, name) == 0)
			return true;
	return false;
}

/* isRequiredArgument: non-null and no default (the schema keeps only the
 * defaults graphql-js's buildSchema keeps: `Int! = null` is none). */
static bool argument_required(const schema_input_value *arg)
{
	return arg->type->kind == SCHEMA_REF_NON_NULL && !arg->default_value;
}

static void check(vctx *ctx, doc_pos pos, const char *owner_kind, const char *owner_prefix,
		  const char *owner, const schema_input_value *args, size_t arg_count,
		  const doc_argument *given)
{
	for (size_t i = 0; i < arg_count && !vctx_aborted(ctx); i++) {
		const schema_input_value *arg = &args[i];
		/* the cheap test first: most arguments are optional */
		if (!argument_required(arg) || argument_given(given, arg->name))
			continue;
		gqlws_doc_buf m = {0};
		bool failed = rule_put(&m, owner_kind) || rule_put(&m, " \"") ||
			      rule_put(&m, owner_prefix) || rule_put(&m, owner) ||
			      rule_put(&m, "\" argument \"") || rule_put(&m, arg->name) ||
			      rule_put(&m, "\" of type \"") || schema_print_ref(&m, arg->type) ||
			      rule_put(&m, "\" is required, but it was not provided.");
		rule_report_built(ctx, pos, &m, failed);
	}
}

/* isRequiredArgumentNode: written non-null with no default at all (a
 * `= null` counts as one here). */
static bool document_argument_required(const vctx_document_directive *d, size_t i)
{
	return d->arg_types[i]->kind == DOC_TYPE_NON_NULL && !d->arg_defaults[i];
}

/* graphql-js's keyMap of a document directive's required arguments: each
 * name once, at its first place, with the type of its last definition.
 * Worked out once per directive definition (a definition may repeat an
 * argument name: the document is invalid, the words still count). */
typedef struct required_list {
	const vctx_document_directive *directive;
	const char **names;
	const doc_type **types;
	size_t count;
} required_list;

typedef struct required_state {
	required_list *lists;
	size_t count, cap;
} required_state;

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const required_list *required_of(vctx *ctx, required_state *state,
					 const vctx_document_directive *d)
{
	for (size_t i = 0; i < state->count; i++)
		if (state->lists[i].directive == d)
			return &state->lists[i];
	if (state->count == state->cap) {
		size_t cap = state->cap ? state->cap * 2 : 8;
		required_list *lists = vctx_alloc(ctx, cap * sizeof *lists);
		if (!lists)
			return NULL;
		if (state->count)
			memcpy(lists, state->lists, state->count * sizeof *lists);
		state->lists = lists;
		state->cap = cap;
	}
	required_list *list = &state->lists[state->count];
	list->directive = d;
	list->names = vctx_alloc(ctx, (d->arg_count + 1) * sizeof *list->names);
	list->types = vctx_alloc(ctx, (d->arg_count + 1) * sizeof *list->types);
	const char **sorted = vctx_alloc(ctx, (d->arg_count + 1) * sizeof *sorted);
	if (!list->names || !list->types || !sorted)
		return NULL;
	/* repeated names are rare: look for them only when sorting finds some */
	size_t n = 0;
	for (size_t i = 0; i < d->arg_count; i++)
		if (document_argument_required(d, i))
			sorted[n++] = d->arg_names[i];
	qsort(sorted, n, sizeof *sorted, compare_names);
	bool repeated = false;
	for (size_t i = 1; i < n && !repeated; i++)
		repeated = strcmp(sorted[i - 1], sorted[i]) == 0;
	list->count = 0;
	for (size_t i = 0; i < d->arg_count; i++) {
		if (!document_argument_required(d, i))
			continue;
		size_t k = 0;
		while (repeated && k < list->count && strcmp(list->names[k], d->arg_names[i]) != 0)
			k++;
		if (!repeated || k == list->count)
			list->names[list->count++] = d->arg_names[i];
		list->types[repeated ? k : list->count - 1] = d->arg_types[i];
	}
	state->count++;
	return list;
}

static void check_document_directive(vctx *ctx, doc_pos pos, required_state *state,
				     const vctx_document_directive *d, const doc_argument *given)
{
	const required_list *list = required_of(ctx, state, d);
	for (size_t i = 0; list && i < list->count && !vctx_aborted(ctx); i++) {
		if (argument_given(given, list->names[i]))
			continue;
		gqlws_doc_buf m = {0};
		bool failed = rule_put(&m, "Directive \"@") || rule_put(&m, d->name) ||
			      rule_put(&m, "\" argument \"") || rule_put(&m, list->names[i]) ||
			      rule_put(&m, "\" of type \"") || schema_print_doc_type(&m, list->types[i]) ||
			      rule_put(&m, "\" is required, but it was not provided.");
		rule_report_built(ctx, pos, &m, failed);
	}
}

static void required_leave(vctx *ctx, const vnode *node, void *state)
{
	if (node->kind == VNODE_FIELD) {
		const schema_field *def = vctx_field_def(ctx);
		if (def)
			check(ctx, node->pos, "Field", "", def->name, def->args, def->arg_count,
			      node->selection->arguments);
	} else if (node->kind == VNODE_DIRECTIVE) {
		/* graphql-js looks the directive up by name among the schema's,
		 * and a definition in the document itself replaces the schema's */
		const char *name = node->directive->name;
		const vctx_document_directive *own = vctx_document_directive_find(ctx, name);
		const schema_directive *def = schema_directive_find(vctx_schema(ctx), name);
		if (own)
			check_document_directive(ctx, node->pos, state, own,
						 node->directive->arguments);
		else if (def)
			check(ctx, node->pos, "Directive", "@", def->name, def->args,
			      def->arg_count, node->directive->arguments);
	}
}

const validation_rule rule_provided_required_arguments = {
	.name = "ProvidedRequiredArguments",
	.state_size = sizeof(required_state),
	.enter = NULL,
	.leave = required_leave,
	.enter_kinds = 0,
	.leave_kinds = VKIND(VNODE_FIELD) | VKIND(VNODE_DIRECTIVE),
	.leave_needs = VLACKS_REQUIRED_ARGUMENTS,
};
