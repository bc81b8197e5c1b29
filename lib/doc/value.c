/*
 * value.c - see value.h. Recursion follows the value's nesting, which the
 * parser bounded by the depth limit.
 */
#include "value.h"

#include <math.h>
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

void doc_number_print(double d, char *out, size_t size)
{
	if (isnan(d)) {
		snprintf(out, size, "NaN");
		return;
	}
	if (isinf(d)) {
		snprintf(out, size, d < 0 ? "-Infinity" : "Infinity");
		return;
	}
	if (d == 0) {
		snprintf(out, size, "0");
		return;
	}
	/* The shortest %e form that reads back as d gives ECMAScript's digits
	 * s (k of them) and decimal exponent n (the point sits after n digits). */
	char e_form[40];
	for (int precision = 1; precision <= 17; precision++) {
		snprintf(e_form, sizeof e_form, "%.*e", precision - 1, fabs(d));
		if (strtod(e_form, NULL) == fabs(d))
			break;
	}
	char digits[24];
	int k = 0;
	const char *c = e_form;
	for (; *c && *c != 'e'; c++)
		if (*c >= '0' && *c <= '9')
			digits[k++] = *c;
	while (k > 1 && digits[k - 1] == '0')
		k--;
	digits[k] = '\0';
	int n = atoi(c + 1) + 1;

	/* ECMAScript Number::toString, step by step. */
	static const char zeros[] = "000000000000000000000"; /* 21 */
	char text[48];
	const char *sign = d < 0 ? "-" : "";
	if (k <= n && n <= 21)
		snprintf(text, sizeof text, "%s%s%.*s", sign, digits, n - k, zeros);
	else if (0 < n && n <= 21)
		snprintf(text, sizeof text, "%s%.*s.%s", sign, n, digits, digits + n);
	else if (-6 < n && n <= 0)
		snprintf(text, sizeof text, "%s0.%.*s%s", sign, -n, zeros, digits);
	else
		snprintf(text, sizeof text, "%s%c%s%se%c%d", sign, digits[0], k > 1 ? "." : "",
			 digits + 1, n - 1 < 0 ? '-' : '+', abs(n - 1));
	snprintf(out, size, "%s", text);
}
