/*
 * plan.c - binds an operation to a request: coerces variables against their
 * definitions, decides every @skip/@include once (variables never change
 * during an operation, so projection only reads a flag), checks that every
 * variable used is defined, and collects and merges the root fields with
 * their arguments.
 */
#include <stdlib.h>
#include <string.h>

#include "coerce.h"
#include "gqlws.h"
#include "errors.h"
#include "literal.h"
#include "plan.h"
#include "value.h"

typedef struct planner {
	gqlws_doc_plan *plan;
	const gqlws_doc_operation *op;
	cJSON **errors;
	unsigned char *fragment_seen;
	bool nomem;
	bool invalid;
	bool defer_if; /* doc_plan_new_deferring() */
} planner;

static void report(planner *pl, cJSON *error)
{
	pl->invalid = true;
	if (!error)
		pl->nomem = true;
}

static const doc_variable_def *find_variable_def(const gqlws_doc_operation *op, const char *name)
{
	for (const doc_variable_def *d = op->variables; d; d = d->next)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

/* Default values are literals of the variable's type, checked as graphql-js
 * validates them: `($n: Int = 1.5)` is refused even when $n is given. */
static void check_defaults(planner *pl)
{
	for (const doc_variable_def *d = pl->op->variables; d; d = d->next) {
		if (!d->default_value)
			continue;
		int found = doc_literal_check(d->default_value, d->type, NULL, pl->errors);
		if (found < 0)
			pl->nomem = true;
		else if (found > 0)
			pl->invalid = true;
	}
}

static void coerce_variables(planner *pl, const cJSON *given)
{
	gqlws_doc_plan *plan = pl->plan;
	for (const doc_variable_def *d = pl->op->variables; d && !pl->nomem; d = d->next) {
		char type[128];
		const cJSON *value = given ? cJSON_GetObjectItemCaseSensitive(given, d->name) : NULL;
		bool non_null = d->type->kind == DOC_TYPE_NON_NULL;
		cJSON *copy = NULL;
		if (value) {
			if (non_null && cJSON_IsNull(value)) {
				doc_type_print(d->type, type, sizeof type);
				report(pl, doc_error_add(pl->errors, d->pos,
							 "Variable \"$%s\" of non-null type \"%s\" must not be null.",
							 d->name, type));
				continue;
			}
			copy = cJSON_Duplicate(value, true);
			if (!copy) {
				pl->nomem = true;
				return;
			}
			char message[512];
			doc_coerce_status st = doc_coerce_variable(d->name, d->type, &copy, message, sizeof message);
			if (st != DOC_COERCE_OK) {
				cJSON_Delete(copy);
				if (st == DOC_COERCE_NOMEM)
					pl->nomem = true;
				else
					report(pl, doc_error_add(pl->errors, d->pos, "%s", message));
				continue;
			}
		} else if (d->default_value) {
			bool absent;
			copy = doc_value_to_json(d->default_value, NULL, &absent);
		} else {
			if (non_null) {
				doc_type_print(d->type, type, sizeof type);
				report(pl, doc_error_add(pl->errors, d->pos,
							 "Variable \"$%s\" of required type \"%s\" was not provided.",
							 d->name, type));
			}
			continue;
		}
		if (!copy) {
			pl->nomem = true;
			return;
		}
		/* A repeated definition keeps the first, as lookups find it. */
		if (cJSON_GetObjectItemCaseSensitive(plan->variables, d->name))
			cJSON_Delete(copy);
		else
			cJSON_AddItemToObject(plan->variables, d->name, copy);
	}
}

/* Every variable used in v must be defined by the operation. */
static void check_value_variables(planner *pl, const doc_value *v)
{
	if (v->kind == DOC_VALUE_VARIABLE) {
		if (find_variable_def(pl->op, v->text))
			return;
		cJSON *e = pl->op->name
				   ? doc_error_add(pl->errors, v->pos,
						   "Variable \"$%s\" is not defined by operation \"%s\".", v->text,
						   pl->op->name)
				   : doc_error_add(pl->errors, v->pos, "Variable \"$%s\" is not defined.", v->text);
		report(pl, e);
		if (e && doc_error_add_location(e, pl->op->pos) != 0)
			pl->nomem = true;
		return;
	}
	for (const doc_value *item = v->items; item; item = item->next)
		check_value_variables(pl, item);
}

static void check_arguments(planner *pl, const doc_argument *args)
{
	for (const doc_argument *a = args; a; a = a->next)
		check_value_variables(pl, a->value);
}

/* The `if` argument of directive d, NULL when it has none. */
static const doc_argument *if_argument(const doc_directive *d)
{
	const doc_argument *cond = NULL;
	for (const doc_argument *a = d->arguments; a; a = a->next)
		if (strcmp(a->name, "if") == 0)
			cond = a;
	return cond;
}

/* True when the `if` of d is a variable that is null or absent: what a
 * deferring plan leaves for execution to raise. */
static bool if_is_unset_variable(const gqlws_doc_plan *plan, const doc_directive *d)
{
	const doc_argument *cond = if_argument(d);
	if (!cond || cond->value->kind != DOC_VALUE_VARIABLE)
		return false;
	const cJSON *var = cJSON_GetObjectItemCaseSensitive(plan->variables, cond->value->text);
	return !var || cJSON_IsNull(var);
}

/* @skip(if:) and @include(if:) of one selection, a DOC_SEL_*. graphql-js's
 * shouldIncludeNode looks at @skip first: a true @skip leaves the node out
 * before @include is looked at, an unset one raises before. */
static unsigned char decide_included(planner *pl, const doc_directive *directives)
{
	bool included = true;
	bool skip_raises = false, skip_true = false, include_raises = false;
	for (const doc_directive *d = directives; d; d = d->next) {
		check_arguments(pl, d->arguments);
		bool is_skip = strcmp(d->name, "skip") == 0;
		if (!is_skip && strcmp(d->name, "include") != 0)
			continue;
		const doc_argument *cond = if_argument(d);
		if (cond && cond->value->kind == DOC_VALUE_VARIABLE &&
		    !find_variable_def(pl->op, cond->value->text))
			continue; /* reported as not defined */
		if (pl->defer_if && if_is_unset_variable(pl->plan, d)) {
			*(is_skip ? &skip_raises : &include_raises) = true;
			continue;
		}
		const cJSON *var = NULL;
		int value = -1;
		if (cond && cond->value->kind == DOC_VALUE_BOOLEAN) {
			value = cond->value->boolean;
		} else if (cond && cond->value->kind == DOC_VALUE_VARIABLE) {
			var = cJSON_GetObjectItemCaseSensitive(pl->plan->variables, cond->value->text);
			if (cJSON_IsBool(var))
				value = cJSON_IsTrue(var);
		}
		if (value < 0) {
			if (!cond || (cond->value->kind == DOC_VALUE_VARIABLE && !var))
				report(pl, doc_error_add(pl->errors, d->pos,
							 "Directive \"@%s\" argument \"if\" of type \"Boolean!\" is required, but it was not provided.",
							 d->name));
			else
				report(pl, doc_error_add(pl->errors, cond->value->pos,
							 "Directive \"@%s\" argument \"if\" must be a Boolean.", d->name));
			continue;
		}
		if (is_skip && value)
			skip_true = true;
		if (is_skip ? value : !value)
			included = false;
	}
	if (skip_raises || (include_raises && !skip_true))
		return DOC_SEL_RAISES;
	return included ? DOC_SEL_INCLUDED : DOC_SEL_SKIPPED;
}

cJSON *doc_plan_if_error(const gqlws_doc_plan *plan, const doc_selection *s)
{
	static const char *const order[] = {"skip", "include"};
	cJSON *errors = NULL;
	for (size_t i = 0; i < 2; i++) {
		for (const doc_directive *d = s->directives; d; d = d->next) {
			if (strcmp(d->name, order[i]) != 0 || !if_is_unset_variable(plan, d))
				continue;
			const doc_value *v = if_argument(d)->value;
			cJSON *e = cJSON_GetObjectItemCaseSensitive(plan->variables, v->text)
					   ? doc_error_add(&errors, v->pos,
							   "Argument \"if\" of non-null type \"Boolean!\" must not be null.")
					   : doc_error_add(&errors, v->pos,
							   "Argument \"if\" of required type \"Boolean!\" was provided the variable \"$%s\" which was not provided a runtime value.",
							   v->text);
			if (!e) {
				cJSON_Delete(errors);
				return NULL;
			}
			cJSON_DetachItemViaPointer(errors, e);
			cJSON_Delete(errors);
			return e;
		}
	}
	return NULL; /* not a selection that raises */
}

/* Decides every selection reachable from sels; each fragment once. The
 * depth of this walk is bounded by the validated expanded depth. */
static void decide_selections(planner *pl, const doc_selection *sels)
{
	for (const doc_selection *s = sels; s && !pl->nomem; s = s->next) {
		pl->plan->included[s->index] = decide_included(pl, s->directives);
		check_arguments(pl, s->arguments);
		if (s->kind == DOC_SELECTION_SPREAD) {
			if (s->fragment && !pl->fragment_seen[s->fragment->index]) {
				pl->fragment_seen[s->fragment->index] = 1;
				decide_selections(pl, s->fragment->selections);
			}
		} else if (s->selections) {
			decide_selections(pl, s->selections);
		}
	}
}

static void build_root_fields(planner *pl)
{
	gqlws_doc_plan *plan = pl->plan;
	const doc_selection *storage[DOC_KEY_LINKS_INLINE];
	doc_field_list list;
	doc_key_links links;
	doc_field_list_init(&list, storage, DOC_KEY_LINKS_INLINE);
	links.next_same = links.next_storage;
	links.first = links.first_storage;
	const doc_selection *root = pl->op->selections;
	if (doc_collect_fields(plan, &root, 1, plan->root_type, &list) != 0 ||
	    doc_key_links_build(&links, &list) != 0) {
		pl->nomem = true;
		goto out;
	}
	if (list.raised) { /* graphql-js's execute() runs no root field */
		plan->root_raised = list.raised;
		list.count = 0;
	}
	plan->fields = doc_arena_alloc(&plan->arena, (list.count ? list.count : 1) * sizeof *plan->fields);
	if (!plan->fields) {
		pl->nomem = true;
		goto out;
	}
	for (size_t i = 0; i < list.count; i++) {
		if (!links.first[i])
			continue;
		const doc_selection *f = list.items[i];
		gqlws_doc_field *out = &plan->fields[plan->field_count++];
		out->name = f->name;
		out->key = f->key;
		out->pos = f->pos;
		out->arguments = f->arguments;
		out->args = cJSON_CreateObject();
		size_t subs = 0;
		for (uint32_t j = (uint32_t)i; j != DOC_NO_NEXT; j = links.next_same[j])
			subs += list.items[j]->selections != NULL;
		out->subs = doc_arena_alloc(&plan->arena, (subs ? subs : 1) * sizeof *out->subs);
		if (!out->args || !out->subs) {
			pl->nomem = true;
			goto out;
		}
		for (uint32_t j = (uint32_t)i; j != DOC_NO_NEXT; j = links.next_same[j]) {
			if (!list.items[j]->selections)
				continue;
			if (!out->sub_count)
				out->subs_pos = list.items[j]->selections_pos;
			out->subs[out->sub_count++] = list.items[j]->selections;
		}
		for (const doc_argument *a = f->arguments; a; a = a->next) {
			bool absent;
			cJSON *value = doc_value_to_json(a->value, plan->variables, &absent);
			if (!value && absent)
				continue;
			if (!value) {
				pl->nomem = true;
				goto out;
			}
			cJSON_DeleteItemFromObjectCaseSensitive(out->args, a->name);
			cJSON_AddItemToObject(out->args, a->name, value);
		}
	}
out:
	doc_key_links_release(&links);
	doc_field_list_release(&list);
}

static gqlws_doc_plan *plan_new(const gqlws_doc *doc, const gqlws_doc_operation *op,
				const char *root_type, const cJSON *variables, cJSON **errors, bool defer_if)
{
	*errors = NULL;
	gqlws_doc_plan *plan = calloc(1, sizeof *plan);
	if (!plan)
		return NULL;
	plan->doc = doc;
	plan->op = op;
	doc_arena_init(&plan->arena);
	planner pl = {.plan = plan, .op = op, .errors = errors, .defer_if = defer_if};

	plan->variables = cJSON_CreateObject();
	plan->included = doc_arena_alloc(&plan->arena, doc->selection_count + 1);
	pl.fragment_seen = doc_arena_alloc(&plan->arena, doc->fragment_count + 1);
	if (root_type)
		plan->root_type = doc_arena_strndup(&plan->arena, root_type, strlen(root_type));
	if (!plan->variables || !plan->included || !pl.fragment_seen || (root_type && !plan->root_type)) {
		pl.nomem = true;
		goto done;
	}
	if (variables && !cJSON_IsObject(variables) && !cJSON_IsNull(variables)) {
		report(&pl, doc_error_add(errors, (doc_pos){0, 0},
					  "Variables must be provided as an Object where each property is a variable value. Perhaps look to see if an unparsed JSON string was provided."));
		goto done;
	}
	check_defaults(&pl);
	if (pl.invalid || pl.nomem)
		goto done;
	coerce_variables(&pl, cJSON_IsObject(variables) ? variables : NULL);
	if (pl.invalid || pl.nomem)
		goto done;
	memset(plan->included, 1, doc->selection_count);
	decide_selections(&pl, op->selections);
	if (pl.invalid || pl.nomem)
		goto done;
	build_root_fields(&pl);
done:
	if (pl.nomem) {
		cJSON_Delete(*errors);
		*errors = NULL;
	}
	if (pl.nomem || pl.invalid) {
		gqlws_doc_plan_free(plan);
		return NULL;
	}
	return plan;
}

gqlws_doc_plan *gqlws_doc_plan_new(const gqlws_doc *doc, const gqlws_doc_operation *op,
				   const char *root_type, const cJSON *variables, cJSON **errors)
{
	return plan_new(doc, op, root_type, variables, errors, false);
}

gqlws_doc_plan *doc_plan_new_deferring(const gqlws_doc *doc, const gqlws_doc_operation *op,
				       const char *root_type, const cJSON *variables, cJSON **errors)
{
	return plan_new(doc, op, root_type, variables, errors, true);
}

void gqlws_doc_plan_free(gqlws_doc_plan *plan)
{
	if (!plan)
		return;
	for (size_t i = 0; i < plan->field_count; i++)
		cJSON_Delete(plan->fields[i].args);
	cJSON_Delete(plan->variables);
	doc_arena_release(&plan->arena);
	free(plan);
}

size_t gqlws_doc_plan_bytes(const gqlws_doc_plan *plan)
{
	size_t total;

	if (!plan)
		return 0;
	total = gqlws_alloc_bytes(sizeof *plan) + plan->arena.allocated + gqlws_json_bytes(plan->variables);
	for (size_t i = 0; i < plan->field_count; i++)
		total += gqlws_json_bytes(plan->fields[i].args);
	return total;
}

const cJSON *gqlws_doc_plan_variables(const gqlws_doc_plan *plan)
{
	return plan->variables;
}

size_t gqlws_doc_plan_field_count(const gqlws_doc_plan *plan)
{
	return plan->field_count;
}

const gqlws_doc_field *gqlws_doc_plan_field(const gqlws_doc_plan *plan, size_t index)
{
	return index < plan->field_count ? &plan->fields[index] : NULL;
}

const char *gqlws_doc_field_name(const gqlws_doc_field *field)
{
	return field->name;
}

const char *gqlws_doc_field_key(const gqlws_doc_field *field)
{
	return field->key;
}

unsigned gqlws_doc_field_line(const gqlws_doc_field *field)
{
	return field->pos.line;
}

unsigned gqlws_doc_field_column(const gqlws_doc_field *field)
{
	return field->pos.column;
}

const cJSON *gqlws_doc_field_args(const gqlws_doc_field *field)
{
	return field->args;
}

const cJSON *gqlws_doc_field_arg(const gqlws_doc_field *field, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(field->args, name);
}

bool gqlws_doc_field_has_selection(const gqlws_doc_field *field)
{
	return field->sub_count > 0;
}

cJSON *gqlws_doc_field_error(const gqlws_doc_field *field, const char *message)
{
	return gqlws_doc_error_new(message, field->pos.line, field->pos.column);
}
