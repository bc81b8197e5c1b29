/*
 * value.c - see value.h. Recursion follows the value's nesting, which the
 * parser bounded by the depth limit.
 */
#include "value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cJSON *doc_value_to_json(const doc_value *v, const cJSON *variables, bool *absent)
{
	*absent = false;
	switch (v->kind) {
	case DOC_VALUE_VARIABLE: {
		const cJSON *given = variables ? cJSON_GetObjectItemCaseSensitive(variables, v->text) : NULL;
		if (!given) {
			*absent = true;
			return NULL;
		}
		return cJSON_Duplicate(given, true);
	}
	case DOC_VALUE_INT:
	case DOC_VALUE_FLOAT:
		/* The lexer admitted only the GraphQL number grammar, which
		 * strtod reads the same way in the C locale. */
		return cJSON_CreateNumber(strtod(v->text, NULL));
	case DOC_VALUE_STRING:
	case DOC_VALUE_ENUM:
		return cJSON_CreateString(v->text);
	case DOC_VALUE_BOOLEAN:
		return cJSON_CreateBool(v->boolean);
	case DOC_VALUE_NULL:
		return cJSON_CreateNull();
	case DOC_VALUE_LIST:
	case DOC_VALUE_OBJECT:
		break;
	}
	bool is_object = v->kind == DOC_VALUE_OBJECT;
	cJSON *out = is_object ? cJSON_CreateObject() : cJSON_CreateArray();
	if (!out)
		return NULL;
	for (const doc_value *item = v->items; item; item = item->next) {
		bool item_absent;
		cJSON *j = doc_value_to_json(item, variables, &item_absent);
		if (!j && item_absent) {
			if (is_object)
				continue;
			j = cJSON_CreateNull();
		}
		if (!j) {
			cJSON_Delete(out);
			return NULL;
		}
		if (is_object) {
			/* A repeated member keeps its last value, like a JSON
			 * object read by most parsers. */
			cJSON_DeleteItemFromObjectCaseSensitive(out, item->member_name);
			cJSON_AddItemToObject(out, item->member_name, j);
		} else {
			cJSON_AddItemToArray(out, j);
		}
	}
	return out;
}

void doc_type_print(const doc_type *t, char *out, size_t size)
{
	if (!size)
		return;
	switch (t->kind) {
	case DOC_TYPE_NAMED:
		snprintf(out, size, "%s", t->name);
		return;
	case DOC_TYPE_LIST: {
		if (size < 3) {
			out[0] = '\0';
			return;
		}
		out[0] = '[';
		doc_type_print(t->of_type, out + 1, size - 2);
		size_t len = strlen(out);
		out[len] = ']';
		out[len + 1] = '\0';
		return;
	}
	case DOC_TYPE_NON_NULL: {
		if (size < 2) {
			out[0] = '\0';
			return;
		}
		doc_type_print(t->of_type, out, size - 1);
		size_t len = strlen(out);
		out[len] = '!';
		out[len + 1] = '\0';
		return;
	}
	}
}
