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
		if (argument_given(given, arg->name) || !argument_required(arg))
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

static void required_leave(vctx *ctx, const vnode *node, void *state)
{
	(void)state;
	if (node->kind == VNODE_FIELD) {
		const schema_field *def = vctx_field_def(ctx);
		if (def)
			check(ctx, node->pos, "Field", "", def->name, def->args, def->arg_count,
			      node->selection->arguments);
	} else if (node->kind == VNODE_DIRECTIVE) {
		/* graphql-js looks the directive up by name among the schema's */
		const schema_directive *def =
			schema_directive_find(vctx_schema(ctx), node->directive->name);
		if (def)
			check(ctx, node->pos, "Directive", "@", def->name, def->args,
			      def->arg_count, node->directive->arguments);
	}
}

const validation_rule rule_provided_required_arguments = {
	.name = "ProvidedRequiredArgumentsRule",
	.state_size = 0,
	.enter = NULL,
	.leave = required_leave,
};
