/*
 * project_result.c - one whole result of a plan for a root value: every
 * root field projected (or introspected) into "data", and the errors the
 * projection met placed before it, in graphql-js's key order.
 */
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "plan.h"
#include "project_internal.h"

static int append(gqlws_doc_buf *out, const char *text)
{
	return gqlws_doc_buf_append(out, text, strlen(text));
}

/* out[start..] holds {"data":<data>}: rewrites it as
 * {"errors":<errors>,"data":<data>}. Only results with errors pay. */
static int put_errors_first(gqlws_doc_buf *out, size_t start, const cJSON *errors)
{
	static const char data_head[] = "{\"data\":";
	size_t data_at = start + sizeof data_head - 1;
	size_t data_len = out->len - data_at; /* "<data>}" */
	char *data = malloc(data_len);
	char *printed = cJSON_PrintUnformatted(errors);
	int rc = -1;

	if (data && printed) {
		memcpy(data, out->data + data_at, data_len);
		out->len = start;
		rc = append(out, "{\"errors\":") || append(out, printed) || append(out, ",\"data\":") ||
		     gqlws_doc_buf_append(out, data, data_len)
			     ? -1
			     : 0;
	}
	free(data);
	cJSON_free(printed);
	return rc;
}

/* True when root field f of plan is declared non-null: an error raised by
 * its resolver then makes "data" null. */
static bool root_field_is_non_null(const gqlws_schema *schema, const gqlws_doc_plan *plan,
				   const gqlws_doc_field *f)
{
	const char *root_name = plan->root_type ? plan->root_type
						: gqlws_schema_root_type(schema, plan->op->type);
	const schema_type *root = root_name ? schema_type_find(schema, root_name) : NULL;
	const schema_field *def = root ? schema_field_find(root, f->name) : NULL;
	return def && def->type->kind == SCHEMA_REF_NON_NULL;
}

/* What graphql-js's execute() (subscribe() for a subscription) answers
 * before any root field runs, or NULL (*nomem set when allocation failed):
 * `Schema is not configured to execute mutation operation.` at the
 * operation, else the error of a root selection whose @skip/@include
 * raises, with no path. */
static cJSON *error_before_fields(const gqlws_schema *schema, const gqlws_doc_plan *plan, bool *nomem)
{
	cJSON *errors = NULL;
	*nomem = false;
	if (!gqlws_schema_root_type(schema, plan->op->type)) {
		if (!doc_error_add(&errors, plan->op->pos, "Schema is not configured to execute %s operation.",
				   gqlws_doc_op_type_name(plan->op->type)))
			*nomem = true;
		return errors;
	}
	if (!plan->root_raised)
		return NULL;
	cJSON *error = doc_plan_if_error(plan, plan->root_raised);
	errors = error ? cJSON_CreateArray() : NULL;
	if (!errors) {
		cJSON_Delete(error);
		*nomem = true;
		return NULL;
	}
	cJSON_AddItemToArray(errors, error);
	return errors;
}

/* Where the root fields' values come from: a root object's members named
 * after the fields, or one value (and maybe a raised error) per field. */
typedef struct root_values {
	const cJSON *root;
	const cJSON *const *values;
	const char *const *messages;
} root_values;

static int result_text(const gqlws_schema *schema, const gqlws_doc_plan *plan,
		       const root_values *from, gqlws_doc_buf *out)
{
	if (!schema || !plan || !out)
		return -1;
	bool nomem;
	cJSON *early = error_before_fields(schema, plan, &nomem);
	if (nomem)
		return -1;
	if (early) {
		/* subscribe() answers {errors} alone; execute() adds data null. */
		char *printed = cJSON_PrintUnformatted(early);
		int rc = !printed || append(out, "{\"errors\":") || append(out, printed) ||
				 append(out, plan->op->type == GQLWS_DOC_SUBSCRIPTION ? "}" : ",\"data\":null}")
			 ? -1
			 : 0;
		cJSON_free(printed);
		cJSON_Delete(early);
		return rc;
	}
	size_t start = out->len;
	cJSON *errors = NULL;
	bool data_null = false;
	int rc = append(out, "{\"data\":{");

	for (size_t i = 0; rc == 0 && i < plan->field_count; i++) {
		const gqlws_doc_field *f = &plan->fields[i];
		rc = (i && append(out, ",")) || append(out, "\"") || append(out, f->key) ||
		     append(out, "\":");
		if (rc)
			break;
		if (plan->op->type == GQLWS_DOC_QUERY && gqlws_schema_is_introspection_field(f->name)) {
			rc = gqlws_schema_introspect_text_ex(schema, plan, f, out, &errors) == -1 ? -1 : 0;
			continue;
		}
		int projected;
		if (from->messages && from->messages[i]) {
			/* the resolver raised: the field is null, non-null or not */
			projected = schema_project_root_error(schema, plan, f, from->messages[i], &errors) ||
					    append(out, "null")
				    ? -1
				    : root_field_is_non_null(schema, plan, f) ? GQLWS_SCHEMA_PROJECT_DATA_NULL
									      : GQLWS_SCHEMA_PROJECT_OK;
		} else {
			const cJSON *value = from->values ? from->values[i]
					   : cJSON_IsObject(from->root)
						   ? cJSON_GetObjectItemCaseSensitive(from->root, f->name)
						   : NULL;
			projected = gqlws_schema_project_text(schema, plan, f, value, out, &errors);
		}
		if (projected < 0) {
			rc = -1;
		} else if (projected == GQLWS_SCHEMA_PROJECT_DATA_NULL) {
			data_null = true; /* graphql-js runs no further root field */
			break;
		}
	}
	if (rc == 0 && data_null) {
		out->len = start;
		rc = append(out, "{\"data\":null}");
	} else if (rc == 0) {
		rc = append(out, "}}");
	}
	if (rc == 0 && errors)
		rc = put_errors_first(out, start, errors);
	cJSON_Delete(errors);
	return rc;
}

int gqlws_schema_result_text(const gqlws_schema *schema, const gqlws_doc_plan *plan,
			     const cJSON *root, gqlws_doc_buf *out)
{
	root_values from = {root, NULL, NULL};
	return result_text(schema, plan, &from, out);
}

int gqlws_schema_result_fields_text(const gqlws_schema *schema, const gqlws_doc_plan *plan,
				    const cJSON *const *values, const char *const *messages,
				    gqlws_doc_buf *out)
{
	root_values from = {NULL, values, messages}; /* values NULL: every field null */
	return result_text(schema, plan, &from, out);
}
