/*
 * lexer.h - the lexical grammar of GraphQL (spec section 2.1): turns
 * document text into tokens on demand, skipping ignored tokens, decoding
 * string values, and reporting lexical errors with graphql-js wording.
 */
#ifndef GQLWS_DOC_LEXER_H
#define GQLWS_DOC_LEXER_H

#include <stddef.h>

#include "arena.h"
#include "ast.h"

typedef enum doc_token_kind {
	DOC_TOKEN_EOF,
	DOC_TOKEN_BANG,
	DOC_TOKEN_DOLLAR,
	DOC_TOKEN_AMP,
	DOC_TOKEN_PAREN_L,
	DOC_TOKEN_PAREN_R,
	DOC_TOKEN_SPREAD,
	DOC_TOKEN_COLON,
	DOC_TOKEN_EQUALS,
	DOC_TOKEN_AT,
	DOC_TOKEN_BRACKET_L,
	DOC_TOKEN_BRACKET_R,
	DOC_TOKEN_BRACE_L,
	DOC_TOKEN_PIPE,
	DOC_TOKEN_BRACE_R,
	DOC_TOKEN_NAME,
	DOC_TOKEN_INT,
	DOC_TOKEN_FLOAT,
	DOC_TOKEN_STRING,
	DOC_TOKEN_BLOCK_STRING,
} doc_token_kind;

typedef struct doc_token {
	doc_token_kind kind;
	doc_pos pos;
	/* Name, Int, Float: the source text; String, BlockString: the decoded
	 * value, NUL-terminated in the arena (len excludes the NUL). */
	const char *value;
	size_t len;
} doc_token;

typedef enum doc_lex_status {
	DOC_LEX_OK = 0,
	DOC_LEX_SYNTAX = -1, /* message and pos in the lexer */
	DOC_LEX_NOMEM = -2,
} doc_lex_status;

typedef struct doc_lexer {
	const char *cur;
	const char *end;
	const char *line_start;
	unsigned line;
	/* bytes minus UTF-16 units of the characters consumed on this line,
	 * so that columns count like graphql-js without rescanning lines */
	size_t line_adjust;
	doc_arena *arena;
	char message[256];    /* on DOC_LEX_SYNTAX, without "Syntax Error: " */
	doc_pos error_pos;
} doc_lexer;

void doc_lexer_init(doc_lexer *lx, const char *text, size_t len, doc_arena *arena);

/* Reads the next token into *tok. */
doc_lex_status doc_lexer_next(doc_lexer *lx, doc_token *tok);

/* The graphql-js description of a token kind: `"{"`, `Name`, `<EOF>`. */
const char *doc_token_kind_desc(doc_token_kind kind);

#endif
