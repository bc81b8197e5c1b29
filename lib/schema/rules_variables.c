/*
 * rules_variables.c - the variable rules of graphql-js 16 that V1 owns:
 * VariablesAreInputTypes, NoUndefinedVariables, NoUnusedVariables. The
 * last two read getRecursiveVariableUsages when an operation is left.
 */
#include <stdio.h>
#include <string.h>

#include "validate_internal.h"

/* graphql-js print() of a type reference: `[Foo!]!`. */
static size_t print_doc_type(const doc_type *t, char *out, size_t size)
{
	size_t used = 0;
	const doc_type *stack[DOC_DEPTH_CEILING + 8];
	size_t depth = 0;
	/* opening brackets, the name, then the closers innermost first */
	for (const doc_type *p = t; p && depth < sizeof stack / sizeof stack[0]; p = p->of_type) {
		stack[depth++] = p;
		if (p->kind == DOC_TYPE_LIST && used + 1 < size)
			out[used++] = '[';
		if (p->kind == DOC_TYPE_NAMED) {
			int n = snprintf(out + used, size - used, "%s", p->name);
			used += n > 0 ? (size_t)n : 0;
			if (used >= size)
				used = size - 1;
		}
	}
	while (depth--) {
		const doc_type *p = stack[depth];
		if (p->kind == DOC_TYPE_LIST && used + 1 < size)
			out[used++] = ']';
		else if (p->kind == DOC_TYPE_NON_NULL && used + 1 < size)
			out[used++] = '!';
	}
	out[used] = '\0';
	return used;
}

/* --------------------------------------------------- VariablesAreInputTypes */

static void variables_are_input_types_enter(vctx *ctx, const vnode *node, void *state)
{
	(void)state;
	if (node->kind != VNODE_VARIABLE_DEFINITION)
		return;
	const doc_variable_def *def = node->variable_def;
	const doc_type *named = def->type;
	while (named && named->kind != DOC_TYPE_NAMED)
		named = named->of_type;
	const schema_type *type = named ? vctx_type_find(ctx, named->name) : NULL;
	if (!type || schema_is_input_kind(type->kind))
		return;
	size_t room = strlen(named->name) + 2 * DOC_DEPTH_CEILING + 8;
	char *printed = vctx_alloc(ctx, room);
	if (!printed)
		return;
	print_doc_type(def->type, printed, room);
	vctx_report(ctx, def->type->pos, "Variable \"$%s\" cannot be non-input type \"%s\".", def->name,
		    printed);
}

const validation_rule rule_variables_are_input_types = {
	"VariablesAreInputTypes", 0, variables_are_input_types_enter, NULL,
	.enter_kinds = VKIND(VNODE_VARIABLE_DEFINITION),
	.leave_kinds = 0,
};

/* ----------------------------------------------------- NoUndefinedVariables */

static const doc_variable_def *find_definition(const gqlws_doc_operation *op, const char *name,
					       vname_map *index, vctx *ctx)
{
	if (!index->room)
		for (const doc_variable_def *d = op->variables; d; d = d->next)
			if (!vname_map_get(index, d->name) && !vname_map_put(ctx, index, d->name, d))
				return NULL;
	return vname_map_get(index, name);
}

static void no_undefined_variables_leave(vctx *ctx, const vnode *node, void *state)
{
	(void)state;
	if (node->kind != VNODE_OPERATION)
		return;
	const gqlws_doc_operation *op = node->operation;
	const vctx_variable_usage *usages;
	size_t n = vctx_variable_usages(ctx, op, &usages);
	vname_map defined = {0};
	for (size_t i = 0; i < n && !vctx_aborted(ctx); i++) {
		const doc_value *v = usages[i].node;
		if (find_definition(op, v->text, &defined, ctx))
			continue;
		cJSON *error = op->name ? vctx_report(ctx, v->pos, "Variable \"$%s\" is not defined by operation \"%s\".",
						      v->text, op->name)
					: vctx_report(ctx, v->pos, "Variable \"$%s\" is not defined.", v->text);
		vctx_add_location(ctx, error, op->pos);
	}
}

const validation_rule rule_no_undefined_variables = {
	"NoUndefinedVariables", 0, NULL, no_undefined_variables_leave,
	.enter_kinds = 0,
	.leave_kinds = VKIND(VNODE_OPERATION),
};

/* ------------------------------------------------------- NoUnusedVariables */

static void no_unused_variables_leave(vctx *ctx, const vnode *node, void *state)
{
	(void)state;
	if (node->kind != VNODE_OPERATION)
		return;
	const gqlws_doc_operation *op = node->operation;
	const vctx_variable_usage *usages;
	size_t n = vctx_variable_usages(ctx, op, &usages);
	if (vctx_aborted(ctx))
		return;
	vname_map used = {0};
	for (size_t i = 0; i < n; i++)
		if (!vname_map_put(ctx, &used, usages[i].node->text, usages[i].node))
			return;
	for (const doc_variable_def *d = op->variables; d && !vctx_aborted(ctx); d = d->next) {
		if (vname_map_get(&used, d->name))
			continue;
		if (op->name)
			vctx_report(ctx, d->pos, "Variable \"$%s\" is never used in operation \"%s\".", d->name,
				    op->name);
		else
			vctx_report(ctx, d->pos, "Variable \"$%s\" is never used.", d->name);
	}
}

const validation_rule rule_no_unused_variables = {
	"NoUnusedVariables", 0, NULL, no_unused_variables_leave,
	.enter_kinds = 0,
	.leave_kinds = VKIND(VNODE_OPERATION),
};
