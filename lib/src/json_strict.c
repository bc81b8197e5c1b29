/*
 * The strict JSON check of json_strict.h: a loop over the bytes with an
 * explicit stack of one bit per open container (object or array), so that
 * neither depth nor size costs memory or recursion.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "json_strict.h"

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

struct scan {
	const unsigned char *p, *end;
	size_t values, max_values;
	unsigned depth;
	/* Bit d is set when the container opened at depth d is an object. */
	unsigned char in_object[(GQLWS_JSON_MAX_DEPTH + 7) / 8];
};

/* A byte a string may hold as it is: printable ASCII but '"' and '\\'.
 * The rest (quote, escape, control, non-ASCII) leaves the fast loop. */
static inline bool plain_string_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* True when none of the 8 bytes at p leaves the fast loop: no byte below
 * 0x20, none at or above 0x80, no '"' and no '\\' (the classic tests for a
 * zero or smaller byte in a word, exact as a yes/no answer). Long strings,
 * such as GraphQL documents, are read a word at a time. */
static inline bool plain_string_word(const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	uint64_t w, quote, backslash;

	memcpy(&w, p, sizeof(w));
	quote = w ^ (ones * '"');
	backslash = w ^ (ones * '\\');
	return !(((w - ones * 0x20) & ~w & highs) |       /* a byte below 0x20 */
		 ((quote - ones) & ~quote & highs) |         /* a '"' */
		 ((backslash - ones) & ~backslash & highs) | /* a '\\' */
		 (w & highs));                               /* a byte from 0x80 */
}

static void skip_space(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
		s->p++;
}

static bool is_digit(const struct scan *s)
{
	return s->p < s->end && *s->p >= '0' && *s->p <= '9';
}

static void skip_digits(struct scan *s)
{
	while (is_digit(s))
		s->p++;
}

/* Length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms,
 * no surrogates, nothing over U+10FFFF) of two or more bytes at p, or 0. */
static size_t utf8_sequence(const unsigned char *p, const unsigned char *end)
{
	unsigned char lead = p[0], low = 0x80, high = 0xBF;
	size_t len;

	if (lead >= 0xC2 && lead <= 0xDF) {
		len = 2;
	} else if (lead >= 0xE0 && lead <= 0xEF) {
		len = 3;
		if (lead == 0xE0)
			low = 0xA0; /* overlong */
		else if (lead == 0xED)
			high = 0x9F; /* U+D800-U+DFFF */
	} else if (lead >= 0xF0 && lead <= 0xF4) {
		len = 4;
		if (lead == 0xF0)
			low = 0x90; /* overlong */
		else if (lead == 0xF4)
			high = 0x8F; /* over U+10FFFF */
	} else {
		return 0;
	}
	if ((size_t)(end - p) < len || p[1] < low || p[1] > high)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

/* Reads the 4 hex digits after "\u" at p; false if they are not there. */
static bool read_hex4(const struct scan *s, const unsigned char *p, unsigned *code)
{
	unsigned v = 0;

	if (s->end - p < 4)
		return false;
	for (int i = 0; i < 4; i++) {
		unsigned char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return false;
	}
	*code = v;
	return true;
}

/* s->p is just after "\u". */
static enum gqlws_json_verdict scan_unicode_escape(struct scan *s)
{
	unsigned code, low;

	if (!read_hex4(s, s->p, &code))
		return GQLWS_JSON_SYNTAX;
	s->p += 4;
	if (code == 0)
		return GQLWS_JSON_NUL_ESCAPE;
	if (code >= 0xDC00 && code <= 0xDFFF)
		return GQLWS_JSON_BAD_SURROGATE;
	if (code < 0xD800 || code > 0xDBFF)
		return GQLWS_JSON_OK;
	/* A high surrogate: the low half must follow at once. */
	if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
		return GQLWS_JSON_BAD_SURROGATE;
	if (!read_hex4(s, s->p + 2, &low))
		return GQLWS_JSON_SYNTAX;
	if (low < 0xDC00 || low > 0xDFFF)
		return GQLWS_JSON_BAD_SURROGATE;
	s->p += 6;
	return GQLWS_JSON_OK;
}

/* s->p is at the opening quote. */
static enum gqlws_json_verdict scan_string(struct scan *s)
{
	s->p++;
	for (;;) {
		size_t len;

		while (s->end - s->p >= 8 && plain_string_word(s->p))
			s->p += 8;
		while (s->p < s->end && plain_string_byte(*s->p))
			s->p++;
		if (s->p >= s->end)
			return GQLWS_JSON_SYNTAX;
		switch (*s->p) {
		case '"':
			s->p++;
			return GQLWS_JSON_OK;
		case '\\':
			if (++s->p >= s->end)
				return GQLWS_JSON_SYNTAX;
			switch (*s->p++) {
			case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
				break;
			case 'u': {
				enum gqlws_json_verdict v = scan_unicode_escape(s);

				if (v != GQLWS_JSON_OK)
					return v;
				break;
			}
			default:
				return GQLWS_JSON_SYNTAX;
			}
			break;
		default:
			if (*s->p < 0x20)
				return GQLWS_JSON_CONTROL_CHAR;
			len = utf8_sequence(s->p, s->end);
			if (!len)
				return GQLWS_JSON_BAD_UTF8;
			s->p += len;
		}
	}
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? ; what may follow is
 * checked by the caller. */
static enum gqlws_json_verdict scan_number(struct scan *s)
{
	if (*s->p == '-')
		s->p++;
	if (!is_digit(s))
		return GQLWS_JSON_SYNTAX;
	if (*s->p++ != '0')
		skip_digits(s);
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (!is_digit(s))
			return GQLWS_JSON_SYNTAX;
		skip_digits(s);
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (!is_digit(s))
			return GQLWS_JSON_SYNTAX;
		skip_digits(s);
	}
	return GQLWS_JSON_OK;
}

static enum gqlws_json_verdict scan_literal(struct scan *s, const char *word, size_t len)
{
	if ((size_t)(s->end - s->p) < len || memcmp(s->p, word, len))
		return GQLWS_JSON_SYNTAX;
	s->p += len;
	return GQLWS_JSON_OK;
}

/* At a member name: the string, the colon and the space around it. */
static enum gqlws_json_verdict scan_member_name(struct scan *s)
{
	enum gqlws_json_verdict v;

	if (s->p >= s->end || *s->p != '"')
		return GQLWS_JSON_SYNTAX;
	v = scan_string(s);
	if (v != GQLWS_JSON_OK)
		return v;
	skip_space(s);
	if (s->p >= s->end || *s->p != ':')
		return GQLWS_JSON_SYNTAX;
	s->p++;
	skip_space(s);
	return GQLWS_JSON_OK;
}

static bool top_is_object(const struct scan *s)
{
	unsigned d = s->depth - 1;

	return s->in_object[d / 8] & (1u << (d % 8));
}

/* Opens the container at s->p and reads on to its first value (past the
 * first member name in an object); *empty when it closes at once instead. */
static enum gqlws_json_verdict open_container(struct scan *s, bool object, bool *empty)
{
	unsigned d = s->depth;

	*empty = false;
	if (d >= GQLWS_JSON_MAX_DEPTH)
		return GQLWS_JSON_TOO_DEEP;
	if (object)
		s->in_object[d / 8] |= (unsigned char)(1u << (d % 8));
	else
		s->in_object[d / 8] &= (unsigned char)~(1u << (d % 8));
	s->depth++;
	s->p++;
	skip_space(s);
	*empty = s->p < s->end && *s->p == (object ? '}' : ']');
	if (*empty) {
		s->p++;
		s->depth--;
		return GQLWS_JSON_OK;
	}
	return object ? scan_member_name(s) : GQLWS_JSON_OK;
}

/* One value at s->p. *opened: a non-empty container was opened, so a value
 * comes next rather than what follows a value. */
static enum gqlws_json_verdict scan_value(struct scan *s, bool *opened)
{
	bool empty;
	enum gqlws_json_verdict v;

	*opened = false;
	if (s->p >= s->end)
		return GQLWS_JSON_SYNTAX;
	if (++s->values > s->max_values)
		return GQLWS_JSON_TOO_MANY_VALUES;
	switch (*s->p) {
	case '{':
	case '[':
		v = open_container(s, *s->p == '{', &empty);
		*opened = !empty;
		return v;
	case '"':
		return scan_string(s);
	case 't':
		return scan_literal(s, "true", 4);
	case 'f':
		return scan_literal(s, "false", 5);
	case 'n':
		return scan_literal(s, "null", 4);
	default:
		if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
			return scan_number(s);
		return GQLWS_JSON_SYNTAX;
	}
}

/* After a value: closes containers up to a comma (then at the next value,
 * past the member name in an object), or to the end of the text. */
static enum gqlws_json_verdict after_value(struct scan *s, bool *finished)
{
	*finished = false;
	for (;;) {
		skip_space(s);
		if (!s->depth) {
			*finished = true;
			return s->p == s->end ? GQLWS_JSON_OK : GQLWS_JSON_SYNTAX;
		}
		if (s->p >= s->end)
			return GQLWS_JSON_SYNTAX;
		if (*s->p == ',') {
			s->p++;
			skip_space(s);
			return top_is_object(s) ? scan_member_name(s) : GQLWS_JSON_OK;
		}
		if (*s->p != (top_is_object(s) ? '}' : ']'))
			return GQLWS_JSON_SYNTAX;
		s->p++;
		s->depth--;
	}
}

enum gqlws_json_verdict gqlws_json_check(const char *text, size_t len, size_t max_values,
					  size_t *values)
{
	struct scan s;
	enum gqlws_json_verdict v;
	bool opened, finished = false;

	s.p = (const unsigned char *)text;
	s.end = s.p + (text ? len : 0);
	s.values = 0;
	s.max_values = max_values;
	s.depth = 0;
	skip_space(&s);
	do {
		v = scan_value(&s, &opened);
		if (v == GQLWS_JSON_OK && !opened)
			v = after_value(&s, &finished);
	} while (v == GQLWS_JSON_OK && !finished);
	if (values)
		*values = s.values;
	return v;
}

const char *gqlws_json_verdict_text(enum gqlws_json_verdict verdict)
{
	switch (verdict) {
	case GQLWS_JSON_OK:
		return "valid JSON";
	case GQLWS_JSON_SYNTAX:
		return "not JSON";
	case GQLWS_JSON_CONTROL_CHAR:
		return "not JSON: unescaped control character in a string";
	case GQLWS_JSON_BAD_UTF8:
		return "not UTF-8";
	case GQLWS_JSON_BAD_SURROGATE:
		return "unpaired UTF-16 surrogate escape in a string";
	case GQLWS_JSON_NUL_ESCAPE:
		return "\\u0000 in a string is not supported";
	case GQLWS_JSON_TOO_DEEP:
		return "JSON nested too deeply (limit " STRINGIFY(GQLWS_JSON_MAX_DEPTH) ")";
	case GQLWS_JSON_TOO_MANY_VALUES:
		return "too many JSON values (max-message-values)";
	}
	return "not JSON";
}
