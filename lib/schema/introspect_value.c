/*
 * introspect_value.c - __InputValue.defaultValue as graphql-js answers it:
 * the SDL literal coerced to the input type (valueFromAST), turned back
 * into a literal (astFromValue) and printed. Done in one pass over the
 * literal, printing as it coerces and undoing what a left-out input field
 * printed; nothing is built in between.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "introspect.h"
#include "json_escape.h"
#include "value.h"

/* What coercing and printing one value came to. */
typedef enum coerced {
	COERCED_VALUE, /* printed a value other than null */
	COERCED_NULL,  /* printed null: the literal was null */
	COERCED_UNDEF, /* valueFromAST gives undefined: the literal does not fit */
	COERCED_THROW, /* coerced, but astFromValue throws on it (no literal) */
	COERCED_LIMIT, /* beyond the bounds below: no answer, and no error */
	COERCED_NOMEM,
} coerced;

/* Defaults of input fields are printed where an object literal leaves the
 * field out, and an input type may reach itself that way (graphql-js then
 * overflows its stack building the schema): bound the work and the depth. */
#define PRINT_STEPS_MAX 100000u
#define PRINT_DEPTH_MAX 256u

typedef struct printer {
	gqlws_doc_buf *text;
	gqlws_doc_buf *why;     /* the first throw's message, or NULL */
	bool thrown;            /* why holds it */
	size_t steps;
	bool nomem;
} printer;

static void put(printer *p, const char *s, size_t n)
{
	if (!p->nomem && gqlws_doc_buf_append(p->text, s, n) != 0)
		p->nomem = true;
}

#define PUT_LITERAL(p, lit) put((p), (lit), sizeof(lit) - 1)

static void put_str(printer *p, const char *s)
{
	put(p, s, strlen(s));
}

static void truncate_to(printer *p, size_t len)
{
	if (p->text->len > len) {
		p->text->len = len;
		p->text->data[len] = '\0';
	}
}

/* graphql-js printString: a GraphQL string literal, escaping what its
 * table escapes (C0 and C1 controls, DEL, quote and backslash). The C1
 * controls U+0080..U+009F arrive as the UTF-8 pairs C2 80..C2 9F. */
static void put_graphql_string(printer *p, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t run = 0;
	PUT_LITERAL(p, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned code;
		size_t width = 1;
		if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) {
			code = c;
		} else if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
			   (unsigned char)s[i + 1] <= 0x9f) {
			code = (unsigned char)s[i + 1];
			width = 2;
		} else {
			continue;
		}
		put(p, s + run, i - run);
		char esc[6] = {'\\', 'u', '0', '0', hex[code >> 4], hex[code & 15]};
		size_t len = 6;
		switch (code) {
		case '"': esc[1] = '"'; len = 2; break;
		case '\\': esc[1] = '\\'; len = 2; break;
		case '\b': esc[1] = 'b'; len = 2; break;
		case '\t': esc[1] = 't'; len = 2; break;
		case '\n': esc[1] = 'n'; len = 2; break;
		case '\f': esc[1] = 'f'; len = 2; break;
		case '\r': esc[1] = 'r'; len = 2; break;
		default: break;
		}
		put(p, esc, len);
		i += width - 1;
		run = i + 1;
	}
	put(p, s + run, n - run);
	PUT_LITERAL(p, "\"");
}

static void why_append(printer *p, const char *s, size_t n)
{
	if (!p->nomem && gqlws_doc_buf_append(p->why, s, n) != 0)
		p->nomem = true;
}

static void why_number(printer *p, double d)
{
	char text[32];
	doc_number_print(d, text, sizeof text);
	why_append(p, text, strlen(text));
}

/* graphql-js's inspect() of the JavaScript value valueFromASTUntyped
 * makes of a literal: strings as JSON, objects as { a: 1 } (a repeated
 * name at its first place with its last value), lists of at most ten
 * items, and containers more than two deep as [Object] and [Array].
 * seen counts the containers around v. */
static void inspect_literal(printer *p, const doc_value *v, unsigned seen)
{
	switch (v->kind) {
	case DOC_VALUE_INT:
	case DOC_VALUE_FLOAT:
		why_number(p, strtod(v->text, NULL));
		return;
	case DOC_VALUE_STRING:
	case DOC_VALUE_ENUM: {
		size_t n = v->kind == DOC_VALUE_STRING ? v->len : strlen(v->text);
		why_append(p, "\"", 1);
		size_t run = 0;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)v->text[i];
			if (!doc_json_needs_escape(c))
				continue;
			why_append(p, v->text + run, i - run);
			run = i + 1;
			char esc[6];
			why_append(p, esc, doc_json_escape(c, esc));
		}
		why_append(p, v->text + run, n - run);
		why_append(p, "\"", 1);
		return;
	}
	case DOC_VALUE_BOOLEAN:
		why_append(p, v->boolean ? "true" : "false", v->boolean ? 4 : 5);
		return;
	case DOC_VALUE_LIST: {
		size_t count = 0;
		for (const doc_value *item = v->items; item; item = item->next)
			count++;
		if (!count) {
			why_append(p, "[]", 2);
			return;
		}
		if (seen + 1 > 2) {
			why_append(p, "[Array]", 7);
			return;
		}
		why_append(p, "[", 1);
		size_t shown = 0;
		for (const doc_value *item = v->items; item && shown < 10; item = item->next) {
			if (shown++)
				why_append(p, ", ", 2);
			inspect_literal(p, item, seen + 1);
		}
		if (count > shown) {
			char more[48];
			size_t left = count - shown;
			snprintf(more, sizeof more, ", ... %zu more item%s", left, left == 1 ? "" : "s");
			why_append(p, more, strlen(more));
		}
		why_append(p, "]", 1);
		return;
	}
	case DOC_VALUE_OBJECT: {
		if (!v->items) {
			why_append(p, "{}", 2);
			return;
		}
		if (seen + 1 > 2) {
			why_append(p, "[Object]", 8);
			return;
		}
		why_append(p, "{ ", 2);
		bool first = true;
		for (const doc_value *m = v->items; m; m = m->next) {
			const doc_value *last = m;
			bool repeated = false;
			for (const doc_value *e = v->items; e != m && !repeated; e = e->next)
				repeated = strcmp(e->member_name, m->member_name) == 0;
			if (repeated)
				continue;
			for (const doc_value *later = m->next; later; later = later->next)
				if (strcmp(later->member_name, m->member_name) == 0)
					last = later;
			if (!first)
				why_append(p, ", ", 2);
			first = false;
			why_append(p, m->member_name, strlen(m->member_name));
			why_append(p, ": ", 2);
			inspect_literal(p, last, seen + 1);
		}
		why_append(p, " }", 2);
		return;
	}
	default:
		why_append(p, "null", 4);
		return;
	}
}

/* astFromValue throws: the first throw's message is the error's. */
static coerced throw_number(printer *p, const char *head, double d, const char *tail)
{
	if (p->why && !p->thrown) {
		p->thrown = true;
		why_append(p, head, strlen(head));
		why_number(p, d);
		why_append(p, tail, strlen(tail));
	}
	return COERCED_THROW;
}

static coerced throw_literal(printer *p, const doc_value *v)
{
	if (p->why && !p->thrown) {
		p->thrown = true;
		why_append(p, "Cannot convert value to AST: ", 29);
		inspect_literal(p, v, 0);
		why_append(p, ".", 1);
	}
	return COERCED_THROW;
}

/* A JavaScript number as astFromValue prints it: String(number), whether
 * it reads as an Int or a Float literal. Not finite: it throws (Float's
 * serialize first, with its own words). */
static coerced put_number(printer *p, double d, bool is_float)
{
	if (!isfinite(d))
		return is_float ? throw_number(p, "Float cannot represent non numeric value: ", d, "")
				: throw_number(p, "Cannot convert value to AST: ", d, ".");
	char text[32];
	if (d > -1e15 && d < 1e15 && (double)(long long)d == d) {
		/* Integers, the usual defaults, without printf's cost; -0
		 * prints as 0, as String(-0) does. */
		long long v = (long long)d;
		unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
		char *end = text + sizeof text, *c = end;
		do {
			*--c = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		if (v < 0)
			*--c = '-';
		put(p, c, (size_t)(end - c));
		return COERCED_VALUE;
	}
	doc_number_print(d, text, sizeof text);
	put_str(p, text);
	return COERCED_VALUE;
}

/* graphql-js's integerStringRegExp, /^-?(?:0|[1-9][0-9]*)$/. */
static bool is_integer_string(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && s[i] == '-')
		i++;
	if (i == n)
		return false;
	if (s[i] == '0')
		return i + 1 == n;
	for (; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool is_builtin_scalar(const schema_type *t, const char *name)
{
	return t->builtin && strcmp(t->name, name) == 0;
}

static coerced print_scalar(printer *p, const doc_value *v, const schema_type *t)
{
	if (is_builtin_scalar(t, "Int")) {
		if (v->kind != DOC_VALUE_INT)
			return COERCED_UNDEF;
		double d = strtod(v->text, NULL);
		if (d > 2147483647.0 || d < -2147483648.0)
			return COERCED_UNDEF;
		return put_number(p, d, false);
	}
	if (is_builtin_scalar(t, "Float")) {
		if (v->kind != DOC_VALUE_INT && v->kind != DOC_VALUE_FLOAT)
			return COERCED_UNDEF;
		return put_number(p, strtod(v->text, NULL), true);
	}
	if (is_builtin_scalar(t, "String")) {
		if (v->kind != DOC_VALUE_STRING)
			return COERCED_UNDEF;
		put_graphql_string(p, v->text, v->len);
		return COERCED_VALUE;
	}
	if (is_builtin_scalar(t, "Boolean")) {
		if (v->kind != DOC_VALUE_BOOLEAN)
			return COERCED_UNDEF;
		put_str(p, v->boolean ? "true" : "false");
		return COERCED_VALUE;
	}
	if (is_builtin_scalar(t, "ID")) {
		if (v->kind != DOC_VALUE_STRING && v->kind != DOC_VALUE_INT)
			return COERCED_UNDEF;
		size_t n = v->kind == DOC_VALUE_STRING ? v->len : strlen(v->text);
		if (is_integer_string(v->text, n))
			put(p, v->text, n);
		else
			put_graphql_string(p, v->text, n);
		return COERCED_VALUE;
	}
	/* A custom scalar: parseLiteral is valueFromASTUntyped and serialize
	 * the identity, so a literal comes back as the JavaScript value it
	 * reads as; lists and objects have no literal for astFromValue. */
	switch (v->kind) {
	case DOC_VALUE_INT:
	case DOC_VALUE_FLOAT:
		return put_number(p, strtod(v->text, NULL), false);
	case DOC_VALUE_STRING:
		put_graphql_string(p, v->text, v->len);
		return COERCED_VALUE;
	case DOC_VALUE_ENUM:
		put_graphql_string(p, v->text, strlen(v->text));
		return COERCED_VALUE;
	case DOC_VALUE_BOOLEAN:
		put_str(p, v->boolean ? "true" : "false");
		return COERCED_VALUE;
	default:
		return throw_literal(p, v);
	}
}

static coerced print_value(printer *p, const doc_value *v, const schema_ref *type, unsigned depth);

/* An input object literal: the type's fields in definition order, each
 * given one (the last of a repeated name, as graphql-js's keyMap keeps) or
 * else its own default; unknown names are ignored. */
static coerced print_input_object(printer *p, const doc_value *v, const schema_type *t, unsigned depth)
{
	if (v->kind != DOC_VALUE_OBJECT)
		return COERCED_UNDEF;
	size_t present = 0;
	bool last_null = false, thrown = false;
	PUT_LITERAL(p, "{");
	for (size_t i = 0; i < t->input_field_count; i++) {
		const schema_input_value *f = &t->input_fields[i];
		const doc_value *given = NULL;
		for (const doc_value *m = v->items; m; m = m->next)
			if (strcmp(m->member_name, f->name) == 0)
				given = m;
		size_t mark = p->text->len;
		if (present)
			PUT_LITERAL(p, ", ");
		put_str(p, f->name);
		PUT_LITERAL(p, ": ");
		coerced r;
		if (given) {
			r = print_value(p, given, f->type, depth + 1);
		} else {
			bool was_thrown = p->thrown;
			size_t why_mark = p->why ? p->why->len : 0;
			r = f->default_value ? print_value(p, f->default_value, f->type, depth + 1) : COERCED_UNDEF;
			if (r == COERCED_UNDEF) {
				/* No default value: left out, unless required; a
				 * throw inside it never happens in graphql-js. */
				truncate_to(p, mark);
				p->thrown = was_thrown;
				if (p->why)
					p->why->len = why_mark;
				if (f->type->kind == SCHEMA_REF_NON_NULL)
					return COERCED_UNDEF;
				continue;
			}
		}
		if (r == COERCED_UNDEF || r == COERCED_LIMIT || r == COERCED_NOMEM)
			return r;
		thrown |= r == COERCED_THROW;
		present++;
		last_null = r == COERCED_NULL;
	}
	PUT_LITERAL(p, "}");
	if (t->one_of && (present != 1 || last_null))
		return COERCED_UNDEF;
	return thrown ? COERCED_THROW : COERCED_VALUE;
}

static coerced print_value(printer *p, const doc_value *v, const schema_ref *type, unsigned depth)
{
	if (p->nomem)
		return COERCED_NOMEM;
	if (++p->steps > PRINT_STEPS_MAX || depth > PRINT_DEPTH_MAX)
		return COERCED_LIMIT;
	if (type->kind == SCHEMA_REF_NON_NULL) {
		if (v->kind == DOC_VALUE_NULL)
			return COERCED_UNDEF;
		return print_value(p, v, type->of_type, depth + 1);
	}
	if (v->kind == DOC_VALUE_NULL) {
		PUT_LITERAL(p, "null");
		return COERCED_NULL;
	}
	coerced r = COERCED_VALUE;
	if (type->kind == SCHEMA_REF_LIST) {
		bool thrown = false;
		PUT_LITERAL(p, "[");
		if (v->kind != DOC_VALUE_LIST) {
			/* One value where a list goes is a list of one. */
			r = print_value(p, v, type->of_type, depth + 1);
			thrown = r == COERCED_THROW;
			if (r == COERCED_LIMIT)
				return r;
		} else {
			for (const doc_value *item = v->items; item; item = item->next) {
				if (item != v->items)
					PUT_LITERAL(p, ", ");
				r = print_value(p, item, type->of_type, depth + 1);
				if (r == COERCED_UNDEF || r == COERCED_LIMIT || r == COERCED_NOMEM)
					break;
				thrown |= r == COERCED_THROW;
			}
		}
		PUT_LITERAL(p, "]");
		if (r == COERCED_UNDEF || r == COERCED_LIMIT || r == COERCED_NOMEM)
			return r;
		r = thrown ? COERCED_THROW : COERCED_VALUE;
	} else {
		const schema_type *t = type->named;
		switch (t->kind) {
		case SCHEMA_SCALAR:
			r = print_scalar(p, v, t);
			break;
		case SCHEMA_ENUM:
			if (v->kind != DOC_VALUE_ENUM || !schema_enum_value_find(t, v->text))
				return COERCED_UNDEF;
			put_str(p, v->text);
			break;
		case SCHEMA_INPUT_OBJECT:
			r = print_input_object(p, v, t, depth);
			break;
		default:
			return COERCED_UNDEF; /* not an input type */
		}
	}
	return p->nomem ? COERCED_NOMEM : r;
}

int introspect_default_print(const schema_ref *type, const doc_value *literal, gqlws_doc_buf *text,
			     gqlws_doc_buf *why)
{
	printer p = {.text = text, .why = why};
	coerced r = print_value(&p, literal, type, 0);
	if (r == COERCED_NOMEM || p.nomem)
		return -1;
	if (r == COERCED_THROW)
		return p.thrown ? 2 : 0;
	return r == COERCED_VALUE || r == COERCED_NULL ? 1 : 0;
}
