/*
 * print_value.c - see print_value.h. Strings are escaped as graphql-js's
 * printString escapes them and block strings laid out as its
 * printBlockString lays them out, so messages that quote a value read
 * byte for byte as graphql-js's.
 */
#include "print_value.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int put(gqlws_doc_buf *out, const char *text)
{
	return gqlws_doc_buf_append(out, text, strlen(text));
}

/* printString: C0 controls, DEL and the C1 controls (U+0080..U+009F, two
 * bytes in UTF-8) as escapes, `"` and `\` escaped, the rest verbatim. */
static int print_string(gqlws_doc_buf *out, const char *text, size_t len)
{
	static const char short_escapes[32] = {
		['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n', ['\f'] = 'f', ['\r'] = 'r',
	};
	if (put(out, "\""))
		return -1;
	size_t run = 0; /* start of the bytes not yet written */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		unsigned code;
		size_t width = 1;
		if (c < 0x20 || c == 0x7f)
			code = c;
		else if (c == '"' || c == '\\')
			code = c;
		else if (c == 0xc2 && i + 1 < len && (unsigned char)text[i + 1] >= 0x80 &&
			 (unsigned char)text[i + 1] <= 0x9f) {
			code = (unsigned char)text[i + 1];
			width = 2;
		} else
			continue;
		if (gqlws_doc_buf_append(out, text + run, i - run))
			return -1;
		char escape[8];
		if (code == '"' || code == '\\')
			snprintf(escape, sizeof escape, "\\%c", (char)code);
		else if (code < 0x20 && short_escapes[code])
			snprintf(escape, sizeof escape, "\\%c", short_escapes[code]);
		else
			snprintf(escape, sizeof escape, "\\u%04X", code);
		if (put(out, escape))
			return -1;
		i += width - 1;
		run = i + 1;
	}
	if (gqlws_doc_buf_append(out, text + run, len - run))
		return -1;
	return put(out, "\"");
}

static bool is_white_space(char c)
{
	return c == ' ' || c == '\t';
}

/* The length graphql-js sees (UTF-16 code units) of UTF-8 text. */
static size_t utf16_length(const char *text, size_t len)
{
	size_t units = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c & 0xc0) != 0x80)
			units += c >= 0xf0 ? 2 : 1;
	}
	return units;
}

static bool starts_with_triple_quote(const char *text, size_t len, size_t at)
{
	return at + 3 <= len && memcmp(text + at, "\"\"\"", 3) == 0;
}

/* printBlockString. The layout depends on the text with every `"""`
 * escaped (escaping never adds or removes a line terminator, and only
 * changes the last characters when the text ends in `"""`). */
static int print_block_string(gqlws_doc_buf *out, const char *text, size_t len)
{
	bool single_line = true;
	bool later_lines_indented = true; /* every line after the first empty or indented */
	for (size_t i = 0; i < len; i++) {
		if (text[i] != '\n' && text[i] != '\r')
			continue;
		single_line = false;
		if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
			i++;
		size_t next = i + 1;
		if (next < len && text[next] != '\n' && text[next] != '\r' &&
		    !is_white_space(text[next]))
			later_lines_indented = false;
	}
	bool force_leading_newline = !single_line && later_lines_indented;
	bool trailing_triple_quotes = len >= 3 && starts_with_triple_quote(text, len, len - 3);
	/* escapedValue ends in \""" exactly when the text ends in """, since
	 * the replacement runs left to right over non-overlapping matches:
	 * the last """ of a run of quotes is replaced only if the run's length
	 * is a multiple of three. */
	if (trailing_triple_quotes) {
		size_t quotes = 0;
		while (quotes < len && text[len - 1 - quotes] == '"')
			quotes++;
		trailing_triple_quotes = quotes % 3 == 0;
	}
	bool trailing_quote = len > 0 && text[len - 1] == '"' && !trailing_triple_quotes;
	bool trailing_slash = len > 0 && text[len - 1] == '\\';
	bool force_trailing_newline = trailing_quote || trailing_slash;
	bool multiple_lines = !single_line || utf16_length(text, len) > 70 ||
			      force_trailing_newline || force_leading_newline ||
			      trailing_triple_quotes;
	bool skip_leading_newline = single_line && len > 0 && is_white_space(text[0]);

	if (put(out, "\"\"\""))
		return -1;
	if (((multiple_lines && !skip_leading_newline) || force_leading_newline) && put(out, "\n"))
		return -1;
	size_t run = 0;
	for (size_t i = 0; i + 3 <= len;) {
		if (!starts_with_triple_quote(text, len, i)) {
			i++;
			continue;
		}
		if (gqlws_doc_buf_append(out, text + run, i - run) || put(out, "\\\"\"\""))
			return -1;
		i += 3;
		run = i;
	}
	if (gqlws_doc_buf_append(out, text + run, len - run))
		return -1;
	if ((multiple_lines || force_trailing_newline) && put(out, "\n"))
		return -1;
	return put(out, "\"\"\"");
}

static int print_value(gqlws_doc_buf *out, const doc_value *value, size_t depth)
{
	/* The parser bounds the nesting of values by the depth limit. */
	if (depth > DOC_DEPTH_CEILING)
		return put(out, "...");
	switch (value->kind) {
	case DOC_VALUE_VARIABLE:
		return put(out, "$") || put(out, value->text);
	case DOC_VALUE_INT:
	case DOC_VALUE_FLOAT:
	case DOC_VALUE_ENUM:
		return put(out, value->text);
	case DOC_VALUE_STRING:
		return value->block ? print_block_string(out, value->text, value->len)
				    : print_string(out, value->text, value->len);
	case DOC_VALUE_BOOLEAN:
		return put(out, value->boolean ? "true" : "false");
	case DOC_VALUE_NULL:
		return put(out, "null");
	case DOC_VALUE_LIST:
	case DOC_VALUE_OBJECT: {
		bool object = value->kind == DOC_VALUE_OBJECT;
		if (put(out, object ? "{" : "["))
			return -1;
		for (const doc_value *item = value->items; item; item = item->next) {
			if (item != value->items && put(out, ", "))
				return -1;
			if (object && (put(out, item->member_name) || put(out, ": ")))
				return -1;
			if (print_value(out, item, depth + 1))
				return -1;
		}
		return put(out, object ? "}" : "]");
	}
	}
	return 0;
}

int schema_print_value(gqlws_doc_buf *out, const doc_value *value)
{
	return print_value(out, value, 0);
}

int schema_print_ref(gqlws_doc_buf *out, const schema_ref *ref)
{
	char small[128];
	size_t needed = schema_ref_print(ref, small, sizeof small);
	if (needed < sizeof small)
		return gqlws_doc_buf_append(out, small, needed);
	char *large = malloc(needed + 1);
	if (!large)
		return -1;
	schema_ref_print(ref, large, needed + 1);
	int rc = gqlws_doc_buf_append(out, large, needed);
	free(large);
	return rc;
}

int schema_print_doc_type(gqlws_doc_buf *out, const doc_type *type)
{
	/* wrappers nest no deeper than the parser allowed */
	switch (type->kind) {
	case DOC_TYPE_NAMED:
		return put(out, type->name);
	case DOC_TYPE_LIST:
		return put(out, "[") || schema_print_doc_type(out, type->of_type) || put(out, "]");
	case DOC_TYPE_NON_NULL:
		return schema_print_doc_type(out, type->of_type) || put(out, "!");
	}
	return 0;
}
