/*
 * request.c - a request made ready to run in one call, for executors whose
 * schema is a short table of root fields: parse, select the operation, bind
 * it to the variables and its root type, then check the root fields (names,
 * arguments, leaf or object) as graphql-js validates them. Only the root
 * level is checked: the table knows no nested types.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "gqlws_doc.h"
#include "plan.h"
#include "request_start.h"

struct gqlws_doc_request {
	gqlws_doc *doc;
	gqlws_doc_plan *plan;
	gqlws_doc_op_type op_type;
	const gqlws_doc_root_field *schema; /* borrowed: for the fields' types */
};

static const char *root_type_name(gqlws_doc_op_type type)
{
	switch (type) {
	case GQLWS_DOC_QUERY: return "Query";
	case GQLWS_DOC_MUTATION: return "Mutation";
	case GQLWS_DOC_SUBSCRIPTION: return "Subscription";
	}
	return "";
}

static const gqlws_doc_root_field *find_root(const gqlws_doc_root_field *schema,
					     gqlws_doc_op_type type, const char *name)
{
	for (; schema && schema->name; schema++)
		if (schema->op_type == type && (!name || !strcmp(schema->name, name)))
			return schema;
	return NULL;
}

/* The five built-in scalars are the leaf types a table can name; any other
 * named type is taken for an object type. */
static bool is_leaf_type(const char *type)
{
	static const char *const scalars[] = {"Int", "Float", "String", "Boolean", "ID"};
	size_t start = strspn(type, "[");
	size_t len = strcspn(type + start, "!]");

	for (size_t i = 0; i < sizeof scalars / sizeof *scalars; i++)
		if (strlen(scalars[i]) == len && !strncmp(type + start, scalars[i], len))
			return true;
	return false;
}

static bool declares_arg(const char *const *args, const char *name)
{
	for (; args && args[0] && args[1]; args += 2)
		if (!strcmp(args[0], name))
			return true;
	return false;
}

/* Appends the errors of one root field; false when out of memory. */
static bool check_root_field(const gqlws_doc_plan *plan, const gqlws_doc_field *field,
			     const gqlws_doc_root_field *def, const char *root, cJSON **errors)
{
	bool has_selection = field->sub_count > 0;

	if (!strcmp(field->name, "__typename"))
		return !has_selection ||
		       doc_error_add(errors, field->subs_pos, "Field \"__typename\" must not have a selection "
				     "since type \"String!\" has no subfields.");
	if (!def)
		return doc_error_add(errors, field->pos, "Cannot query field \"%s\" on type \"%s\".",
				     field->name, root);
	for (const doc_argument *a = field->arguments; a; a = a->next)
		if (!declares_arg(def->args, a->name) &&
		    !doc_error_add(errors, a->pos, "Unknown argument \"%s\" on field \"%s.%s\".", a->name,
				   root, field->name))
			return false;
	for (const char *const *args = def->args; args && args[0] && args[1]; args += 2) {
		if (!*errors && !(*errors = cJSON_CreateArray()))
			return false;
		if (gqlws_doc_field_check_arg(plan, field, args[0], args[1], *errors) < 0)
			return false;
	}
	if (is_leaf_type(def->type) && has_selection) /* located at the selection set, as graphql-js */
		return doc_error_add(errors, field->subs_pos, "Field \"%s\" must not have a selection since "
				     "type \"%s\" has no subfields.", field->name, def->type);
	if (!is_leaf_type(def->type) && !has_selection)
		return doc_error_add(errors, field->pos, "Field \"%s\" of type \"%s\" must have a "
				     "selection of subfields. Did you mean \"%s { ... }\"?", field->name,
				     def->type, field->name);
	return true;
}

/* graphql-js's single-field and no-introspection rules for subscriptions;
 * a subscription with no root field left (all skipped) is refused too, so
 * that an executor may take field 0 of every subscription it runs. */
static bool check_subscription(const gqlws_doc_plan *plan, const char *op_name, cJSON **errors)
{
	/* "Anonymous Subscription" or `Subscription "Name"`, as three pieces. */
	const char *head = op_name ? "Subscription \"" : "Anonymous Subscription";
	const char *name = op_name ? op_name : "", *tail = op_name ? "\"" : "";
	cJSON *error;

	if (plan->field_count != 1) {
		doc_pos at = plan->field_count ? plan->fields[1].pos : plan->op->pos;

		error = doc_error_add(errors, at, "%s%s%s must select only one top level field.", head,
				      name, tail);
		for (size_t i = 2; error && i < plan->field_count; i++)
			if (doc_error_add_location(error, plan->fields[i].pos))
				error = NULL;
		return error != NULL;
	}
	if (!strncmp(plan->fields[0].name, "__", 2))
		return doc_error_add(errors, plan->fields[0].pos,
				     "%s%s%s must not select an introspection top level field.", head,
				     name, tail);
	return true;
}

/* Fills r's plan from its document; GQLWS_DOC_OK, _INVALID with *errors, or
 * _NOMEM. */
static gqlws_doc_status plan_request(gqlws_doc_request *r, const gqlws_request *req,
				     const gqlws_doc_root_field *schema, cJSON **errors)
{
	const gqlws_doc_operation *op = gqlws_doc_select_operation(r->doc, req->operation_name, errors);
	const char *root;

	if (!op)
		return *errors ? GQLWS_DOC_INVALID : GQLWS_DOC_NOMEM;
	r->op_type = op->type;
	r->schema = schema;
	root = root_type_name(op->type);
	if (!find_root(schema, op->type, NULL))
		return doc_error_add(errors, op->pos, "Schema is not configured to execute %s operation.",
				     gqlws_doc_op_type_name(op->type)) ? GQLWS_DOC_INVALID : GQLWS_DOC_NOMEM;
	r->plan = gqlws_doc_plan_new(r->doc, op, root, req->variables, errors);
	if (!r->plan)
		return *errors ? GQLWS_DOC_INVALID : GQLWS_DOC_NOMEM;
	if (op->type == GQLWS_DOC_SUBSCRIPTION && !check_subscription(r->plan, op->name, errors))
		return GQLWS_DOC_NOMEM;
	for (size_t i = 0; i < r->plan->field_count; i++) {
		const gqlws_doc_field *f = &r->plan->fields[i];

		if (!check_root_field(r->plan, f, find_root(schema, op->type, f->name), root, errors))
			return GQLWS_DOC_NOMEM;
	}
	return cJSON_GetArraySize(*errors) ? GQLWS_DOC_INVALID : GQLWS_DOC_OK;
}

gqlws_doc_request *gqlws_doc_request_new(const gqlws_request *req, const gqlws_doc_root_field *schema,
					 const gqlws_doc_limits *limits, cJSON **errors,
					 gqlws_doc_status *status)
{
	gqlws_doc_request *r;
	gqlws_doc_status st = GQLWS_DOC_NOMEM;

	*errors = NULL;
	r = req && req->query ? calloc(1, sizeof *r) : NULL;
	if (r)
		r->doc = gqlws_doc_parse_ex(req->query, req->query_len, limits, errors, &st);
	if (r && r->doc)
		st = plan_request(r, req, schema, errors);
	if (st != GQLWS_DOC_OK) {
		gqlws_doc_request_free(r);
		r = NULL;
		if (st == GQLWS_DOC_NOMEM) {
			cJSON_Delete(*errors);
			*errors = NULL;
		}
	} else {
		cJSON_Delete(*errors); /* an empty array left by the argument checks */
		*errors = NULL;
	}
	if (status)
		*status = st;
	return r;
}

void gqlws_doc_request_free(gqlws_doc_request *r)
{
	if (!r)
		return;
	gqlws_doc_plan_free(r->plan);
	gqlws_doc_free(r->doc);
	free(r);
}

gqlws_doc_op_type gqlws_doc_request_op_type(const gqlws_doc_request *r)
{
	return r ? r->op_type : (gqlws_doc_op_type)0;
}

const gqlws_doc_plan *gqlws_doc_request_plan(const gqlws_doc_request *r)
{
	return r ? r->plan : NULL;
}

const cJSON *gqlws_doc_request_arg(const gqlws_doc_request *r, size_t index, const char *name)
{
	const gqlws_doc_field *field = r ? gqlws_doc_plan_field(r->plan, index) : NULL;

	return field ? gqlws_doc_field_arg(field, name) : NULL;
}

size_t gqlws_doc_request_bytes(const gqlws_doc_request *r)
{
	return r ? gqlws_alloc_bytes(sizeof *r) + gqlws_doc_bytes(r->doc) + gqlws_doc_plan_bytes(r->plan)
		 : 0;
}

/* The named type of an SDL type ("[Tick!]!" -> "Tick") into out. */
static const char *named_type(const char *type, char *out, size_t size)
{
	size_t start = strspn(type, "[");
	size_t len = strcspn(type + start, "!]");

	if (len >= size)
		return NULL;
	memcpy(out, type + start, len);
	out[len] = '\0';
	return out;
}

int gqlws_doc_request_next(const gqlws_doc_request *r, gqlws_op *op, const char *root_json)
{
	static const char head[] = "{\"data\":{", tail[] = "}}";
	gqlws_doc_buf text = GQLWS_DOC_BUF_INIT;
	cJSON *root = root_json ? cJSON_Parse(root_json) : NULL;
	bool nomem;
	int rc;

	if (!r || !op || !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return GQLWS_ERR_INVALID;
	}
	nomem = gqlws_doc_buf_append(&text, head, sizeof head - 1) != 0;
	for (size_t i = 0; !nomem && i < r->plan->field_count; i++) {
		const gqlws_doc_field *f = &r->plan->fields[i];
		const gqlws_doc_root_field *def = find_root(r->schema, r->op_type, f->name);
		char type[128];

		nomem = (i && gqlws_doc_buf_append(&text, ",", 1)) ||
			gqlws_doc_buf_append(&text, "\"", 1) ||
			gqlws_doc_buf_append(&text, f->key, strlen(f->key)) ||
			gqlws_doc_buf_append(&text, "\":", 2);
		if (nomem)
			break;
		if (!def) { /* __typename: the only root field without an entry */
			const char *name = root_type_name(r->op_type);

			nomem = gqlws_doc_buf_append(&text, "\"", 1) ||
				gqlws_doc_buf_append(&text, name, strlen(name)) ||
				gqlws_doc_buf_append(&text, "\"", 1);
		} else {
			nomem = gqlws_doc_project_text(r->plan, f, cJSON_GetObjectItemCaseSensitive(root, f->name),
						       named_type(def->type, type, sizeof type), &text) != 0;
		}
	}
	nomem = nomem || gqlws_doc_buf_append(&text, tail, sizeof tail - 1);
	rc = nomem ? GQLWS_ERR_NOMEM : gqlws_op_next_raw(op, text.data, text.len);
	gqlws_doc_buf_free(&text);
	cJSON_Delete(root);
	return rc;
}

gqlws_doc_request *gqlws_doc_request_start(gqlws_op *op, const gqlws_request *req,
					   const gqlws_doc_root_field *schema,
					   const gqlws_doc_limits *limits)
{
	gqlws_doc_status status;
	cJSON *errors;
	gqlws_doc_request *r = gqlws_doc_request_new(req, schema, limits, &errors, &status);

	if (!doc_request_admit(op, errors, status, r != NULL, gqlws_doc_request_bytes(r))) {
		gqlws_doc_request_free(r);
		return NULL;
	}
	return r;
}

bool doc_request_admit(gqlws_op *op, cJSON *errors, gqlws_doc_status status, bool made,
		       size_t bytes)
{
	int charged;

	if (errors) {
		if (status == GQLWS_DOC_SYNTAX)
			gqlws_op_refuse_syntax(op, errors);
		else
			gqlws_op_refuse(op, errors);
		cJSON_Delete(errors);
		return false;
	}
	charged = made ? gqlws_op_charge(op, bytes) : GQLWS_ERR_NOMEM;
	if (charged != GQLWS_OK) {
		gqlws_op_fail(op, charged == GQLWS_ERR_LIMIT ? GQLWS_MEMORY_LIMIT_MESSAGE : "Internal error");
		return false;
	}
	return true;
}
