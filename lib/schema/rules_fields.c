/*
 * rules_fields.c - the rules that look names up in the schema, with
 * graphql-js 16's suggestions: KnownTypeNames, ScalarLeafs,
 * FieldsOnCorrectType, KnownDirectives, KnownArgumentNames.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate_internal.h"

/* A message with a "Did you mean" tail: the head, then up to five quoted
 * suggestions; room for them all. */
static char *message_with_suggestions(vctx *ctx, const char *head, const char *sub_message,
				      const char *const *suggestions, size_t count)
{
	size_t room = strlen(head) + 64 + (sub_message ? strlen(sub_message) : 0);
	for (size_t i = 0; i < count && i < 5; i++)
		room += strlen(suggestions[i]) + 8;
	char *message = vctx_alloc(ctx, room);
	if (!message)
		return NULL;
	memcpy(message, head, strlen(head) + 1);
	schema_did_you_mean(message, room, sub_message, suggestions, count);
	return message;
}

static char *format_head(vctx *ctx, const char *format, const char *a, const char *b, const char *c)
{
	size_t room = strlen(format) + strlen(a) + (b ? strlen(b) : 0) + (c ? strlen(c) : 0) + 1;
	char *head = vctx_alloc(ctx, room);
	if (head)
		snprintf(head, room, format, a, b ? b : "", c ? c : "");
	return head;
}

static const char **name_buffer(vctx *ctx, size_t count)
{
	return vctx_alloc(ctx, (count + 1) * sizeof(const char *));
}

/* ---------------------------------------------------------- KnownTypeNames */

/* graphql-js's standardTypeNames: the specified scalars and the
 * introspection types, which a type-system definition may always name. */
static const char *const standard_type_names[] = {
	"String", "Int", "Float", "Boolean", "ID", "__Schema", "__Directive", "__DirectiveLocation",
	"__Type", "__Field", "__InputValue", "__EnumValue", "__TypeKind",
};
#define STANDARD_TYPE_COUNT (sizeof standard_type_names / sizeof standard_type_names[0])

static void known_type_names_enter(vctx *ctx, const vnode *node, void *state)
{
	(void)state;
	if (node->kind != VNODE_NAMED_TYPE)
		return;
	const gqlws_schema *schema = vctx_schema(ctx);
	const char *name = node->type_name;
	if (vctx_type_find(ctx, name) || vctx_document_defines_type(ctx, name))
		return;
	bool in_sdl = vctx_in_type_system(ctx);
	size_t standard = in_sdl ? STANDARD_TYPE_COUNT : 0;
	for (size_t i = 0; i < standard; i++)
		if (strcmp(standard_type_names[i], name) == 0)
			return;
	const char *const *defined;
	size_t defined_count = vctx_document_types(ctx, &defined);
	size_t count = standard + schema->type_count + defined_count;
	const char **names = name_buffer(ctx, count);
	const char **found = name_buffer(ctx, count);
	char *head = format_head(ctx, "Unknown type \"%s%s%s\".", name, NULL, NULL);
	if (!names || !found || !head)
		return;
	size_t n = 0;
	for (size_t i = 0; i < standard; i++)
		names[n++] = standard_type_names[i];
	for (size_t i = 0; i < schema->type_count; i++)
		names[n++] = schema->types[i]->name;
	for (size_t i = 0; i < defined_count; i++)
		names[n++] = defined[i];
	size_t k = schema_suggestion_list(name, names, n, found);
	char *message = message_with_suggestions(ctx, head, NULL, found, k);
	if (message)
		vctx_report(ctx, node->pos, "%s", message);
}

const validation_rule rule_known_type_names = {
	"KnownTypeNames", 0, known_type_names_enter, NULL,
	.enter_kinds = VKIND(VNODE_NAMED_TYPE),
	.leave_kinds = 0,
};

/* -------------------------------------------------------------- ScalarLeafs */

static char *print_ref(vctx *ctx, const schema_ref *ref)
{
	size_t need = schema_ref_print(ref, NULL, 0) + 1;
	char *out = vctx_alloc(ctx, need);
	if (out)
		schema_ref_print(ref, out, need);
	return out;
}

/* The errors, out of line: the rules' fast paths (every field) then save
 * no registers. */
static __attribute__((noinline)) void report_scalar_leaf(vctx *ctx, const doc_selection *field,
							  const schema_ref *type, bool leaf)
{
	if (leaf) {
		char *printed = print_ref(ctx, type);
		if (printed)
			vctx_report(ctx, field->selections_pos,
				    "Field \"%s\" must not have a selection since type \"%s\" has no subfields.",
				    field->name, printed);
	} else {
		char *printed = print_ref(ctx, type);
		if (printed)
			vctx_report(ctx, field->pos,
				    "Field \"%s\" of type \"%s\" must have a selection of subfields. Did you mean \"%s { ... }\"?",
				    field->name, printed, field->name);
	}
}

static void scalar_leafs_enter(vctx *ctx, const vnode *node, void *state)
{
	(void)state;
	if (node->kind != VNODE_FIELD)
		return;
	const schema_ref *type = vctx_type(ctx);
	const doc_selection *field = node->selection;
	if (!type)
		return;
	const schema_type *named = schema_ref_named(type);
	bool leaf = named && schema_is_leaf_kind(named->kind);
	if (leaf ? field->selections != NULL : field->selections == NULL)
		report_scalar_leaf(ctx, field, type, leaf);
}

const validation_rule rule_scalar_leafs = {
	"ScalarLeafs", 0, scalar_leafs_enter, NULL,
	.enter_kinds = VKIND(VNODE_FIELD),
	.leave_kinds = 0,
};

/* ----------------------------------------------------- FieldsOnCorrectType */

typedef struct suggested_type {
	const schema_type *type;
	size_t usage;
} suggested_type;

static bool has_own_field(const schema_type *type, const char *name)
{
	return schema_field_find(type, name) != NULL;
}

static suggested_type *add_suggested(suggested_type *list, size_t *n, const schema_type *type)
{
	for (size_t i = 0; i < *n; i++)
		if (list[i].type == type)
			return &list[i];
	list[*n] = (suggested_type){type, 0};
	return &list[(*n)++];
}

/* graphql-js's comparator: more usages first, an interface before the
 * types implementing it, then natural order of names. */
static int compare_suggested(const suggested_type *a, const suggested_type *b)
{
	if (a->usage != b->usage)
		return a->usage > b->usage ? -1 : 1;
	if (a->type->kind == SCHEMA_INTERFACE && schema_is_sub_type(a->type, b->type))
		return -1;
	if (b->type->kind == SCHEMA_INTERFACE && schema_is_sub_type(b->type, a->type))
		return 1;
	return schema_natural_compare(a->type->name, b->type->name);
}

static size_t suggested_type_names(vctx *ctx, const schema_type *type, const char *field,
				   const char ***out)
{
	*out = NULL;
	if (!schema_is_abstract_kind(type->kind))
		return 0;
	size_t room = 0;
	for (size_t i = 0; i < type->possible_count; i++)
		room += 1 + type->possible[i]->interface_count;
	suggested_type *list = vctx_alloc(ctx, (room + 1) * sizeof *list);
	if (!list)
		return 0;
	size_t n = 0;
	for (size_t i = 0; i < type->possible_count; i++) {
		const schema_type *possible = type->possible[i];
		if (!has_own_field(possible, field))
			continue;
		add_suggested(list, &n, possible)->usage = 1;
		for (size_t k = 0; k < possible->interface_count; k++) {
			const schema_type *iface = possible->interfaces[k];
			if (has_own_field(iface, field))
				add_suggested(list, &n, iface)->usage++;
		}
	}
	/* a stable insertion sort, as JavaScript's sort is stable */
	for (size_t i = 1; i < n; i++) {
		suggested_type item = list[i];
		size_t k = i;
		while (k > 0 && compare_suggested(&item, &list[k - 1]) < 0) {
			list[k] = list[k - 1];
			k--;
		}
		list[k] = item;
	}
	const char **names = name_buffer(ctx, n);
	if (!names)
		return 0;
	for (size_t i = 0; i < n; i++)
		names[i] = list[i].type->name;
	*out = names;
	return n;
}

static __attribute__((noinline)) void report_unknown_field(vctx *ctx, const vnode *node,
							    const schema_type *parent)
{
	const char *name = node->selection->name;
	char *head = format_head(ctx, "Cannot query field \"%s\" on type \"%s\".%s", name, parent->name, NULL);
	if (!head)
		return;
	const char **types;
	size_t n = suggested_type_names(ctx, parent, name, &types);
	char *message;
	if (n) {
		message = message_with_suggestions(ctx, head, "to use an inline fragment on", types, n);
	} else {
		size_t count = parent->kind == SCHEMA_UNION ? 0 : parent->field_count;
		const char **names = name_buffer(ctx, count);
		const char **found = name_buffer(ctx, count);
		if (!names || !found)
			return;
		for (size_t i = 0; i < count; i++)
			names[i] = parent->fields[i].name;
		size_t k = schema_suggestion_list(name, names, count, found);
		message = message_with_suggestions(ctx, head, NULL, found, k);
	}
	if (message)
		vctx_report(ctx, node->pos, "%s", message);
}

static void fields_on_correct_type_enter(vctx *ctx, const vnode *node, void *state)
{
	(void)state;
	if (node->kind != VNODE_FIELD)
		return;
	const schema_type *parent = vctx_parent_type(ctx);
	if (parent && !vctx_field_def(ctx))
		report_unknown_field(ctx, node, parent);
}

const validation_rule rule_fields_on_correct_type = {
	"FieldsOnCorrectType", 0, fields_on_correct_type_enter, NULL,
	.enter_kinds = VKIND(VNODE_FIELD),
	.leave_kinds = 0,
};

/* ---------------------------------------------------------- KnownDirectives */

static void known_directives_enter(vctx *ctx, const vnode *node, void *state)
{
	(void)state;
	if (node->kind != VNODE_DIRECTIVE)
		return;
	const char *name = node->directive->name;
	/* the document's own directive definitions come first, as in
	 * graphql-js's map of locations */
	const vctx_document_directive *own = vctx_document_directive_find(ctx, name);
	const schema_directive *def = own ? NULL : vctx_directive(ctx);
	if (!own && !def) {
		vctx_report(ctx, node->pos, "Unknown directive \"@%s\".", name);
		return;
	}
	unsigned locations = own ? own->locations : def->locations;
	schema_location location = vctx_directive_location(ctx);
	if (!(locations & (1u << location)))
		vctx_report(ctx, node->pos, "Directive \"@%s\" may not be used on %s.", name,
			    schema_location_name(location));
}

const validation_rule rule_known_directives = {
	"KnownDirectives", 0, known_directives_enter, NULL,
	.enter_kinds = VKIND(VNODE_DIRECTIVE),
	.leave_kinds = 0,
};

/* ------------------------------------------------------- KnownArgumentNames */

typedef struct known_arguments_state {
	bool in_directive;  /* graphql-js's rule skips a directive's arguments */
} known_arguments_state;

static void report_unknown_argument(vctx *ctx, const doc_argument *arg, const schema_input_value *args,
				    const char *const *arg_names, size_t count, const char *format,
				    const char *owner, const char *field)
{
	const char **names = name_buffer(ctx, count);
	const char **found = name_buffer(ctx, count);
	char *head = format_head(ctx, format, arg->name, owner, field);
	if (!names || !found || !head)
		return;
	for (size_t i = 0; i < count; i++)
		names[i] = args ? args[i].name : arg_names[i];
	size_t n = schema_suggestion_list(arg->name, names, count, found);
	char *message = message_with_suggestions(ctx, head, NULL, found, n);
	if (message)
		vctx_report(ctx, arg->pos, "%s", message);
}

static void known_argument_names_enter(vctx *ctx, const vnode *node, void *state)
{
	known_arguments_state *st = state;
	if (node->kind == VNODE_DIRECTIVE) {
		st->in_directive = true;
		const char *name = node->directive->name;
		const vctx_document_directive *own = vctx_document_directive_find(ctx, name);
		const schema_directive *def = own ? NULL : vctx_directive(ctx);
		if (!own && !def)
			return;
		for (const doc_argument *a = node->directive->arguments; a && !vctx_aborted(ctx); a = a->next) {
			bool known = false;
			if (def)
				known = schema_arg_find(def->args, def->arg_count, a->name) != NULL;
			for (size_t i = 0; own && !known && i < own->arg_count; i++)
				known = strcmp(own->arg_names[i], a->name) == 0;
			if (known)
				continue;
			report_unknown_argument(ctx, a, def ? def->args : NULL, own ? own->arg_names : NULL,
						def ? def->arg_count : own->arg_count,
						"Unknown argument \"%s\" on directive \"@%s\".%s", name, NULL);
		}
		return;
	}
	if (node->kind != VNODE_ARGUMENT || st->in_directive)
		return;
	const schema_field *field = vctx_field_def(ctx);
	const schema_type *parent = vctx_parent_type(ctx);
	if (vctx_argument(ctx) || !field || !parent)
		return;
	size_t room = strlen(parent->name) + strlen(field->name) + 2;
	char *qualified = vctx_alloc(ctx, room);
	if (!qualified)
		return;
	snprintf(qualified, room, "%s.%s", parent->name, field->name);
	report_unknown_argument(ctx, node->argument, field->args, NULL, field->arg_count,
				"Unknown argument \"%s\" on field \"%s\".%s", qualified, NULL);
}

static void known_argument_names_leave(vctx *ctx, const vnode *node, void *state)
{
	(void)ctx;
	known_arguments_state *st = state;
	if (node->kind == VNODE_DIRECTIVE)
		st->in_directive = false;
}

const validation_rule rule_known_argument_names = {
	"KnownArgumentNames", sizeof(known_arguments_state), known_argument_names_enter,
	known_argument_names_leave,
	.enter_kinds = VKIND(VNODE_DIRECTIVE) | VKIND(VNODE_ARGUMENT),
	.leave_kinds = VKIND(VNODE_DIRECTIVE),
};
