/*
 * parser.h - the executable-document grammar (spec section 2): builds the
 * syntax tree of ast.h from tokens, enforcing the token and depth limits.
 * The SDL parser of lib/schema reads the type-system grammar with the same
 * tokens, values, types and directives through the doc_parser_* functions,
 * so both grammars word their syntax errors in one place.
 */
#ifndef GQLWS_DOC_PARSER_H
#define GQLWS_DOC_PARSER_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "ast.h"
#include "lexer.h"

typedef enum doc_parse_status {
	DOC_PARSE_OK = 0,
	DOC_PARSE_INVALID = -1, /* *errors holds the error */
	DOC_PARSE_NOMEM = -2,
} doc_parse_status;

/* Parses text into doc's (empty) lists, allocating from doc->arena and
 * honouring doc->limits. */
doc_parse_status doc_parse_text(gqlws_doc *doc, const char *text, size_t len, cJSON **errors);

/* Definitions to pass over: from the token at `from` to the last one before
 * `to` (line 0: the end of the text). */
typedef struct doc_skip_range {
	doc_pos from;
	doc_pos to;
} doc_skip_range;

typedef struct doc_parse_options {
	/* graphql-js 16.15's grammar: descriptions on operations, fragments and
	 * variable definitions. Without it, descriptions are refused in the
	 * words of the graphql-js the plain parser was written against. */
	bool descriptions;
	/* type-system definitions read by another grammar, in document order */
	const doc_skip_range *skips;
	size_t skip_count;
} doc_parse_options;

/* doc_parse_text with options (NULL: the plain parser's). */
doc_parse_status doc_parse_text_ex(gqlws_doc *doc, const char *text, size_t len, cJSON **errors,
				   const doc_parse_options *options);

/* ------------------------------------------------ the parser, step by step */

typedef struct doc_parser {
	doc_lexer lexer;
	doc_token tok;      /* current token */
	gqlws_doc *doc;     /* its arena takes the nodes; its limits bound the parse */
	size_t tokens;      /* tokens read, EOF excluded */
	size_t max_tokens;  /* doc->limits.max_tokens, at hand for every token */
	size_t depth;
	size_t spreads;     /* fragment spreads parsed */
	bool descriptions;  /* doc_parse_options.descriptions */
	bool failed;        /* the first error stops the parse */
	bool nomem;
	char message[320];
	doc_pos error_pos;
} doc_parser;

/* Ready to read text (no token read yet: call doc_parser_advance first). */
void doc_parser_init(doc_parser *p, gqlws_doc *doc, const char *text, size_t len);
/* Each returns false (and leaves p->failed set) on the first error. */
bool doc_parser_advance(doc_parser *p);
bool doc_parser_peek_keyword(const doc_parser *p, const char *word);
bool doc_parser_expect(doc_parser *p, doc_token_kind kind);
/* True if the current token was kind (and is now consumed). */
bool doc_parser_expect_optional(doc_parser *p, doc_token_kind kind);
bool doc_parser_expect_keyword(doc_parser *p, const char *word);
/* "Syntax Error: Unexpected <current token>." */
void doc_parser_fail_unexpected(doc_parser *p);
/* Fails with message as it is (the caller adds "Syntax Error: "). */
void doc_parser_fail(doc_parser *p, doc_pos pos, const char *message);
/* graphql-js's getTokenDesc: `"{"`, `Name "x"`, `<EOF>`. */
void doc_parser_token_desc(const doc_token *tok, char *out, size_t size);
/* The grammar's productions; NULL (or false) on error. */
const char *doc_parser_name(doc_parser *p, doc_pos *pos);
doc_value *doc_parser_value(doc_parser *p, bool is_const);
doc_directive *doc_parser_directives(doc_parser *p, bool is_const);
doc_type *doc_parser_type(doc_parser *p);
gqlws_doc_operation *doc_parser_operation(doc_parser *p);
doc_fragment *doc_parser_fragment(doc_parser *p);
/* The outcome: the first error (if any) appended to *errors. */
doc_parse_status doc_parser_finish(doc_parser *p, cJSON **errors);

#endif
