/*
 * json_escape.h - the escape of one byte inside a JSON string, as
 * JSON.stringify writes it: \" \\ \b \f \n \r \t, other control bytes as
 * \u00xx, every other byte as it is. Shared by every writer of JSON text
 * (projection, typed projection, introspection) so they cannot drift; the
 * writers keep their own run-copying loops and reach this only for a byte
 * that needs it, hence inline.
 */
#ifndef GQLWS_DOC_JSON_ESCAPE_H
#define GQLWS_DOC_JSON_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

/* Whether c must be escaped inside a JSON string. */
static inline bool doc_json_needs_escape(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

/* Writes the escape of c (one doc_json_needs_escape accepts) into out;
 * returns its length (2 or 6). */
static inline size_t doc_json_escape(unsigned char c, char out[6])
{
	static const char hex[] = "0123456789abcdef";
	out[0] = '\\';
	switch (c) {
	case '"': out[1] = '"'; return 2;
	case '\\': out[1] = '\\'; return 2;
	case '\b': out[1] = 'b'; return 2;
	case '\f': out[1] = 'f'; return 2;
	case '\n': out[1] = 'n'; return 2;
	case '\r': out[1] = 'r'; return 2;
	case '\t': out[1] = 't'; return 2;
	default:
		out[1] = 'u';
		out[2] = '0';
		out[3] = '0';
		out[4] = hex[c >> 4];
		out[5] = hex[c & 15];
		return 6;
	}
}

#endif
