/*
 * project_leaf.c - leaves of a typed projection: JSON text as graphql-js's
 * JSON.stringify writes it, the five built-in scalars and enums serialised
 * as graphql-js 16 serialises results (its error words included), and
 * inspect(), which those words quote values with.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_escape.h"
#include "project_internal.h"
#include "value.h"

#define INT32_MIN_AS_DOUBLE (-2147483648.0)
#define INT32_MAX_AS_DOUBLE 2147483647.0

/* graphql-js's inspect() limits. */
#define INSPECT_MAX_DEPTH 2
#define INSPECT_MAX_ITEMS 10

void schema_project_emit_grow(schema_project_sink *sink, const char *bytes, size_t n)
{
	if (!sink->nomem && gqlws_doc_buf_append(sink->buf, bytes, n) != 0)
		sink->nomem = true;
}

/* Nonzero when one of the 8 bytes in w is below 0x20, '"' or '\\' (may
 * also flag a byte after a true one: the caller then looks byte by byte). */
static inline uint64_t escape_in_word(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
	uint64_t control = (w - ones * 0x20) & ~w;       /* a byte below 0x20 */
	uint64_t is_quote = (quote - ones) & ~quote;     /* a byte equal to '"' */
	uint64_t is_backslash = (backslash - ones) & ~backslash;
	return (control | is_quote | is_backslash) & highs;
}

static void emit_escape(schema_project_sink *sink, unsigned char c)
{
	char esc[6];
	schema_project_emit(sink, esc, doc_json_escape(c, esc));
}

void schema_project_emit_string(schema_project_sink *sink, const char *s)
{
	size_t len = strlen(s), i = 0, run = 0;

	SCHEMA_PROJECT_EMIT_LITERAL(sink, "\"");
	/* Eight bytes at a time while none needs escaping (most text). */
	while (i < len) {
		if (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (!escape_in_word(w)) {
				i += 8;
				continue;
			}
		}
		unsigned char c = (unsigned char)s[i];
		if (!doc_json_needs_escape(c)) {
			i++;
			continue;
		}
		schema_project_emit(sink, s + run, i - run);
		emit_escape(sink, c);
		run = ++i;
	}
	schema_project_emit(sink, s + run, len - run);
	SCHEMA_PROJECT_EMIT_LITERAL(sink, "\"");
}

/* Digits of u (and a point before the last `decimals` of them) ending at
 * end; returns where they start. */
static char *digits_backwards(char *end, unsigned long long u, int decimals, bool negative)
{
	char *p = end;
	for (int d = 0; d < decimals; d++) {
		*--p = (char)('0' + u % 10);
		u /= 10;
	}
	if (decimals)
		*--p = '.';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (negative)
		*--p = '-';
	return p;
}

/* A finite number's text as JavaScript writes it, in buf; returns where it
 * starts (it ends at buf + 48). */
static const char *number_text(double d, char buf[48], size_t *len)
{
	char *end = buf + 48;
	/* Integers and values with a few decimals (prices, times in ms) are
	 * most of what events carry: written by hand, as printf and the
	 * shortest-digits search are slow. Up to 1e15 an integer's digits are
	 * exactly what JavaScript prints. */
	if (d > -1e15 && d < 1e15 && (double)(long long)d == d) {
		long long v = (long long)d;
		unsigned long long u = v < 0 ? (unsigned long long)-v : (unsigned long long)v;
		char *p = digits_backwards(end, u, 0, v < 0);
		*len = (size_t)(end - p);
		return p;
	}
	/* d is the double nearest m / 10^k for an integer m below 2^53: the
	 * decimal text of that quotient reads back as d, and no text with
	 * fewer decimals does (those were tried first). */
	static const double scale[] = {1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
	const double exact = 9007199254740992.0;
	for (int k = 0; k < 6; k++) {
		double x = d * scale[k];
		if (!(x > -exact && x < exact))
			continue;
		double m = (double)(long long)(x < 0 ? x - 0.5 : x + 0.5);
		if (!(m > -exact && m < exact) || m / scale[k] != d)
			continue;
		long long v = (long long)m;
		unsigned long long u = v < 0 ? (unsigned long long)-v : (unsigned long long)v;
		char *p = digits_backwards(end, u, k + 1, v < 0);
		*len = (size_t)(end - p);
		return p;
	}
	doc_number_print(d, buf, 48);
	*len = strlen(buf);
	return buf;
}

void schema_project_emit_number(schema_project_sink *sink, double d)
{
	char buf[48];
	size_t len;

	if (!isfinite(d)) {
		SCHEMA_PROJECT_EMIT_LITERAL(sink, "null"); /* as JSON.stringify */
		return;
	}
	const char *text = number_text(d, buf, &len);
	schema_project_emit(sink, text, len);
}

void schema_project_emit_json(schema_project_sink *sink, const cJSON *v, unsigned depth)
{
	if (!v || depth > SCHEMA_PROJECT_JSON_DEPTH_MAX) {
		SCHEMA_PROJECT_EMIT_LITERAL(sink, "null");
		return;
	}
	switch (v->type & 0xFF) {
	case cJSON_False: SCHEMA_PROJECT_EMIT_LITERAL(sink, "false"); return;
	case cJSON_True: SCHEMA_PROJECT_EMIT_LITERAL(sink, "true"); return;
	case cJSON_Number: schema_project_emit_number(sink, v->valuedouble); return;
	case cJSON_String: schema_project_emit_string(sink, v->valuestring ? v->valuestring : ""); return;
	case cJSON_Raw:
		if (v->valuestring)
			schema_project_emit(sink, v->valuestring, strlen(v->valuestring));
		else
			SCHEMA_PROJECT_EMIT_LITERAL(sink, "null");
		return;
	case cJSON_Array:
	case cJSON_Object: {
		bool is_object = (v->type & 0xFF) == cJSON_Object;
		schema_project_emit(sink, is_object ? "{" : "[", 1);
		for (const cJSON *item = v->child; item && !sink->nomem; item = item->next) {
			if (item != v->child)
				SCHEMA_PROJECT_EMIT_LITERAL(sink, ",");
			if (is_object) {
				schema_project_emit_string(sink, item->string ? item->string : "");
				SCHEMA_PROJECT_EMIT_LITERAL(sink, ":");
			}
			schema_project_emit_json(sink, item, depth + 1);
		}
		schema_project_emit(sink, is_object ? "}" : "]", 1);
		return;
	}
	default:
		SCHEMA_PROJECT_EMIT_LITERAL(sink, "null");
		return;
	}
}

/* ------------------------------------------------------------- inspect */

static void emit_js_number(schema_project_sink *sink, double d)
{
	char text[48];
	doc_number_print(d, text, sizeof text);
	schema_project_emit(sink, text, strlen(text));
}

/* An array index as JavaScript orders object keys: canonical decimal
 * below 2^32 - 1. Such keys come first, ascending, in Object.entries(). */
static bool array_index_key(const char *key, uint32_t *index)
{
	uint64_t v = 0;
	if (!key || !*key || (key[0] == '0' && key[1]))
		return false;
	for (const char *p = key; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v >= 4294967295u)
			return false;
	}
	*index = (uint32_t)v;
	return true;
}

static void inspect_value(schema_project_sink *sink, const cJSON *v, int seen);

static void inspect_entry(schema_project_sink *sink, const cJSON *item, int seen, bool *first)
{
	if (!*first)
		SCHEMA_PROJECT_EMIT_LITERAL(sink, ", ");
	*first = false;
	schema_project_emit(sink, item->string ? item->string : "", item->string ? strlen(item->string) : 0);
	SCHEMA_PROJECT_EMIT_LITERAL(sink, ": ");
	inspect_value(sink, item, seen);
}

static void inspect_object(schema_project_sink *sink, const cJSON *v, int seen)
{
	if (!v->child) {
		SCHEMA_PROJECT_EMIT_LITERAL(sink, "{}");
		return;
	}
	if (seen > INSPECT_MAX_DEPTH) {
		SCHEMA_PROJECT_EMIT_LITERAL(sink, "[Object]");
		return;
	}
	bool first = true;
	SCHEMA_PROJECT_EMIT_LITERAL(sink, "{ ");
	/* Index keys first, ascending (a selection sort: only messages pay). */
	uint32_t last = 0;
	bool any_last = false;
	for (;;) {
		const cJSON *next = NULL;
		uint32_t next_index = 0, index;
		for (const cJSON *item = v->child; item; item = item->next)
			if (array_index_key(item->string, &index) && (!any_last || index > last) &&
			    (!next || index < next_index)) {
				next = item;
				next_index = index;
			}
		if (!next)
			break;
		inspect_entry(sink, next, seen, &first);
		last = next_index;
		any_last = true;
	}
	for (const cJSON *item = v->child; item && !sink->nomem; item = item->next) {
		uint32_t index;
		if (!array_index_key(item->string, &index))
			inspect_entry(sink, item, seen, &first);
	}
	SCHEMA_PROJECT_EMIT_LITERAL(sink, " }");
}

static void inspect_array(schema_project_sink *sink, const cJSON *v, int seen)
{
	if (!v->child) {
		SCHEMA_PROJECT_EMIT_LITERAL(sink, "[]");
		return;
	}
	if (seen > INSPECT_MAX_DEPTH) {
		SCHEMA_PROJECT_EMIT_LITERAL(sink, "[Array]");
		return;
	}
	int count = cJSON_GetArraySize(v);
	int shown = 0;
	SCHEMA_PROJECT_EMIT_LITERAL(sink, "[");
	for (const cJSON *item = v->child; item && shown < INSPECT_MAX_ITEMS; item = item->next) {
		if (shown++)
			SCHEMA_PROJECT_EMIT_LITERAL(sink, ", ");
		inspect_value(sink, item, seen);
	}
	if (count - shown == 1) {
		SCHEMA_PROJECT_EMIT_LITERAL(sink, ", ... 1 more item");
	} else if (count > shown) {
		char more[48];
		int n = snprintf(more, sizeof more, ", ... %d more items", count - shown);
		schema_project_emit(sink, more, (size_t)n);
	}
	SCHEMA_PROJECT_EMIT_LITERAL(sink, "]");
}

/* seen: how many enclosing objects and arrays, as graphql-js counts the
 * values it has seen on the way down. */
static void inspect_value(schema_project_sink *sink, const cJSON *v, int seen)
{
	switch (v ? v->type & 0xFF : cJSON_NULL) {
	case cJSON_False: SCHEMA_PROJECT_EMIT_LITERAL(sink, "false"); return;
	case cJSON_True: SCHEMA_PROJECT_EMIT_LITERAL(sink, "true"); return;
	case cJSON_Number: emit_js_number(sink, v->valuedouble); return;
	case cJSON_String: schema_project_emit_string(sink, v->valuestring ? v->valuestring : ""); return;
	case cJSON_Object: inspect_object(sink, v, seen + 1); return;
	case cJSON_Array: inspect_array(sink, v, seen + 1); return;
	default: SCHEMA_PROJECT_EMIT_LITERAL(sink, "null"); return;
	}
}

void schema_project_inspect(schema_project_sink *sink, const cJSON *v)
{
	inspect_value(sink, v, 0);
}

/* ------------------------------------------------- JavaScript's Number() */

/* Length of the JavaScript white space or line terminator at p (UTF-8),
 * or 0. */
static size_t js_space_at(const unsigned char *p, const unsigned char *end)
{
	size_t left = (size_t)(end - p);
	if (*p == ' ' || (*p >= 0x09 && *p <= 0x0d))
		return 1;
	if (left >= 2 && p[0] == 0xc2 && p[1] == 0xa0)
		return 2;
	if (left < 3)
		return 0;
	if (p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80)
		return 3; /* U+1680 */
	if (p[0] == 0xe2 && p[1] == 0x80 &&
	    (p[2] <= 0x8a || p[2] == 0xa8 || p[2] == 0xa9 || p[2] == 0xaf) && p[2] >= 0x80)
		return 3; /* U+2000..200A, U+2028, U+2029, U+202F */
	if (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f)
		return 3; /* U+205F */
	if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)
		return 3; /* U+3000 */
	if (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		return 3; /* U+FEFF */
	return 0;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

static size_t count_digits(const char *p, const char *end)
{
	const char *q = p;
	while (q < end && *q >= '0' && *q <= '9')
		q++;
	return (size_t)(q - p);
}

bool schema_project_js_number(const char *s, double *out)
{
	const unsigned char *start = (const unsigned char *)s;
	const unsigned char *end = start + strlen(s);
	size_t n;

	while (start < end && (n = js_space_at(start, end)) != 0)
		start += n;
	const unsigned char *last = start; /* just past the last non-space */
	for (const unsigned char *p = start; p < end;) {
		n = js_space_at(p, end);
		if (n) {
			p += n;
		} else {
			p++;
			last = p;
		}
	}
	end = last;
	const char *p = (const char *)start, *stop = (const char *)end;
	size_t len = (size_t)(stop - p);
	if (len == 0) {
		*out = 0;
		return true;
	}
	if (len > 2 && p[0] == '0' && strchr("xXoObB", p[1])) {
		int base = (p[1] == 'x' || p[1] == 'X') ? 16 : (p[1] == 'o' || p[1] == 'O') ? 8 : 2;
		double v = 0;
		for (const char *q = p + 2; q < stop; q++) {
			int d = digit_value(*q);
			if (d >= base)
				return false;
			v = v * base + d;
		}
		*out = v;
		return true;
	}
	const char *q = p;
	bool negative = false;
	if (*q == '+' || *q == '-')
		negative = *q++ == '-';
	if ((size_t)(stop - q) == 8 && !memcmp(q, "Infinity", 8)) {
		*out = negative ? -INFINITY : INFINITY;
		return true;
	}
	size_t int_digits = count_digits(q, stop);
	q += int_digits;
	size_t frac_digits = 0;
	if (q < stop && *q == '.') {
		q++;
		frac_digits = count_digits(q, stop);
		q += frac_digits;
	}
	if (!int_digits && !frac_digits)
		return false;
	if (q < stop && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < stop && (*q == '+' || *q == '-'))
			q++;
		size_t exp_digits = count_digits(q, stop);
		if (!exp_digits)
			return false;
		q += exp_digits;
	}
	if (q != stop)
		return false;
	/* The syntax is JavaScript's and a subset of strtod's: let it round. */
	char small[64];
	char *copy = len < sizeof small ? small : malloc(len + 1);
	if (!copy)
		return false;
	memcpy(copy, p, len);
	copy[len] = '\0';
	*out = strtod(copy, NULL);
	if (copy != small)
		free(copy);
	return true;
}

/* ---------------------------------------------------------- serialisers */

/* Type tests without a call into the cJSON library per value (v is never
 * NULL here). */
static inline int kind(const cJSON *v)
{
	return v->type & 0xFF;
}


typedef enum builtin_scalar {
	SCALAR_CUSTOM,
	SCALAR_INT,
	SCALAR_FLOAT,
	SCALAR_STRING,
	SCALAR_BOOLEAN,
	SCALAR_ID,
} builtin_scalar;

static builtin_scalar scalar_of(const schema_type *type)
{
	const char *name = type->name;
	if (!type->builtin)
		return SCALAR_CUSTOM;
	switch (name[0]) {
	case 'I': return name[1] == 'n' ? SCALAR_INT : name[1] == 'D' ? SCALAR_ID : SCALAR_CUSTOM;
	case 'F': return SCALAR_FLOAT;
	case 'S': return SCALAR_STRING;
	case 'B': return SCALAR_BOOLEAN;
	default: return SCALAR_CUSTOM;
	}
}

static bool refuse(schema_project_sink *message, const char *head, const cJSON *shown)
{
	schema_project_emit(message, head, strlen(head));
	schema_project_inspect(message, shown);
	return false;
}

/* Int and Float: booleans are 1 and 0, non-empty strings go through
 * Number(). Returns false with *d unset when the value is no number. */
static bool numeric_value(const cJSON *v, double *d)
{
	if ((kind(v) == cJSON_True || kind(v) == cJSON_False)) {
		*d = (kind(v) == cJSON_True) ? 1 : 0;
		return true;
	}
	if ((kind(v) == cJSON_Number)) {
		*d = v->valuedouble;
		return true;
	}
	if ((kind(v) == cJSON_String) && v->valuestring && v->valuestring[0])
		return schema_project_js_number(v->valuestring, d);
	return false;
}

static bool is_integer(double d)
{
	return isfinite(d) && floor(d) == d;
}

/* String(d) as a JSON string (String and ID of a number). */
static void emit_number_string(schema_project_sink *sink, double d)
{
	char buf[48];
	size_t len;
	const char *text = number_text(d, buf, &len);
	schema_project_emit(sink, "\"", 1);
	schema_project_emit(sink, text, len);
	schema_project_emit(sink, "\"", 1);
}

bool schema_project_leaf(schema_project_sink *sink, const schema_type *type, const cJSON *v,
			 schema_project_sink *message)
{
	double d;

	if (type->kind == SCHEMA_ENUM) {
		if ((kind(v) == cJSON_String) && v->valuestring && schema_enum_value_find(type, v->valuestring)) {
			schema_project_emit_string(sink, v->valuestring);
			return true;
		}
		schema_project_emit(message, "Enum \"", 6);
		schema_project_emit(message, type->name, strlen(type->name));
		return refuse(message, "\" cannot represent value: ", v);
	}
	switch (scalar_of(type)) {
	case SCALAR_INT:
		if (!numeric_value(v, &d) || !is_integer(d))
			return refuse(message, "Int cannot represent non-integer value: ", v);
		if (d > INT32_MAX_AS_DOUBLE || d < INT32_MIN_AS_DOUBLE)
			return refuse(message, "Int cannot represent non 32-bit signed integer value: ", v);
		schema_project_emit_number(sink, d);
		return true;
	case SCALAR_FLOAT:
		if (!numeric_value(v, &d) || !isfinite(d))
			return refuse(message, "Float cannot represent non numeric value: ", v);
		schema_project_emit_number(sink, d);
		return true;
	case SCALAR_STRING:
		if ((kind(v) == cJSON_String) && v->valuestring) {
			schema_project_emit_string(sink, v->valuestring);
		} else if ((kind(v) == cJSON_True || kind(v) == cJSON_False)) {
			schema_project_emit_string(sink, (kind(v) == cJSON_True) ? "true" : "false");
		} else if ((kind(v) == cJSON_Number) && isfinite(v->valuedouble)) {
			emit_number_string(sink, v->valuedouble);
		} else {
			return refuse(message, "String cannot represent value: ", v);
		}
		return true;
	case SCALAR_BOOLEAN:
		if ((kind(v) == cJSON_True || kind(v) == cJSON_False))
			schema_project_emit(sink, (kind(v) == cJSON_True) ? "true" : "false", (kind(v) == cJSON_True) ? 4 : 5);
		else if ((kind(v) == cJSON_Number) && isfinite(v->valuedouble))
			schema_project_emit(sink, v->valuedouble != 0 ? "true" : "false",
					    v->valuedouble != 0 ? 4 : 5);
		else
			return refuse(message, "Boolean cannot represent a non boolean value: ", v);
		return true;
	case SCALAR_ID:
		if ((kind(v) == cJSON_String) && v->valuestring) {
			schema_project_emit_string(sink, v->valuestring);
		} else if ((kind(v) == cJSON_Number) && is_integer(v->valuedouble)) {
			emit_number_string(sink, v->valuedouble);
		} else {
			return refuse(message, "ID cannot represent value: ", v);
		}
		return true;
	case SCALAR_CUSTOM:
		break;
	}
	/* A custom scalar's serialize is the identity in a schema built from
	 * SDL: the executor's JSON goes out as it is. */
	schema_project_emit_json(sink, v, 0);
	return true;
}
