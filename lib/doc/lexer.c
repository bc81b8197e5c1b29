/*
 * lexer.c - GraphQL tokens from UTF-8 text; see lexer.h. Messages follow
 * graphql-js (v16) so clients see the errors they already know.
 */
#include "lexer.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *const kind_desc[] = {
	[DOC_TOKEN_EOF] = "<EOF>",         [DOC_TOKEN_BANG] = "\"!\"",
	[DOC_TOKEN_DOLLAR] = "\"$\"",      [DOC_TOKEN_AMP] = "\"&\"",
	[DOC_TOKEN_PAREN_L] = "\"(\"",     [DOC_TOKEN_PAREN_R] = "\")\"",
	[DOC_TOKEN_SPREAD] = "\"...\"",    [DOC_TOKEN_COLON] = "\":\"",
	[DOC_TOKEN_EQUALS] = "\"=\"",      [DOC_TOKEN_AT] = "\"@\"",
	[DOC_TOKEN_BRACKET_L] = "\"[\"",   [DOC_TOKEN_BRACKET_R] = "\"]\"",
	[DOC_TOKEN_BRACE_L] = "\"{\"",     [DOC_TOKEN_PIPE] = "\"|\"",
	[DOC_TOKEN_BRACE_R] = "\"}\"",     [DOC_TOKEN_NAME] = "Name",
	[DOC_TOKEN_INT] = "Int",           [DOC_TOKEN_FLOAT] = "Float",
	[DOC_TOKEN_STRING] = "String",     [DOC_TOKEN_BLOCK_STRING] = "BlockString",
};

const char *doc_token_kind_desc(doc_token_kind kind)
{
	return kind_desc[kind];
}

void doc_lexer_init(doc_lexer *lx, const char *text, size_t len, doc_arena *arena)
{
	lx->cur = text;
	lx->end = text + len;
	lx->line_start = text;
	lx->line = 1;
	lx->line_adjust = 0;
	lx->arena = arena;
	lx->message[0] = '\0';
	lx->error_pos = (doc_pos){0, 0};
}

static doc_pos pos_at(const doc_lexer *lx, const char *p)
{
	return doc_lexer_pos_at(lx, p);
}

static doc_lex_status fail_at(doc_lexer *lx, const char *p, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

static doc_lex_status fail_at(doc_lexer *lx, const char *p, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	vsnprintf(lx->message, sizeof lx->message, format, args);
	va_end(args);
	lx->error_pos = pos_at(lx, p);
	return DOC_LEX_SYNTAX;
}

/* Decodes one UTF-8 scalar value at p; returns its byte length, 0 if the
 * bytes there are not well-formed UTF-8 (overlong, surrogate, truncated). */
static size_t utf8_decode(const char *p, const char *end, uint32_t *out)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t avail = (size_t)(end - p);
	uint32_t cp;
	size_t n;
	if (s[0] < 0x80) {
		*out = s[0];
		return 1;
	} else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		cp = s[0] & 0x1Fu;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		cp = s[0] & 0x0Fu;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		cp = s[0] & 0x07u;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3Fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	*out = cp;
	return n;
}

/* graphql-js's printCodePointAt: "x" for printable ASCII, U+XXXX otherwise. */
static void describe_char(const doc_lexer *lx, const char *p, char *out, size_t size)
{
	uint32_t cp;
	if (p >= lx->end) {
		snprintf(out, size, "<EOF>");
		return;
	}
	if (!utf8_decode(p, lx->end, &cp)) {
		snprintf(out, size, "U+FFFD");
		return;
	}
	if (cp == '"')
		snprintf(out, size, "'\"'");
	else if (cp >= 0x20 && cp <= 0x7E)
		snprintf(out, size, "\"%c\"", (char)cp);
	else
		snprintf(out, size, "U+%04X", (unsigned)cp);
}

/* Consumes one source character inside a string or comment, keeping the
 * column accounting right; false if it is not well-formed UTF-8. */
static bool consume_char(doc_lexer *lx)
{
	uint32_t cp;
	size_t n = utf8_decode(lx->cur, lx->end, &cp);
	if (!n)
		return false;
	lx->line_adjust += n - (cp >= 0x10000 ? 2 : 1);
	lx->cur += n;
	return true;
}

static void new_line(doc_lexer *lx, const char *next_line_start)
{
	lx->cur = next_line_start;
	lx->line_start = next_line_start;
	lx->line++;
	lx->line_adjust = 0;
}

/* Skips a line terminator at lx->cur (\n, \r\n or \r). */
static void skip_line_terminator(doc_lexer *lx)
{
	const char *p = lx->cur;
	if (*p == '\r' && p + 1 < lx->end && p[1] == '\n')
		p++;
	new_line(lx, p + 1);
}

/* Name characters by byte (lexer.h's DOC_LEX_NAME_START, ..._CONTINUE): a
 * lookup per character instead of five range tests. */
#define NAME_START DOC_LEX_NAME_START
#define NAME_CONTINUE DOC_LEX_NAME_CONTINUE
#define LETTERS(from) \
	[from + 0] = 3, [from + 1] = 3, [from + 2] = 3, [from + 3] = 3, [from + 4] = 3, [from + 5] = 3, \
	[from + 6] = 3, [from + 7] = 3, [from + 8] = 3, [from + 9] = 3, [from + 10] = 3, [from + 11] = 3, \
	[from + 12] = 3, [from + 13] = 3, [from + 14] = 3, [from + 15] = 3, [from + 16] = 3, \
	[from + 17] = 3, [from + 18] = 3, [from + 19] = 3, [from + 20] = 3, [from + 21] = 3, \
	[from + 22] = 3, [from + 23] = 3, [from + 24] = 3, [from + 25] = 3
#define BLANK DOC_LEX_BLANK
const unsigned char doc_lexer_name_class[256] = {
	LETTERS('A'), LETTERS('a'), ['_'] = 3,
	['0'] = 2, ['1'] = 2, ['2'] = 2, ['3'] = 2, ['4'] = 2,
	['5'] = 2, ['6'] = 2, ['7'] = 2, ['8'] = 2, ['9'] = 2,
	[' '] = BLANK, [','] = BLANK, ['\t'] = BLANK,
};

/* The one-byte punctuators' token kinds plus one (0: not one). */
const unsigned char doc_lexer_punctuator_kind[256] = {
	['!'] = DOC_TOKEN_BANG + 1,      ['$'] = DOC_TOKEN_DOLLAR + 1,
	['&'] = DOC_TOKEN_AMP + 1,       ['('] = DOC_TOKEN_PAREN_L + 1,
	[')'] = DOC_TOKEN_PAREN_R + 1,   [':'] = DOC_TOKEN_COLON + 1,
	['='] = DOC_TOKEN_EQUALS + 1,    ['@'] = DOC_TOKEN_AT + 1,
	['['] = DOC_TOKEN_BRACKET_L + 1, [']'] = DOC_TOKEN_BRACKET_R + 1,
	['{'] = DOC_TOKEN_BRACE_L + 1,   ['|'] = DOC_TOKEN_PIPE + 1,
	['}'] = DOC_TOKEN_BRACE_R + 1,
};
#undef LETTERS

static bool is_name_start(char c)
{
	return doc_lexer_name_class[(unsigned char)c] & NAME_START;
}

static bool is_name_continue(char c)
{
	return doc_lexer_name_class[(unsigned char)c] & NAME_CONTINUE;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* ------------------------------------------------------------- numbers */

static doc_lex_status expect_digits(doc_lexer *lx, const char **p)
{
	if (*p >= lx->end || !is_digit(**p)) {
		char what[16];
		describe_char(lx, *p, what, sizeof what);
		return fail_at(lx, *p, "Invalid number, expected digit but got: %s.", what);
	}
	while (*p < lx->end && is_digit(**p))
		(*p)++;
	return DOC_LEX_OK;
}

static doc_lex_status read_number(doc_lexer *lx, doc_token *tok)
{
	const char *start = lx->cur;
	const char *p = start;
	bool is_float = false;
	char what[16];
	doc_lex_status st;

	if (*p == '-')
		p++;
	if (p < lx->end && *p == '0') {
		p++;
		if (p < lx->end && is_digit(*p)) {
			describe_char(lx, p, what, sizeof what);
			return fail_at(lx, p, "Invalid number, unexpected digit after 0: %s.", what);
		}
	} else if ((st = expect_digits(lx, &p)) != DOC_LEX_OK) {
		return st;
	}
	if (p < lx->end && *p == '.') {
		is_float = true;
		p++;
		if ((st = expect_digits(lx, &p)) != DOC_LEX_OK)
			return st;
	}
	if (p < lx->end && (*p == 'e' || *p == 'E')) {
		is_float = true;
		p++;
		if (p < lx->end && (*p == '+' || *p == '-'))
			p++;
		if ((st = expect_digits(lx, &p)) != DOC_LEX_OK)
			return st;
	}
	if (p < lx->end && (*p == '.' || is_name_start(*p))) {
		describe_char(lx, p, what, sizeof what);
		return fail_at(lx, p, "Invalid number, expected digit but got: %s.", what);
	}
	tok->kind = is_float ? DOC_TOKEN_FLOAT : DOC_TOKEN_INT;
	tok->value = start;
	tok->len = (size_t)(p - start);
	lx->cur = p;
	return DOC_LEX_OK;
}

/* ------------------------------------------------------------- strings */

static size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Four hex digits at p (bounds checked); -1 if not. */
static long read_hex4(const doc_lexer *lx, const char *p)
{
	if (lx->end - p < 4)
		return -1;
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hex_value(p[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static doc_lex_status bad_unicode_escape(doc_lexer *lx, const char *escape, size_t size)
{
	size_t avail = (size_t)(lx->end - escape);
	if (size > avail)
		size = avail;
	return fail_at(lx, escape, "Invalid Unicode escape sequence: \"%.*s\".", (int)size, escape);
}

/* Decodes \u escapes at lx->cur (which points at the backslash): \uXXXX,
 * a \uXXXX\uXXXX surrogate pair, or \u{X...}. */
static doc_lex_status read_unicode_escape(doc_lexer *lx, uint32_t *cp)
{
	const char *esc = lx->cur;
	if (esc + 2 < lx->end && esc[2] == '{') {
		/* As graphql-js reads it, so the text quoted in the error is the
		 * same: at most 12 characters, the closing brace included. */
		size_t size = 3;
		int64_t point = 0;
		while (size < 12) {
			if (esc + size >= lx->end) {
				size++;
				break;
			}
			char c = esc[size++];
			if (c == '}') {
				bool scalar = point <= 0xD7FF || (point >= 0xE000 && point <= 0x10FFFF);
				if (size < 5 || !scalar)
					break;
				*cp = (uint32_t)point;
				lx->cur = esc + size;
				return DOC_LEX_OK;
			}
			int h = hex_value(c);
			if (h < 0)
				break;
			point = (point << 4) | h;
			if (point > INT32_MAX)
				break;
		}
		return bad_unicode_escape(lx, esc, size);
	}
	long v = read_hex4(lx, esc + 2);
	if (v < 0)
		return bad_unicode_escape(lx, esc, 6);
	if (v >= 0xD800 && v <= 0xDBFF) {
		const char *low_esc = esc + 6;
		long low = -1;
		if (lx->end - low_esc >= 6 && low_esc[0] == '\\' && low_esc[1] == 'u')
			low = read_hex4(lx, low_esc + 2);
		if (low >= 0xDC00 && low <= 0xDFFF) {
			*cp = 0x10000u + (((uint32_t)v - 0xD800u) << 10) + ((uint32_t)low - 0xDC00u);
			lx->cur = esc + 12;
			return DOC_LEX_OK;
		}
		return bad_unicode_escape(lx, esc, 6);
	}
	if (v >= 0xDC00 && v <= 0xDFFF)
		return bad_unicode_escape(lx, esc, 6);
	*cp = (uint32_t)v;
	lx->cur = esc + 6;
	return DOC_LEX_OK;
}

static doc_lex_status read_string(doc_lexer *lx, doc_token *tok)
{
	const char *start = lx->cur;
	lx->cur++;
	/* The decoded value is never longer than its source span, so find
	 * the span first and allocate once. */
	const char *q = lx->cur;
	while (q < lx->end && *q != '"' && *q != '\n' && *q != '\r')
		q += (*q == '\\' && q + 1 < lx->end) ? 2 : 1;
	char *out = doc_arena_alloc(lx->arena, (size_t)(q - start));
	if (!out)
		return DOC_LEX_NOMEM;
	size_t n = 0;

	while (lx->cur < lx->end) {
		char c = *lx->cur;
		if (c == '"') {
			lx->cur++;
			out[n] = '\0';
			tok->kind = DOC_TOKEN_STRING;
			tok->value = out;
			tok->len = n;
			return DOC_LEX_OK;
		}
		if (c == '\n' || c == '\r')
			break;
		if (c == '\\') {
			const char *esc = lx->cur;
			char e = esc + 1 < lx->end ? esc[1] : '\0';
			char simple = 0;
			switch (e) {
			case '"': simple = '"'; break;
			case '\\': simple = '\\'; break;
			case '/': simple = '/'; break;
			case 'b': simple = '\b'; break;
			case 'f': simple = '\f'; break;
			case 'n': simple = '\n'; break;
			case 'r': simple = '\r'; break;
			case 't': simple = '\t'; break;
			case 'u': {
				uint32_t cp = 0;
				doc_lex_status st = read_unicode_escape(lx, &cp);
				if (st != DOC_LEX_OK)
					return st;
				n += utf8_encode(cp, out + n);
				continue;
			}
			default:
				return fail_at(lx, esc, "Invalid character escape sequence: \"%.*s\".",
					       esc + 1 < lx->end ? 2 : 1, esc);
			}
			out[n++] = simple;
			lx->cur += 2;
			continue;
		}
		const char *ch = lx->cur;
		if (!consume_char(lx))
			return fail_at(lx, ch, "Invalid character within String: U+FFFD.");
		memcpy(out + n, ch, (size_t)(lx->cur - ch));
		n += (size_t)(lx->cur - ch);
	}
	return fail_at(lx, lx->cur, "Unterminated string.");
}

static bool is_triple_quote(const doc_lexer *lx, const char *p)
{
	return lx->end - p >= 3 && p[0] == '"' && p[1] == '"' && p[2] == '"';
}

static size_t leading_blank(const char *line, size_t len)
{
	size_t i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return i;
}

/* The spec's BlockStringValue(): raw holds the lines joined by '\n' with
 * \""" already unescaped; writes the dedented value to out. */
static size_t dedent_block_string(const char *raw, size_t raw_len, char *out)
{
	size_t common = SIZE_MAX;
	size_t first_line = SIZE_MAX, last_line = 0, line_no = 0;
	const char *line = raw;
	const char *end = raw + raw_len;

	for (;;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t len = nl ? (size_t)(nl - line) : (size_t)(end - line);
		size_t indent = leading_blank(line, len);
		if (indent < len) {
			if (first_line == SIZE_MAX)
				first_line = line_no;
			last_line = line_no;
			if (line_no != 0 && indent < common)
				common = indent;
		}
		if (!nl)
			break;
		line = nl + 1;
		line_no++;
	}
	if (first_line == SIZE_MAX)
		return 0;

	size_t n = 0;
	line = raw;
	for (line_no = 0; line_no <= last_line; line_no++) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t len = nl ? (size_t)(nl - line) : (size_t)(end - line);
		if (line_no >= first_line) {
			size_t skip = line_no == 0 ? 0 : (common < len ? common : len);
			if (line_no > first_line)
				out[n++] = '\n';
			memcpy(out + n, line + skip, len - skip);
			n += len - skip;
		}
		line = nl ? nl + 1 : end;
	}
	return n;
}

static doc_lex_status read_block_string(doc_lexer *lx, doc_token *tok)
{
	lx->cur += 3;
	const char *q = lx->cur;
	while (q < lx->end && !is_triple_quote(lx, q))
		q += (*q == '\\' && is_triple_quote(lx, q + 1)) ? 4 : 1;
	char *raw = doc_arena_alloc(lx->arena, (size_t)(q - lx->cur) + 1);
	if (!raw)
		return DOC_LEX_NOMEM;
	size_t n = 0;

	while (lx->cur < lx->end) {
		const char *p = lx->cur;
		if (is_triple_quote(lx, p)) {
			lx->cur += 3;
			char *out = doc_arena_alloc(lx->arena, n + 1);
			if (!out)
				return DOC_LEX_NOMEM;
			size_t len = dedent_block_string(raw, n, out);
			out[len] = '\0';
			tok->kind = DOC_TOKEN_BLOCK_STRING;
			tok->value = out;
			tok->len = len;
			return DOC_LEX_OK;
		}
		if (*p == '\\' && is_triple_quote(lx, p + 1)) {
			memcpy(raw + n, "\"\"\"", 3);
			n += 3;
			lx->cur += 4;
			continue;
		}
		if (*p == '\n' || *p == '\r') {
			raw[n++] = '\n';
			skip_line_terminator(lx);
			continue;
		}
		if (!consume_char(lx))
			return fail_at(lx, p, "Invalid character within String: U+FFFD.");
		memcpy(raw + n, p, (size_t)(lx->cur - p));
		n += (size_t)(lx->cur - p);
	}
	return fail_at(lx, lx->cur, "Unterminated string.");
}

/* ---------------------------------------------------------------- tokens */

static doc_lex_status skip_ignored(doc_lexer *lx)
{
	while (lx->cur < lx->end) {
		unsigned char c = (unsigned char)*lx->cur;
		if (c == ' ' || c == '\t' || c == ',') {
			lx->cur++;
		} else if (c == '\n' || c == '\r') {
			skip_line_terminator(lx);
		} else if (c == '#') {
			lx->cur++;
			while (lx->cur < lx->end && *lx->cur != '\n' && *lx->cur != '\r') {
				/* An ill-formed byte ends the comment; the next token
				 * reports it. */
				if (!consume_char(lx))
					return DOC_LEX_OK;
			}
		} else if (c == 0xEF && lx->end - lx->cur >= 3 && (unsigned char)lx->cur[1] == 0xBB &&
			   (unsigned char)lx->cur[2] == 0xBF) {
			consume_char(lx); /* byte order mark */
		} else {
			return DOC_LEX_OK;
		}
	}
	return DOC_LEX_OK;
}

static doc_lex_status punctuator(doc_lexer *lx, doc_token *tok, doc_token_kind kind, size_t len)
{
	tok->kind = kind;
	tok->value = lx->cur;
	tok->len = len;
	lx->cur += len;
	return DOC_LEX_OK;
}

/* Every token and every ignored token; doc_lexer_next's fast path
 * (lexer.h) hands the rest here. */
__attribute__((noinline)) doc_lex_status doc_lexer_next_any(doc_lexer *lx, doc_token *tok)
{
	doc_lex_status st = skip_ignored(lx);
	if (st != DOC_LEX_OK)
		return st;
	tok->pos = pos_at(lx, lx->cur);
	if (lx->cur >= lx->end) {
		tok->kind = DOC_TOKEN_EOF;
		tok->value = lx->cur;
		tok->len = 0;
		return DOC_LEX_OK;
	}
	char c = *lx->cur;
	switch (c) {
	case '!': return punctuator(lx, tok, DOC_TOKEN_BANG, 1);
	case '$': return punctuator(lx, tok, DOC_TOKEN_DOLLAR, 1);
	case '&': return punctuator(lx, tok, DOC_TOKEN_AMP, 1);
	case '(': return punctuator(lx, tok, DOC_TOKEN_PAREN_L, 1);
	case ')': return punctuator(lx, tok, DOC_TOKEN_PAREN_R, 1);
	case ':': return punctuator(lx, tok, DOC_TOKEN_COLON, 1);
	case '=': return punctuator(lx, tok, DOC_TOKEN_EQUALS, 1);
	case '@': return punctuator(lx, tok, DOC_TOKEN_AT, 1);
	case '[': return punctuator(lx, tok, DOC_TOKEN_BRACKET_L, 1);
	case ']': return punctuator(lx, tok, DOC_TOKEN_BRACKET_R, 1);
	case '{': return punctuator(lx, tok, DOC_TOKEN_BRACE_L, 1);
	case '|': return punctuator(lx, tok, DOC_TOKEN_PIPE, 1);
	case '}': return punctuator(lx, tok, DOC_TOKEN_BRACE_R, 1);
	case '.':
		if (lx->end - lx->cur >= 3 && lx->cur[1] == '.' && lx->cur[2] == '.')
			return punctuator(lx, tok, DOC_TOKEN_SPREAD, 3);
		break;
	case '"':
		if (is_triple_quote(lx, lx->cur))
			return read_block_string(lx, tok);
		return read_string(lx, tok);
	default:
		break;
	}
	if (is_name_start(c)) {
		const char *p = lx->cur + 1;
		while (p < lx->end && is_name_continue(*p))
			p++;
		tok->kind = DOC_TOKEN_NAME;
		tok->value = lx->cur;
		tok->len = (size_t)(p - lx->cur);
		lx->cur = p;
		return DOC_LEX_OK;
	}
	if (is_digit(c) || c == '-')
		return read_number(lx, tok);

	char what[16];
	uint32_t cp;
	if (!utf8_decode(lx->cur, lx->end, &cp))
		return fail_at(lx, lx->cur, "Invalid character: U+FFFD.");
	if (c == '\'')
		return fail_at(lx, lx->cur,
			       "Unexpected single quote character ('), did you mean to use a double quote (\")?");
	describe_char(lx, lx->cur, what, sizeof what);
	return fail_at(lx, lx->cur, "Unexpected character: %s.", what);
}
