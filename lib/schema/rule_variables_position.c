/*
 * rule_variables_position.c - VariablesInAllowedPosition: each use of a
 * variable, in the operation and every fragment it reaches, where the
 * variable's type fits the position (a nullable variable may fill a
 * non-null position when it or the position has a default), and nullable
 * variables refused as the field of a @oneOf input object. Reported when
 * the walker leaves the operation, as graphql-js 16.15 does.
 */
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "print_value.h"
#include "rule_values.h"

/* graphql-js typeFromAST: NULL when a named type is unknown. */
static const schema_ref *ref_from_doc(vctx *ctx, const doc_type *type, size_t depth)
{
	if (depth > DOC_DEPTH_CEILING) /* the parser bounds type nesting first */
		return NULL;
	const schema_ref *of_type = NULL;
	const schema_type *named = NULL;
	if (type->kind == DOC_TYPE_NAMED) {
		named = vctx_type_find(ctx, type->name);
		if (!named)
			return NULL;
	} else {
		of_type = ref_from_doc(ctx, type->of_type, depth + 1);
		if (!of_type)
			return NULL;
	}
	schema_ref *ref = vctx_alloc(ctx, sizeof *ref);
	if (!ref)
		return NULL;
	ref->kind = type->kind == DOC_TYPE_NAMED  ? SCHEMA_REF_NAMED
		    : type->kind == DOC_TYPE_LIST ? SCHEMA_REF_LIST
						  : SCHEMA_REF_NON_NULL;
	ref->named = named;
	ref->of_type = of_type;
	return ref;
}

/* Of definitions sharing a name, the last counts (graphql-js keeps them in
 * an object by name). */
static const doc_variable_def *definition_find(const gqlws_doc_operation *op, const char *name)
{
	const doc_variable_def *found = NULL;
	for (const doc_variable_def *d = op->variables; d; d = d->next)
		if (strcmp(d->name, name) == 0)
			found = d;
	return found;
}

/* allowedVariableUsage */
static bool usage_allowed(const schema_ref *var_type, const doc_variable_def *def,
			  const vctx_variable_usage *usage)
{
	const schema_ref *location = usage->type;
	if (location->kind == SCHEMA_REF_NON_NULL && var_type->kind != SCHEMA_REF_NON_NULL) {
		bool var_default = def->default_value && def->default_value->kind != DOC_VALUE_NULL;
		bool location_default = usage->has_default;
		if (!var_default && !location_default)
			return false;
		return schema_ref_is_subtype_of(var_type, location->of_type);
	}
	return schema_ref_is_subtype_of(var_type, location);
}

static void report_pair(vctx *ctx, const doc_variable_def *def, const doc_value *use,
			gqlws_doc_buf *m, bool failed)
{
	if (failed) {
		gqlws_doc_buf_free(m);
		rule_out_of_memory(ctx);
		return;
	}
	cJSON *error = vctx_report(ctx, def->pos, "%s", m->data);
	gqlws_doc_buf_free(m);
	if (error && doc_error_add_location(error, use->pos) != 0)
		rule_out_of_memory(ctx);
}

static void check_usage(vctx *ctx, const gqlws_doc_operation *op,
			const vctx_variable_usage *usage)
{
	const char *name = usage->node->text;
	const doc_variable_def *def = definition_find(op, name);
	if (!def || !usage->type)
		return;
	const schema_ref *var_type = ref_from_doc(ctx, def->type, 0);
	if (!var_type)
		return;
	if (!usage_allowed(var_type, def, usage)) {
		gqlws_doc_buf m = {0};
		bool failed = rule_put(&m, "Variable \"$") || rule_put(&m, name) ||
			      rule_put(&m, "\" of type \"") || schema_print_ref(&m, var_type) ||
			      rule_put(&m, "\" used in position expecting type \"") ||
			      schema_print_ref(&m, usage->type) || rule_put(&m, "\".");
		report_pair(ctx, def, usage->node, &m, failed);
	}
	/* the parent as TypeInfo has it: a non-null input object is not one */
	const schema_ref *parent = usage->parent_type;
	if (parent && parent->kind == SCHEMA_REF_NAMED && parent->named->one_of &&
	    var_type->kind != SCHEMA_REF_NON_NULL && !vctx_aborted(ctx)) {
		gqlws_doc_buf m = {0};
		bool failed = rule_put(&m, "Variable \"$") || rule_put(&m, name) ||
			      rule_put(&m, "\" is of type \"") || schema_print_ref(&m, var_type) ||
			      rule_put(&m, "\" but must be non-nullable to be used for OneOf Input "
					   "Object \"") ||
			      rule_put(&m, parent->named->name) || rule_put(&m, "\".");
		report_pair(ctx, def, usage->node, &m, failed);
	}
}

static void position_leave(vctx *ctx, const vnode *node, void *state)
{
	(void)state;
	if (node->kind != VNODE_OPERATION)
		return;
	const vctx_variable_usage *usages = NULL;
	size_t count = vctx_variable_usages(ctx, node->operation, &usages);
	for (size_t i = 0; i < count && !vctx_aborted(ctx); i++)
		check_usage(ctx, node->operation, &usages[i]);
}

const validation_rule rule_variables_in_allowed_position = {
	.name = "VariablesInAllowedPosition",
	.state_size = 0,
	.enter = NULL,
	.leave = position_leave,
	.enter_kinds = 0,
	.leave_kinds = VKIND(VNODE_OPERATION),
};
