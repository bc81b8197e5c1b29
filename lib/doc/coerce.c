/*
 * coerce.c - see coerce.h. Messages follow graphql-js (v16), including its
 * inspect() rendering of the offending value. Recursion follows the type's
 * list nesting, which the parser bounded.
 */
#include "coerce.h"

#include <math.h>
#include <stdlib.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "clip.h"
#include "value.h"

static void put_number(doc_clip *t, double d)
{
	char buf[40];
	doc_number_print(d, buf, sizeof buf);
	doc_clip_puts(t, buf);
}

static void put_json_string(doc_clip *t, const char *s)
{
	doc_clip_puts(t, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8];
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			doc_clip_put(t, esc, 2);
		} else if (c < 0x20) {
			/* JSON.stringify's short escapes, else \u00xx. */
			static const char short_escape[] = {
				['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n', ['\f'] = 'f', ['\r'] = 'r',
			};
			if (c < sizeof short_escape && short_escape[c])
				snprintf(esc, sizeof esc, "\\%c", short_escape[c]);
			else
				snprintf(esc, sizeof esc, "\\u%04x", c);
			doc_clip_puts(t, esc);
		} else {
			doc_clip_put(t, (const char *)&c, 1);
		}
	}
	doc_clip_puts(t, "\"");
}

/* graphql-js's inspect(): JSON-like, objects as { a: 1 }, nesting past two
 * levels as [Object] / [Array], long lists cut after ten items. */
static void inspect(doc_clip *t, const cJSON *v, int depth)
{
	if (cJSON_IsString(v)) {
		put_json_string(t, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		put_number(t, v->valuedouble);
	} else if (cJSON_IsTrue(v)) {
		doc_clip_puts(t, "true");
	} else if (cJSON_IsFalse(v)) {
		doc_clip_puts(t, "false");
	} else if (cJSON_IsArray(v)) {
		if (!v->child) {
			doc_clip_puts(t, "[]");
			return;
		}
		if (depth >= 2) {
			doc_clip_puts(t, "[Array]");
			return;
		}
		doc_clip_puts(t, "[");
		int shown = 0, total = cJSON_GetArraySize(v);
		for (const cJSON *item = v->child; item && shown < 10; item = item->next, shown++) {
			if (shown)
				doc_clip_puts(t, ", ");
			inspect(t, item, depth + 1);
		}
		if (total > 10) {
			char more[48];
			snprintf(more, sizeof more, ", ... %d more item%s", total - 10, total - 10 > 1 ? "s" : "");
			doc_clip_puts(t, more);
		}
		doc_clip_puts(t, "]");
	} else if (cJSON_IsObject(v)) {
		if (!v->child) {
			doc_clip_puts(t, "{}");
			return;
		}
		if (depth >= 2) {
			doc_clip_puts(t, "[Object]");
			return;
		}
		doc_clip_puts(t, "{ ");
		for (const cJSON *item = v->child; item; item = item->next) {
			if (item != v->child)
				doc_clip_puts(t, ", ");
			doc_clip_puts(t, item->string ? item->string : "");
			doc_clip_puts(t, ": ");
			inspect(t, item, depth + 1);
		}
		doc_clip_puts(t, " }");
	} else {
		doc_clip_puts(t, "null");
	}
}

typedef struct coercion {
	const char *name;
	char path[128];     /* after the variable's name, e.g. "[0][2]" */
	char *message;
	size_t size;
} coercion;

/* Writes the whole message for an invalid value; reason is graphql-js's
 * text for what is wrong with it. */
static doc_coerce_status invalid(coercion *c, const cJSON *value, const char *reason)
{
	doc_clip out = {c->message, c->size, 0};
	c->message[0] = '\0';
	doc_clip_puts(&out, "Variable \"$");
	doc_clip_puts(&out, c->name);
	doc_clip_puts(&out, "\" got invalid value ");
	inspect(&out, value, 0);
	if (c->path[0]) {
		doc_clip_puts(&out, " at \"");
		doc_clip_puts(&out, c->name);
		doc_clip_puts(&out, c->path);
		doc_clip_puts(&out, "\"");
	}
	doc_clip_puts(&out, "; ");
	doc_clip_puts(&out, reason);
	return DOC_COERCE_INVALID;
}

/* reason = prefix followed by inspect(value). */
static doc_coerce_status invalid_scalar(coercion *c, const cJSON *value, const char *prefix)
{
	char reason[256];
	doc_clip r = {reason, sizeof reason, 0};
	reason[0] = '\0';
	doc_clip_puts(&r, prefix);
	inspect(&r, value, 0);
	return invalid(c, value, reason);
}

static bool is_integer(const cJSON *v)
{
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return false;
	/* Every double from 2^52 up is a whole number. */
	double d = v->valuedouble;
	return fabs(d) >= 4503599627370496.0 || d == (double)(long long)d;
}

static doc_coerce_status coerce_named(coercion *c, const char *type, cJSON **value)
{
	cJSON *v = *value;
	if (strcmp(type, "Int") == 0) {
		if (!is_integer(v))
			return invalid_scalar(c, v, "Int cannot represent non-integer value: ");
		if (v->valuedouble > 2147483647.0 || v->valuedouble < -2147483648.0)
			return invalid_scalar(c, v, "Int cannot represent non 32-bit signed integer value: ");
	} else if (strcmp(type, "Float") == 0) {
		if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
			return invalid_scalar(c, v, "Float cannot represent non numeric value: ");
	} else if (strcmp(type, "String") == 0) {
		if (!cJSON_IsString(v))
			return invalid_scalar(c, v, "String cannot represent a non string value: ");
	} else if (strcmp(type, "Boolean") == 0) {
		if (!cJSON_IsBool(v))
			return invalid_scalar(c, v, "Boolean cannot represent a non boolean value: ");
	} else if (strcmp(type, "ID") == 0) {
		if (cJSON_IsString(v))
			return DOC_COERCE_OK;
		if (!is_integer(v))
			return invalid_scalar(c, v, "ID cannot represent value: ");
		/* An integer ID is coerced to its decimal text. */
		char digits[40];
		doc_clip d = {digits, sizeof digits, 0};
		put_number(&d, v->valuedouble);
		cJSON *id = cJSON_CreateString(digits);
		if (!id)
			return DOC_COERCE_NOMEM;
		cJSON_Delete(v);
		*value = id;
	}
	return DOC_COERCE_OK;
}

static doc_coerce_status coerce(coercion *c, const doc_type *t, cJSON **value)
{
	if (t->kind == DOC_TYPE_NON_NULL) {
		if (cJSON_IsNull(*value)) {
			char type[128], reason[192];
			doc_type_print(t, type, sizeof type);
			snprintf(reason, sizeof reason, "Expected non-nullable type \"%s\" not to be null.", type);
			return invalid(c, *value, reason);
		}
		return coerce(c, t->of_type, value);
	}
	if (cJSON_IsNull(*value))
		return DOC_COERCE_OK;
	if (t->kind == DOC_TYPE_NAMED)
		return coerce_named(c, t->name, value);

	if (!cJSON_IsArray(*value)) {
		/* A single value where a list is expected is a list of one. */
		doc_coerce_status st = coerce(c, t->of_type, value);
		if (st != DOC_COERCE_OK)
			return st;
		cJSON *list = cJSON_CreateArray();
		if (!list)
			return DOC_COERCE_NOMEM;
		cJSON_AddItemToArray(list, *value);
		*value = list;
		return DOC_COERCE_OK;
	}
	/* Items move one by one to a new list, so that each is a standalone
	 * value while it is coerced (and may be replaced). */
	cJSON *list = cJSON_CreateArray();
	if (!list)
		return DOC_COERCE_NOMEM;
	size_t path_len = strlen(c->path);
	int index = 0;
	for (cJSON *item; (item = (*value)->child) != NULL; index++) {
		cJSON_DetachItemViaPointer(*value, item);
		snprintf(c->path + path_len, sizeof c->path - path_len, "[%d]", index);
		doc_coerce_status st = coerce(c, t->of_type, &item);
		if (st != DOC_COERCE_OK) {
			cJSON_Delete(item);
			cJSON_Delete(list);
			return st;
		}
		cJSON_AddItemToArray(list, item);
	}
	c->path[path_len] = '\0';
	cJSON_Delete(*value);
	*value = list;
	return DOC_COERCE_OK;
}

doc_coerce_status doc_coerce_variable(const char *name, const doc_type *t, cJSON **value,
				      char *message, size_t size)
{
	coercion c = {.name = name, .path = "", .message = message, .size = size};
	return coerce(&c, t, value);
}
