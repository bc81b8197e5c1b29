/*
 * parser.h - the executable-document grammar (spec section 2): builds the
 * syntax tree of ast.h from tokens, enforcing the token and depth limits.
 */
#ifndef GQLWS_DOC_PARSER_H
#define GQLWS_DOC_PARSER_H

#include <cjson/cJSON.h>

#include "ast.h"

typedef enum doc_parse_status {
	DOC_PARSE_OK = 0,
	DOC_PARSE_INVALID = -1, /* *errors holds the error */
	DOC_PARSE_NOMEM = -2,
} doc_parse_status;

/* Parses text into doc's (empty) lists, allocating from doc->arena and
 * honouring doc->limits. */
doc_parse_status doc_parse_text(gqlws_doc *doc, const char *text, size_t len, cJSON **errors);

#endif
