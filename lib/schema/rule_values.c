/*
 * rule_values.c - ValuesOfCorrectType: every literal checked against the
 * input type where it stands, worded as graphql-js 16.15 words it (the
 * built-in scalars' and enums' parseLiteral errors verbatim, required and
 * unknown input fields, @oneOf). A default counts when the schema kept
 * it: the builder drops the ones graphql-js's valueFromAST cannot coerce.
 */
#include "rule_values.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "print_value.h"

/* ------------------------------------------------------------- literals */

static bool is_named(const schema_type *type, const char *name)
{
	return type->kind == SCHEMA_SCALAR && strcmp(type->name, name) == 0;
}

/* graphql-js parseInt(text) within [-2^31, 2^31-1]. */
static bool int_in_range(const char *text)
{
	bool negative = *text == '-';
	if (negative)
		text++;
	while (*text == '0' && text[1])
		text++;
	size_t digits = strlen(text);
	if (digits > 10)
		return false;
	int64_t v = 0;
	for (; *text; text++)
		v = v * 10 + (*text - '0');
	return negative ? v <= INT64_C(2147483648) : v <= INT64_C(2147483647);
}

/* The built-in scalars' parseLiteral: NULL when value is accepted, else the
 * start of graphql-js's message (the printed value follows). Custom scalars
 * accept every literal. */
static const char *scalar_refusal(const schema_type *scalar, const doc_value *value)
{
	doc_value_kind kind = value->kind;
	if (is_named(scalar, "Int")) {
		if (kind != DOC_VALUE_INT)
			return "Int cannot represent non-integer value: ";
		if (!int_in_range(value->text))
			return "Int cannot represent non 32-bit signed integer value: ";
	} else if (is_named(scalar, "Float")) {
		if (kind != DOC_VALUE_INT && kind != DOC_VALUE_FLOAT)
			return "Float cannot represent non numeric value: ";
	} else if (is_named(scalar, "String")) {
		if (kind != DOC_VALUE_STRING)
			return "String cannot represent a non string value: ";
	} else if (is_named(scalar, "Boolean")) {
		if (kind != DOC_VALUE_BOOLEAN)
			return "Boolean cannot represent a non boolean value: ";
	} else if (is_named(scalar, "ID")) {
		if (kind != DOC_VALUE_STRING && kind != DOC_VALUE_INT)
			return "ID cannot represent a non-string and non-integer value: ";
	}
	return NULL;
}

/* keyMap semantics: of members sharing a name, the last one counts. */
static const doc_value *member_find(const doc_value *object, const char *name)
{
	const doc_value *found = NULL;
	for (const doc_value *m = object->items; m; m = m->next)
		if (strcmp(m->member_name, name) == 0)
			found = m;
	return found;
}

/* ---------------------------------------------------------------- rule */

typedef struct values_state {
	/* the list or object value whose contents graphql-js skips (its
	 * visitor returned false), until the walker leaves it */
	const doc_value *skipping;
} values_state;

int rule_put(gqlws_doc_buf *out, const char *text)
{
	return gqlws_doc_buf_append(out, text, strlen(text));
}

void rule_report_built(vctx *ctx, doc_pos pos, gqlws_doc_buf *message, bool failed)
{
	if (!failed)
		vctx_report(ctx, pos, "%s", message->data);
	else
		rule_out_of_memory(ctx);
	gqlws_doc_buf_free(message);
}

void rule_out_of_memory(vctx *ctx)
{
	/* an allocation that cannot succeed: the validation records NOMEM */
	(void)vctx_alloc(ctx, SIZE_MAX);
}


/* `Expected value of type "T", found V.` */
static void report_expected(vctx *ctx, const schema_ref *type, const doc_value *value)
{
	gqlws_doc_buf m = {0};
	bool failed = rule_put(&m, "Expected value of type \"") || schema_print_ref(&m, type) ||
		      rule_put(&m, "\", found ") || schema_print_value(&m, value) || rule_put(&m, ".");
	rule_report_built(ctx, value->pos, &m, failed);
}

/* graphql-js didYouMean(sub_message, suggestionList(input, names)). */
static int put_suggestions(gqlws_doc_buf *out, const char *sub_message, const char *input,
			   const char **names, size_t count)
{
	const char **best = count ? malloc(count * sizeof *best) : NULL;
	if (count && !best)
		return -1;
	size_t n = schema_suggestion_list(input, names, count, best);
	char text[4096] = "";
	schema_did_you_mean(text, sizeof text, sub_message, best, n);
	free(best);
	return rule_put(out, text);
}

static void report_enum(vctx *ctx, const schema_type *type, const doc_value *value)
{
	gqlws_doc_buf printed = {0};
	gqlws_doc_buf m = {0};
	const char **names = type->value_count ? malloc(type->value_count * sizeof *names) : NULL;
	bool failed = schema_print_value(&printed, value) || (type->value_count && !names);
	if (!failed) {
		for (size_t i = 0; i < type->value_count; i++)
			names[i] = type->values[i].name;
		if (value->kind != DOC_VALUE_ENUM)
			failed = rule_put(&m, "Enum \"") || rule_put(&m, type->name) ||
				 rule_put(&m, "\" cannot represent non-enum value: ") ||
				 rule_put(&m, printed.data) || rule_put(&m, ".");
		else
			failed = rule_put(&m, "Value \"") || rule_put(&m, printed.data) ||
				 rule_put(&m, "\" does not exist in \"") || rule_put(&m, type->name) ||
				 rule_put(&m, "\" enum.");
		failed = failed || put_suggestions(&m, "the enum value", printed.data, names,
						   type->value_count);
	}
	free(names);
	gqlws_doc_buf_free(&printed);
	rule_report_built(ctx, value->pos, &m, failed);
}

/* isValidValueNode: a literal (or a list or object where the type wants
 * neither) against the input type of its location. */
static void check_leaf(vctx *ctx, const doc_value *value)
{
	const schema_ref *location = vctx_input_type(ctx);
	if (!location)
		return;
	const schema_type *type = schema_ref_named(location);
	if (!schema_is_leaf_kind(type->kind)) {
		report_expected(ctx, location, value);
		return;
	}
	if (type->kind == SCHEMA_ENUM) {
		if (value->kind != DOC_VALUE_ENUM || !schema_enum_value_find(type, value->text))
			report_enum(ctx, type, value);
		return;
	}
	const char *refusal = scalar_refusal(type, value);
	if (!refusal)
		return;
	gqlws_doc_buf m = {0};
	bool failed = rule_put(&m, refusal);
	/* Int's range error quotes the source digits, the others print the node
	 * (the same text for an int) */
	failed = failed || schema_print_value(&m, value);
	rule_report_built(ctx, value->pos, &m, failed);
}

static void check_object(vctx *ctx, const doc_value *value, const schema_type *type)
{
	for (size_t i = 0; i < type->input_field_count; i++) {
		const schema_input_value *field = &type->input_fields[i];
		if (field->type->kind != SCHEMA_REF_NON_NULL || member_find(value, field->name) ||
		    field->default_value)
			continue;
		gqlws_doc_buf m = {0};
		bool failed = rule_put(&m, "Field \"") || rule_put(&m, type->name) || rule_put(&m, ".") ||
			      rule_put(&m, field->name) || rule_put(&m, "\" of required type \"") ||
			      schema_print_ref(&m, field->type) || rule_put(&m, "\" was not provided.");
		rule_report_built(ctx, value->pos, &m, failed);
		if (vctx_aborted(ctx))
			return;
	}
	if (!type->one_of)
		return;
	/* exactly one distinct key, and its (last) value not a null literal */
	const doc_value *only = NULL;
	size_t keys = 0;
	for (const doc_value *m = value->items; m; m = m->next) {
		if (member_find(value, m->member_name) != m)
			continue;
		keys++;
		only = m;
	}
	if (keys != 1)
		vctx_report(ctx, value->pos, "OneOf Input Object \"%s\" must specify exactly one key.",
			    type->name);
	else if (only->kind == DOC_VALUE_NULL)
		vctx_report(ctx, value->pos, "Field \"%s.%s\" must be non-null.", type->name,
			    only->member_name);
}

static void check_unknown_member(vctx *ctx, const vnode *node)
{
	const schema_ref *parent = vctx_parent_input_type(ctx);
	const schema_type *type = parent ? schema_ref_named(parent) : NULL;
	if (vctx_input_type(ctx) || !type || type->kind != SCHEMA_INPUT_OBJECT)
		return;
	const char **names = type->input_field_count
				     ? malloc(type->input_field_count * sizeof *names)
				     : NULL;
	const char *member = node->value->member_name;
	gqlws_doc_buf m = {0};
	bool failed = type->input_field_count && !names;
	if (!failed) {
		for (size_t i = 0; i < type->input_field_count; i++)
			names[i] = type->input_fields[i].name;
		failed = rule_put(&m, "Field \"") || rule_put(&m, member) ||
			 rule_put(&m, "\" is not defined by type \"") || rule_put(&m, type->name) ||
			 rule_put(&m, "\".") ||
			 put_suggestions(&m, NULL, member, names, type->input_field_count);
	}
	free(names);
	rule_report_built(ctx, node->pos, &m, failed);
}

static void values_enter(vctx *ctx, const vnode *node, void *state_)
{
	values_state *state = state_;
	if (state->skipping)
		return;
	if (node->kind == VNODE_OBJECT_FIELD) {
		check_unknown_member(ctx, node);
		return;
	}
	if (node->kind != VNODE_VALUE)
		return;
	const doc_value *value = node->value;
	switch (value->kind) {
	case DOC_VALUE_VARIABLE:
		return;
	case DOC_VALUE_NULL: {
		const schema_ref *type = vctx_input_type(ctx);
		if (type && type->kind == SCHEMA_REF_NON_NULL)
			report_expected(ctx, type, value);
		return;
	}
	case DOC_VALUE_LIST: {
		/* TypeInfo has stepped into the item type: the list's own type is
		 * the parent input type */
		const schema_ref *type = vctx_parent_input_type(ctx);
		if (type && schema_ref_nullable(type)->kind == SCHEMA_REF_LIST)
			return;
		check_leaf(ctx, value);
		state->skipping = value;
		return;
	}
	case DOC_VALUE_OBJECT: {
		const schema_ref *ref = vctx_input_type(ctx);
		const schema_type *type = ref ? schema_ref_named(ref) : NULL;
		if (!type || type->kind != SCHEMA_INPUT_OBJECT) {
			check_leaf(ctx, value);
			state->skipping = value;
			return;
		}
		check_object(ctx, value, type);
		return;
	}
	default:
		check_leaf(ctx, value);
		return;
	}
}

static void values_leave(vctx *ctx, const vnode *node, void *state_)
{
	(void)ctx;
	values_state *state = state_;
	if (node->kind == VNODE_VALUE && state->skipping == node->value)
		state->skipping = NULL;
}

const validation_rule rule_values_of_correct_type = {
	.name = "ValuesOfCorrectType",
	.state_size = sizeof(values_state),
	.enter = values_enter,
	.leave = values_leave,
	.enter_kinds = VKIND(VNODE_OBJECT_FIELD) | VKIND(VNODE_VALUE),
	.leave_kinds = VKIND(VNODE_VALUE),
};
