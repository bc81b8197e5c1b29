/*
 * check.c - schema-free validation of a field's sub-selection: an executor
 * that knows which fields a type has asks for `Cannot query field` errors
 * on the others, and checks arguments against the built-in scalar types,
 * as graphql-js reports them.
 */
#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "gqlws_doc.h"
#include "literal.h"
#include "plan.h"

static bool is_known(const char *name, const char *const *known)
{
	if (!strcmp(name, "__typename"))
		return true;
	for (; known && *known; known++)
		if (!strcmp(name, *known))
			return true;
	return false;
}

int gqlws_doc_field_check_selection(const gqlws_doc_plan *plan, const gqlws_doc_field *field,
				    const char *type_name, const char *const *known_fields,
				    cJSON *errors)
{
	const doc_selection *storage[DOC_KEY_LINKS_INLINE];
	doc_field_list fields;
	int found = 0;

	if (!plan || !field || !type_name || !cJSON_IsArray(errors))
		return -1;
	doc_field_list_init(&fields, storage, DOC_KEY_LINKS_INLINE);
	if (doc_collect_fields(plan, field->subs, field->sub_count, type_name, &fields) != 0) {
		doc_field_list_release(&fields);
		return -1;
	}
	for (size_t i = 0; i < fields.count; i++) {
		const doc_selection *f = fields.items[i];
		char message[512];
		cJSON *error;

		if (is_known(f->name, known_fields))
			continue;
		snprintf(message, sizeof(message), "Cannot query field \"%s\" on type \"%s\".",
			 f->name, type_name);
		error = gqlws_doc_error_new(message, f->pos.line, f->pos.column);
		if (!error) {
			found = -1;
			break;
		}
		cJSON_AddItemToArray(errors, error);
		found++;
	}
	doc_field_list_release(&fields);
	return found;
}

int gqlws_doc_field_check_arg(const gqlws_doc_plan *plan, const gqlws_doc_field *field,
			      const char *name, const char *type, cJSON *errors)
{
	if (!plan || !field || !name || !type || !cJSON_IsArray(errors))
		return -1;
	size_t type_len = strlen(type);
	bool non_null = type_len && type[type_len - 1] == '!';
	char scalar[64];
	if (type_len - non_null == 0 || type_len - non_null >= sizeof scalar)
		return -1;
	memcpy(scalar, type, type_len - non_null);
	scalar[type_len - non_null] = '\0';
	doc_type named = {.kind = DOC_TYPE_NAMED, .name = scalar};
	doc_type wrapped = {.kind = DOC_TYPE_NON_NULL, .of_type = &named};
	const doc_type *t = non_null ? &wrapped : &named;

	const doc_argument *arg = NULL;
	for (const doc_argument *a = field->arguments; a; a = a->next)
		if (!strcmp(a->name, name))
			arg = a;
	if (!arg) {
		if (!non_null)
			return 0;
		cJSON *error = doc_error_add(&errors, field->pos,
					     "Field \"%s\" argument \"%s\" of type \"%s\" is required, but it was not provided.",
					     field->name, name, type);
		return error ? 1 : -1;
	}
	return doc_literal_check(arg->value, t, plan->op, &errors);
}
