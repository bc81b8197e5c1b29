/*
 * A strict RFC 8259 check of an incoming message, run before cJSON parses it:
 * cJSON accepts raw control characters in strings and keeps strings as C
 * strings (an escaped NUL cuts them short), so text it would misread is
 * refused here instead. One pass, no allocation, no recursion.
 */
#ifndef GQLWS_JSON_STRICT_H
#define GQLWS_JSON_STRICT_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Deeper nesting than cJSON parses: reported as too deep, not as "not JSON".
 * cJSON refuses an array or object opened at depth CJSON_NESTING_LIMIT, so it
 * parses CJSON_NESTING_LIMIT levels; so does the check. */
#define GQLWS_JSON_MAX_DEPTH CJSON_NESTING_LIMIT

enum gqlws_json_verdict {
	GQLWS_JSON_OK = 0,
	GQLWS_JSON_SYNTAX,        /* not JSON text (RFC 8259 grammar) */
	GQLWS_JSON_CONTROL_CHAR,  /* a raw byte below 0x20 inside a string */
	GQLWS_JSON_BAD_UTF8,      /* bytes that are not UTF-8 (RFC 3629) */
	GQLWS_JSON_BAD_SURROGATE, /* a \uD800-\uDFFF escape not in a high-low pair */
	GQLWS_JSON_NUL_ESCAPE,    /* \u0000: the core keeps strings as C strings */
	GQLWS_JSON_TOO_DEEP,      /* arrays/objects nested over GQLWS_JSON_MAX_DEPTH */
	GQLWS_JSON_TOO_MANY_VALUES, /* more values than the caller allows */
};

/* Checks that text[0..len) is exactly one RFC 8259 JSON value with optional
 * white space around it (no byte order mark), whose strings are UTF-8 with no
 * \u0000 and well-paired surrogate escapes, nested at most
 * GQLWS_JSON_MAX_DEPTH deep, with at most max_values values (each object,
 * array, string, number and literal counts one; member names do not). Stops
 * at the first problem. *values (if not NULL) gets the number of values seen.
 */
enum gqlws_json_verdict gqlws_json_check(const char *text, size_t len, size_t max_values,
					  size_t *values);

/* A short English description of a verdict, for close reasons and messages. */
const char *gqlws_json_verdict_text(enum gqlws_json_verdict verdict);

#endif
