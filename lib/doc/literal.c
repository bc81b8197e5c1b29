/*
 * literal.c - see literal.h. Messages and printing follow graphql-js (v16).
 * Printing recurses along the value's nesting and checking along the type's
 * list nesting; the parser bounded both by the depth limit.
 */
#include "literal.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clip.h"
#include "errors.h"
#include "value.h"

/* ------------------------------------------------------------ printing */

static void emit_string(doc_clip *p, const char *s, size_t len)
{
	static const char short_escape[] = {
		['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n', ['\f'] = 'f', ['\r'] = 'r',
	};
	doc_clip_puts(p, "\"");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned code = c;
		char esc[8];
		/* U+0080..U+009F are C2 80..C2 9F in UTF-8. */
		if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] <= 0x9F &&
		    (unsigned char)s[i + 1] >= 0x80)
			code = (unsigned char)s[++i];
		if (code == '"' || code == '\\') {
			esc[0] = '\\';
			esc[1] = (char)code;
			doc_clip_put(p, esc, 2);
		} else if (code < sizeof short_escape && short_escape[code]) {
			esc[0] = '\\';
			esc[1] = short_escape[code];
			doc_clip_put(p, esc, 2);
		} else if (code < 0x20 || (code >= 0x7F && code <= 0x9F)) {
			snprintf(esc, sizeof esc, "\\u%04X", code);
			doc_clip_puts(p, esc);
		} else {
			doc_clip_put(p, (const char *)&c, 1);
		}
	}
	doc_clip_puts(p, "\"");
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* graphql-js's printBlockString: the value between triple quotes, on lines
 * of their own when that reads better. The lexer already turned every line
 * terminator of a block string into \n. */
static void emit_block_string(doc_clip *p, const char *s, size_t len)
{
	bool single_line = memchr(s, '\n', len) == NULL;
	bool leading_newline = !single_line;
	for (const char *nl = memchr(s, '\n', len); nl && leading_newline;
	     nl = memchr(nl + 1, '\n', len - (size_t)(nl + 1 - s))) {
		const char *next = nl + 1;
		if (next < s + len && *next != '\n' && !is_blank(*next))
			leading_newline = false;
	}
	/* Whether the escaped text ends with an escaped """ (replacements are
	 * made left to right, so four quotes at the end are not). */
	bool trailing_triple = false;
	for (size_t i = 0; i + 3 <= len; i++) {
		if (!memcmp(s + i, "\"\"\"", 3)) {
			trailing_triple = i + 3 == len;
			i += 2;
		}
	}
	bool trailing_newline = len && ((s[len - 1] == '"' && !trailing_triple) || s[len - 1] == '\\');
	size_t utf16_units = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c & 0xC0) != 0x80)
			utf16_units += c >= 0xF0 ? 2 : 1;
	}
	bool multiple_lines = !single_line || utf16_units > 70 || trailing_newline ||
			      leading_newline || trailing_triple;
	bool skip_leading = single_line && len && is_blank(s[0]);

	doc_clip_puts(p, "\"\"\"");
	if ((multiple_lines && !skip_leading) || leading_newline)
		doc_clip_puts(p, "\n");
	for (size_t i = 0; i < len; i++) {
		if (i + 3 <= len && !memcmp(s + i, "\"\"\"", 3)) {
			doc_clip_puts(p, "\\\"\"\"");
			i += 2;
		} else {
			doc_clip_put(p, s + i, 1);
		}
	}
	if (multiple_lines || trailing_newline)
		doc_clip_puts(p, "\n");
	doc_clip_puts(p, "\"\"\"");
}

static void print_value(doc_clip *p, const doc_value *v)
{
	if (p->len + 1 >= p->size)
		return;
	switch (v->kind) {
	case DOC_VALUE_VARIABLE:
		doc_clip_puts(p, "$");
		doc_clip_puts(p, v->text);
		return;
	case DOC_VALUE_INT:
	case DOC_VALUE_FLOAT:
	case DOC_VALUE_ENUM:
		doc_clip_puts(p, v->text);
		return;
	case DOC_VALUE_STRING:
		if (v->block)
			emit_block_string(p, v->text, v->len);
		else
			emit_string(p, v->text, v->len);
		return;
	case DOC_VALUE_BOOLEAN:
		doc_clip_puts(p, v->boolean ? "true" : "false");
		return;
	case DOC_VALUE_NULL:
		doc_clip_puts(p, "null");
		return;
	case DOC_VALUE_LIST:
	case DOC_VALUE_OBJECT:
		break;
	}
	bool is_object = v->kind == DOC_VALUE_OBJECT;
	doc_clip_puts(p, is_object ? "{" : "[");
	for (const doc_value *item = v->items; item; item = item->next) {
		if (item != v->items)
			doc_clip_puts(p, ", ");
		if (is_object) {
			doc_clip_puts(p, item->member_name);
			doc_clip_puts(p, ": ");
		}
		print_value(p, item);
	}
	doc_clip_puts(p, is_object ? "}" : "]");
}

void doc_literal_print(const doc_value *v, char *out, size_t size)
{
	doc_clip p = {out, size, 0};
	if (!size)
		return;
	out[0] = '\0';
	print_value(&p, v);
}

/* ------------------------------------------------------------ checking */

/* Values are shown whole in messages up to this many bytes. */
#define LITERAL_SHOWN_MAX 400

/* graphql-js's isTypeSubTypeOf for the types a document can write. */
static bool is_subtype(const doc_type *sub, const doc_type *super)
{
	if (super->kind == DOC_TYPE_NON_NULL)
		return sub->kind == DOC_TYPE_NON_NULL && is_subtype(sub->of_type, super->of_type);
	if (sub->kind == DOC_TYPE_NON_NULL)
		return is_subtype(sub->of_type, super);
	if (super->kind == DOC_TYPE_LIST)
		return sub->kind == DOC_TYPE_LIST && is_subtype(sub->of_type, super->of_type);
	return sub->kind == DOC_TYPE_NAMED && strcmp(sub->name, super->name) == 0;
}

static const doc_variable_def *find_definition(const gqlws_doc_operation *op, const char *name)
{
	for (const doc_variable_def *d = op ? op->variables : NULL; d; d = d->next)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

static int check_variable(const doc_value *v, const doc_type *t, const gqlws_doc_operation *op,
			  cJSON **errors)
{
	const doc_variable_def *def = find_definition(op, v->text);
	if (!def)
		return 0; /* the plan reports undefined variables */
	const doc_type *location = t;
	/* A nullable variable with a non-null default fits a non-null place. */
	if (t->kind == DOC_TYPE_NON_NULL && def->type->kind != DOC_TYPE_NON_NULL &&
	    def->default_value && def->default_value->kind != DOC_VALUE_NULL)
		location = t->of_type;
	if (is_subtype(def->type, location))
		return 0;
	char var_type[128], place[128];
	doc_type_print(def->type, var_type, sizeof var_type);
	doc_type_print(t, place, sizeof place);
	cJSON *e = doc_error_add(errors, def->pos,
				 "Variable \"$%s\" of type \"%s\" used in position expecting type \"%s\".",
				 v->text, var_type, place);
	if (!e || doc_error_add_location(e, v->pos) != 0)
		return -1;
	return 1;
}

/* The literal rules of a built-in scalar (graphql-js's parseLiteral); NULL
 * when v fits, else the message prefix to which the printed value goes. */
static const char *scalar_problem(const char *scalar, const doc_value *v)
{
	if (!strcmp(scalar, "Int")) {
		if (v->kind != DOC_VALUE_INT)
			return "Int cannot represent non-integer value: ";
		double d = strtod(v->text, NULL);
		/* The message shows the literal as written, not as a double. */
		return d > 2147483647.0 || d < -2147483648.0
			       ? "Int cannot represent non 32-bit signed integer value: "
			       : NULL;
	}
	if (!strcmp(scalar, "Float"))
		return v->kind == DOC_VALUE_FLOAT || v->kind == DOC_VALUE_INT
			       ? NULL
			       : "Float cannot represent non numeric value: ";
	if (!strcmp(scalar, "String"))
		return v->kind == DOC_VALUE_STRING ? NULL : "String cannot represent a non string value: ";
	if (!strcmp(scalar, "Boolean"))
		return v->kind == DOC_VALUE_BOOLEAN ? NULL
						    : "Boolean cannot represent a non boolean value: ";
	if (!strcmp(scalar, "ID"))
		return v->kind == DOC_VALUE_STRING || v->kind == DOC_VALUE_INT
			       ? NULL
			       : "ID cannot represent a non-string and non-integer value: ";
	return NULL; /* not a built-in scalar: the executor's to check */
}

static const doc_type *named_type(const doc_type *t)
{
	while (t->kind != DOC_TYPE_NAMED)
		t = t->of_type;
	return t;
}

int doc_literal_check(const doc_value *v, const doc_type *t, const gqlws_doc_operation *op,
		      cJSON **errors)
{
	if (v->kind == DOC_VALUE_VARIABLE)
		return check_variable(v, t, op, errors);
	if (v->kind == DOC_VALUE_NULL) {
		if (t->kind != DOC_TYPE_NON_NULL)
			return 0;
		char type[128];
		doc_type_print(t, type, sizeof type);
		return doc_error_add(errors, v->pos, "Expected value of type \"%s\", found null.", type)
			       ? 1
			       : -1;
	}
	const doc_type *nullable = t->kind == DOC_TYPE_NON_NULL ? t->of_type : t;
	if (v->kind == DOC_VALUE_LIST && nullable->kind == DOC_TYPE_LIST) {
		int found = 0;
		for (const doc_value *item = v->items; item; item = item->next) {
			int n = doc_literal_check(item, nullable->of_type, op, errors);
			if (n < 0)
				return -1;
			found += n;
		}
		return found;
	}
	/* A single value where a list goes stands for a list of one. */
	const char *problem = scalar_problem(named_type(t)->name, v);
	if (!problem)
		return 0;
	char shown[LITERAL_SHOWN_MAX];
	doc_literal_print(v, shown, sizeof shown);
	return doc_error_add(errors, v->pos, "%s%s", problem, shown) ? 1 : -1;
}
