/*
 * project_request.c - a request made ready to run against a schema, the
 * successor of lib/doc's table-driven gqlws_doc_request: parse and
 * validate with every rule, refuse introspection when it is off, select
 * the operation, coerce variables and plan, then the refusals graphql-js's
 * execute() and subscribe() make before running anything.
 */
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "plan.h"
#include "project_internal.h"
#include "request_start.h"
#include "value.h"

struct gqlws_schema_request {
	const gqlws_schema *schema; /* borrowed */
	gqlws_doc *doc;
	gqlws_doc_plan *plan;
	gqlws_doc_op_type op_type;
};

static const schema_type *root_of(const gqlws_schema *schema, gqlws_doc_op_type type)
{
	switch (type) {
	case GQLWS_DOC_MUTATION: return schema->mutation;
	case GQLWS_DOC_SUBSCRIPTION: return schema->subscription;
	default: return schema->query;
	}
}

/* The root fields' arguments as graphql-js's getArgumentValues hands them
 * to resolvers: each value coerced by its argument's type (an integer ID
 * literal is a string, a single value for a list type a list of one, input
 * objects with their fields' defaults), and arguments the document leaves
 * out with the default the schema declares. */
static gqlws_doc_status coerce_arguments(gqlws_schema_request *r, const schema_type *root)
{
	for (size_t i = 0; i < r->plan->field_count; i++) {
		gqlws_doc_field *f = &r->plan->fields[i];
		const schema_field *def = schema_field_find(root, f->name);
		for (size_t a = 0; def && a < def->arg_count; a++) {
			const schema_input_value *arg = &def->args[a];
			cJSON *given = cJSON_GetObjectItemCaseSensitive(f->args, arg->name);
			cJSON *value = NULL;
			if (given) {
				value = schema_project_coerce_value(arg->type, given);
				if (!value)
					continue; /* validation let it through as it is */
				cJSON_ReplaceItemInObjectCaseSensitive(f->args, arg->name, value);
				continue;
			}
			if (!arg->default_value) /* S keeps only defaults that coerce */
				continue;
			bool absent;
			cJSON *literal = doc_value_to_json(arg->default_value, NULL, &absent);
			if (!literal)
				return absent ? GQLWS_DOC_OK : GQLWS_DOC_NOMEM;
			value = schema_project_coerce_value(arg->type, literal);
			if (value)
				cJSON_Delete(literal);
			else
				value = literal;
			cJSON_AddItemToObject(f->args, arg->name, value);
		}
	}
	return GQLWS_DOC_OK;
}

/* "Anonymous Subscription" or `Subscription "Name"`, as SingleFieldSubscriptions
 * words it, for a subscription whose root fields were all skipped. */
static gqlws_doc_status refuse_empty_subscription(gqlws_schema_request *r, const gqlws_doc_operation *op,
						  cJSON **errors)
{
	const char *name = gqlws_doc_operation_name(op);
	cJSON *e = name ? doc_error_add(errors, op->pos, "Subscription \"%s\" must select only one top level field.", name)
			: doc_error_add(errors, op->pos, "Anonymous Subscription must select only one top level field.");
	(void)r;
	return e ? GQLWS_DOC_INVALID : GQLWS_DOC_NOMEM;
}

static gqlws_doc_status plan_request(gqlws_schema_request *r, const gqlws_request *req,
				     unsigned flags, cJSON **errors)
{
	if ((flags & GQLWS_SCHEMA_NO_INTROSPECTION)) {
		int refused = gqlws_schema_refuse_introspection(r->schema, r->doc, errors);
		if (refused < 0)
			return GQLWS_DOC_NOMEM;
		if (refused > 0)
			return GQLWS_DOC_INVALID;
	}
	const gqlws_doc_operation *op = gqlws_doc_select_operation(r->doc, req->operation_name, errors);
	if (!op)
		return *errors ? GQLWS_DOC_INVALID : GQLWS_DOC_NOMEM;
	r->op_type = op->type;
	const schema_type *root = root_of(r->schema, op->type);
	/* graphql-js coerces variables before it looks for the root type.
	 * They are coerced by their types in the schema (enums, input
	 * objects); the plan then applies defaults. A variables value that is
	 * no object is the plan's to refuse. */
	cJSON *coerced = NULL;
	if (!req->variables || cJSON_IsObject(req->variables)) {
		int found = schema_project_coerce_variables(r->schema, op, req->variables, &coerced, errors);
		if (found != 0) {
			cJSON_Delete(coerced);
			return found < 0 ? GQLWS_DOC_NOMEM : GQLWS_DOC_INVALID;
		}
	}
	/* @skip/@include whose `if` is unset raise when graphql-js collects
	 * them, as field errors: the plan leaves them to the projection. */
	r->plan = doc_plan_new_deferring(r->doc, op, root ? root->name : NULL,
					 coerced ? coerced : req->variables, errors);
	cJSON_Delete(coerced);
	if (!r->plan)
		return *errors ? GQLWS_DOC_INVALID : GQLWS_DOC_NOMEM;
	/* No root type for the kind, or a root selection whose @skip/@include
	 * raises: graphql-js's execute() and subscribe() answer with that
	 * error as a result (gqlws_schema_result_text writes it), so the
	 * request is made and runs nothing. */
	if (gqlws_schema_request_answered(r))
		return GQLWS_DOC_OK;
	if (op->type == GQLWS_DOC_SUBSCRIPTION && r->plan->field_count != 1)
		return refuse_empty_subscription(r, op, errors);
	return coerce_arguments(r, root);
}

gqlws_schema_request *gqlws_schema_request_new(const gqlws_schema *schema, const gqlws_request *req,
					       const gqlws_doc_limits *limits, unsigned flags,
					       cJSON **errors, gqlws_doc_status *status)
{
	gqlws_doc_status st = GQLWS_DOC_NOMEM;
	gqlws_schema_request *r = NULL;

	*errors = NULL;
	if (schema && req && req->query && (r = calloc(1, sizeof *r)) != NULL) {
		r->schema = schema;
		r->doc = gqlws_schema_parse_document(schema, req->query, req->query_len, limits, errors, &st);
		if (r->doc)
			st = plan_request(r, req, flags, errors);
	}
	if (st != GQLWS_DOC_OK) {
		gqlws_schema_request_free(r);
		r = NULL;
		if (st == GQLWS_DOC_NOMEM) {
			cJSON_Delete(*errors);
			*errors = NULL;
		}
	}
	if (status)
		*status = st;
	return r;
}

void gqlws_schema_request_free(gqlws_schema_request *r)
{
	if (!r)
		return;
	gqlws_doc_plan_free(r->plan);
	gqlws_doc_free(r->doc);
	free(r);
}

bool gqlws_schema_request_answered(const gqlws_schema_request *r)
{
	return r && r->plan && (!root_of(r->schema, r->op_type) || r->plan->root_raised);
}

const gqlws_schema *schema_request_schema(const gqlws_schema_request *r)
{
	return r ? r->schema : NULL;
}

gqlws_doc_op_type gqlws_schema_request_op_type(const gqlws_schema_request *r)
{
	return r ? r->op_type : (gqlws_doc_op_type)0;
}

const gqlws_doc_plan *gqlws_schema_request_plan(const gqlws_schema_request *r)
{
	return r ? r->plan : NULL;
}

const cJSON *gqlws_schema_request_arg(const gqlws_schema_request *r, size_t index, const char *name)
{
	const gqlws_doc_field *field = r ? gqlws_doc_plan_field(r->plan, index) : NULL;

	return field ? gqlws_doc_field_arg(field, name) : NULL;
}

size_t gqlws_schema_request_bytes(const gqlws_schema_request *r)
{
	return r ? gqlws_alloc_bytes(sizeof *r) + gqlws_doc_bytes(r->doc) + gqlws_doc_plan_bytes(r->plan)
		 : 0;
}

int gqlws_schema_request_next(const gqlws_schema_request *r, gqlws_op *op, const cJSON *root,
			      gqlws_doc_buf *text)
{
	gqlws_doc_buf own = GQLWS_DOC_BUF_INIT;
	int rc;

	if (!r || !op)
		return GQLWS_ERR_INVALID;
	if (!text)
		text = &own;
	text->len = 0;
	if (gqlws_schema_result_text(r->schema, r->plan, root, text) != 0)
		rc = GQLWS_ERR_NOMEM;
	else
		rc = gqlws_op_next_raw(op, text->data, text->len);
	gqlws_doc_buf_free(&own);
	return rc;
}

gqlws_schema_request *gqlws_schema_request_start(gqlws_op *op, const gqlws_schema *schema,
						 const gqlws_request *req,
						 const gqlws_doc_limits *limits, unsigned flags)
{
	gqlws_doc_status status;
	cJSON *errors;
	gqlws_schema_request *r = gqlws_schema_request_new(schema, req, limits, flags, &errors, &status);

	if (!doc_request_admit(op, errors, status, r != NULL, gqlws_schema_request_bytes(r))) {
		gqlws_schema_request_free(r);
		return NULL;
	}
	return r;
}
