/*
 * demo_schema.c - the demo schema's root fields (hello, counter, ticks) as
 * a table, and their validation: unknown fields and arguments, Int
 * arguments, selections, and the single-root-field rule of subscriptions,
 * each error worded as graphql-js words it.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_internal.h"

#define DEMO_INT_MIN (-2147483647.0 - 1.0)
#define DEMO_INT_MAX 2147483647.0

static cJSON *resolve_hello(demo_vhost *vh)
{
	(void)vh;
	return cJSON_CreateString("world");
}

static const char *const counter_args[] = {"limit", "intervalMs", NULL};

static const char *const counter_fields[] = {"value", "at", NULL};
static const char *const tick_fields[] = {"seq", "at", NULL};

static const demo_field base_fields[] = {
	{"hello", GQLWS_DOC_QUERY, DEMO_FIELD_VALUE, "String!", NULL, NULL, resolve_hello, NULL,
	 NULL},
	{"counter", GQLWS_DOC_SUBSCRIPTION, DEMO_FIELD_COUNTER, "Counter!", "Counter", counter_args,
	 NULL, NULL, counter_fields},
	{"ticks", GQLWS_DOC_SUBSCRIPTION, DEMO_FIELD_TICKS, "Tick!", "Tick", NULL, NULL, NULL,
	 tick_fields},
};

const char *demo_root_type_name(gqlws_doc_op_type type)
{
	switch (type) {
	case GQLWS_DOC_MUTATION:
		return "Mutation";
	case GQLWS_DOC_SUBSCRIPTION:
		return "Subscription";
	default:
		return "Query";
	}
}

const demo_field *demo_find_field(const demo_vhost *vh, gqlws_doc_op_type root, const char *name)
{
	for (size_t i = 0; i < sizeof(base_fields) / sizeof(base_fields[0]); i++)
		if (base_fields[i].root == root && !strcmp(base_fields[i].name, name))
			return &base_fields[i];
	for (size_t i = 0; i < vh->extra_count; i++)
		if (vh->extra[i].root == root && !strcmp(vh->extra[i].name, name))
			return &vh->extra[i];
	return NULL;
}

/* ---------------------------------------------------------------- errors */

/* Appends a GraphQL error located at field (or nowhere, field NULL) with a
 * formatted message. Returns false when out of memory. */
static bool add_error(cJSON *errors, const gqlws_doc_field *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return false;
	char *message = malloc((size_t)n + 1);
	if (!message)
		return false;
	va_start(ap, fmt);
	vsnprintf(message, (size_t)n + 1, fmt, ap);
	va_end(ap);

	cJSON *error = field ? gqlws_doc_field_error(field, message) : gqlws_doc_error_new(message, 0, 0);
	free(message);
	if (!error)
		return false;
	cJSON_AddItemToArray(errors, error);
	return true;
}

static bool is_int_arg(const demo_field *def, const char *name)
{
	for (const char *const *arg = def->int_args; arg && *arg; arg++)
		if (!strcmp(*arg, name))
			return true;
	return false;
}

/* Checks an argument against the nullable Int type: first as the document
 * writes it (graphql-js's wording for literals and variable types), then
 * the value it resolved to. */
static bool check_int_value(cJSON *errors, const gqlws_doc_plan *plan,
			    const gqlws_doc_field *field, const cJSON *value, bool *oom)
{
	int found = gqlws_doc_field_check_arg(plan, field, value->string, "Int", errors);

	if (found) {
		if (found < 0)
			*oom = true;
		return false;
	}
	if (cJSON_IsNull(value))
		return true;
	if (cJSON_IsNumber(value) && value->valuedouble == floor(value->valuedouble) &&
	    value->valuedouble >= DEMO_INT_MIN && value->valuedouble <= DEMO_INT_MAX) {
		/* Every Int argument of the schema is a count or a duration. */
		if (value->valuedouble >= 0)
			return true;
		if (!add_error(errors, field, "Argument \"%s\" of field \"%s\" must not be negative.",
			       value->string, gqlws_doc_field_name(field)))
			*oom = true;
		return false;
	}
	/* Not reached: a literal or a variable of type Int was checked above. */
	if (!add_error(errors, field, "Argument \"%s\" of field \"%s\" is not an Int.",
		       value->string, gqlws_doc_field_name(field)))
		*oom = true;
	return false;
}

/* Validates one root field against its definition (def NULL: no such field
 * on root_name), appending GraphQL errors. Returns true when it is valid;
 * *oom is set when an error could not be recorded. */
bool demo_check_field(const demo_field *def, const gqlws_doc_plan *plan,
		      const gqlws_doc_field *field, const char *root_name, cJSON *errors, bool *oom)
{
	const char *name = gqlws_doc_field_name(field);
	bool valid = true;

	if (!def) {
		if (!add_error(errors, field, "Cannot query field \"%s\" on type \"%s\".", name,
			       root_name))
			*oom = true;
		return false;
	}

	for (const cJSON *arg = gqlws_doc_field_args(field)->child; arg; arg = arg->next) {
		if (!is_int_arg(def, arg->string)) {
			if (!add_error(errors, field, "Unknown argument \"%s\" on field \"%s.%s\".",
				       arg->string, root_name, name))
				*oom = true;
			valid = false;
		} else if (!check_int_value(errors, plan, field, arg, oom)) {
			valid = false;
		}
	}

	bool has_selection = gqlws_doc_field_has_selection(field);
	if (def->object_type && !has_selection) {
		if (!add_error(errors, field,
			       "Field \"%s\" of type \"%s\" must have a selection of subfields. "
			       "Did you mean \"%s { ... }\"?",
			       name, def->type_ref, name))
			*oom = true;
		valid = false;
	} else if (!def->object_type && has_selection) {
		if (!add_error(errors, field,
			       "Field \"%s\" must not have a selection since type \"%s\" has no "
			       "subfields.",
			       name, def->type_ref))
			*oom = true;
		valid = false;
	} else if (def->object_type) {
		int unknown = gqlws_doc_field_check_selection(plan, field, def->object_type,
							      def->object_fields, errors);

		if (unknown < 0)
			*oom = true;
		if (unknown)
			valid = false;
	}
	return valid;
}

/* An Int argument already checked by demo_check_field, or fallback when absent
 * or null. */
int64_t demo_int_arg(const gqlws_doc_field *field, const char *name, int64_t fallback)
{
	const cJSON *value = gqlws_doc_field_arg(field, name);

	return cJSON_IsNumber(value) ? (int64_t)value->valuedouble : fallback;
}

/* The value of a VALUE or ONE_SHOT field: resolved, then projected through
 * the field's selection when it is an object. NULL when out of memory. */
cJSON *demo_resolve_field(demo_vhost *vh, const demo_field *def, const gqlws_doc_plan *plan,
			  const gqlws_doc_field *field)
{
	cJSON *value = def->resolve(vh);

	if (!value || !def->object_type)
		return value;
	cJSON *projected = gqlws_doc_project(plan, field, value, def->object_type);
	cJSON_Delete(value);
	return projected;
}

/* The errors of a subscription that does not select exactly one usable
 * root field (GraphQL's "single root field" rule), or NULL with *def set.
 * *oom is set when out of memory. */
cJSON *demo_check_subscription(const demo_vhost *vh, const gqlws_doc_operation *operation,
			       const gqlws_doc_plan *plan, const demo_field **def, bool *oom)
{
	const char *op_name = gqlws_doc_operation_name(operation);
	size_t count = gqlws_doc_plan_field_count(plan);
	cJSON *errors = cJSON_CreateArray();
	char subject[300];

	*def = NULL;
	if (!errors) {
		*oom = true;
		return NULL;
	}
	if (op_name)
		snprintf(subject, sizeof(subject), "Subscription \"%.256s\"", op_name);
	else
		snprintf(subject, sizeof(subject), "Anonymous Subscription");

	if (count != 1) {
		if (!add_error(errors, count > 1 ? gqlws_doc_plan_field(plan, 1) : NULL,
			       "%s must select only one top level field.", subject))
			*oom = true;
	} else {
		const gqlws_doc_field *field = gqlws_doc_plan_field(plan, 0);
		const char *name = gqlws_doc_field_name(field);
		if (!strncmp(name, "__", 2)) {
			if (!add_error(errors, field,
				       "%s must not select an introspection top level field.", subject))
				*oom = true;
		} else {
			const demo_field *found = demo_find_field(vh, GQLWS_DOC_SUBSCRIPTION, name);
			if (demo_check_field(found, plan, field, "Subscription", errors, oom))
				*def = found;
		}
	}
	if (*oom || *def) {
		cJSON_Delete(errors);
		return NULL;
	}
	return errors;
}
